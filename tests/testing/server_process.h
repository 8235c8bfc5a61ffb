// ServerProcess runs the real `cortado-server` binary for end-to-end tests:
// a fresh temporary data dir (unless given), ports chosen by the server
// (127.0.0.1:0) and read back from its --ready-file, SIGTERM or kill -9.
// Thread-safety: one controlling thread.
#ifndef CORTADO_TESTS_TESTING_SERVER_PROCESS_H_
#define CORTADO_TESTS_TESTING_SERVER_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace cortado::testing {

class ServerProcess {
 public:
  struct Options {
    std::string binary;                   // default: CORTADO_SERVER_BINARY
    std::string data_dir;                 // default: a new temp dir
    std::vector<std::string> extra_args;  // e.g. {"--log-level=debug"}
    absl::Duration start_timeout = absl::Seconds(20);
  };

  // Starts the server and waits (polling with a deadline) until it is ready.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(Options options);
  ~ServerProcess();  // kills the process if still running

  std::string grpc_address() const { return grpc_address_; }
  std::string http_address() const { return http_address_; }
  const std::string& data_dir() const { return data_dir_; }
  pid_t pid() const { return pid_; }

  // SIGTERM, then waits up to `timeout`; error unless it exited with code 0.
  absl::Status Terminate(absl::Duration timeout = absl::Seconds(30));
  // SIGKILL and reap.
  void Kill();

 private:
  ServerProcess() = default;
  pid_t pid_ = -1;
  std::string data_dir_;
  std::string grpc_address_;
  std::string http_address_;
  std::string log_path_;
};

}  // namespace cortado::testing

#endif  // CORTADO_TESTS_TESTING_SERVER_PROCESS_H_
