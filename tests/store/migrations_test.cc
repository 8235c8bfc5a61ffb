#include "server/store/migrations.h"

#include <sqlite3.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::store {
namespace {

class Db {
 public:
  explicit Db(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~Db() { sqlite3_close(db_); }
  sqlite3* get() { return db_; }
  // The schema, as SQLite stores it (comparable across databases).
  std::string Schema() {
    std::string out;
    sqlite3_stmt* stmt;
    sqlite3_prepare_v2(db_,
                       "SELECT type, name, sql FROM sqlite_master WHERE name "
                       "!= 'schema_migrations' ORDER BY type, name",
                       -1, &stmt, nullptr);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int i = 0; i < 3; ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        out += text != nullptr ? reinterpret_cast<const char*>(text) : "";
        out += "|";
      }
      out += "\n";
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Both sets: migrations/broker (SQLite) and migrations/postgres.
TEST(MigrationsTest, VersionsAreNumberedInOrderWithoutGaps) {
  for (const std::vector<Migration>* all :
       {&BrokerMigrations(), &PostgresMigrations()}) {
    ASSERT_FALSE(all->empty());
    for (size_t i = 0; i < all->size(); ++i) {
      EXPECT_EQ((*all)[i].version, static_cast<int>(i + 1)) << (*all)[i].name;
    }
  }
}

TEST(MigrationsTest, NewDatabaseGetsTheLatestSchema) {
  cortado::testing::TempDir dir;
  Db db(dir.path() + "/a.db");
  ASSERT_OK(Migrate(db.get(), BrokerMigrations()));
  absl::StatusOr<int> version = SchemaVersion(db.get());
  ASSERT_OK(version);
  EXPECT_EQ(*version, BrokerMigrations().back().version);
  // Applying again changes nothing.
  ASSERT_OK(Migrate(db.get(), BrokerMigrations()));
}

TEST(MigrationsTest, UpgradesFromEveryEarlierVersionToTheSameSchema) {
  const std::vector<Migration>& all = BrokerMigrations();
  cortado::testing::TempDir dir;
  Db fresh(dir.path() + "/fresh.db");
  ASSERT_OK(Migrate(fresh.get(), all));
  const std::string expected = fresh.Schema();
  for (size_t k = 0; k < all.size(); ++k) {
    Db old(dir.path() + "/v" + std::to_string(k) + ".db");
    ASSERT_OK(Migrate(old.get(),
                      std::vector<Migration>(all.begin(), all.begin() + k)));
    ASSERT_OK(Migrate(old.get(), all));
    EXPECT_EQ(old.Schema(), expected) << "upgrading from version " << k;
  }
}

// 0004 drops the index of messages by queue: a database written before it
// keeps its messages, and the statements of the store that replaced the
// index's use (deleting a queue's range of sequences) use the rowid.
TEST(MigrationsTest, DroppingTheQueueIndexKeepsMessages) {
  const std::vector<Migration>& all = BrokerMigrations();
  ASSERT_GE(all.size(), 4u);
  ASSERT_EQ(all[3].name, "0004_messages_without_queue_index");
  cortado::testing::TempDir dir;
  Db db(dir.path() + "/a.db");
  ASSERT_OK(
      Migrate(db.get(), std::vector<Migration>(all.begin(), all.begin() + 3)));
  ASSERT_EQ(sqlite3_exec(db.get(),
                         "INSERT INTO messages (sequence, queue_id, message_id,"
                         " body, sent_us, visible_at_us) VALUES"
                         " (1, 7, 'm1', 'x', 1, 1), (2, 8, 'm2', 'y', 1, 1)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(db.Schema().find("messages_by_queue"), std::string::npos);
  ASSERT_OK(Migrate(db.get(), all));
  EXPECT_EQ(db.Schema().find("messages_by_queue"), std::string::npos);

  sqlite3_stmt* stmt;
  ASSERT_EQ(sqlite3_prepare_v2(db.get(),
                               "SELECT group_concat(message_id) FROM "
                               "(SELECT message_id FROM messages ORDER BY "
                               "sequence)",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
               "m1,m2");
  sqlite3_finalize(stmt);
  ASSERT_EQ(sqlite3_prepare_v2(db.get(),
                               "EXPLAIN QUERY PLAN DELETE FROM messages WHERE "
                               "sequence BETWEEN 1 AND 2 AND queue_id = 7",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  std::string plan;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    plan += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
  }
  sqlite3_finalize(stmt);
  EXPECT_NE(plan.find("rowid>? AND rowid<?"), std::string::npos) << plan;
}

TEST(MigrationsTest, RefusesADatabaseNewerThanTheBinary) {
  cortado::testing::TempDir dir;
  Db db(dir.path() + "/a.db");
  ASSERT_OK(Migrate(db.get(), BrokerMigrations()));
  std::vector<Migration> future = BrokerMigrations();
  future.push_back({9999, "9999_future", "CREATE TABLE future (x INTEGER);"});
  ASSERT_OK(Migrate(db.get(), future));
  absl::Status status = Migrate(db.get(), BrokerMigrations());
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("9999"), std::string::npos) << status;
}

TEST(MigrationsTest, AFailingMigrationIsRolledBackWhole) {
  cortado::testing::TempDir dir;
  Db db(dir.path() + "/a.db");
  std::vector<Migration> broken = {
      {1, "0001_ok", "CREATE TABLE a (x INTEGER);"},
      {2, "0002_broken", "CREATE TABLE b (x INTEGER); SELECT nonsense FROM;"}};
  EXPECT_FALSE(Migrate(db.get(), broken).ok());
  absl::StatusOr<int> version = SchemaVersion(db.get());
  ASSERT_OK(version);
  EXPECT_EQ(*version, 1);
  EXPECT_EQ(db.Schema().find("|b|"), std::string::npos);
}

}  // namespace
}  // namespace cortado::store
