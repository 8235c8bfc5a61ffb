// Queues and topics as code end to end: the real cortado-server applies
// --config (the issue's example, examples/config/cafeteria.yaml) before it
// serves, re-applies it on SIGHUP, refuses to start on a bad file naming
// file:line and changing nothing; the real `cortado config` CLI plans,
// applies and exports, and export -> apply on an empty server -> export is
// identical.
#include <signal.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "cortado/client.h"
#include "gtest/gtest.h"
#include "tests/e2e/sqlite_server.h"
#include "tests/testing/poll.h"
#include "tests/testing/server_process.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

#ifndef CORTADO_CLI_BINARY
#error "CORTADO_CLI_BINARY must name the cortado binary"
#endif
#ifndef CORTADO_SERVER_BINARY_PATH
#error "CORTADO_SERVER_BINARY_PATH must name the cortado-server binary"
#endif
#ifndef CORTADO_SOURCE_DIR
#error "CORTADO_SOURCE_DIR must name the source tree"
#endif

namespace cortado {
namespace {

using e2e::ConnectTo;
using e2e::StartSqliteServer;
using testing::RunSubprocess;
using testing::ServerProcess;
using testing::Subprocess;

const std::string kExample =
    std::string(CORTADO_SOURCE_DIR) + "/examples/config/cafeteria.yaml";
// The queues the example's subscriptions name without declaring them: the
// consuming services' own queues, which must already exist.
const std::vector<std::string> kConsumerQueues = {
    "api-orders-created-consumer", "api-payment-created-payment"};

// `cortado --server ADDRESS args...`
Subprocess::Result Cli(const ServerProcess& server,
                       const std::vector<std::string>& args) {
  std::vector<std::string> argv = {CORTADO_CLI_BINARY, "--server",
                                   server.grpc_address()};
  argv.insert(argv.end(), args.begin(), args.end());
  absl::StatusOr<Subprocess::Result> result = RunSubprocess(argv);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : Subprocess::Result{};
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A data dir whose server already has the consumer queues.
void CreateConsumerQueues(const std::string& data_dir) {
  std::unique_ptr<ServerProcess> server = StartSqliteServer(data_dir);
  ASSERT_NE(server, nullptr);
  std::unique_ptr<client::Client> client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  for (const std::string& queue : kConsumerQueues) {
    ASSERT_TRUE(client->CreateQueue(queue).ok());
  }
  ASSERT_TRUE(server->Terminate().ok());
}

TEST(ConfigTest, ServerAppliesTheIssueExampleBeforeServingAndOnSighup) {
  testing::TempDir dir;
  CreateConsumerQueues(dir.path());
  const std::string file = dir.path() + "/cortado.yaml";
  const std::string example = ReadFile(kExample);
  ASSERT_FALSE(example.empty()) << kExample;
  WriteFile(file, example);

  std::unique_ptr<ServerProcess> server =
      StartSqliteServer(dir.path(), {"--config", file});
  ASSERT_NE(server, nullptr);
  std::unique_ptr<client::Client> client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  // Ready means applied: no polling needed for these.
  absl::StatusOr<client::StringMap> attributes =
      client->GetQueueAttributes("cafeteria-queue");
  ASSERT_TRUE(attributes.ok()) << attributes.status();
  EXPECT_EQ((*attributes)["VisibilityTimeout"], "30");
  EXPECT_TRUE(
      absl::StrContains((*attributes)["RedrivePolicy"], ":cafeteria-dlq\""))
      << (*attributes)["RedrivePolicy"];
  EXPECT_TRUE(absl::StrContains((*attributes)["RedrivePolicy"], "5"));
  absl::StatusOr<client::StringMap> tags =
      client->ListQueueTags("cafeteria-queue");
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(*tags, (client::StringMap{{"team", "cafeteria"}}));
  absl::StatusOr<client::StringMap> fifo =
      client->GetQueueAttributes("orders.fifo");
  ASSERT_TRUE(fifo.ok()) << fifo.status();
  EXPECT_EQ((*fifo)["ContentBasedDeduplication"], "true");
  Subprocess::Result plan = Cli(*server, {"config", "plan", file});
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(plan.out, "no changes\n");
  Subprocess::Result exported = Cli(*server, {"config", "export"});
  EXPECT_TRUE(absl::StrContains(exported.out,
                                "  - name: created-consumer\n"
                                "    attributes:\n"))
      << exported.out;
  EXPECT_TRUE(absl::StrContains(
      exported.out,
      "      - queue: api-orders-created-consumer\n        raw: true\n"
      "        filter_policy: \"{\\\"event\\\":[\\\"order_placed\\\"]}\"\n"))
      << exported.out;

  // SIGHUP re-applies the (edited) file.
  WriteFile(file, absl::StrReplaceAll(example, {{"VisibilityTimeout: 30",
                                                 "VisibilityTimeout: 75"}}));
  ASSERT_EQ(::kill(server->pid(), SIGHUP), 0);
  EXPECT_TRUE(testing::PollUntil(
      [&] {
        absl::StatusOr<client::StringMap> now = client->GetQueueAttributes(
            "cafeteria-queue", {"VisibilityTimeout"});
        return now.ok() && (*now)["VisibilityTimeout"] == "75";
      },
      absl::Seconds(20), absl::Milliseconds(20)));
  EXPECT_TRUE(server->Terminate().ok());
}

TEST(ConfigTest, BadFileStopsTheStartNamingFileAndLineAndChangesNothing) {
  testing::TempDir dir;
  const std::string file = dir.path() + "/bad.yaml";
  WriteFile(file,
            "queues:\n  - name: fine\n  - name: slow\n    attributes:\n"
            "      VisibilityTimeout: 99999\n");
  absl::StatusOr<Subprocess::Result> run = RunSubprocess(
      {CORTADO_SERVER_BINARY_PATH, "--data-dir", dir.path() + "/data",
       "--grpc-addr=127.0.0.1:0", "--http-addr=127.0.0.1:0", "--config", file});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 1);
  EXPECT_TRUE(absl::StrContains(
      run->err, absl::StrCat(file,
                             ":5: queue slow: InvalidAttributeValue: Invalid "
                             "value for the parameter VisibilityTimeout.")))
      << run->err;

  // The issue's example on a server without the consumer queues.
  run = RunSubprocess({CORTADO_SERVER_BINARY_PATH, "--data-dir",
                       dir.path() + "/data", "--grpc-addr=127.0.0.1:0",
                       "--http-addr=127.0.0.1:0", "--config", kExample});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 1);
  EXPECT_TRUE(absl::StrContains(
      run->err, absl::StrCat(kExample,
                             ":12: topic created-consumer subscribes queue "
                             "api-orders-created-consumer is neither "
                             "declared nor on the server")))
      << run->err;

