#include "tests/testing/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

#ifndef CORTADO_SERVER_BINARY
#error "CORTADO_SERVER_BINARY must name the cortado-server binary"
#endif

namespace cortado::testing {
namespace {

constexpr absl::Duration kPollInterval = absl::Milliseconds(5);

absl::StatusOr<std::string> MakeTempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  if (base == nullptr || *base == '\0') base = std::getenv("TMPDIR");
  if (base == nullptr || *base == '\0') base = "/tmp";
  std::string pattern = absl::StrCat(base, "/cortado-server-XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(
        absl::StrCat("mkdtemp ", pattern, ": ", std::strerror(errno)));
  }
  return pattern;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// The end of the server's log, for error messages.
std::string LogTail(const std::string& log_path) {
  std::string log = ReadFile(log_path);
  constexpr size_t kTail = 4000;
  if (log.size() > kTail) log = log.substr(log.size() - kTail);
  return absl::StrCat("\n--- ", log_path, " ---\n", log);
}

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return absl::StrCat("exit code ", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    return absl::StrCat("killed by signal ", WTERMSIG(status));
  }
  return absl::StrCat("wait status ", status);
}

// Reaps `pid` if it has exited; polls until `deadline`. True if reaped.
bool WaitForExit(pid_t pid, absl::Time deadline, int* status) {
  while (true) {
    const pid_t reaped = ::waitpid(pid, status, WNOHANG);
    if (reaped == pid) return true;
    if (reaped < 0 && errno != EINTR) return true;  // not our child any more
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(kPollInterval);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    Options options) {
  if (options.binary.empty()) options.binary = CORTADO_SERVER_BINARY;
  std::unique_ptr<ServerProcess> process(new ServerProcess());
  if (options.data_dir.empty()) {
    absl::StatusOr<std::string> temp_dir = MakeTempDir();
    if (!temp_dir.ok()) return temp_dir.status();
    process->data_dir_ = *temp_dir;
  } else {
    process->data_dir_ = options.data_dir;
    ::mkdir(process->data_dir_.c_str(), 0755);
  }
  // Logs of restarts on the same data dir accumulate in one file.
  process->log_path_ = absl::StrCat(process->data_dir_, "/server.log");
  const std::string ready_path = absl::StrCat(process->data_dir_, "/ready");
  // A ready file left by an earlier run must not be taken for this one's.
  ::unlink(ready_path.c_str());

  std::vector<std::string> args = {
      options.binary,
      "--grpc-addr=127.0.0.1:0",
      "--http-addr=127.0.0.1:0",
      absl::StrCat("--data-dir=", process->data_dir_),
      absl::StrCat("--ready-file=", ready_path),
  };
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  const int log_fd = ::open(process->log_path_.c_str(),
                            O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    return absl::InternalError(
        absl::StrCat("open ", process->log_path_, ": ", std::strerror(errno)));
  }
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(log_fd);
    ::close(null_fd);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(error)));
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls from here on.
    // Die with the test. (The signal follows the forking *thread*: call
    // Start() from a thread that outlives the server, e.g. the test's.)
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    // The server takes SIGTERM/SIGINT with sigwait(), which never sees a
    // signal the test process happened to ignore.
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(log_fd);
  ::close(null_fd);
  process->pid_ = pid;

  // Poll for the ready file; fail early if the server exits.
  const absl::Time deadline = absl::Now() + options.start_timeout;
  while (true) {
    if (::access(ready_path.c_str(), F_OK) == 0) break;
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      process->pid_ = -1;
      return absl::InternalError(absl::StrCat(
          "cortado-server exited before it was ready (",
          DescribeWaitStatus(status), ")", LogTail(process->log_path_)));
    }
    if (absl::Now() >= deadline) {
      process->Kill();
      return absl::DeadlineExceededError(
          absl::StrCat("cortado-server not ready within ",
                       absl::FormatDuration(options.start_timeout),
                       LogTail(process->log_path_)));
    }
    absl::SleepFor(kPollInterval);
  }
  for (absl::string_view line :
       absl::StrSplit(ReadFile(ready_path), '\n', absl::SkipEmpty())) {
    if (absl::ConsumePrefix(&line, "grpc=")) {
      process->grpc_address_ = std::string(line);
    } else if (absl::ConsumePrefix(&line, "http=")) {
      process->http_address_ = std::string(line);
    }
  }
  if (process->grpc_address_.empty()) {
    process->Kill();
    return absl::InternalError(
        absl::StrCat("ready file without grpc=: ", ReadFile(ready_path)));
  }
  return process;
}

// The data dir is kept: a test may restart a server on it after this object
// is gone, and its server.log helps when a test fails.
ServerProcess::~ServerProcess() { Kill(); }

absl::Status ServerProcess::Terminate(absl::Duration timeout) {
  if (pid_ <= 0) return absl::FailedPreconditionError("not running");
  ::kill(pid_, SIGTERM);
  int status = 0;
  if (!WaitForExit(pid_, absl::Now() + timeout, &status)) {
    Kill();
    return absl::DeadlineExceededError(absl::StrCat(
        "cortado-server did not exit within ", absl::FormatDuration(timeout),
        " of SIGTERM", LogTail(log_path_)));
  }
  pid_ = -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(absl::StrCat("cortado-server ended with ",
                                            DescribeWaitStatus(status),
                                            LogTail(log_path_)));
  }
  return absl::OkStatus();
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

}  // namespace cortado::testing
