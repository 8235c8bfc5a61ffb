// The outbox between partitions on a real PostgreSQL: SNS copies, dead-letter
// moves and move tasks whose two ends are in different partitions arrive,
// each exactly once, also when the node that wrote them dies before they
// were taken in, and a transfer cannot be taken twice.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/cluster/cluster_node.h"
#include "server/cluster/directory.h"
#include "server/cluster/partition_factory.h"
#include "server/cluster/partitioning.h"
#include "server/cluster/transfer_pump.h"
#include "server/store/postgres_transfers.h"
#include "tests/cluster/broker_calls.h"
#include "tests/cluster/test_node.h"
#include "tests/testing/poll.h"
#include "tests/testing/postgres_process.h"

namespace cortado::cluster {
namespace {

using ::cortado::testing::PollUntil;
using ::cortado::testing::PostgresProcess;

constexpr int32_t kPartitions = 4;
constexpr char kArnPrefix[] = "arn:aws:sqs:us-east-1:000000000000:";

// A name starting with `prefix` in partition `partition`.
std::string NameIn(const std::string& prefix, int32_t partition,
                   const std::string& suffix = "") {
  for (int i = 0;; ++i) {
    std::string name = absl::StrCat(prefix, i, suffix);
    if (PartitionOf(name, kPartitions) == partition) return name;
  }
}

// One node, its directory and (optionally) its outbox reader.
struct Node {
  std::unique_ptr<Directory> directory;
  std::unique_ptr<ClusterNode> node;
  std::unique_ptr<TransferPump> pump;

  std::shared_ptr<Broker> BrokerFor(const std::string& name) const {
    return node->host().BrokerOf(PartitionOf(name, kPartitions));
  }
};

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    schema_ = absl::StrCat("ob_", info->name());
    for (char& c : schema_) c = static_cast<char>(std::tolower(c));
    if (schema_.size() > 40) schema_.resize(40);
  }

  // A node serving every partition (once it does), reading the outbox if
  // `pump`.
  std::unique_ptr<Node> StartNode(const std::string& id, bool pump) {
    auto node = std::make_unique<Node>();
    node->directory =
        std::make_unique<Directory>(PostgresProcess::Shared().url(), schema_);
    ClusterNodeOptions options = TestNodeOptions(schema_, kPartitions, id);
    PartitionFactoryOptions factory = TestFactoryOptions(schema_, id, &clock_);
    factory.directory = node->directory.get();
    auto started = ClusterNode::Start(std::move(options),
                                      PostgresPartitionFactory(factory));
    EXPECT_TRUE(started.ok()) << started.status();
    if (!started.ok()) return nullptr;
    node->node = *std::move(started);
    if (!PollUntil(
            [&] { return node->node->host().Hosted().size() == kPartitions; },
            absl::Seconds(30))) {
      ADD_FAILURE() << id << " never served every partition";
      return nullptr;
    }
    if (pump) StartPump(*node);
    return node;
  }

  void StartPump(Node& node) {
    ClusterNode* const n = node.node.get();
    node.pump = std::make_unique<TransferPump>(
        TransferPumpOptions{.url = PostgresProcess::Shared().url(),
                            .control_schema = schema_,
                            .sweep = absl::Milliseconds(200),
                            .batch = 7,  // small: several batches
                            .log = nullptr},
        [n](int32_t partition) { return n->host().BrokerOf(partition); });
    ASSERT_TRUE(node.pump->Start().ok());
  }

  // Receives from `queue` until `count` messages came or 30 s passed.
  static std::vector<ReceivedMessage> ReceiveCount(const Node& node,
                                                   const std::string& queue,
                                                   size_t count) {
    std::vector<ReceivedMessage> all;
    PollUntil(
        [&] {
          std::shared_ptr<Broker> broker = node.BrokerFor(queue);
          if (broker == nullptr) return false;
          absl::StatusOr<ReceiveMessageResult> got =
              ReceiveFrom(*broker, queue);
          if (got.ok()) {
            all.insert(all.end(), got->messages.begin(), got->messages.end());
          }
          return all.size() >= count;
        },
        absl::Seconds(30));
    return all;
  }

