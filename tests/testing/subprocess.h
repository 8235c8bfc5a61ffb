// Subprocess runs a program for the CLI tests with pipes on stdin, stdout
// and stderr. All waiting is poll() on the pipes against a deadline, never a
// sleep: output is read as it comes, and the process is reaped once both
// pipes reach end of file (it is killed if the deadline passes first).
// Thread-safety: one controlling thread.
#ifndef CORTADO_TESTS_TESTING_SUBPROCESS_H_
#define CORTADO_TESTS_TESTING_SUBPROCESS_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cortado::testing {

class Subprocess {
 public:
  struct Result {
    // The exit code, or 128 + the signal number if a signal ended it.
    int exit_code = -1;
    std::string out;
    std::string err;
  };

  // Starts `argv` with `env` added to this process's environment and
  // `input` written to its stdin (which is then closed).
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(
      const std::vector<std::string>& argv,
      const std::map<std::string, std::string>& env = {},
      const std::string& input = "");
  ~Subprocess();  // kills and reaps the process if still running

  // Reads output until stdout contains `text` (true) or `timeout` passes or
  // stdout ends (false).
  bool WaitForStdout(absl::string_view text, absl::Duration timeout);

  void Signal(int signal);

  // Reads both pipes to the end and reaps the process; kills it first if
  // `timeout` passes.
  Result Finish(absl::Duration timeout);

  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }

 private:
  Subprocess() = default;
  // Reads what is available within `deadline`; false once both pipes ended
  // or the deadline passed.
  bool ReadSome(absl::Time deadline);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_;
  std::string err_;
};

// Start + Finish.
absl::StatusOr<Subprocess::Result> RunSubprocess(
    const std::vector<std::string>& argv,
    const std::map<std::string, std::string>& env = {},
    const std::string& input = "", absl::Duration timeout = absl::Seconds(60));

}  // namespace cortado::testing

#endif  // CORTADO_TESTS_TESTING_SUBPROCESS_H_
