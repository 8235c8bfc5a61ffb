// `cortado cluster status` end to end: three real nodes on a real
// PostgreSQL; the status read through the CLI (gRPC, text and --json) and
// through GET /cluster. Asserted: every node listed with its addresses,
// every partition owned by a live member, which node answered, a node
// killed with -9 shown dead once the TTL has passed (on the answering
// node's clock) and its partitions owned by the others; a single server
// answers "not a cluster node".
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "gtest/gtest.h"
#include "tests/e2e/cluster_fixture.h"
#include "tests/testing/poll.h"
#include "tests/testing/postgres_process.h"
#include "tests/testing/subprocess.h"

#ifndef CORTADO_CLI_BINARY
#error "CORTADO_CLI_BINARY must name the cortado binary"
#endif

namespace cortado::e2e {
namespace {

using gateway::testing::RawHttpClient;
using testing::PollUntil;
using testing::PostgresProcess;
using testing::RunSubprocess;
using testing::ServerProcess;
using testing::Subprocess;

constexpr int kNodes = 3;
constexpr int kPartitions = 8;

// What a status says, read from its JSON.
struct Status {
  std::string answered_by;
  int partitions = 0;
  std::map<std::string, bool> alive;        // node id -> alive
  std::map<std::string, std::string> http;  // node id -> HTTP address
  std::vector<std::string> owners;          // by partition
};

std::optional<Status> ParseStatus(const std::string& text) {
  std::optional<JsonValue> json = ParseJson(text);
  if (!json || !json->is_object()) return std::nullopt;
  const JsonValue* answered = json->Find("answered_by");
  const JsonValue* partitions = json->Find("partitions");
  const JsonValue* nodes = json->Find("nodes");
  const JsonValue* ownership = json->Find("ownership");
  if (!answered || !partitions || !nodes || !ownership) return std::nullopt;
  Status status{.answered_by = answered->text,
                .partitions = std::stoi(partitions->text)};
  for (const JsonValue& node : nodes->elements) {
    const std::string id = node.Find("node_id")->text;
    status.alive[id] = node.Find("alive")->boolean;
    status.http[id] = node.Find("http_addr")->text;
  }
  for (const JsonValue& row : ownership->elements) {
    status.owners.push_back(row.Find("owner")->text);
  }
  return status;
}

// Every partition owned by one of `live`.
bool AllOwnedBy(const Status& status, const std::vector<std::string>& live) {
  if (status.owners.size() != static_cast<size_t>(kPartitions)) return false;
  for (const std::string& owner : status.owners) {
    if (std::find(live.begin(), live.end(), owner) == live.end()) return false;
  }
  return true;
}

std::optional<Status> HttpStatus(int port) {
  RawHttpClient client(port);
  auto response = client.Request("GET", "/cluster", {}, "", absl::Seconds(5));
  if (!response.ok() || response->status != 200) return std::nullopt;
  return ParseStatus(response->body);
}

absl::StatusOr<Subprocess::Result> Cli(const std::string& server,
                                       std::vector<std::string> words) {
  std::vector<std::string> argv = {CORTADO_CLI_BINARY, "--server", server};
  argv.insert(argv.end(), words.begin(), words.end());
  return RunSubprocess(argv);
}

TEST(ClusterStatusE2eTest, ShowsNodesOwnersAndTheDead) {
  PostgresProcess::Options pg;
  pg.max_connections = 100;
  auto postgres = PostgresProcess::Create(pg);
  ASSERT_TRUE(postgres.ok()) << postgres.status();
  Cluster cluster(Cluster::Options{.url = (*postgres)->url(),
                                   .schema = "cluster_status",
                                   .nodes = kNodes,
                                   .partitions = kPartitions});
  for (int i = 0; i < kNodes; ++i) cluster.StartNode(i);
  const std::vector<std::string> all = {"n0", "n1", "n2"};

  // Through HTTP: every node alive, every partition owned by a member.
  std::optional<Status> status;
  ASSERT_TRUE(PollUntil(
      [&] {
        status = HttpStatus(cluster.PortOfNode(0));
        return status && status->alive.size() == 3 && status->alive["n0"] &&
               status->alive["n1"] && status->alive["n2"] &&
               AllOwnedBy(*status, all);
      },
      absl::Seconds(60), absl::Milliseconds(100)));
  EXPECT_EQ(status->answered_by, "n0");
  EXPECT_EQ(status->partitions, kPartitions);
  for (int i = 0; i < kNodes; ++i) {
    EXPECT_EQ(PortOf(status->http[absl::StrCat("n", i)]),
              cluster.PortOfNode(i));
  }

  // Each node reads the member table on its own heartbeat: the others may
  // not have seen the last node join yet.
  for (int i = 1; i < kNodes; ++i) {
    ASSERT_TRUE(PollUntil(
        [&] {
          std::optional<Status> seen = HttpStatus(cluster.PortOfNode(i));
          return seen && seen->alive.size() == 3 && seen->alive["n0"] &&
                 seen->alive["n1"] && seen->alive["n2"] &&
                 AllOwnedBy(*seen, all);
        },
        absl::Seconds(60), absl::Milliseconds(100)))
        << "n" << i << " never saw every node alive";
  }

  // Through the CLI, --json: the same, answered by the node it called.
  auto json =
      Cli(cluster.GrpcAddressOfNode(1), {"cluster", "status", "--json"});
  ASSERT_TRUE(json.ok()) << json.status();
  ASSERT_EQ(json->exit_code, 0) << json->err;
  std::optional<Status> from_cli = ParseStatus(json->out);
  ASSERT_TRUE(from_cli.has_value()) << json->out;
  EXPECT_EQ(from_cli->answered_by, "n1");
  EXPECT_EQ(from_cli->alive.size(), 3u);
  EXPECT_TRUE(AllOwnedBy(*from_cli, all)) << json->out;
  // The text form: a line per node, and no partition unowned.
  auto text = Cli(cluster.GrpcAddressOfNode(2), {"cluster", "status"});
  ASSERT_TRUE(text.ok()) << text.status();
  ASSERT_EQ(text->exit_code, 0) << text->err;
  EXPECT_TRUE(absl::StrContains(text->out, "answered by n2: 3 nodes, 8 "))
      << text->out;
  EXPECT_TRUE(absl::StrContains(text->out, "unowned: 0")) << text->out;
  for (const std::string& id : all) {
    EXPECT_TRUE(absl::StrContains(text->out, absl::StrCat("\n", id, " ")))
        << text->out;
  }

  // A node killed: shown dead after the TTL, its partitions taken over.
  cluster.Kill(2);
  ASSERT_TRUE(PollUntil(
      [&] {
        status = HttpStatus(cluster.PortOfNode(0));
        return status && status->alive.contains("n2") && !status->alive["n2"] &&
               status->alive["n1"] && AllOwnedBy(*status, {"n0", "n1"});
      },
      absl::Seconds(60), absl::Milliseconds(100)))
      << (status ? "last status read" : "no status");
  json = Cli(cluster.GrpcAddressOfNode(1), {"cluster", "status", "--json"});
  ASSERT_TRUE(json.ok() && json->exit_code == 0);
  from_cli = ParseStatus(json->out);
  ASSERT_TRUE(from_cli.has_value());
  EXPECT_FALSE(from_cli->alive["n2"]) << json->out;
}

TEST(ClusterStatusE2eTest, SingleServerIsNotAClusterNode) {
  auto server = ServerProcess::Start(ServerProcess::Options());
  ASSERT_TRUE(server.ok()) << server.status();
  auto result = Cli((*server)->grpc_address(), {"cluster", "status"});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 1);
  EXPECT_TRUE(absl::StrContains(result->err, "FAILED_PRECONDITION"))
      << result->err;
  EXPECT_TRUE(absl::StrContains(result->err, "not a cluster node"))
      << result->err;
  // A wrong command line is a usage error.
  result = Cli((*server)->grpc_address(), {"cluster", "stat"});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->exit_code, 2) << result->err;
}

}  // namespace
}  // namespace cortado::e2e
