// The broker on every durable store (SQLite, PostgreSQL): a restart (a new
// Broker on the same data) finds exactly what was acknowledged; and on
// SQLite, a store that fails (a full disk) never acknowledges what it did
// not persist (PostgreSQL's lost connection: postgres_store_test.cc).
#include <sys/mount.h>
#include <unistd.h>

#include <memory>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/core/broker.h"
#include "server/core/errors.h"
#include "server/store/sqlite_store.h"
#include "tests/core/broker_fixture.h"
#include "tests/store/broker_on_store_fixture.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::store {
namespace {

using cortado::testing::Pending;

class BrokerRestartTest : public BrokerOnStoreTest {
 protected:
  absl::Status Create(const std::string& name) {
    Pending<QueueRecord> p;
    broker_->CreateQueue({name, {}, {}}, p.callback());
    return p.Get().status();
  }
  absl::StatusOr<SendMessageResult> Send(const std::string& queue,
                                         const std::string& body) {
    Pending<SendMessageResult> p;
    SendMessageEntry entry;
    entry.body = body;
    broker_->SendMessage(queue, std::move(entry), p.callback());
    return p.Get();
  }
  absl::StatusOr<ReceiveMessageResult> Receive(const std::string& queue,
                                               int max, int visibility) {
    Pending<ReceiveMessageResult> p;
    ReceiveMessageRequest request;
    request.queue_name = queue;
    request.max_number_of_messages = max;
    request.visibility_timeout = visibility;
    request.wait_time_seconds = 0;
    request.system_attribute_names = {"All"};
    broker_->ReceiveMessage(std::move(request), p.callback());
    return p.Get();
  }
  absl::Status Delete(const std::string& queue, const std::string& handle) {
    Pending<Empty> p;
    broker_->DeleteMessage(queue, handle, p.callback());
    return p.Get().status();
  }
};

INSTANTIATE_TEST_SUITE_P(DurableStores, BrokerRestartTest,
                         ::testing::ValuesIn(DurableStoreFactories()),
                         StoreName);

TEST_P(BrokerRestartTest, RestartKeepsVisibilityDeadlinesCountsAndOrder) {
  ASSERT_OK(Create("orders"));
  for (int i = 0; i < 5; ++i)
    ASSERT_OK(Send("orders", "m" + std::to_string(i)));
  auto first = Receive("orders", 2, 60);  // m0, m1 in flight for 60 s
  ASSERT_OK(first);
  ASSERT_EQ(first->messages.size(), 2u);
  ASSERT_OK(Delete("orders", first->messages[0].receipt_handle));  // m0 gone
  clock_.Advance(absl::Seconds(10));

  Open();  // restart on the same data

  // m1 is still in flight (50 s left); m2..m4 are visible, in order.
  auto visible = Receive("orders", 10, 3600);
  ASSERT_OK(visible);
  ASSERT_EQ(visible->messages.size(), 3u);
  EXPECT_EQ(visible->messages[0].body, "m2");
  EXPECT_EQ(visible->messages[1].body, "m3");
  EXPECT_EQ(visible->messages[2].body, "m4");
  clock_.Advance(absl::Seconds(49));
  broker_->ProcessTimers();
  auto early = Receive("orders", 10, 30);
  ASSERT_OK(early);
  EXPECT_TRUE(early->messages.empty()) << "m1 reappeared before its deadline";
  clock_.Advance(absl::Seconds(1));
  broker_->ProcessTimers();
  auto again = Receive("orders", 10, 30);
  ASSERT_OK(again);
  ASSERT_EQ(again->messages.size(), 1u);
  EXPECT_EQ(again->messages[0].body, "m1");
  EXPECT_EQ(again->messages[0].attributes.at("ApproximateReceiveCount"), "2");
  // The handle from before the restart still deletes (any issued handle).
  ASSERT_OK(Delete("orders", first->messages[1].receipt_handle));
}

TEST_P(BrokerRestartTest, NewIdsAfterRestartNeverCollide) {
  ASSERT_OK(Create("a"));
  ASSERT_OK(Send("a", "x"));
  Open();
  ASSERT_OK(Create("b"));
  ASSERT_OK(Send("b", "y"));
  ASSERT_OK(Send("a", "z"));
  Open();
  auto a = Receive("a", 10, 30);
  ASSERT_OK(a);
  ASSERT_EQ(a->messages.size(), 2u);
  EXPECT_EQ(a->messages[0].body, "x");
  EXPECT_EQ(a->messages[1].body, "z");
  auto b = Receive("b", 10, 30);
  ASSERT_OK(b);
  ASSERT_EQ(b->messages.size(), 1u);
}

// The store finds a queue's messages by the range of sequences the broker
// passes (it has no index by queue): with queues interleaved, a purge and a
// queue deletion remove exactly their own rows, also after a restart.
TEST_P(BrokerRestartTest, PurgeAndDeleteQueueRemoveOnlyTheirOwnRows) {
  ASSERT_OK(Create("a"));
  ASSERT_OK(Create("b"));
  ASSERT_OK(Create("c"));
  for (int i = 0; i < 3; ++i) {
    for (const char* queue : {"a", "b", "c"}) {
      ASSERT_OK(Send(queue, absl::StrCat(queue, i)));
    }
  }
  Pending<Empty> purged;
  broker_->PurgeQueue("a", purged.callback());
  ASSERT_OK(purged.Get());
  Pending<Empty> deleted;
  broker_->DeleteQueue("b", deleted.callback());
  ASSERT_OK(deleted.Get());
  ASSERT_OK(Send("a", "a3"));

  Open();
  // What the store holds, rows of deleted queues included.
  broker_.reset();
  absl::StatusOr<StoreSnapshot> snapshot = store_->Load();
  ASSERT_OK(snapshot);
  std::multiset<std::string> bodies;
  for (const MessageRecord& m : snapshot->messages) bodies.insert(m.body);
  EXPECT_EQ(bodies, (std::multiset<std::string>{"a3", "c0", "c1", "c2"}));
}

// Mounts a small tmpfs so SQLite really runs out of space.
class SmallDisk {
 public:
  explicit SmallDisk(const std::string& path) : path_(path) {
    mounted_ = mount("tmpfs", path.c_str(), "tmpfs", 0, "size=512k") == 0;
  }
  ~SmallDisk() {
    if (mounted_) umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }

