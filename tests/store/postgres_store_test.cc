// What only the PostgreSQL store has (the conformance suites cover what
// every store shares): one writer per schema, the refusal of a newer schema,
// set-based message writes that keep the batch's order, and a lost
// connection that fails every later commit.
#include "server/store/postgres_store.h"

#include <libpq-fe.h>

#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "server/store/embedded_migrations.h"
#include "tests/store/store_factories.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::store {
namespace {

using ::testing::HasSubstr;

// A second session on the test server, for what the store must not see.
class Admin {
 public:
  Admin() : connection_(PQconnectdb(SharedPostgres().url().c_str())) {}
  ~Admin() { PQfinish(connection_); }
  void Exec(const std::string& sql) {
    PGresult* result = PQexec(connection_, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        << sql << ": " << PQresultErrorMessage(result);
    PQclear(result);
  }

 private:
  PGconn* connection_;
};

class PostgresStoreTest : public ::testing::Test {
 protected:
  absl::StatusOr<std::unique_ptr<PostgresStore>> Open(
      const std::string& node = "cortado-server") {
    PostgresStoreOptions options = PostgresOptionsFor(dir_.path());
    options.node_name = node;
    options.writer_lock_patience = absl::ZeroDuration();
    return PostgresStore::Open(options);
  }
  std::string schema() const { return PostgresOptionsFor(dir_.path()).schema; }

  cortado::testing::TempDir dir_;
};

// A batch creating queue 1, which the messages below belong to.
WriteBatch CreateQueueOne() {
  QueueRecord queue;
  queue.queue_id = 1;
  queue.name = "q";
  WriteBatch batch;
  batch.mutations.push_back(PutQueue{queue});
  return batch;
}

MessageRecord Message(uint64_t sequence) {
  MessageRecord m;
  m.queue_id = 1;
  m.sequence = sequence;
  m.message_id = absl::StrCat("id-", sequence);
  m.body = std::string("a\0b", 3);
  m.sent = absl::FromUnixMicros(1767225600000000 + sequence);
  m.visible_at = m.sent;
  return m;
}

MessageDeliveryUpdate Delivery(uint64_t sequence, int32_t count) {
  MessageDeliveryUpdate u;
  u.queue_id = 1;
  u.sequence = sequence;
  u.receive_count = count;
  u.visible_at = absl::FromUnixMicros(1767225700000000 + count);
  u.first_receive = absl::FromUnixMicros(1767225650000000);
  u.last_receive = absl::FromUnixMicros(1767225660000000 + count);
  return u;
}

TEST_F(PostgresStoreTest, ASecondWriterIsRefusedNamingTheFirst) {
  auto first = Open("node-a.example:9324");
  ASSERT_OK(first);
  auto second = Open("node-b");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(), HasSubstr("node-a.example:9324"));
  EXPECT_THAT(second.status().message(), HasSubstr(schema()));
  first->reset();  // releases the lock
  EXPECT_OK(Open("node-b"));
}

TEST_F(PostgresStoreTest, RefusesASchemaNewerThanTheBinary) {
  ASSERT_OK(Open());
  const int next = PostgresMigrations().back().version + 1;
  Admin().Exec(absl::StrCat("INSERT INTO \"", schema(),
                            "\".schema_migrations (version, name) VALUES (",
                            next, ", 'from_the_future')"));
  auto reopened = Open();
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(reopened.status().message(), HasSubstr("newer release"));
}

// Runs of inserts, updates and deletes become one statement each; a batch
// that updates one message twice, deletes what it inserted, and has more
// statements than the pipeline holds unread, must still apply in order.
TEST_F(PostgresStoreTest, SetBasedWritesKeepTheBatchOrder) {
  auto store = Open();
  ASSERT_OK(store);
  WriteBatch batch = CreateQueueOne();
  for (uint64_t s = 1; s <= 300; ++s) {
    batch.mutations.push_back(InsertMessage{Message(s)});
    batch.mutations.push_back(UpdateMessageDelivery{Delivery(s, 1)});
    batch.mutations.push_back(UpdateMessageDelivery{Delivery(s, 2)});
    if (s % 3 == 0) batch.mutations.push_back(RemoveMessage{1, s});
  }
  ASSERT_OK((*store)->Commit(batch));
  store->reset();
  store = Open();
  ASSERT_OK(store);
  auto snapshot = (*store)->Load();
  ASSERT_OK(snapshot);
  std::map<uint64_t, MessageRecord> by_sequence;
  for (const MessageRecord& m : snapshot->messages) by_sequence[m.sequence] = m;
  ASSERT_EQ(by_sequence.size(), 200u);
  for (const auto& [sequence, m] : by_sequence) {
    EXPECT_NE(sequence % 3, 0u);
    EXPECT_EQ(m.receive_count, 2);
    EXPECT_EQ(m.visible_at, Delivery(sequence, 2).visible_at);
    EXPECT_EQ(m.body, std::string("a\0b", 3));
  }
}

TEST_F(PostgresStoreTest, ALostConnectionFailsEveryLaterCommit) {
  auto store = Open("doomed-node");
  ASSERT_OK(store);
  WriteBatch batch = CreateQueueOne();
  ASSERT_OK((*store)->Commit(batch));
  Admin().Exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
      " WHERE application_name = 'doomed-node'");
  batch.mutations = {InsertMessage{Message(1)}};
  const absl::Status lost = (*store)->Commit(batch);
  EXPECT_EQ(lost.code(), absl::StatusCode::kUnavailable) << lost;
  // Sticky: nothing more is attempted on a connection in an unknown state.
  EXPECT_EQ((*store)->Commit(batch).code(), absl::StatusCode::kUnavailable);
  store->reset();
  store = Open();
  ASSERT_OK(store);
  auto snapshot = (*store)->Load();
  ASSERT_OK(snapshot);
  EXPECT_EQ(snapshot->queues.size(), 1u);
  EXPECT_TRUE(snapshot->messages.empty());
}

}  // namespace
}  // namespace cortado::store
