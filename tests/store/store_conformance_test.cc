// One test body, run against every Store: what is committed is what Load()
// returns, mutation by mutation.
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "tests/store/store_factories.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::store {
namespace {

class StoreConformanceTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_.path());
    ASSERT_NE(store_, nullptr);
  }
  // Closes and reopens (a restart) for stores that persist across opens.
  void Reopen() {
    if (!GetParam().persistent()) return;  // memory lives in the object
    store_.reset();
    store_ = GetParam().open(dir_.path());
  }

  cortado::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

QueueRecord MakeQueue(uint64_t id, const std::string& name) {
  QueueRecord q;
  q.queue_id = id;
  q.name = name;
  q.attributes.visibility_timeout = 45;
  q.attributes.policy = "{\"Version\":\"2012-10-17\"}";
  q.tags = {{"env", "dev"}, {"team", "coffee"}};
  q.created = absl::FromUnixMicros(1767225600123456);
  q.last_modified = absl::FromUnixMicros(1767225601000000);
  return q;
}

MessageRecord MakeMessage(uint64_t queue_id, uint64_t sequence) {
  MessageRecord m;
  m.queue_id = queue_id;
  m.sequence = sequence;
  m.message_id = "3d4577f8-9567-4ee6-a482-26c653d805be";
  m.body = std::string("Latte|2025-02-26 10:30:00\r\n\0x", 29);
  m.attributes["s"] = {"String", "v1", "", false};
  m.attributes["b"] = {"Binary.png", "", std::string("\0\1\2", 3), true};
  m.attributes["n"] = {"Number.float", "4.20", "", false};
  m.system_attributes["AWSTraceHeader"] = {"String", "Root=1-abc", "", false};
  m.sender_id = "AKIDEXAMPLE";
  m.message_group_id = "g1";
  m.dead_letter_source_arn = "arn:aws:sqs:us-east-1:000000000000:src";
  m.sent = absl::FromUnixMicros(1767225600000001);
  m.visible_at = absl::FromUnixMicros(1767225630000001);
  return m;
}

TEST_P(StoreConformanceTest, CommittedQueuesAndMessagesLoadBackExactly) {
  WriteBatch batch;
  batch.mutations.push_back(PutQueue{MakeQueue(1, "orders")});
  batch.mutations.push_back(InsertMessage{MakeMessage(1, 10)});
  batch.mutations.push_back(InsertMessage{MakeMessage(1, 11)});
  ASSERT_OK(store_->Commit(batch));
  Reopen();
  absl::StatusOr<StoreSnapshot> snapshot = store_->Load();
  ASSERT_OK(snapshot);
  ASSERT_EQ(snapshot->queues.size(), 1u);
  const QueueRecord& q = snapshot->queues[0];
  EXPECT_EQ(q.queue_id, 1u);
  EXPECT_EQ(q.name, "orders");
  EXPECT_EQ(q.attributes, MakeQueue(1, "orders").attributes);
  EXPECT_EQ(q.tags, MakeQueue(1, "orders").tags);
  EXPECT_EQ(q.created, MakeQueue(1, "orders").created);
  EXPECT_EQ(q.last_modified, MakeQueue(1, "orders").last_modified);
  ASSERT_EQ(snapshot->messages.size(), 2u);
  const MessageRecord expected = MakeMessage(1, 10);
  const MessageRecord& m = snapshot->messages[0].sequence == 10
                               ? snapshot->messages[0]
                               : snapshot->messages[1];
  EXPECT_EQ(m.message_id, expected.message_id);
  EXPECT_EQ(m.body, expected.body);
  EXPECT_EQ(m.attributes, expected.attributes);
  EXPECT_EQ(m.system_attributes, expected.system_attributes);
  EXPECT_EQ(m.sender_id, expected.sender_id);
  EXPECT_EQ(m.message_group_id, expected.message_group_id);
  EXPECT_EQ(m.dead_letter_source_arn, expected.dead_letter_source_arn);
  EXPECT_EQ(m.sent, expected.sent);
  EXPECT_EQ(m.visible_at, expected.visible_at);
  EXPECT_EQ(m.receive_count, 0);
}

