// Cluster nodes in one process on a real PostgreSQL: partitions spread over
// the live nodes, a frozen node's partitions are taken over and it commits
// nothing after, a clean stop hands everything over, and every
// acknowledged message is on the new owner.
#include "server/cluster/cluster_node.h"

#include <future>
#include <memory>
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "server/cluster/partition_factory.h"
#include "server/cluster/partitioning.h"
#include "tests/cluster/broker_calls.h"
#include "tests/cluster/test_node.h"
#include "tests/testing/poll.h"
#include "tests/testing/postgres_process.h"

namespace cortado::cluster {
namespace {

using ::cortado::testing::PollUntil;
using ::cortado::testing::PostgresProcess;

constexpr int32_t kPartitions = 8;

class ClusterNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    schema_ = absl::StrCat("cn_", info->name());
    for (char& c : schema_) c = static_cast<char>(std::tolower(c));
  }

  std::unique_ptr<ClusterNode> StartNode(const std::string& id) {
    ClusterNodeOptions options = TestNodeOptions(schema_, kPartitions, id);
    PartitionFactoryOptions factory = TestFactoryOptions(schema_, id, &clock_);
    auto node = ClusterNode::Start(std::move(options),
                                   PostgresPartitionFactory(factory));
    EXPECT_TRUE(node.ok()) << node.status();
    return node.ok() ? *std::move(node) : nullptr;
  }

  // Every partition served by exactly one of `nodes`.
  static bool ServedOnce(const std::vector<ClusterNode*>& nodes) {
    std::multiset<int32_t> served;
    for (ClusterNode* node : nodes) {
      for (const auto& [partition, epoch] : node->host().Hosted()) {
        served.insert(partition);
      }
    }
    if (served.size() != kPartitions) return false;
    for (int32_t p = 0; p < kPartitions; ++p) {
      if (served.count(p) != 1) return false;
    }
    return true;
  }

  // Nodes "a" and "b", once they serve every partition evenly (both null
  // if they never do).
  void StartBalancedPair(std::unique_ptr<ClusterNode>& a,
                         std::unique_ptr<ClusterNode>& b) {
    a = StartNode("a");
    b = StartNode("b");
    if (!a || !b ||
        !PollUntil([&] { return Balanced(a.get(), b.get()); },
                   absl::Seconds(30))) {
      a.reset();
      b.reset();
    }
  }

  // Served once and evenly: the nodes stop moving partitions.
  static bool Balanced(ClusterNode* a, ClusterNode* b) {
    return ServedOnce({a, b}) && a->host().Hosted().size() == kPartitions / 2;
  }

  // The node of `a` and `b` that owns `queue`'s partition, the other one,
  // and the owner's broker with `queue` created on it (null if it failed).
  struct Owned {
    ClusterNode* owner = nullptr;
    ClusterNode* other = nullptr;
    std::shared_ptr<Broker> broker;
  };
  Owned OwnedWithQueue(ClusterNode* a, ClusterNode* b,
                       const std::string& queue) {
    Owned owned;
    owned.owner = OwnerOf({a, b}, PartitionOf(queue, kPartitions));
    if (owned.owner == nullptr) return owned;
    owned.other = owned.owner == a ? b : a;
    owned.broker =
        owned.owner->host().BrokerOf(PartitionOf(queue, kPartitions));
    if (owned.broker != nullptr && !CreateQueue(*owned.broker, queue).ok()) {
      owned.broker = nullptr;
    }
    return owned;
  }

  static ClusterNode* OwnerOf(const std::vector<ClusterNode*>& nodes,
                              int32_t partition) {
    for (ClusterNode* node : nodes) {
      if (node->host().BrokerOf(partition) != nullptr) return node;
    }
    return nullptr;
  }

  static absl::Status Send(Broker& broker, const std::string& queue,
                           const std::string& body) {
    return SendTo(broker, queue, body);
  }
  static std::multiset<std::string> ReceiveAll(Broker& broker,
                                               const std::string& queue) {
    return ReceiveAllFrom(broker, queue);
  }
  absl::Status CreateQueue(Broker& broker, const std::string& name) {
    return CreateQueueOn(broker, name);
  }

  RealClock clock_;
  std::string schema_;
};

TEST_F(ClusterNodeTest, TwoNodesSplitThePartitionsEvenly) {
  auto a = StartNode("a");
  auto b = StartNode("b");
  ASSERT_TRUE(a && b);
  EXPECT_TRUE(
      PollUntil([&] { return Balanced(a.get(), b.get()); }, absl::Seconds(30)));
  const ClusterView view = a->View();
  EXPECT_EQ(view.partitions, kPartitions);
  ASSERT_EQ(view.nodes.size(), 2u);
  EXPECT_TRUE(view.nodes[0].alive);
  EXPECT_TRUE(view.nodes[1].alive);
}