  // Transfers still in the outbox.
  size_t Waiting() {
    auto connection = store::PgConnect(PostgresProcess::Shared().url(), "t");
    if (!connection.ok()) return 1000000;
    size_t waiting = 0;
    for (int32_t p = 0; p < kPartitions; ++p) {
      auto transfers =
          store::ReadTransfers(connection->get(), schema_, p, 100000);
      waiting += transfers.ok() ? transfers->size() : 1000000;
    }
    return waiting;
  }

  static absl::StatusOr<std::string> CreateTopicOn(Broker& broker,
                                                   const std::string& name) {
    CreateTopicRequest request;
    request.name = name;
    return Call<std::string>([&](Callback<std::string> done) {
      broker.CreateTopic(request, std::move(done));
    });
  }

  static absl::Status SubscribeQueue(Broker& broker, const std::string& topic,
                                     const std::string& queue,
                                     AttributeMap attributes) {
    SubscribeRequest request;
    request.topic_arn = topic;
    request.protocol = "sqs";
    request.endpoint = absl::StrCat(kArnPrefix, queue);
    request.attributes = std::move(attributes);
    return Call<std::string>([&](Callback<std::string> done) {
             broker.Subscribe(request, std::move(done));
           })
        .status();
  }

  static absl::Status PublishTo(Broker& broker, const std::string& topic,
                                const std::string& message) {
    PublishEntry entry;
    entry.message = message;
    return Call<PublishResult>([&](Callback<PublishResult> done) {
             broker.Publish(topic, entry, std::move(done));
           })
        .status();
  }

  static absl::Status SetAttribute(Broker& broker, const std::string& queue,
                                   const std::string& name,
                                   const std::string& value) {
    return Call<Empty>([&](Callback<Empty> done) {
             broker.SetQueueAttributes(queue, {{name, value}}, std::move(done));
           })
        .status();
  }

  static std::string RedrivePolicy(const std::string& dead_letter,
                                   int max_receives) {
    return absl::StrCat(R"({"deadLetterTargetArn":")", kArnPrefix, dead_letter,
                        R"(","maxReceiveCount":")", max_receives, R"("})");
  }

  RealClock clock_;
  std::string schema_;
};

TEST_F(OutboxTest, SnsCopiesReachAQueueOfAnotherPartitionOnce) {
  auto node = StartNode("a", /*pump=*/true);
  ASSERT_NE(node, nullptr);
  const std::string topic = NameIn("news", 0);
  const std::string queue = NameIn("readers", 1);
  ASSERT_TRUE(CreateQueueOn(*node->BrokerFor(queue), queue).ok());
  Broker& topics = *node->BrokerFor(topic);
  absl::StatusOr<std::string> arn = CreateTopicOn(topics, topic);
  ASSERT_TRUE(arn.ok()) << arn.status();
  ASSERT_TRUE(
      SubscribeQueue(topics, *arn, queue, {{"RawMessageDelivery", "true"}})
          .ok());
  constexpr int kMessages = 30;
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_TRUE(PublishTo(topics, *arn, absl::StrCat("m-", i)).ok());
  }
  const std::vector<ReceivedMessage> got =
      ReceiveCount(*node, queue, kMessages);
  std::set<std::string> bodies;
  for (const ReceivedMessage& m : got) bodies.insert(m.body);
  EXPECT_EQ(got.size(), static_cast<size_t>(kMessages));
  EXPECT_EQ(bodies.size(), static_cast<size_t>(kMessages));
  EXPECT_TRUE(PollUntil([&] { return Waiting() == 0; }, absl::Seconds(10)));
  EXPECT_TRUE(ReceiveAllFrom(*node->BrokerFor(queue), queue).empty());
}