TEST_P(StoreConformanceTest, DeliveryUpdatesDeletesAndPurgesApply) {
  WriteBatch create;
  create.mutations.push_back(PutQueue{MakeQueue(1, "a")});
  create.mutations.push_back(PutQueue{MakeQueue(2, "b")});
  for (uint64_t s = 1; s <= 4; ++s) {
    create.mutations.push_back(InsertMessage{MakeMessage(1, s)});
  }
  create.mutations.push_back(InsertMessage{MakeMessage(2, 5)});
  ASSERT_OK(store_->Commit(create));

  WriteBatch change;
  MessageDeliveryUpdate update;
  update.queue_id = 1;
  update.sequence = 2;
  update.visible_at = absl::FromUnixMicros(1767225700000000);
  update.receive_count = 3;
  update.first_receive = absl::FromUnixMicros(1767225650000000);
  update.last_receive = absl::FromUnixMicros(1767225690000000);
  change.mutations.push_back(UpdateMessageDelivery{update});
  change.mutations.push_back(RemoveMessage{1, 3});
  change.mutations.push_back(PurgeQueueMessages{2, SequenceRange{}});
  ASSERT_OK(store_->Commit(change));
  Reopen();

  absl::StatusOr<StoreSnapshot> snapshot = store_->Load();
  ASSERT_OK(snapshot);
  EXPECT_EQ(snapshot->queues.size(), 2u);
  std::map<uint64_t, MessageRecord> by_sequence;
  for (const MessageRecord& m : snapshot->messages) by_sequence[m.sequence] = m;
  ASSERT_EQ(by_sequence.size(), 3u);  // 1, 2, 4
  EXPECT_TRUE(by_sequence.contains(1));
  EXPECT_FALSE(by_sequence.contains(3));
  EXPECT_FALSE(by_sequence.contains(5));
  const MessageRecord& m2 = by_sequence.at(2);
  EXPECT_EQ(m2.receive_count, 3);
  EXPECT_EQ(m2.visible_at, update.visible_at);
  EXPECT_EQ(m2.first_receive, update.first_receive);
  EXPECT_EQ(m2.last_receive, update.last_receive);
}

// A group commit can carry a message's whole life: sent, received (twice)
// and deleted, interleaved with other messages' mutations. What loads back
// is each message's last state.
TEST_P(StoreConformanceTest, ManyMutationsOfOneMessageInOneBatchApplyInOrder) {
  WriteBatch create;
  create.mutations.push_back(PutQueue{MakeQueue(1, "a")});
  create.mutations.push_back(InsertMessage{MakeMessage(1, 1)});
  create.mutations.push_back(InsertMessage{MakeMessage(1, 2)});
  ASSERT_OK(store_->Commit(create));

  auto receive = [](uint64_t sequence, int count) {
    MessageDeliveryUpdate u;
    u.queue_id = 1;
    u.sequence = sequence;
    u.visible_at = absl::FromUnixMicros(1767225700000000 + count);
    u.receive_count = count;
    u.first_receive = absl::FromUnixMicros(1767225650000000);
    u.last_receive = absl::FromUnixMicros(1767225690000000 + count);
    return UpdateMessageDelivery{u};
  };
  WriteBatch life;
  life.mutations.push_back(receive(1, 1));  // stored, updated twice
  life.mutations.push_back(InsertMessage{MakeMessage(1, 3)});
  life.mutations.push_back(receive(1, 2));
  life.mutations.push_back(receive(3, 1));  // inserted, updated
  life.mutations.push_back(receive(2, 1));  // stored, then removed
  life.mutations.push_back(InsertMessage{MakeMessage(1, 4)});
  life.mutations.push_back(RemoveMessage{1, 2});
  life.mutations.push_back(receive(4, 1));  // inserted, removed
  life.mutations.push_back(RemoveMessage{1, 4});
  life.mutations.push_back(receive(3, 2));
  life.mutations.push_back(PutQueue{MakeQueue(1, "a")});  // ends a run
  life.mutations.push_back(receive(3, 3));
  ASSERT_OK(store_->Commit(life));
  Reopen();
  absl::StatusOr<StoreSnapshot> snapshot = store_->Load();
  ASSERT_OK(snapshot);
  std::map<uint64_t, int> counts;
  for (const MessageRecord& m : snapshot->messages) {
    counts[m.sequence] = m.receive_count;
    EXPECT_EQ(m.visible_at,
              absl::FromUnixMicros(1767225700000000 + m.receive_count));
  }
  EXPECT_EQ(counts, (std::map<uint64_t, int>{{1, 2}, {3, 3}}));
}

