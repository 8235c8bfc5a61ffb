// Cluster mode end to end: three real cortado-server processes (--cluster)
// on a real PostgreSQL, every call sent to a random live node, nodes killed
// with -9 and frozen with SIGSTOP under load. Asserted: every call is
// served through every node (forwarded to the partition's owner), and the
// ledger holds: no acknowledged send lost, no acknowledged delete
// resurrected. CORTADO_CLUSTER_SOAK_CYCLES sets the number of faults
// (default 2: one kill -9, one SIGSTOP).
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/json.h"
#include "gtest/gtest.h"
#include "server/cluster/partitioning.h"
#include "server/store/postgres_helpers.h"
#include "tests/gateway/raw_http_client.h"
#include "tests/testing/poll.h"
#include "tests/testing/postgres_process.h"
#include "tests/testing/server_process.h"

namespace cortado::e2e {
namespace {

using cortado::testing::PollUntil;
using cortado::testing::PostgresProcess;
using cortado::testing::ServerProcess;
using gateway::testing::RawHttpClient;
using gateway::testing::RawResponse;

constexpr int kNodes = 3;
constexpr int kPartitions = 8;

int PortOf(const std::string& address) {
  int port = 0;
  (void)absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &port);
  return port;
}

std::string Quote(const std::string& text) {
  return absl::StrCat("\"", text, "\"");
}

class Cluster {
 public:
  explicit Cluster(std::string url) : url_(std::move(url)) {}

  void StartNode(int i) {
    ServerProcess::Options options;
    options.extra_args = {"--cluster",
                          "--storage=postgres",
                          absl::StrCat("--database-url=", url_),
                          "--database-schema=cluster_e2e",
                          absl::StrCat("--node-id=n", i),
                          "--lease-ttl=2s",
                          absl::StrCat("--partitions=", kPartitions)};
    auto started = ServerProcess::Start(options);
    ASSERT_TRUE(started.ok()) << started.status();
    absl::MutexLock lock(&mu_);
    nodes_[i] = *std::move(started);
  }

  // The HTTP port of a random live (not frozen) node; 0 if none.
  int AnyPort(std::mt19937& random) {
    absl::MutexLock lock(&mu_);
    std::vector<int> ports;
    for (int i = 0; i < kNodes; ++i) {
      if (nodes_[i] != nullptr && !frozen_[i]) {
        ports.push_back(PortOf(nodes_[i]->http_address()));
      }
    }
    if (ports.empty()) return 0;
    return ports[random() % ports.size()];
  }

  int PortOfNode(int i) {
    absl::MutexLock lock(&mu_);
    return PortOf(nodes_[i]->http_address());
  }

  void Kill(int i) {
    std::unique_ptr<ServerProcess> node;
    {
      absl::MutexLock lock(&mu_);
      node = std::move(nodes_[i]);
    }
    node->Kill();
  }

  void Freeze(int i, bool frozen) {
    absl::MutexLock lock(&mu_);
    frozen_[i] = frozen;
    kill(nodes_[i]->pid(), frozen ? SIGSTOP : SIGCONT);
  }

  // An SQS JSON call through random live nodes, retried (as an SDK does) on
  // 5xx and on nodes that do not answer, until `patience` ends. The last
  // response, or an error.
  absl::StatusOr<RawResponse> Call(
      const std::string& action, const std::string& body, std::mt19937& random,
      absl::Duration patience = absl::Seconds(60)) {
    return Send({{"X-Amz-Target", absl::StrCat("AmazonSQS.", action)},
                 {"Content-Type", "application/x-amz-json-1.0"}},
                body, random, patience);
  }

  // An SNS (query protocol) call, retried as Call does.
  absl::StatusOr<RawResponse> Sns(const std::string& form,
                                  std::mt19937& random,
                                  absl::Duration patience = absl::Seconds(60)) {
    return Send({{"Content-Type", "application/x-www-form-urlencoded"}},
                absl::StrCat(form, "&Version=2010-03-31"), random, patience);
  }

