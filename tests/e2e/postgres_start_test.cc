// cortado-server started while its PostgreSQL is down waits for it
// (retrying with backoff, saying so in its log) and serves once it is up;
// a second server on the same database and schema refuses to start and
// names the first.
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cortado/v1/queue.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/postgres_process.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::e2e {
namespace {

using cortado::testing::PostgresProcess;
using cortado::testing::ServerProcess;
namespace v1 = ::cortado::v1;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

ServerProcess::Options OnPostgres(const std::string& data_dir,
                                  const std::string& schema) {
  ServerProcess::Options options;
  options.data_dir = data_dir;
  options.extra_args = {"--storage=postgres",
                        "--database-url=" + PostgresProcess::Shared().url(),
                        "--database-schema=" + schema};
  options.start_timeout = absl::Seconds(60);
  return options;
}

TEST(PostgresStartTest, AServerWaitsForPostgresAndServesOnceItIsUp) {
  PostgresProcess& postgres = PostgresProcess::Shared();
  ASSERT_OK(postgres.Stop());
  cortado::testing::TempDir dir;
  const std::string data_dir = dir.path() + "/data";
  // PostgreSQL comes back once the server has said it is waiting.
  std::thread restarter([&] {
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (absl::Now() < deadline &&
           !absl::StrContains(ReadFile(data_dir + "/server.log"),
                              "PostgreSQL is not reachable")) {
      absl::SleepFor(absl::Milliseconds(20));  // polling a real process
    }
    EXPECT_OK(postgres.Start());
  });
  auto server = ServerProcess::Start(OnPostgres(data_dir, "waits"));
  restarter.join();
  ASSERT_OK(server);
  EXPECT_TRUE(absl::StrContains(ReadFile(data_dir + "/server.log"),
                                "PostgreSQL is not reachable"));
  auto stub = v1::Queues::NewStub(grpc::CreateChannel(
      (*server)->grpc_address(), grpc::InsecureChannelCredentials()));
  v1::CreateQueueRequest request;
  request.set_queue_name("after-the-wait");
  v1::CreateQueueResponse response;
  grpc::ClientContext context;
  EXPECT_TRUE(stub->CreateQueue(&context, request, &response).ok());
}

TEST(PostgresStartTest, ASecondServerOnTheSameSchemaRefusesNamingTheFirst) {
  cortado::testing::TempDir dir;
  auto first = ServerProcess::Start(OnPostgres(dir.path() + "/a", "shared"));
  ASSERT_OK(first);
  auto second = ServerProcess::Start(OnPostgres(dir.path() + "/b", "shared"));
  ASSERT_FALSE(second.ok());
  const std::string log = ReadFile(dir.path() + "/b/server.log");
  EXPECT_TRUE(absl::StrContains(log, "already writing to schema \"shared\""))
      << log;
  EXPECT_TRUE(
      absl::StrContains(log, absl::StrCat("pid ", (*first)->pid(), " grpc ")))
      << log;
}

}  // namespace
}  // namespace cortado::e2e