TEST_P(StoreConformanceTest, DeletingAQueueRemovesItsMessages) {
  WriteBatch create;
  create.mutations.push_back(PutQueue{MakeQueue(7, "gone")});
  create.mutations.push_back(InsertMessage{MakeMessage(7, 1)});
  ASSERT_OK(store_->Commit(create));
  WriteBatch drop;
  drop.mutations.push_back(RemoveQueue{7, SequenceRange{}});
  ASSERT_OK(store_->Commit(drop));
  Reopen();
  absl::StatusOr<StoreSnapshot> snapshot = store_->Load();
  ASSERT_OK(snapshot);
  EXPECT_TRUE(snapshot->queues.empty());
  EXPECT_TRUE(snapshot->messages.empty());
}

// The broker passes the range of sequences its queue holds; the store may
// look only there (SQLite has no index by queue), and must not touch other
// queues' messages inside the range.
TEST_P(StoreConformanceTest, PurgeAndRemoveQueueDeleteWithinTheGivenRange) {
  WriteBatch create;
  create.mutations.push_back(PutQueue{MakeQueue(1, "a")});
  create.mutations.push_back(PutQueue{MakeQueue(2, "b")});
  create.mutations.push_back(PutQueue{MakeQueue(3, "c")});
  // Interleaved: a = 1, 4, 7; b = 2, 5, 8; c = 3, 6, 9.
  for (uint64_t s = 1; s <= 9; ++s) {
    create.mutations.push_back(InsertMessage{MakeMessage((s - 1) % 3 + 1, s)});
  }
  ASSERT_OK(store_->Commit(create));
  WriteBatch change;
  change.mutations.push_back(PurgeQueueMessages{1, {1, 7}});
  // A range that leaves out b's oldest message keeps it.
  change.mutations.push_back(RemoveQueue{2, {5, 8}});
  change.mutations.push_back(PurgeQueueMessages{3, SequenceRange::Empty()});
  ASSERT_OK(store_->Commit(change));
  Reopen();

  absl::StatusOr<StoreSnapshot> snapshot = store_->Load();
  ASSERT_OK(snapshot);
  std::map<uint64_t, uint64_t> queue_by_sequence;
  for (const MessageRecord& m : snapshot->messages) {
    queue_by_sequence[m.sequence] = m.queue_id;
  }
  const std::map<uint64_t, uint64_t> expected = {
      {2, 2}, {3, 3}, {6, 3}, {9, 3}};
  EXPECT_EQ(queue_by_sequence, expected);
  ASSERT_EQ(snapshot->queues.size(), 2u);
}

TEST_P(StoreConformanceTest, PutQueueReplacesAttributesAndTags) {
  WriteBatch first;
  first.mutations.push_back(PutQueue{MakeQueue(1, "q")});
  ASSERT_OK(store_->Commit(first));
  QueueRecord changed = MakeQueue(1, "q");
  changed.attributes.delay_seconds = 12;
  changed.tags = {{"only", "this"}};
  WriteBatch second;
  second.mutations.push_back(PutQueue{changed});
  ASSERT_OK(store_->Commit(second));
  Reopen();
  absl::StatusOr<StoreSnapshot> snapshot = store_->Load();
  ASSERT_OK(snapshot);
  ASSERT_EQ(snapshot->queues.size(), 1u);
  EXPECT_EQ(snapshot->queues[0].attributes.delay_seconds, 12);
  EXPECT_EQ(snapshot->queues[0].tags, changed.tags);
}

INSTANTIATE_TEST_SUITE_P(AllStores, StoreConformanceTest,
                         ::testing::ValuesIn(AllStoreFactories()), StoreName);

}  // namespace
}  // namespace cortado::store
