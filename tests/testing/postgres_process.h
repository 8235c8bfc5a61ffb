// PostgresProcess is a real, private PostgreSQL server for the tests of the
// PostgreSQL store, the coffee-consumer tests and benchmark: initdb into a
// fresh temporary directory, listening on 127.0.0.1 on a free port (and a unix
// socket in the same directory), started and stopped with pg_ctl. As root it
// runs as the `postgres` user (runuser), which owns the directory; the binaries
// come from /usr/lib/postgresql/<newest>/bin.
//
// Stop() and Start() keep the data and the port, so a test can take the
// database away under a running consumer and bring it back.
// Thread-safety: one controlling thread.
#ifndef CORTADO_TESTS_TESTING_POSTGRES_PROCESS_H_
#define CORTADO_TESTS_TESTING_POSTGRES_PROCESS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cortado::testing {

class PostgresProcess {
 public:
  struct Options {
    // fsync=off makes tests faster; the benchmark keeps it on for an
    // honest figure.
    bool fsync = false;
    // A cluster's nodes hold one connection per partition they serve plus
    // three each (tests/e2e/cluster_test.cc).
    int max_connections = 40;
  };

  // initdb + Start().
  static absl::StatusOr<std::unique_ptr<PostgresProcess>> Create(
      Options options);
  static absl::StatusOr<std::unique_ptr<PostgresProcess>> Create() {
    return Create(Options());
  }
  // One server for the whole test binary, started on first use and stopped
  // at exit (initdb and start take about a second: once per binary, not
  // per test; tests keep apart by PostgreSQL schema). Aborts the binary if
  // it cannot start: every test using it would fail the same way.
  static PostgresProcess& Shared();
  // A streaming standby of `primary` (pg_basebackup -R, on a port of its
  // own, with the primary's options): for the PostgreSQL-failover test.
  // The primary makes commits wait for it once the test sets
  // synchronous_standby_names.
  static absl::StatusOr<std::unique_ptr<PostgresProcess>> CreateStandby(
      const PostgresProcess& primary);
  ~PostgresProcess();  // stops the server (immediate) and removes the data

  // libpq URL of database "postgres" as superuser "postgres" over TCP.
  std::string url() const;
  int port() const { return port_; }

  // pg_ctl start -w: returns once the server accepts connections.
  absl::Status Start();
  // pg_ctl stop -w; `immediate` is a crash (no checkpoint), else "fast"
  // (sessions are terminated, as in a managed database's restart).
  absl::Status Stop(bool immediate = false);
  // kill -9 of the postmaster (a lost database machine); its backends see
  // it gone and exit. Waits until nothing listens on the port any more.
  absl::Status Kill();
  // pg_ctl promote -w: a standby becomes a writable primary.
  absl::Status Promote();

 private:
  PostgresProcess() = default;
  // A new directory under /tmp the server's user owns.
  absl::Status MakeDir();
  // Start() on a free port, trying another if one is taken meanwhile.
  absl::Status StartOnFreePort();
  // Runs a PostgreSQL program, as `postgres` when we are root.
  absl::Status RunTool(const std::string& tool,
                       const std::vector<std::string>& args);

  Options options_;
  std::string bin_dir_;
  std::string dir_;  // the temp dir: data/, the socket, server.log
  int port_ = 0;
  bool running_ = false;
};

}  // namespace cortado::testing

#endif  // CORTADO_TESTS_TESTING_POSTGRES_PROCESS_H_
