// Cluster mode end to end: three real cortado-server processes (--cluster)
// on a real PostgreSQL, every call sent to a random live node, nodes killed
// with -9 and frozen with SIGSTOP under load. Asserted: every call is
// served through every node (forwarded to the partition's owner), and the
// ledger holds: no acknowledged send lost, no acknowledged delete
// resurrected. CORTADO_CLUSTER_SOAK_CYCLES sets the number of faults
// (default 2: one kill -9, one SIGSTOP). And the outbox: SNS publishes to
// queues of other partitions through kills arrive exactly once.
#include <atomic>
#include <cstdlib>
#include <fstream>
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
#include "gtest/gtest.h"
#include "server/cluster/partitioning.h"
#include "server/store/postgres_helpers.h"
#include "tests/e2e/cluster_fixture.h"
#include "tests/testing/poll.h"
#include "tests/testing/postgres_process.h"
#include "tests/testing/temp_dir.h"

namespace cortado::e2e {
namespace {

using cortado::testing::PollUntil;
using cortado::testing::PostgresProcess;

constexpr int kNodes = 3;
constexpr int kPartitions = 8;

class ClusterE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PostgresProcess::Options options;
    options.max_connections = 100;
    auto postgres = PostgresProcess::Create(options);
    ASSERT_TRUE(postgres.ok()) << postgres.status();
    postgres_ = *std::move(postgres);
    cluster_ = std::make_unique<Cluster>(Cluster::Options{
        .url = postgres_->url(), .nodes = kNodes, .partitions = kPartitions});
    for (int i = 0; i < kNodes; ++i) cluster_->StartNode(i);
  }

  std::unique_ptr<PostgresProcess> postgres_;
  std::unique_ptr<Cluster> cluster_;
  std::mt19937 random_{42};
};

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
    auto sent =
        CallNode(cluster_->PortOfNode((q + 1) % kNodes), "SendMessage",
                 absl::StrCat("{\"QueueUrl\":", Quote(ClusterQueueUrl(name)),
                              ",\"MessageBody\":", Quote(name), "}"));
    ASSERT_TRUE(sent.ok());
    ASSERT_EQ(sent->status, 200) << sent->body;
    auto received =
        CallNode(cluster_->PortOfNode((q + 2) % kNodes), "ReceiveMessage",
                 absl::StrCat("{\"QueueUrl\":", Quote(ClusterQueueUrl(name)),
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

// How many PostgreSQL sessions node `node` holds (by application_name).
int SessionsOf(const std::string& url, const std::string& node) {
  store::PgConnection connection(PQconnectdb(url.c_str()));
  EXPECT_EQ(PQstatus(connection.get()), CONNECTION_OK);
  const std::string name = cluster::SessionName(node);
  const char* values[] = {name.c_str()};
  store::PgResult result(PQexecParams(
      connection.get(),
      "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1"
      " OR starts_with(application_name, $1 || ' ')",
      1, nullptr, values, nullptr, nullptr, 0));
  EXPECT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK)
      << PQerrorMessage(connection.get());
  return PQntuples(result.get()) == 1
             ? std::atoi(PQgetvalue(result.get(), 0, 0))
             : -1;
}

TEST_F(ClusterE2eTest, KilledAndFrozenNodesLoseNothingAcknowledged) {
  int cycles = 2;
  if (const char* soak = std::getenv("CORTADO_CLUSTER_SOAK_CYCLES")) {
    ASSERT_TRUE(absl::SimpleAtoi(soak, &cycles));
  }
  std::vector<std::string> queues;
  for (int q = 0; q < 4; ++q) {
    queues.push_back(ClusterQueueUrl(absl::StrCat("ledger-", q)));
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
      // The others ended its PostgreSQL sessions when they took its
      // partitions: a frozen node holds no connection (nor lock) meanwhile.
      const std::string node = absl::StrCat("n", victim);
      EXPECT_TRUE(
          PollUntil([&] { return SessionsOf(postgres_->url(), node) == 0; },
                    absl::Seconds(30), absl::Milliseconds(50)))
          << SessionsOf(postgres_->url(), node) << " sessions of " << node;
      cluster_->Freeze(victim, false);
    }
  }
  stop = true;
  for (std::thread& client : clients) client.join();

  // The durable state, read from every partition's table in PostgreSQL: a
  // receive whose answer was lost (a node killed or frozen mid-call) hides
  // its messages for their visibility timeout, so the API alone cannot
  // tell them from lost ones within the test's time.
  const std::set<std::string> found =
      StoredBodies(postgres_->url(), "cluster_e2e", kPartitions);
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
  const std::string schema = absl::StrFormat(
      "cluster_e2e_p%04d", cluster::PartitionOf(queue, kPartitions));
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
        << (subscribed.ok() ? subscribed->body
                            : subscribed.status().ToString());
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

// --config in cluster mode: each node applies the file through its own gRPC
// API, which routes every queue and topic to its partition's owner (the
// file's dead-letter queue lands in another partition than its source).
TEST(ClusterConfigE2eTest, EveryNodeAppliesTheConfigFileThroughTheCluster) {
  PostgresProcess::Options pg;
  pg.max_connections = 100;
  auto postgres = PostgresProcess::Create(pg);
  ASSERT_TRUE(postgres.ok()) << postgres.status();
  // kitchen, kitchen-dlq and tickets are in three different partitions of 8.
  testing::TempDir dir;
  const std::string file = dir.path() + "/cortado.yaml";
  {
    std::ofstream out(file);
    out << "queues:\n"
           "  - name: kitchen-dlq\n"
           "  - name: kitchen\n"
           "    attributes: { VisibilityTimeout: 45 }\n"
           "    dead_letter: { queue: kitchen-dlq, max_receive_count: 3 }\n"
           "topics:\n"
           "  - name: tickets\n"
           "    subscriptions:\n"
           "      - queue: kitchen\n"
           "        raw: true\n";
  }
  Cluster cluster(Cluster::Options{.url = (*postgres)->url(),
                                   .nodes = 2,
                                   .partitions = kPartitions,
                                   .extra_args = {"--config", file}});
  // Each start returns once its node has applied the file (its ready file
  // is written after): the second finds everything there.
  cluster.StartNode(0);
  cluster.StartNode(1);
  std::mt19937 random(7);
  auto attributes = cluster.Call(
      "GetQueueAttributes",
      absl::StrCat("{\"QueueUrl\":", Quote(ClusterQueueUrl("kitchen")),
                   ",\"AttributeNames\":[\"All\"]}"),
      random);
  ASSERT_TRUE(attributes.ok() && attributes->status == 200);
  EXPECT_NE(attributes->body.find("kitchen-dlq"), std::string::npos)
      << attributes->body;
  EXPECT_NE(attributes->body.find("\"VisibilityTimeout\":\"45\""),
            std::string::npos)
      << attributes->body;
  // The subscription delivers across partitions (the outbox).
  auto published = cluster.Sns(
      "Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3A"
      "tickets&Message=one-espresso",
      random);
  ASSERT_TRUE(published.ok() && published->status == 200);
  std::vector<std::pair<std::string, std::string>> got;
  ASSERT_TRUE(PollUntil(
      [&] {
        got = Receive(cluster, ClusterQueueUrl("kitchen"), random, 1, 30);
        return !got.empty();
      },
      absl::Seconds(30)));
  EXPECT_EQ(got[0].first, "one-espresso");
}

}  // namespace
}  // namespace cortado::e2e