TEST_F(OutboxTest, ACopyForAMissingQueueGoesToTheSubscriptionsDeadLetterQueue) {
  auto node = StartNode("a", /*pump=*/true);
  ASSERT_NE(node, nullptr);
  const std::string topic = NameIn("alerts", 0);
  const std::string ghost = NameIn("ghost", 1);  // never created
  const std::string dead = NameIn("undelivered", 2);
  ASSERT_TRUE(CreateQueueOn(*node->BrokerFor(dead), dead).ok());
  Broker& topics = *node->BrokerFor(topic);
  absl::StatusOr<std::string> arn = CreateTopicOn(topics, topic);
  ASSERT_TRUE(arn.ok());
  ASSERT_TRUE(SubscribeQueue(
                  topics, *arn, ghost,
                  {{"RawMessageDelivery", "true"},
                   {"RedrivePolicy", absl::StrCat(R"({"deadLetterTargetArn":")",
                                                  kArnPrefix, dead, R"("})")}})
                  .ok());
  ASSERT_TRUE(PublishTo(topics, *arn, "lost?").ok());
  const std::vector<ReceivedMessage> got = ReceiveCount(*node, dead, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "lost?");
  auto code = got[0].message_attributes.find("ErrorCode");
  ASSERT_NE(code, got[0].message_attributes.end());
  EXPECT_EQ(code->second.string_value,
            "AWS.SimpleQueueService.NonExistentQueue");
}

TEST_F(OutboxTest, DeadLetterMovesAndMoveTasksCrossPartitions) {
  auto node = StartNode("a", /*pump=*/true);
  ASSERT_NE(node, nullptr);
  const std::string source = NameIn("work", 0);
  const std::string dead = NameIn("work-dlq", 3);
  Broker& sources = *node->BrokerFor(source);
  ASSERT_TRUE(CreateQueueOn(sources, source).ok());
  // A dead-letter queue in another partition is checked there: missing...
  const absl::Status refused =
      SetAttribute(sources, source, "RedrivePolicy", RedrivePolicy(dead, 1));
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("Dead letter target does not exist"),
            std::string::npos)
      << refused;
  // ... then present.
  ASSERT_TRUE(CreateQueueOn(*node->BrokerFor(dead), dead).ok());
  const absl::Status accepted =
      SetAttribute(sources, source, "RedrivePolicy", RedrivePolicy(dead, 1));
  ASSERT_TRUE(accepted.ok()) << accepted;
  // Listed as a source by the dead-letter queue's partition.
  absl::StatusOr<ListQueuesResult> listed =
      node->BrokerFor(dead)->ListDeadLetterSourceQueues(dead, 0, "");
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->queue_names, std::vector<std::string>{source});

  ASSERT_TRUE(SendTo(sources, source, "poison").ok());
  absl::StatusOr<ReceiveMessageResult> first =
      ReceiveFrom(sources, source, /*visibility=*/0);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->messages.size(), 1u);
  const std::string id = first->messages[0].message_id;
  // Its receives ran out: the next receive moves it instead.
  absl::StatusOr<ReceiveMessageResult> second =
      ReceiveFrom(sources, source, /*visibility=*/0);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->messages.empty());

  std::vector<ReceivedMessage> moved = ReceiveCount(*node, dead, 1);
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0].message_id, id);
  EXPECT_EQ(moved[0].body, "poison");
  EXPECT_EQ(moved[0].attributes["DeadLetterQueueSourceArn"],
            absl::StrCat(kArnPrefix, source));
  EXPECT_EQ(moved[0].attributes["ApproximateReceiveCount"], "2");

  // Back where it came from, by a move task on the dead-letter queue.
  Broker& deads = *node->BrokerFor(dead);
  ASSERT_TRUE(Call<Empty>([&](Callback<Empty> done) {
                deads.ChangeMessageVisibility(dead, moved[0].receipt_handle, 0,
                                              std::move(done));
              }).ok());
  StartMessageMoveTaskRequest task;
  task.source_arn = absl::StrCat(kArnPrefix, dead);
  absl::StatusOr<std::string> handle =
      Call<std::string>([&](Callback<std::string> done) {
        deads.StartMessageMoveTask(task, std::move(done));
      });
  ASSERT_TRUE(handle.ok()) << handle.status();
  std::vector<ReceivedMessage> back = ReceiveCount(*node, source, 1);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].message_id, id);
  EXPECT_EQ(back[0].attributes["ApproximateReceiveCount"], "1");
  EXPECT_TRUE(ReceiveAllFrom(deads, dead).empty());
}

