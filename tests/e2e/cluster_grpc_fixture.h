// Three real cortado-server processes in cluster mode on a real PostgreSQL
// the fixture starts, for the tests of the gRPC API routed through every
// node (cluster_grpc_*_test.cc). Knows which node owns a queue's partition
// (from the ownership table) so that a test can call through a node that
// does not own it, and retries calls that meet a moving partition
// (UNAVAILABLE), as clients do.
#ifndef CORTADO_TESTS_E2E_CLUSTER_GRPC_FIXTURE_H_
#define CORTADO_TESTS_E2E_CLUSTER_GRPC_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "cortado/v1/queue.grpc.pb.h"
#include "cortado/v1/topic.grpc.pb.h"
#include "gtest/gtest.h"
#include "server/cluster/partitioning.h"
#include "server/store/postgres_helpers.h"
#include "tests/gateway/raw_http_client.h"
#include "tests/testing/poll.h"
#include "tests/testing/postgres_process.h"
#include "tests/testing/server_process.h"

namespace cortado::e2e {

// One unary call, retried while it meets a moving partition (UNAVAILABLE),
// as clients retry; each attempt gets a fresh context with a deadline.
inline grpc::Status Retrying(
    const std::function<grpc::Status(grpc::ClientContext*)>& call) {
  grpc::Status status;
  testing::PollUntil(
      [&] {
        grpc::ClientContext context;
        context.set_deadline(
            absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
        status = call(&context);
        return status.error_code() != grpc::StatusCode::UNAVAILABLE;
      },
      absl::Seconds(60), absl::Milliseconds(100));
  return status;
}

// Stub method `method` with `request`, retried as above.
template <typename Stub, typename Request, typename Response>
grpc::Status Call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*,
                                               const Request&, Response*),
                  const Request& request, Response* response) {
  return Retrying([&](grpc::ClientContext* context) {
    return (stub.*method)(context, request, response);
  });
}

class ClusterGrpcTest : public ::testing::Test {
 protected:
  static constexpr int kNodes = 3;
  static constexpr int kPartitions = 8;

  void SetUp() override {
    testing::PostgresProcess::Options options;
    options.max_connections = 100;
    auto postgres = testing::PostgresProcess::Create(options);
    ASSERT_TRUE(postgres.ok()) << postgres.status();
    postgres_ = *std::move(postgres);
    for (int i = 0; i < kNodes; ++i) StartNode(i);
    WaitBalanced();
    WaitServed();
  }

  void StartNode(int i) {
    testing::ServerProcess::Options options;
    options.extra_args = {"--cluster",
                          "--storage=postgres",
                          absl::StrCat("--database-url=", postgres_->url()),
                          "--database-schema=cluster_grpc",
                          absl::StrCat("--node-id=n", i),
                          "--lease-ttl=2s",
                          absl::StrCat("--partitions=", kPartitions)};
    auto started = testing::ServerProcess::Start(options);
    ASSERT_TRUE(started.ok()) << started.status();
    nodes_[i] = *std::move(started);
    channels_[i] = grpc::CreateChannel(nodes_[i]->grpc_address(),
                                       grpc::InsecureChannelCredentials());
  }

  void Kill(int i) {
    nodes_[i]->Kill();
    nodes_[i].reset();
  }

  // Until every partition is owned and the live nodes own as many as the
  // rule makes them (no move left to make); a node whose partitions are
  // loading answers UNAVAILABLE, which the calls retry.
  void WaitBalanced(int live = kNodes) {
    ASSERT_TRUE(testing::PollUntil(
        [&] {
          std::string owners = Query(
              "SELECT string_agg(owner || '=' || n, ',') FROM (SELECT owner, "
              "count(*) AS n FROM cluster_grpc.partitions WHERE owner <> '' "
              "GROUP BY owner) o");
          int total = 0, low = kPartitions, high = 0, seen = 0;
          for (absl::string_view entry : absl::StrSplit(owners, ',')) {
            std::pair<std::string, std::string> kv = absl::StrSplit(entry, '=');
            int n = 0;
            if (!absl::SimpleAtoi(kv.second, &n)) return false;
            total += n, low = std::min(low, n), high = std::max(high, n);
            ++seen;
          }
          return seen == live && total == kPartitions && high <= low + 1;
        },
        absl::Seconds(60), absl::Milliseconds(100)));
  }