  absl::StatusOr<RawResponse> Send(
      const std::vector<std::pair<std::string, std::string>>& headers,
      const std::string& body, std::mt19937& random, absl::Duration patience) {
    const absl::Time deadline = absl::Now() + patience;
    absl::StatusOr<RawResponse> last = absl::UnavailableError("no node");
    // At least one attempt, however short the patience.
    for (bool first = true; first || absl::Now() < deadline; first = false) {
      const int port = AnyPort(random);
      if (port != 0) {
        RawHttpClient client(port);
        last = client.Request("POST", "/", headers, body, absl::Seconds(5));
        if (last.ok() && last->status < 500) return last;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    return last;
  }

 private:
  const std::string url_;
  absl::Mutex mu_;
  std::unique_ptr<ServerProcess> nodes_[kNodes] ABSL_GUARDED_BY(mu_);
  bool frozen_[kNodes] ABSL_GUARDED_BY(mu_) = {};
};

class ClusterE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PostgresProcess::Options options;
    options.max_connections = 100;
    auto postgres = PostgresProcess::Create(options);
    ASSERT_TRUE(postgres.ok()) << postgres.status();
    postgres_ = *std::move(postgres);
    cluster_ = std::make_unique<Cluster>(postgres_->url());
    for (int i = 0; i < kNodes; ++i) cluster_->StartNode(i);
  }

  std::string QueueUrl(const std::string& name) {
    return absl::StrCat("http://127.0.0.1/000000000000/", name);
  }

  std::unique_ptr<PostgresProcess> postgres_;
  std::unique_ptr<Cluster> cluster_;
  std::mt19937 random_{42};
};

// An SQS JSON call to node `port`, retried on 5xx (a partition moving while
// the nodes even out) as SDKs retry; the last response.
absl::StatusOr<RawResponse> CallNode(int port, const std::string& action,
                                     const std::string& body) {
  absl::StatusOr<RawResponse> response;
  PollUntil(
      [&] {
        RawHttpClient client(port);
        response = client.Json(action, body);
        return response.ok() && response->status < 500;
      },
      absl::Seconds(60), absl::Milliseconds(100));
  return response;
}

TEST_F(ClusterE2eTest, EveryCallIsServedThroughEveryNode) {
  // Each queue created through one node, sent to through the next and
  // received through the third: most calls are forwarded.
  for (int q = 0; q < 6; ++q) {
    const std::string name = absl::StrCat("route-", q);
    const int creator = cluster_->PortOfNode(q % kNodes);
    auto created = CallNode(creator, "CreateQueue",
                            absl::StrCat("{\"QueueName\":", Quote(name), "}"));
    ASSERT_TRUE(created.ok());
    ASSERT_EQ(created->status, 200) << created->body;
    // The URL names the node that was called.
    EXPECT_NE(created->body.find(absl::StrCat(":", creator, "/000000000000/")),
              std::string::npos)
        << created->body;
    auto sent = CallNode(cluster_->PortOfNode((q + 1) % kNodes), "SendMessage",
                         absl::StrCat("{\"QueueUrl\":", Quote(QueueUrl(name)),
                                      ",\"MessageBody\":", Quote(name), "}"));
    ASSERT_TRUE(sent.ok());
    ASSERT_EQ(sent->status, 200) << sent->body;
    auto received =
        CallNode(cluster_->PortOfNode((q + 2) % kNodes), "ReceiveMessage",
                 absl::StrCat("{\"QueueUrl\":", Quote(QueueUrl(name)),
                              ",\"WaitTimeSeconds\":1}"));
    ASSERT_TRUE(received.ok());
    ASSERT_EQ(received->status, 200) << received->body;
    EXPECT_NE(received->body.find(absl::StrCat("\"Body\":", Quote(name))),
              std::string::npos)
        << received->body;
  }
  // Every node lists every queue (from every partition).
  for (int i = 0; i < kNodes; ++i) {
    auto listed = CallNode(cluster_->PortOfNode(i), "ListQueues",
                           "{\"QueueNamePrefix\":\"route-\"}");
    ASSERT_TRUE(listed.ok());
    for (int q = 0; q < 6; ++q) {
      EXPECT_NE(listed->body.find(absl::StrCat("/route-", q, "\"")),
                std::string::npos)
          << listed->body;
    }
  }
}

// The bodies of every message stored in the cluster's partitions.
std::set<std::string> StoredBodies(const std::string& url) {
  std::set<std::string> bodies;
  store::PgConnection connection(PQconnectdb(url.c_str()));
  EXPECT_EQ(PQstatus(connection.get()), CONNECTION_OK);
  for (int p = 0; p < kPartitions; ++p) {
    const std::string sql =
        absl::StrCat("SELECT convert_from(body, 'UTF8') FROM cluster_e2e_p",
                     absl::StrFormat("%04d", p), ".messages");
    store::PgResult result(PQexec(connection.get(), sql.c_str()));
    if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) continue;  // unused
    for (int row = 0; row < PQntuples(result.get()); ++row) {
      bodies.insert(PQgetvalue(result.get(), row, 0));
    }
  }
  return bodies;
}

