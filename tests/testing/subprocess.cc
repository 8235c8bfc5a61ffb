#include "tests/testing/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

extern char** environ;

namespace cortado::testing {
namespace {

absl::Status ErrnoError(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

void WriteAll(int fd, const std::string& data) {
  size_t written = 0;
  while (written < data.size()) {
    ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the child closed its stdin early: fine
    written += static_cast<size_t>(n);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(
    const std::vector<std::string>& argv,
    const std::map<std::string, std::string>& env, const std::string& input) {
  // Everything the child needs is built before fork(): after it, only
  // async-signal-safe calls are allowed.
  std::vector<std::string> env_strings;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string variable(*entry);
    std::string name = variable.substr(0, variable.find('='));
    if (env.count(name) == 0) env_strings.push_back(variable);
  }
  for (const auto& [name, value] : env) {
    env_strings.push_back(absl::StrCat(name, "=", value));
  }
  std::vector<char*> envp;
  for (std::string& variable : env_strings) envp.push_back(variable.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (std::string& arg : args) argp.push_back(arg.data());
  argp.push_back(nullptr);

  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 ||
      ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    return ErrnoError("pipe2");
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return ErrnoError("fork");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // die with the test
    if (::getppid() != parent) ::_exit(126);
    ::dup2(in_pipe[0], STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ::execve(argp[0], argp.data(), envp.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  std::unique_ptr<Subprocess> process(new Subprocess());
  process->pid_ = pid;
  process->out_fd_ = out_pipe[0];
  process->err_fd_ = err_pipe[0];
  // The inputs of these tests are far below a pipe's buffer, so writing
  // before reading cannot deadlock.
  WriteAll(in_pipe[1], input);
  ::close(in_pipe[1]);
  return process;
}

Subprocess::~Subprocess() {
  if (pid_ > 0) Finish(absl::ZeroDuration());
}

bool Subprocess::ReadSome(absl::Time deadline) {
  pollfd fds[2];
  int count = 0;
  for (int fd : {out_fd_, err_fd_}) {
    if (fd >= 0) fds[count++] = pollfd{fd, POLLIN, 0};
  }
  if (count == 0) return false;
  int timeout_ms = -1;  // forever, for an infinite deadline
  if (deadline != absl::InfiniteFuture()) {
    absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    timeout_ms = static_cast<int>(std::min<int64_t>(
        absl::ToInt64Milliseconds(absl::Ceil(left, absl::Milliseconds(1))),
        std::numeric_limits<int>::max()));
  }
  int ready = ::poll(fds, count, timeout_ms);
  if (ready < 0 && errno == EINTR) return true;
  if (ready <= 0) return absl::Now() < deadline;
  for (int i = 0; i < count; ++i) {
    if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
    char buffer[4096];
    ssize_t n = ::read(fds[i].fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    int* fd = fds[i].fd == out_fd_ ? &out_fd_ : &err_fd_;
    if (n <= 0) {
      ::close(*fd);
      *fd = -1;
      continue;
    }
    (fd == &out_fd_ ? out_ : err_).append(buffer, static_cast<size_t>(n));
  }
  return true;
}

bool Subprocess::WaitForStdout(absl::string_view text, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!absl::StrContains(out_, text)) {
    if (out_fd_ < 0 || !ReadSome(deadline)) {
      return absl::StrContains(out_, text);
    }
  }
  return true;
}

void Subprocess::Signal(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

Subprocess::Result Subprocess::Finish(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (ReadSome(deadline)) {
  }
  if (out_fd_ >= 0 || err_fd_ >= 0) {
    // Out of time: it will not end by itself.
    ::kill(pid_, SIGKILL);
    while (ReadSome(absl::InfiniteFuture())) {
    }
  }
  Result result;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.exit_code = 128 + WTERMSIG(status);
  result.out = out_;
  result.err = err_;
  return result;
}

absl::StatusOr<Subprocess::Result> RunSubprocess(
    const std::vector<std::string>& argv,
    const std::map<std::string, std::string>& env, const std::string& input,
    absl::Duration timeout) {
  absl::StatusOr<std::unique_ptr<Subprocess>> process =
      Subprocess::Start(argv, env, input);
  if (!process.ok()) return process.status();
  return (*process)->Finish(timeout);
}

}  // namespace cortado::testing
