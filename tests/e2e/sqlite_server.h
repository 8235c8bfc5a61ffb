// The real cortado-server on SQLite for end-to-end tests that restart it on
// the same data dir, and a gRPC client to it. Each records a test failure
// and returns null when it cannot start or connect.
// Thread-safety: the test's thread.
#ifndef CORTADO_TESTS_E2E_SQLITE_SERVER_H_
#define CORTADO_TESTS_E2E_SQLITE_SERVER_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cortado/client.h"
#include "gtest/gtest.h"
#include "tests/testing/server_process.h"

namespace cortado::e2e {

// `--storage=sqlite --log-level=warning` on `data_dir`, plus `extra_args`.
inline std::unique_ptr<testing::ServerProcess> StartSqliteServer(
    const std::string& data_dir,
    const std::vector<std::string>& extra_args = {}) {
  testing::ServerProcess::Options options;
  options.data_dir = data_dir;
  options.extra_args = {"--storage=sqlite", "--log-level=warning"};
  options.extra_args.insert(options.extra_args.end(), extra_args.begin(),
                            extra_args.end());
  auto server = testing::ServerProcess::Start(options);
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? std::move(server).value() : nullptr;
}

inline std::unique_ptr<client::Client> ConnectTo(
    const testing::ServerProcess& server) {
  auto client = client::Client::Connect(server.grpc_address());
  EXPECT_TRUE(client.ok()) << client.status();
  return client.ok() ? std::move(client).value() : nullptr;
}

}  // namespace cortado::e2e

#endif  // CORTADO_TESTS_E2E_SQLITE_SERVER_H_
