// ChildProcess runs a long-lived program for the coffee-consumer tests
// (the consumer itself) with stdout and stderr appended to a log file, so a
// chatty process never blocks on a full pipe, and the log survives restarts
// for the failure message. It dies with the test (PR_SET_PDEATHSIG).
// Thread-safety: one controlling thread.
#ifndef CORTADO_TESTS_COFFEE_CHILD_PROCESS_H_
#define CORTADO_TESTS_COFFEE_CHILD_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace cortado::testing {

class ChildProcess {
 public:
  // Starts `argv` with `env` added to this process's environment.
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(
      const std::vector<std::string>& argv, const std::string& log_path,
      const std::map<std::string, std::string>& env = {});
  ~ChildProcess();  // kill -9s the process if still running

  pid_t pid() const { return pid_; }
  // The log so far (this run's and earlier runs' on the same file).
  std::string Log() const;

  // True while the process has not exited (reaps it if it has).
  bool Running();
  // SIGTERM, then waits up to `timeout`; the exit code, or 128 + signal.
  absl::StatusOr<int> Terminate(absl::Duration timeout);
  // kill -9 and reap.
  void Kill();

 private:
  ChildProcess() = default;
  pid_t pid_ = -1;
  int exit_code_ = -1;
  std::string log_path_;
};

}  // namespace cortado::testing

#endif  // CORTADO_TESTS_COFFEE_CHILD_PROCESS_H_
