#include "tests/coffee/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

extern char** environ;

namespace cortado::testing {
namespace {

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    const std::vector<std::string>& argv, const std::string& log_path,
    const std::map<std::string, std::string>& env) {
  std::unique_ptr<ChildProcess> process(new ChildProcess());
  process->log_path_ = log_path;
  // Everything the child needs is built before fork(): after it, only
  // async-signal-safe calls.
  std::vector<std::string> args = argv;
  std::vector<char*> arg_pointers;
  for (std::string& arg : args) arg_pointers.push_back(arg.data());
  arg_pointers.push_back(nullptr);
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string variable = *entry;
    if (env.count(variable.substr(0, variable.find('='))) == 0) {
      environment.push_back(variable);
    }
  }
  for (const auto& [name, value] : env) {
    environment.push_back(absl::StrCat(name, "=", value));
  }
  std::vector<char*> env_pointers;
  for (std::string& variable : environment) {
    env_pointers.push_back(variable.data());
  }
  env_pointers.push_back(nullptr);

  const int log_fd =
      ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    return absl::InternalError(
        absl::StrCat("open ", log_path, ": ", std::strerror(errno)));
  }
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log_fd);
    ::close(null_fd);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(arg_pointers[0], arg_pointers.data(), env_pointers.data());
    ::_exit(127);
  }
  ::close(log_fd);
  ::close(null_fd);
  process->pid_ = pid;
  return process;
}

ChildProcess::~ChildProcess() { Kill(); }

std::string ChildProcess::Log() const {
  std::ifstream in(log_path_);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

bool ChildProcess::Running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    exit_code_ = ExitCode(status);
    pid_ = -1;
    return false;
  }
  return true;
}

absl::StatusOr<int> ChildProcess::Terminate(absl::Duration timeout) {
  if (!Running()) return exit_code_;
  ::kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + timeout;
  while (Running()) {
    if (absl::Now() >= deadline) {
      Kill();
      return absl::DeadlineExceededError(absl::StrCat(
          "no exit within ", absl::FormatDuration(timeout), " of SIGTERM"));
    }
    absl::SleepFor(absl::Milliseconds(2));  // polling a process, not waiting
  }
  return exit_code_;
}

void ChildProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  exit_code_ = ExitCode(status);
  pid_ = -1;
}

}  // namespace cortado::testing
