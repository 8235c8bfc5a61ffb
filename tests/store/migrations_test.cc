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

TEST(MigrationsTest, VersionsAreNumberedInOrderWithoutGaps) {
  const std::vector<Migration>& all = BrokerMigrations();
  ASSERT_FALSE(all.empty());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].version, static_cast<int>(i + 1)) << all[i].name;
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