struct Ledger {
  absl::Mutex mu;
  std::set<std::string> sent ABSL_GUARDED_BY(mu);     // acknowledged sends
  std::set<std::string> deleted ABSL_GUARDED_BY(mu);  // acknowledged deletes
  // Received by the consumer, delete not acknowledged (still stored).
  std::set<std::string> held ABSL_GUARDED_BY(mu);
};

// Receives up to 10 messages of `queue` through any node: body -> handle.
std::vector<std::pair<std::string, std::string>> Receive(Cluster& cluster,
                                                         const std::string& url,
                                                         std::mt19937& random,
                                                         int wait_seconds,
                                                         int visibility) {
  std::vector<std::pair<std::string, std::string>> out;
  auto received = cluster.Call(
      "ReceiveMessage",
      absl::StrCat("{\"QueueUrl\":", Quote(url),
                   ",\"MaxNumberOfMessages\":10,\"WaitTimeSeconds\":",
                   wait_seconds, ",\"VisibilityTimeout\":", visibility, "}"),
      random, absl::Seconds(10));
  if (!received.ok() || received->status != 200) return out;
  std::optional<JsonValue> json = ParseJson(received->body);
  const JsonValue* messages = json ? json->Find("Messages") : nullptr;
  if (messages == nullptr) return out;
  for (const JsonValue& m : messages->elements) {
    const JsonValue* body = m.Find("Body");
    const JsonValue* handle = m.Find("ReceiptHandle");
    if (body && handle) out.emplace_back(body->text, handle->text);
  }
  return out;
}