TEST_F(ClusterNodeTest, AFrozenNodeIsTakenOverAndCommitsNothingAfter) {
  std::unique_ptr<ClusterNode> a, b;
  StartBalancedPair(a, b);
  ASSERT_TRUE(a && b);
  const std::string queue = "orders";
  const int32_t partition = PartitionOf(queue, kPartitions);
  const Owned owned = OwnedWithQueue(a.get(), b.get(), queue);
  ClusterNode* const owner = owned.owner;
  ClusterNode* const other = owned.other;
  const std::shared_ptr<Broker> zombie = owned.broker;
  ASSERT_NE(zombie, nullptr);
  for (int i = 0; i < 5; ++i) {
    const absl::Status sent = Send(*zombie, queue, absl::StrCat("acked-", i));
    ASSERT_TRUE(sent.ok()) << sent;
  }

  owner->SetFrozenForTesting(true);
  ASSERT_TRUE(
      PollUntil([&] { return other->host().Hosted().size() == kPartitions; },
                absl::Seconds(30)));
  // The zombie's data path still runs, but its commits are fenced: nothing
  // is acknowledged.
  EXPECT_FALSE(Send(*zombie, queue, "from-the-zombie").ok());

  std::shared_ptr<Broker> now = other->host().BrokerOf(partition);
  ASSERT_NE(now, nullptr);
  EXPECT_EQ(ReceiveAll(*now, queue),
            (std::multiset<std::string>{"acked-0", "acked-1", "acked-2",
                                        "acked-3", "acked-4"}));

  // Thawed, the old owner drops what it lost and the two even out again.
  owner->SetFrozenForTesting(false);
  EXPECT_TRUE(
      PollUntil([&] { return Balanced(a.get(), b.get()); }, absl::Seconds(30)));
  // The round that reads the new ownership counts the partitions it lost
  // just after publishing that reading, which may already look balanced.
  EXPECT_TRUE(PollUntil([&] { return owner->Counters().fenced >= 1; },
                        absl::Seconds(30)));
}

TEST_F(ClusterNodeTest, AFrozenNodeAcknowledgesNoDeleteOfAMessageItNeverSaw) {
  std::unique_ptr<ClusterNode> a, b;
  StartBalancedPair(a, b);
  ASSERT_TRUE(a && b);
  const std::string queue = "tickets";
  const int32_t partition = PartitionOf(queue, kPartitions);
  const Owned owned = OwnedWithQueue(a.get(), b.get(), queue);
  ClusterNode* const owner = owned.owner;
  ClusterNode* const other = owned.other;
  const std::shared_ptr<Broker> zombie = owned.broker;
  ASSERT_NE(zombie, nullptr);

  owner->SetFrozenForTesting(true);
  ASSERT_TRUE(
      PollUntil([&] { return other->host().Hosted().size() == kPartitions; },
                absl::Seconds(30)));
  // A message the new owner takes in and hands out after the takeover: the
  // old owner's memory has no such message.
  std::shared_ptr<Broker> now = other->host().BrokerOf(partition);
  ASSERT_NE(now, nullptr);
  ASSERT_TRUE(Send(*now, queue, "after-the-takeover").ok());
  absl::StatusOr<ReceiveMessageResult> received = ReceiveFrom(*now, queue, 0);
  ASSERT_TRUE(received.ok());
  ASSERT_EQ(received->messages.size(), 1u);
  // Deleting it through the old owner writes nothing there (a delete of an
  // unknown message succeeds, as SQS's deletes are idempotent), yet it must
  // not be acknowledged: the fence is checked before any answer.
  const absl::Status deleted =
      Call<Empty>([&](Callback<Empty> done) {
        zombie->DeleteMessage(queue, received->messages[0].receipt_handle,
                              std::move(done));
      }).status();
  EXPECT_FALSE(deleted.ok());
  EXPECT_EQ(ReceiveAll(*now, queue),
            std::multiset<std::string>{"after-the-takeover"});
  owner->SetFrozenForTesting(false);
}

TEST_F(ClusterNodeTest, ACleanStopHandsEverythingOver) {
  std::unique_ptr<ClusterNode> a, b;
  StartBalancedPair(a, b);
  ASSERT_TRUE(a && b);
  // A queue in each partition, one message each.
  std::vector<std::string> queues;
  for (int i = 0; queues.size() < kPartitions; ++i) {
    const std::string name = absl::StrCat("q", i);
    const int32_t p = PartitionOf(name, kPartitions);
    bool taken = false;
    for (const std::string& q : queues)
      taken |= PartitionOf(q, kPartitions) == p;
    if (taken) continue;
    queues.push_back(name);
    ClusterNode* owner = OwnerOf({a.get(), b.get()}, p);
    ASSERT_NE(owner, nullptr);
    auto broker = owner->host().BrokerOf(p);
    ASSERT_TRUE(CreateQueue(*broker, name).ok());
    ASSERT_TRUE(Send(*broker, name, name).ok());
  }
  a->Stop(/*handoff=*/true);
  EXPECT_EQ(a->host().Hosted().size(), 0u);
  ASSERT_TRUE(
      PollUntil([&] { return b->host().Hosted().size() == kPartitions; },
                absl::Seconds(30)));
  EXPECT_GE(a->Counters().handoffs_out, 1u);
  for (const std::string& name : queues) {
    auto broker = b->host().BrokerOf(PartitionOf(name, kPartitions));
    ASSERT_NE(broker, nullptr);
    EXPECT_EQ(ReceiveAll(*broker, name), (std::multiset<std::string>{name}));
  }
  // a left the cluster: only b is listed.
  EXPECT_TRUE(PollUntil([&] { return b->View().nodes.size() == 1; },
                        absl::Seconds(30)));
}

TEST_F(ClusterNodeTest, ARestartedNodeIdFencesItsPreviousRun) {
  auto first = StartNode("a");
  ASSERT_TRUE(first);
  ASSERT_TRUE(
      PollUntil([&] { return ServedOnce({first.get()}); }, absl::Seconds(30)));
  std::shared_ptr<Broker> old = first->host().BrokerOf(0);
  ASSERT_NE(old, nullptr);
  first->SetFrozenForTesting(true);  // still running, as if SIGSTOPped
  auto second = StartNode("a");      // the same id started again
  ASSERT_TRUE(second);
  ASSERT_TRUE(
      PollUntil([&] { return ServedOnce({second.get()}); }, absl::Seconds(30)));
  EXPECT_FALSE(CreateQueue(*old, "q0-from-the-old-run").ok());
  EXPECT_TRUE(CreateQueue(*second->host().BrokerOf(0), "q0-new").ok());
}

}  // namespace
}  // namespace cortado::cluster
