// The FIFO exactness fields, run against every Store: a message's enqueue
// time (FIFO dead-letter retention) loads back exactly; receive attempts and
// FIFO topics' deduplication entries do too, expire by time and go with
// their queue or topic.
#include <algorithm>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "tests/store/store_factories.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::store {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class FifoStoreTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_.path());
    ASSERT_NE(store_, nullptr);
  }
  void Reopen() {
    if (!GetParam().persistent()) return;
    store_.reset();
    store_ = GetParam().open(dir_.path());
  }
  StoreSnapshot Load() {
    absl::StatusOr<StoreSnapshot> snapshot = store_->Load();
    EXPECT_TRUE(snapshot.ok()) << snapshot.status();
    return snapshot.ok() ? *std::move(snapshot) : StoreSnapshot{};
  }
  void Commit(std::vector<StoreMutation> mutations) {
    WriteBatch batch;
    batch.mutations = std::move(mutations);
    ASSERT_OK(store_->Commit(batch));
  }

  cortado::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

QueueRecord MakeQueue(uint64_t id, const std::string& name) {
  QueueRecord q;
  q.queue_id = id;
  q.name = name;
  q.attributes.fifo_queue = true;
  q.created = absl::FromUnixMicros(1767225600000000);
  q.last_modified = q.created;
  return q;
}

MessageRecord MakeMessage(uint64_t queue_id, uint64_t sequence) {
  MessageRecord m;
  m.queue_id = queue_id;
  m.sequence = sequence;
  m.message_id = "3d4577f8-9567-4ee6-a482-26c653d805be";
  m.body = "Latte";
  m.message_group_id = "g1";
  m.sent = absl::FromUnixMicros(1767225600000001);
  m.visible_at = m.sent;
  return m;
}

ReceiveAttemptRecord MakeAttempt(uint64_t queue_id, const std::string& id,
                                 absl::Time expires) {
  ReceiveAttemptRecord a;
  a.queue_id = queue_id;
  a.attempt_id = id;
  a.taken = {{7, 1, absl::FromUnixMicros(1767225630000001)},
             {(uint64_t{1} << 40) + 3, 12, absl::FromUnixMicros(1767225650)}};
  a.expires = expires;
  return a;
}

TEST_P(FifoStoreTest, EnqueueTimeLoadsBackAndDefaultsToTheEpoch) {
  MessageRecord moved = MakeMessage(1, 10);
  moved.enqueued = absl::FromUnixMicros(1767225680000002);
  Commit({PutQueue{MakeQueue(1, "dlq.fifo")}, InsertMessage{moved},
          InsertMessage{MakeMessage(1, 11)}});
  Reopen();
  StoreSnapshot snapshot = Load();
  ASSERT_EQ(snapshot.messages.size(), 2u);
  for (const MessageRecord& m : snapshot.messages) {
    EXPECT_EQ(m.sent, moved.sent);
    EXPECT_EQ(m.enqueued,
              m.sequence == 10 ? moved.enqueued : absl::UnixEpoch());
  }
}

TEST_P(FifoStoreTest, ReceiveAttemptsLoadBackExactlyAndCanBeReplaced) {
  const absl::Time expires = absl::FromUnixMicros(1767225900000000);
  ReceiveAttemptRecord attempt = MakeAttempt(1, "try-1", expires);
  Commit({PutQueue{MakeQueue(1, "jobs.fifo")}, PutReceiveAttempt{attempt}});
  // A replay rewrites the deadlines.
  attempt.taken[0].visible_at = absl::FromUnixMicros(1767225640000000);
  Commit({PutReceiveAttempt{attempt}});
  Reopen();
  StoreSnapshot snapshot = Load();
  ASSERT_EQ(snapshot.receive_attempts.size(), 1u);
  const ReceiveAttemptRecord& loaded = snapshot.receive_attempts[0];
  EXPECT_EQ(loaded.queue_id, 1u);
  EXPECT_EQ(loaded.attempt_id, "try-1");
  EXPECT_EQ(loaded.expires, expires);
  EXPECT_EQ(loaded.taken, attempt.taken);
}

TEST_P(FifoStoreTest, ExpiryDropsOnlyThatQueuesExpiredAttempts) {
  const absl::Time t = absl::FromUnixMicros(1767225900000000);
  Commit({PutQueue{MakeQueue(1, "a.fifo")}, PutQueue{MakeQueue(2, "b.fifo")},
          PutReceiveAttempt{MakeAttempt(1, "old", t)},
          PutReceiveAttempt{MakeAttempt(1, "new", t + absl::Seconds(1))},
          PutReceiveAttempt{MakeAttempt(2, "other", t)}});
  Commit({ExpireReceiveAttempts{1, t}});
  Reopen();
  std::vector<std::string> left;
  for (const ReceiveAttemptRecord& a : Load().receive_attempts) {
    left.push_back(absl::StrCat(a.queue_id, "/", a.attempt_id));
  }
  std::sort(left.begin(), left.end());
  EXPECT_THAT(left, ElementsAre("1/new", "2/other"));
}

TEST_P(FifoStoreTest, RemovingAQueueRemovesItsAttempts) {
  const absl::Time t = absl::FromUnixMicros(1767225900000000);
  Commit({PutQueue{MakeQueue(1, "a.fifo")},
          PutReceiveAttempt{MakeAttempt(1, "try-1", t)}});
  Commit({RemoveQueue{1, SequenceRange{}}});
  Reopen();
  EXPECT_THAT(Load().receive_attempts, IsEmpty());
}

TEST_P(FifoStoreTest, TopicDedupEntriesLoadBackExpireAndGoWithTheirTopic) {
  const absl::Time t = absl::FromUnixMicros(1767225900000000);
  TopicRecord topic;
  topic.topic_id = 4;
  topic.name = "orders.fifo";
  topic.fifo = true;
  TopicRecord other = topic;
  other.topic_id = 5;
  other.name = "other.fifo";
  Commit({PutTopic{topic}, PutTopic{other},
          PutTopicDedup{{4, "d1", "id-1", "10000000000000000001", t}},
          PutTopicDedup{{4, "g d2", "id-2", "10000000000000000002",
                         t + absl::Seconds(1)}},
          PutTopicDedup{{5, "d1", "id-3", "10000000000000000003", t}}});
  Reopen();
  StoreSnapshot loaded = Load();
  ASSERT_EQ(loaded.topic_dedup.size(), 3u);
  for (const TopicDedupRecord& r : loaded.topic_dedup) {
    if (r.message_id != "id-2") continue;
    EXPECT_EQ(r.topic_id, 4u);
    EXPECT_EQ(r.scope_key, "g d2");
    EXPECT_EQ(r.sequence_number, "10000000000000000002");
    EXPECT_EQ(r.expires, t + absl::Seconds(1));
  }
  Commit({ExpireTopicDedup{4, t}});
  Reopen();
  std::vector<std::string> left;
  for (const TopicDedupRecord& r : Load().topic_dedup) {
    left.push_back(r.message_id);
  }
  std::sort(left.begin(), left.end());
  EXPECT_THAT(left, ElementsAre("id-2", "id-3"));
  Commit({RemoveTopic{4}});
  Reopen();
  left.clear();
  for (const TopicDedupRecord& r : Load().topic_dedup) {
    left.push_back(r.message_id);
  }
  EXPECT_THAT(left, ElementsAre("id-3"));
}

INSTANTIATE_TEST_SUITE_P(AllStores, FifoStoreTest,
                         ::testing::ValuesIn(AllStoreFactories()), StoreName);

}  // namespace
}  // namespace cortado::store