TEST_F(ClusterE2eTest, KilledAndFrozenNodesLoseNothingAcknowledged) {
  int cycles = 2;
  if (const char* soak = std::getenv("CORTADO_CLUSTER_SOAK_CYCLES")) {
    ASSERT_TRUE(absl::SimpleAtoi(soak, &cycles));
  }
  std::vector<std::string> queues;
  for (int q = 0; q < 4; ++q) {
    queues.push_back(QueueUrl(absl::StrCat("ledger-", q)));
    auto created = cluster_->Call(
        "CreateQueue", absl::StrCat("{\"QueueName\":\"ledger-", q, "\"}"),
        random_);
    ASSERT_TRUE(created.ok() && created->status == 200);
  }
  Ledger ledger;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int p = 0; p < 2; ++p) {
    clients.emplace_back([&, p] {
      std::mt19937 random(p);
      for (int n = 0; !stop; ++n) {
        const std::string body = absl::StrCat("p", p, "-", n);
        auto sent = cluster_->Call(
            "SendMessage",
            absl::StrCat("{\"QueueUrl\":", Quote(queues[n % queues.size()]),
                         ",\"MessageBody\":", Quote(body), "}"),
            random, absl::Seconds(10));
        if (sent.ok() && sent->status == 200) {
          absl::MutexLock lock(&ledger.mu);
          ledger.sent.insert(body);
        }
      }
    });
  }
  // A consumer deleting what it receives: acknowledged deletes must never
  // come back.
  clients.emplace_back([&] {
    std::mt19937 random(99);
    for (int n = 0; !stop; ++n) {
      const std::string& url = queues[n % queues.size()];
      for (const auto& [body, handle] :
           Receive(*cluster_, url, random, 0, 300)) {
        auto deleted = cluster_->Call(
            "DeleteMessage",
            absl::StrCat("{\"QueueUrl\":", Quote(url),
                         ",\"ReceiptHandle\":", Quote(handle), "}"),
            random, absl::Seconds(10));
        absl::MutexLock lock(&ledger.mu);
        if (deleted.ok() && deleted->status == 200) {
          ledger.deleted.insert(body);
        } else {
          ledger.held.insert(body);
        }
      }
    }
  });

  auto acked = [&] {
    absl::MutexLock lock(&ledger.mu);
    return ledger.sent.size();
  };
  for (int cycle = 0; cycle < cycles; ++cycle) {
    const size_t before = acked();
    ASSERT_TRUE(PollUntil([&] { return acked() >= before + 20; },
                          absl::Seconds(60), absl::Milliseconds(20)));
    const int victim = static_cast<int>(random_() % kNodes);
    if (cycle % 2 == 0) {
      cluster_->Kill(victim);
      // The others take its partitions over; traffic goes on.
      const size_t during = acked();
      ASSERT_TRUE(PollUntil([&] { return acked() >= during + 20; },
                            absl::Seconds(60), absl::Milliseconds(20)));
      cluster_->StartNode(victim);
    } else {
      // Frozen until the others serve its queues (the producers send to
      // every queue in turn, so 20 more acknowledgements mean every queue
      // is served again); once thawed it may commit, and so acknowledge,
      // nothing for the partitions it lost.
      cluster_->Freeze(victim, true);
      const size_t during = acked();
      ASSERT_TRUE(PollUntil([&] { return acked() >= during + 20; },
                            absl::Seconds(60), absl::Milliseconds(20)));
      cluster_->Freeze(victim, false);
    }
  }
  stop = true;
  for (std::thread& client : clients) client.join();

  // The durable state, read from every partition's table in PostgreSQL: a
  // receive whose answer was lost (a node killed or frozen mid-call) hides
  // its messages for their visibility timeout, so the API alone cannot
  // tell them from lost ones within the test's time.
  const std::set<std::string> found = StoredBodies(postgres_->url());
  absl::MutexLock lock(&ledger.mu);
  int lost = 0, resurrected = 0;
  for (const std::string& body : ledger.sent) {
    if (!found.contains(body) && !ledger.deleted.contains(body)) ++lost;
  }
  for (const std::string& body : ledger.deleted) {
    if (found.contains(body)) ++resurrected;
  }
  EXPECT_EQ(lost, 0) << "of " << ledger.sent.size() << " acknowledged sends ("
                     << ledger.held.size() << " held by the consumer)";
  EXPECT_EQ(resurrected, 0)
      << "of " << ledger.deleted.size() << " acknowledged deletes";
  EXPECT_GT(ledger.sent.size(), 40u);
}

// How many times each body is stored in queue `queue` (PostgreSQL's rows).
std::map<std::string, int> StoredCounts(const std::string& url,
                                        const std::string& queue) {
  std::map<std::string, int> counts;
  store::PgConnection connection(PQconnectdb(url.c_str()));
  EXPECT_EQ(PQstatus(connection.get()), CONNECTION_OK);
  const std::string schema =
      absl::StrFormat("cluster_e2e_p%04d", cluster::PartitionOf(queue, kPartitions));
  const std::string sql = absl::StrCat(
      "SELECT convert_from(m.body, 'UTF8') FROM ", schema, ".messages m JOIN ",
      schema, ".queues q USING (queue_id) WHERE q.name = '", queue, "'");
  store::PgResult result(PQexec(connection.get(), sql.c_str()));
  EXPECT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK)
      << PQerrorMessage(connection.get());
  for (int row = 0; row < PQntuples(result.get()); ++row) {
    ++counts[PQgetvalue(result.get(), row, 0)];
  }
  return counts;
}

// Transfers still in the outbox.
int WaitingTransfers(const std::string& url) {
  store::PgConnection connection(PQconnectdb(url.c_str()));
  store::PgResult result(
      PQexec(connection.get(), "SELECT count(*) FROM cluster_e2e.transfers"));
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) return -1;
  int count = -1;
  (void)absl::SimpleAtoi(PQgetvalue(result.get(), 0, 0), &count);
  return count;
}

