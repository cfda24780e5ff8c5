#include "cli_runner.h"

#include <array>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {
std::string drainBoth(int outFd, int errFd, std::string& err)
{
    std::string out;
    std::array<pollfd, 2> fds { pollfd { outFd, POLLIN, 0 }, pollfd { errFd, POLLIN, 0 } };
    int open = 2;
    std::array<char, 4096> buffer {};
    while (open > 0) {
        if (poll(fds.data(), fds.size(), -1) < 0)
            break;
        for (size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
                continue;
            const ssize_t n = read(fds[i].fd, buffer.data(), buffer.size());
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            } else {
                (i == 0 ? out : err).append(buffer.data(), static_cast<size_t>(n));
            }
        }
    }
    return out;
}
}

void execCli(const std::vector<std::string>& args)
{
    std::vector<char*> argv;
    std::string program = SHARDSIM_CLI;
    argv.push_back(program.data());
    std::vector<std::string> copies = args;
    for (std::string& arg : copies)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(127);
}

CliResult runCli(const std::vector<std::string>& args)
{
    int outPipe[2];
    int errPipe[2];
    if (pipe(outPipe) != 0 || pipe(errPipe) != 0)
        return {};
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(outPipe[1], STDOUT_FILENO);
        dup2(errPipe[1], STDERR_FILENO);
        close(outPipe[0]);
        close(errPipe[0]);
        execCli(args);
    }
    close(outPipe[1]);
    close(errPipe[1]);
    CliResult result;
    result.out = drainBoth(outPipe[0], errPipe[0], result.err);
    int status = 0;
    waitpid(pid, &status, 0);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}
