#include "cli_process.h"
#include "cli_runner.h"

#include <array>
#include <chrono>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

CliProcess::CliProcess(const std::vector<std::string>& args, const std::string& stdoutPath)
{
    int errPipe[2];
    if (pipe(errPipe) != 0)
        return;
    m_pid = fork();
    if (m_pid == 0) {
        const int out = open(stdoutPath.c_str(), O_WRONLY);
        dup2(out, STDOUT_FILENO);
        dup2(errPipe[1], STDERR_FILENO);
        close(errPipe[0]);
        execCli(args);
    }
    close(errPipe[1]);
    m_errFd = errPipe[0];
}

CliProcess::~CliProcess()
{
    if (m_pid > 0 && !m_done) {
        kill(m_pid, SIGKILL);
        waitpid(m_pid, nullptr, 0);
    }
    if (m_errFd >= 0)
        close(m_errFd);
}

void CliProcess::drain(int timeoutMs)
{
    if (m_errFd < 0)
        return;
    pollfd fd { m_errFd, POLLIN, 0 };
    if (poll(&fd, 1, timeoutMs) <= 0)
        return;
    std::array<char, 4096> buffer {};
    const ssize_t n = read(m_errFd, buffer.data(), buffer.size());
    if (n <= 0) {
        close(m_errFd);
        m_errFd = -1;
        return;
    }
    m_err.append(buffer.data(), static_cast<size_t>(n));
}

bool CliProcess::waitForStderr(const std::string& text, int timeoutMs)
{
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (m_err.find(text) == std::string::npos && m_errFd >= 0 && std::chrono::steady_clock::now() < end)
        drain(50);
    return m_err.find(text) != std::string::npos;
}

void CliProcess::interrupt() const
{
    if (m_pid > 0)
        kill(m_pid, SIGINT);
}

bool CliProcess::waitForExit(int timeoutMs)
{
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!m_done && std::chrono::steady_clock::now() < end) {
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_done = true;
            m_exited = WIFEXITED(status);
            m_exitCode = m_exited ? WEXITSTATUS(status) : -1;
            m_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
            break;
        }
        drain(20);
    }
    while (m_done && m_errFd >= 0)
        drain(100);
    return m_done;
}
