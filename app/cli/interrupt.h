#pragma once
// Ctrl-C for the commands that can run long (run, plan, sweep). While an Interruptible is alive, the first SIGINT
// only sets a flag: the work sees it within moments (the engine checks it inside a tick), drops what it has not
// finished — no output file, no history row — and the command exits with kExitInterrupted. A second SIGINT ends
// the process at once, as if nothing had been caught.

#include <atomic>

namespace shardsim::cli {

class Interruptible {
public:
    Interruptible(); // catches SIGINT
    ~Interruptible(); // gives SIGINT its default action back
    Interruptible(const Interruptible&) = delete;
    Interruptible& operator=(const Interruptible&) = delete;

    // The flag to hand to the core as its cancel flag.
    const std::atomic<bool>* flag() const;
    bool interrupted() const;
};

// Says on stderr that the command was interrupted and what it left; returns kExitInterrupted.
int reportInterrupted(bool quiet, const char* left = "nothing was written or recorded");

} // namespace shardsim::cli
