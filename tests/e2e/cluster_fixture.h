// Helpers of the cluster-mode end-to-end tests (cluster_test.cc,
// cluster_status_test.cc, cluster_postgres_failover_test.cc): real
// cortado-server processes started with --cluster on a real PostgreSQL,
// SQS JSON calls through random live nodes retried as SDKs retry, and the
// ledger of what the cluster acknowledged.
// Thread-safety: Cluster is thread-safe; Ledger's fields under its mutex.
#ifndef CORTADO_TESTS_E2E_CLUSTER_FIXTURE_H_
#define CORTADO_TESTS_E2E_CLUSTER_FIXTURE_H_

#include <memory>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tests/gateway/raw_http_client.h"
#include "tests/testing/server_process.h"

namespace cortado::e2e {

int PortOf(const std::string& address);
std::string Quote(const std::string& text);
// The URL of queue `name` (any node's host serves it).
std::string ClusterQueueUrl(const std::string& name);

class Cluster {
 public:
  struct Options {
    std::string url;  // libpq URL, maybe multi-host
    std::string schema = "cluster_e2e";
    int nodes = 3;
    int partitions = 8;
    std::string lease_ttl = "2s";
    std::vector<std::string> extra_args;  // every node's, after the above
  };
  explicit Cluster(Options options)
      : options_(std::move(options)), nodes_(options_.nodes) {
    frozen_.resize(options_.nodes);
  }

  const Options& options() const { return options_; }
  void StartNode(int i);

  // The HTTP port of a random live (not frozen) node; 0 if none.
  int AnyPort(std::mt19937& random);
  int PortOfNode(int i);
  std::string GrpcAddressOfNode(int i);

  void Kill(int i);
  void Freeze(int i, bool frozen);

  // An SQS JSON call through random live nodes, retried (as an SDK does) on
  // 5xx and on nodes that do not answer, until `patience` ends. The last
  // response, or an error.
  absl::StatusOr<gateway::testing::RawResponse> Call(
      const std::string& action, const std::string& body, std::mt19937& random,
      absl::Duration patience = absl::Seconds(60));
  // An SNS (query protocol) call, `form` without Version, retried as Call.
  absl::StatusOr<gateway::testing::RawResponse> Sns(
      const std::string& form, std::mt19937& random,
      absl::Duration patience = absl::Seconds(60));
  // A POST of `body` with `headers` through random live nodes: at least one
  // attempt, then retried on 5xx and silence until `patience` ends.
  absl::StatusOr<gateway::testing::RawResponse> Send(
      const std::vector<std::pair<std::string, std::string>>& headers,
      const std::string& body, std::mt19937& random, absl::Duration patience);

 private:
  const Options options_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<testing::ServerProcess>> nodes_
      ABSL_GUARDED_BY(mu_);
  std::vector<bool> frozen_ ABSL_GUARDED_BY(mu_);
};

// An SQS JSON call to node `port`, retried on 5xx (a partition moving while
// the nodes even out) as SDKs retry; the last response.
absl::StatusOr<gateway::testing::RawResponse> CallNode(
    int port, const std::string& action, const std::string& body);

struct Ledger {
  absl::Mutex mu;
  std::set<std::string> sent ABSL_GUARDED_BY(mu);     // acknowledged sends
  std::set<std::string> deleted ABSL_GUARDED_BY(mu);  // acknowledged deletes
  // Received by the consumer, delete not acknowledged (still stored).
  std::set<std::string> held ABSL_GUARDED_BY(mu);
  // Sends whose outcome is unknown (no answer, or an error after retries):
  // they may or may not be stored.
  std::set<std::string> unknown ABSL_GUARDED_BY(mu);
};

// Receives up to 10 messages of `queue` through any node: body -> handle.
std::vector<std::pair<std::string, std::string>> Receive(Cluster& cluster,
                                                         const std::string& url,
                                                         std::mt19937& random,
                                                         int wait_seconds,
                                                         int visibility);

// The bodies of every message stored in the cluster's partitions (read in
// PostgreSQL, schema by schema).
std::set<std::string> StoredBodies(const std::string& url,
                                   const std::string& schema, int partitions);

}  // namespace cortado::e2e

#endif  // CORTADO_TESTS_E2E_CLUSTER_FIXTURE_H_