 private:
  std::string path_;
  bool mounted_ = false;
};

// The full disk is SQLite's own failure.
class BrokerOnSqliteTest : public BrokerRestartTest {};
INSTANTIATE_TEST_SUITE_P(Sqlite, BrokerOnSqliteTest,
                         ::testing::Values(StoreFactoryNamed("sqlite")),
                         StoreName);

TEST_P(BrokerOnSqliteTest, AFullDiskNeverAcknowledgesAnUnpersistedMessage) {
  cortado::testing::TempDir mount_point;
  SmallDisk disk(mount_point.path());
  if (!disk.mounted()) {
    GTEST_SKIP() << "NOT RUN: mounting a tmpfs needs root (CI runs as root)";
  }
  Open(mount_point.path());
  ASSERT_OK(Create("fill"));
  std::set<std::string> acknowledged;
  const std::string body(4096, 'x');
  absl::Status failure;
  for (int i = 0; i < 1000; ++i) {
    auto sent = Send("fill", body + std::to_string(i));
    if (!sent.ok()) {
      failure = sent.status();
      break;
    }
    acknowledged.insert(sent->message_id);
  }
  ASSERT_FALSE(failure.ok()) << "512 KiB should not hold 4 MB of messages";
  EXPECT_EQ(GetErrorKind(failure), ErrorKind::kStoreFailed) << failure;
  // The broker refuses everything from now on, reads included.
  EXPECT_FALSE(Send("fill", "more").ok());
  EXPECT_FALSE(broker_->GetQueue("fill").ok());
  EXPECT_TRUE(broker_->Stats().failed);

  // What the disk holds is exactly the acknowledged messages.
  broker_.reset();
  store_.reset();
  auto reopened =
      SqliteStore::Open({mount_point.path() + "/broker.db", SyncMode::kNormal});
  ASSERT_OK(reopened);
  auto snapshot = (*reopened)->Load();
  ASSERT_OK(snapshot);
  std::set<std::string> found;
  for (const MessageRecord& m : snapshot->messages) found.insert(m.message_id);
  EXPECT_EQ(found, acknowledged);
}

}  // namespace
}  // namespace cortado::store