// SNS publishes through random nodes, fanned out to queues of other
// partitions through the outbox, while nodes are killed with -9 (a node may
// die right after committing a publish whose copies are still in the
// outbox): every acknowledged publish arrives exactly once in each
// subscribed queue, and no publish arrives twice.
TEST_F(ClusterE2eTest, PublishesReachQueuesOfOtherPartitionsOnceThroughKills) {
  const std::string topic = "events";
  const int32_t topic_partition = cluster::PartitionOf(topic, kPartitions);
  std::vector<std::string> queues;
  for (int i = 0; queues.size() < 2; ++i) {
    std::string name = absl::StrCat("fan-", i);
    if (cluster::PartitionOf(name, kPartitions) != topic_partition) {
      queues.push_back(std::move(name));
    }
  }
  for (const std::string& queue : queues) {
    auto created = cluster_->Call(
        "CreateQueue", absl::StrCat("{\"QueueName\":", Quote(queue), "}"),
        random_);
    ASSERT_TRUE(created.ok() && created->status == 200);
  }
  auto created = cluster_->Sns("Action=CreateTopic&Name=events", random_);
  ASSERT_TRUE(created.ok() && created->status == 200)
      << (created.ok() ? created->body : created.status().ToString());
  const std::string arn = "arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Aevents";
  for (const std::string& queue : queues) {
    auto subscribed = cluster_->Sns(
        absl::StrCat("Action=Subscribe&TopicArn=", arn,
                     "&Protocol=sqs&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A"
                     "000000000000%3A",
                     queue,
                     "&Attributes.entry.1.key=RawMessageDelivery"
                     "&Attributes.entry.1.value=true"),
        random_);
    ASSERT_TRUE(subscribed.ok() && subscribed->status == 200)
        << (subscribed.ok() ? subscribed->body : subscribed.status().ToString());
  }

  absl::Mutex mu;
  std::set<std::string> acked;  // ABSL_GUARDED_BY(mu)
  std::atomic<bool> stop{false};
  std::vector<std::thread> publishers;
  for (int p = 0; p < 2; ++p) {
    publishers.emplace_back([&, p] {
      std::mt19937 random(100 + p);
      for (int n = 0; !stop; ++n) {
        const std::string body = absl::StrCat("e", p, "-", n);
        // One attempt per message (a retried Publish whose first answer was
        // lost is published twice, by SNS's rules too): any body stored
        // twice was duplicated by the cluster.
        auto published = cluster_->Sns(
            absl::StrCat("Action=Publish&TopicArn=", arn, "&Message=", body),
            random, absl::ZeroDuration());
        if (published.ok() && published->status == 200) {
          absl::MutexLock lock(&mu);
          acked.insert(body);
        }
      }
    });
  }
  auto count = [&] {
    absl::MutexLock lock(&mu);
    return acked.size();
  };
  for (int cycle = 0; cycle < 2; ++cycle) {
    const size_t before = count();
    ASSERT_TRUE(PollUntil([&] { return count() >= before + 20; },
                          absl::Seconds(60), absl::Milliseconds(20)));
    const int victim = static_cast<int>(random_() % kNodes);
    cluster_->Kill(victim);
    const size_t during = count();
    ASSERT_TRUE(PollUntil([&] { return count() >= during + 20; },
                          absl::Seconds(60), absl::Milliseconds(20)));
    cluster_->StartNode(victim);
  }
  stop = true;
  for (std::thread& publisher : publishers) publisher.join();

  // Every transfer is taken in by the partitions' owners.
  ASSERT_TRUE(PollUntil([&] { return WaitingTransfers(postgres_->url()) == 0; },
                        absl::Seconds(60)));
  absl::MutexLock lock(&mu);
  for (const std::string& queue : queues) {
    const std::map<std::string, int> stored =
        StoredCounts(postgres_->url(), queue);
    int missing = 0, twice = 0;
    for (const std::string& body : acked) {
      auto it = stored.find(body);
      if (it == stored.end()) ++missing;
    }
    for (const auto& [body, times] : stored) twice += times > 1 ? 1 : 0;
    EXPECT_EQ(missing, 0) << "in " << queue << " of " << acked.size()
                          << " acknowledged publishes";
    EXPECT_EQ(twice, 0) << "in " << queue;
  }
  EXPECT_GT(acked.size(), 40u);
}

}  // namespace
}  // namespace cortado::e2e
