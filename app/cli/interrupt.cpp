#include "interrupt.h"

#include <csignal>
#include <iostream>

#include "cli_support.h"

namespace shardsim::cli {

namespace {
    std::atomic<bool> g_interrupted { false };
    extern "C" void onInterrupt(int) { g_interrupted.store(true); }
}

Interruptible::Interruptible()
{
    g_interrupted.store(false);
    struct sigaction action { };
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND; // the second Ctrl-C gets the default action: the process ends
    sigaction(SIGINT, &action, nullptr);
}

Interruptible::~Interruptible() { std::signal(SIGINT, SIG_DFL); }

const std::atomic<bool>* Interruptible::flag() const { return &g_interrupted; }

bool Interruptible::interrupted() const { return g_interrupted.load(); }

int reportInterrupted(bool quiet, const char* left)
{
    if (!quiet)
        std::cerr << "interrupted: " << left << '\n';
    return kExitInterrupted;
}

} // namespace shardsim::cli
