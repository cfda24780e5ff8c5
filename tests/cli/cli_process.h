#pragma once
// A shardsim-cli process the test controls while it runs: started with stdout to /dev/null (or a given file)
// and stderr to a pipe, signalled, and waited for with a bound.

#include <csignal>
#include <string>
#include <sys/types.h>
#include <vector>

class CliProcess {
public:
    // `stdoutPath`: where standard output goes ("/dev/full" to make every write to it fail).
    explicit CliProcess(const std::vector<std::string>& args, const std::string& stdoutPath = "/dev/null");
    ~CliProcess(); // kills the process if it still runs

    // Reads stderr until it holds `text` or `timeoutMs` pass; whether it appeared.
    bool waitForStderr(const std::string& text, int timeoutMs);
    void interrupt() const; // SIGINT, as Ctrl-C sends it
    // Waits up to `timeoutMs` for the process to end; false (and the process killed) when it did not.
    bool waitForExit(int timeoutMs);

    bool exited() const { return m_exited; } // ended by exit(), with exitCode()
    int exitCode() const { return m_exitCode; }
    int signal() const { return m_signal; } // the signal that ended it, 0 when it exited
    const std::string& err() const { return m_err; }

private:
    void drain(int timeoutMs);

    pid_t m_pid = -1;
    int m_errFd = -1;
    bool m_done = false;
    bool m_exited = false;
    int m_exitCode = -1;
    int m_signal = 0;
    std::string m_err;
};