  // Nothing of either file was applied.
  std::unique_ptr<ServerProcess> server =
      StartSqliteServer(dir.path() + "/data");
  ASSERT_NE(server, nullptr);
  std::unique_ptr<client::Client> client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  absl::StatusOr<client::QueueList> queues = client->ListQueues();
  ASSERT_TRUE(queues.ok()) << queues.status();
  EXPECT_TRUE(queues->names.empty());
}

TEST(ConfigTest, CliPlanApplyExportRoundTripsThroughAnEmptyServer) {
  testing::TempDir dir;
  std::unique_ptr<ServerProcess> first =
      StartSqliteServer(dir.path() + "/first");
  ASSERT_NE(first, nullptr);
  for (const std::string& queue : kConsumerQueues) {
    ASSERT_EQ(Cli(*first, {"queue", "create", queue}).exit_code, 0);
  }
  Subprocess::Result plan = Cli(*first, {"config", "plan", kExample});
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_TRUE(absl::StrContains(
      plan.out,
      "create queue cafeteria-queue {MessageRetentionPeriod=345600, "
      "VisibilityTimeout=30} dead_letter cafeteria-dlq after 5 receives tags "
      "{team=cafeteria}\n"))
      << plan.out;
  EXPECT_TRUE(absl::EndsWith(plan.out, "6 change(s) to apply\n")) << plan.out;
  EXPECT_FALSE(ConnectTo(*first)->GetQueueUrl("cafeteria-queue").ok())
      << "plan must not change anything";

  Subprocess::Result apply = Cli(*first, {"config", "apply", kExample});
  EXPECT_EQ(apply.exit_code, 0) << apply.err;
  EXPECT_TRUE(absl::EndsWith(apply.out, "6 change(s) applied\n")) << apply.out;
  EXPECT_EQ(Cli(*first, {"config", "apply", kExample}).out, "no changes\n");

  Subprocess::Result exported = Cli(*first, {"config", "export"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const std::string file = dir.path() + "/exported.yaml";
  WriteFile(file, exported.out);

  std::unique_ptr<ServerProcess> second =
      StartSqliteServer(dir.path() + "/second");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(Cli(*second, {"config", "apply", file}).exit_code, 0);
  EXPECT_EQ(Cli(*second, {"config", "export"}).out, exported.out);
  EXPECT_EQ(Cli(*second, {"config", "plan", file}).out, "no changes\n");

  // A cycle is refused by the CLI too, naming the line, and changes nothing.
  const std::string cycle = dir.path() + "/cycle.yaml";
  WriteFile(cycle,
            "queues:\n  - name: a\n"
            "    dead_letter: { queue: b, max_receive_count: 5 }\n"
            "  - name: b\n"
            "    dead_letter: { queue: a, max_receive_count: 5 }\n");
  Subprocess::Result refused = Cli(*second, {"config", "apply", cycle});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(
      refused.err, absl::StrCat(cycle, ":3: dead-letter cycle: a -> b -> a")))
      << refused.err;
  EXPECT_EQ(Cli(*second, {"config", "export"}).out, exported.out);
}

}  // namespace
}  // namespace cortado