TEST_F(OutboxTest, ATransferCannotBeTakenTwice) {
  auto node = StartNode("a", /*pump=*/false);
  ASSERT_NE(node, nullptr);
  const std::string topic = NameIn("once", 0);
  const std::string queue = NameIn("once-q", 1);
  ASSERT_TRUE(CreateQueueOn(*node->BrokerFor(queue), queue).ok());
  Broker& topics = *node->BrokerFor(topic);
  absl::StatusOr<std::string> arn = CreateTopicOn(topics, topic);
  ASSERT_TRUE(arn.ok());
  ASSERT_TRUE(
      SubscribeQueue(topics, *arn, queue, {{"RawMessageDelivery", "true"}})
          .ok());
  ASSERT_TRUE(PublishTo(topics, *arn, "exactly-once").ok());

  auto connection = store::PgConnect(PostgresProcess::Shared().url(), "t");
  ASSERT_TRUE(connection.ok());
  auto transfers = store::ReadTransfers(connection->get(), schema_,
                                        PartitionOf(queue, kPartitions), 10);
  ASSERT_TRUE(transfers.ok()) << transfers.status();
  ASSERT_EQ(transfers->size(), 1u);
  std::shared_ptr<Broker> receiver = node->BrokerFor(queue);
  auto taken = Call<size_t>([&](Callback<size_t> done) {
    receiver->AcceptTransfers(*transfers, std::move(done));
  });
  ASSERT_TRUE(taken.ok()) << taken.status();
  // The same transfer again (a reader that lost track): the commit fails
  // whole, the message is not enqueued twice.
  auto again = Call<size_t>([&](Callback<size_t> done) {
    receiver->AcceptTransfers(*transfers, std::move(done));
  });
  EXPECT_FALSE(again.ok());
  // The node reloads the failed partition from PostgreSQL.
  std::multiset<std::string> bodies;
  ASSERT_TRUE(PollUntil(
      [&] {
        std::shared_ptr<Broker> now = node->BrokerFor(queue);
        if (now == nullptr || now == receiver) return false;
        bodies = ReceiveAllFrom(*now, queue);
        return true;
      },
      absl::Seconds(30)));
  EXPECT_EQ(bodies, std::multiset<std::string>{"exactly-once"});
}

TEST_F(OutboxTest, TransfersOfADeadNodeArriveOnceAtTheNextOwner) {
  // Node "a" commits publishes whose copies are in the outbox, and dies
  // before anything takes them in; "b" takes its partitions over and
  // delivers each copy once.
  auto a = StartNode("a", /*pump=*/false);
  ASSERT_NE(a, nullptr);
  const std::string topic = NameIn("orders", 0);
  const std::string queue = NameIn("kitchen", 2);
  ASSERT_TRUE(CreateQueueOn(*a->BrokerFor(queue), queue).ok());
  Broker& topics = *a->BrokerFor(topic);
  absl::StatusOr<std::string> arn = CreateTopicOn(topics, topic);
  ASSERT_TRUE(arn.ok());
  ASSERT_TRUE(
      SubscribeQueue(topics, *arn, queue, {{"RawMessageDelivery", "true"}})
          .ok());
  constexpr int kMessages = 20;
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_TRUE(PublishTo(topics, *arn, absl::StrCat("order-", i)).ok());
  }
  EXPECT_EQ(Waiting(), static_cast<size_t>(kMessages));
  a->node->Stop(/*handoff=*/false);  // as a kill -9: nothing handed over
  a.reset();

  auto b = StartNode("b", /*pump=*/true);
  ASSERT_NE(b, nullptr);
  const std::vector<ReceivedMessage> got = ReceiveCount(*b, queue, kMessages);
  std::set<std::string> bodies;
  for (const ReceivedMessage& m : got) bodies.insert(m.body);
  EXPECT_EQ(got.size(), static_cast<size_t>(kMessages));
  EXPECT_EQ(bodies.size(), static_cast<size_t>(kMessages));
  EXPECT_TRUE(PollUntil([&] { return Waiting() == 0; }, absl::Seconds(10)));
}

}  // namespace
}  // namespace cortado::cluster