  // Until every partition is served by its owner (loaded): a call for a
  // name of each partition, through node 0, gets its owner's answer (the
  // queue does not exist) rather than UNAVAILABLE. Clients that do not
  // retry (the CLI) may run from then on.
  void WaitServed() {
    auto stub = Queues(0);
    for (int p = 0, n = 0; p < kPartitions; ++n) {
      const std::string probe = absl::StrCat("probe-", n);
      if (cluster::PartitionOf(probe, kPartitions) != p) continue;
      v1::GetQueueUrlRequest request;
      request.set_queue_name(probe);
      v1::GetQueueUrlResponse response;
      grpc::Status status =
          Call(*stub, &v1::Queues::Stub::GetQueueUrl, request, &response);
      ASSERT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND)
          << status.error_message();
      ++p;
    }
  }

  // The first column of the first row of `sql`, or "".
  std::string Query(const std::string& sql) {
    store::PgConnection connection(PQconnectdb(postgres_->url().c_str()));
    store::PgResult result(PQexec(connection.get(), sql.c_str()));
    if (PQresultStatus(result.get()) != PGRES_TUPLES_OK ||
        PQntuples(result.get()) == 0 || PQgetisnull(result.get(), 0, 0)) {
      return "";
    }
    return PQgetvalue(result.get(), 0, 0);
  }

  // The node that owns `name`'s partition in the ownership table.
  int OwnerOf(const std::string& name) {
    const std::string owner = Query(absl::StrCat(
        "SELECT owner FROM cluster_grpc.partitions WHERE partition = ",
        cluster::PartitionOf(name, kPartitions)));
    int node = -1;
    if (owner.size() < 2 || !absl::SimpleAtoi(owner.substr(1), &node)) {
      return -1;
    }
    return node;
  }

  // A live node that does not own `name`.
  int NotOwnerOf(const std::string& name) {
    const int owner = OwnerOf(name);
    for (int i = 1; i <= kNodes; ++i) {
      const int node = (owner + i) % kNodes;
      if (node != owner && nodes_[node] != nullptr) return node;
    }
    return -1;
  }

  // A sample of node `i`'s /metrics (0 when absent).
  double Metric(int i, const std::string& name) {
    gateway::testing::RawHttpClient http(
        std::stoi(nodes_[i]->http_address().substr(
            nodes_[i]->http_address().rfind(':') + 1)));
    auto page = http.Request("GET", "/metrics", {}, "", absl::Seconds(5));
    if (!page.ok()) return 0;
    for (absl::string_view line : absl::StrSplit(page->body, '\n')) {
      if (absl::StartsWith(line, absl::StrCat(name, " "))) {
        double value = 0;
        (void)absl::SimpleAtod(line.substr(name.size() + 1), &value);
        return value;
      }
    }
    return 0;
  }

  std::unique_ptr<v1::Queues::Stub> Queues(int i) {
    return v1::Queues::NewStub(channels_[i]);
  }
  std::unique_ptr<v1::Topics::Stub> Topics(int i) {
    return v1::Topics::NewStub(channels_[i]);
  }

  std::unique_ptr<testing::PostgresProcess> postgres_;
  std::unique_ptr<testing::ServerProcess> nodes_[kNodes];
  std::shared_ptr<grpc::Channel> channels_[kNodes];
};

}  // namespace cortado::e2e

#endif  // CORTADO_TESTS_E2E_CLUSTER_GRPC_FIXTURE_H_
