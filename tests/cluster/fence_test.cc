// The fence on a real PostgreSQL: a partition's store commits only while its
// node owns the partition at its epoch; a takeover makes every later commit
// of the old owner fail, with nothing of it written.
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "server/cluster/control_store.h"
#include "server/cluster/partitioning.h"
#include "server/store/postgres_store.h"
#include "tests/testing/postgres_process.h"
#include "tests/testing/status_matchers.h"

namespace cortado::cluster {
namespace {

using ::cortado::testing::PostgresProcess;

WriteBatch CreateQueue(uint64_t id, const std::string& name) {
  QueueRecord queue;
  queue.queue_id = id;
  queue.name = name;
  WriteBatch batch;
  batch.mutations.push_back(PutQueue{queue});
  return batch;
}

class FenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    schema_ = absl::StrCat("fence_", info->name());
    for (char& c : schema_) c = static_cast<char>(std::tolower(c));
    ControlOptions options;
    options.url = PostgresProcess::Shared().url();
    options.schema = schema_;
    options.partitions = 4;
    auto control = ControlStore::Open(options);
    ASSERT_TRUE(control.ok()) << control.status();
    control_ = *std::move(control);
  }

  absl::StatusOr<std::unique_ptr<store::PostgresStore>> OpenFenced(
      int32_t partition, const std::string& node, int64_t epoch) {
    store::PostgresStoreOptions options;
    options.url = PostgresProcess::Shared().url();
    options.schema = PartitionSchema(schema_, partition);
    options.fence =
        store::PostgresStoreOptions::Fence{schema_, partition, node, epoch};
    return store::PostgresStore::Open(options);
  }

  int64_t Claim(int32_t partition, const std::string& node) {
    auto ownership = control_->Partitions();
    EXPECT_TRUE(ownership.ok());
    auto epoch = control_->Claim((*ownership)[partition], node);
    EXPECT_TRUE(epoch.ok() && epoch->has_value());
    return epoch.ok() && epoch->has_value() ? **epoch : -1;
  }

  std::string schema_;
  std::unique_ptr<ControlStore> control_;
};

TEST_F(FenceTest, ANewClusterHasItsPartitionsUnowned) {
  EXPECT_EQ(control_->partitions(), 4);
  auto ownership = control_->Partitions();
  ASSERT_TRUE(ownership.ok());
  ASSERT_EQ(ownership->size(), 4u);
  for (const Ownership& p : *ownership) {
    EXPECT_EQ(p.owner, "");
    EXPECT_EQ(p.epoch, 0);
  }
  // A second node's --partitions does not change a created cluster.
  ControlOptions other;
  other.url = PostgresProcess::Shared().url();
  other.schema = schema_;
  other.partitions = 16;
  auto again = ControlStore::Open(other);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->partitions(), 4);
}

TEST_F(FenceTest, ATakeoverFencesTheOldOwnerOut) {
  const int64_t a_epoch = Claim(1, "a");
  auto a = OpenFenced(1, "a", a_epoch);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE((*a)->Commit(CreateQueue(1, "before")).ok());

  const int64_t b_epoch = Claim(1, "b");
  EXPECT_EQ(b_epoch, a_epoch + 1);

  const absl::Status fenced = (*a)->Commit(CreateQueue(2, "after"));
  EXPECT_TRUE(absl::IsAborted(fenced)) << fenced;
  EXPECT_NE(fenced.message().find("no longer owned"), std::string::npos);
  // Final: the old owner's store never commits again.
  EXPECT_TRUE(absl::IsAborted((*a)->Commit(CreateQueue(3, "later"))));

  auto b = OpenFenced(1, "b", b_epoch);
  ASSERT_TRUE(b.ok());
  auto state = (*b)->Load();
  ASSERT_TRUE(state.ok());
  ASSERT_EQ(state->queues.size(), 1u);
  EXPECT_EQ(state->queues[0].name, "before");
  EXPECT_TRUE((*b)->Commit(CreateQueue(2, "b's")).ok());
}

TEST_F(FenceTest, AClaimAgainstAStaleEpochLoses) {
  auto ownership = control_->Partitions();
  ASSERT_TRUE(ownership.ok());
  const Ownership seen = (*ownership)[2];
  auto first = control_->Claim(seen, "a");
  ASSERT_TRUE(first.ok() && first->has_value());
  auto second = control_->Claim(seen, "b");  // read before a's claim
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
  auto after = control_->Partitions();
  EXPECT_EQ((*after)[2].owner, "a");
}

TEST_F(FenceTest, AGiveOfAPartitionNoLongerOursChangesNothing) {
  const int64_t epoch = Claim(0, "a");
  auto given = control_->Give(Ownership{0, "a", epoch}, "b");
  ASSERT_TRUE(given.ok() && given->has_value());
  EXPECT_EQ(**given, epoch + 1);
  auto again = control_->Give(Ownership{0, "a", epoch}, "c");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
  auto after = control_->Partitions();
  EXPECT_EQ((*after)[0].owner, "b");
}

TEST_F(FenceTest, AnUnownedPartitionCannotBeWritten) {
  auto store = OpenFenced(3, "a", 0);
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE(absl::IsAborted((*store)->Commit(CreateQueue(1, "q"))));
}

}  // namespace
}  // namespace cortado::cluster
