// OrderStore, the migrations and OrderWriter against a real PostgreSQL.
#include "client/coffee/order_store.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "client/coffee/order_writer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/coffee/cafeteria_fixture.h"
#include "tests/testing/postgres_process.h"

namespace cortado::coffee {
namespace {

using ::testing::ElementsAre;
using Row = std::vector<std::string>;

class OrderStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::PostgresProcess>> postgres =
        testing::PostgresProcess::Create();
    ASSERT_TRUE(postgres.ok()) << postgres.status();
    postgres_ = std::move(*postgres);
  }

  Rows MustQuery(const std::string& sql) {
    absl::StatusOr<Rows> rows = Query(postgres_->url(), sql);
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? *rows : Rows();
  }

  std::unique_ptr<testing::PostgresProcess> postgres_;
};

TEST_F(OrderStoreTest, ConcurrentMigrationsApplyEachStepOnce) {
  constexpr int kConsumers = 4;
  absl::Mutex mu;
  std::vector<std::string> applied;
  std::vector<std::thread> threads;
  for (int i = 0; i < kConsumers; ++i) {
    threads.emplace_back([&] {
      OrderStore store(postgres_->url());
      absl::StatusOr<std::vector<std::string>> names = store.Migrate();
      ASSERT_TRUE(names.ok()) << names.status();
      absl::MutexLock lock(&mu);
      applied.insert(applied.end(), names->begin(), names->end());
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(applied,
              ElementsAre("0001_create_coffee_orders", "0002_add_message_id"));
  EXPECT_THAT(MustQuery("SELECT version, name FROM coffee_schema_migrations "
                        "ORDER BY version"),
              ElementsAre(Row{"1", "0001_create_coffee_orders"},
                          Row{"2", "0002_add_message_id"}));
}

TEST_F(OrderStoreTest, TableIsTheDocumentsPlusAUniqueMessageId) {
  OrderStore store(postgres_->url());
  ASSERT_TRUE(store.Migrate().ok());
  EXPECT_THAT(
      MustQuery("SELECT column_name, data_type, "
                "coalesce(character_maximum_length::text, ''), is_nullable, "
                "coalesce(column_default, '') FROM information_schema.columns "
                "WHERE table_name = 'coffee_orders' ORDER BY ordinal_position"),
      ElementsAre(Row{"id", "integer", "", "NO",
                      "nextval('coffee_orders_id_seq'::regclass)"},
                  Row{"timestamp", "timestamp without time zone", "", "NO", ""},
                  Row{"coffee_type", "character varying", "50", "NO", ""},
                  Row{"order_status", "character varying", "20", "NO",
                      "'created'::character varying"},
                  Row{"message_id", "character varying", "100", "YES", ""}));
  EXPECT_THAT(MustQuery("SELECT constraint_type FROM "
                        "information_schema.table_constraints WHERE "
                        "constraint_name = 'coffee_orders_message_id_key'"),
              ElementsAre(Row{"UNIQUE"}));
}

TEST_F(OrderStoreTest, RedeliveredOrderAddsNoSecondRow) {
  OrderStore store(postgres_->url());
  ASSERT_TRUE(store.Migrate().ok());
  const std::vector<Order> batch = {{"m1", "Latte", "2025-02-26 10:30:00"},
                                    {"m2", "Mocha", "2025-02-26 10:31:00"}};
  absl::StatusOr<std::vector<std::optional<int64_t>>> first =
      store.InsertBatch(batch);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE((*first)[0].has_value());
  EXPECT_TRUE((*first)[1].has_value());
  // m2 again (a redelivery) next to a new m3, and m3 twice in one batch.
  absl::StatusOr<std::vector<std::optional<int64_t>>> second =
      store.InsertBatch({batch[1],
                         {"m3", "Espresso", "2025-02-26 10:32:00"},
                         {"m3", "Espresso", "2025-02-26 10:32:00"}});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE((*second)[0].has_value());
  EXPECT_TRUE((*second)[1].has_value());
  EXPECT_FALSE((*second)[2].has_value());
  EXPECT_THAT(
      MustQuery("SELECT message_id, coffee_type, order_status FROM "
                "coffee_orders ORDER BY id"),
      ElementsAre(Row{"m1", "Latte", "created"}, Row{"m2", "Mocha", "created"},
                  Row{"m3", "Espresso", "created"}));
}

TEST_F(OrderStoreTest, DatabaseDownIsUnavailableAndReconnectsWhenBack) {
  OrderStore store(postgres_->url());
  ASSERT_TRUE(store.Migrate().ok());
  ASSERT_TRUE(postgres_->Stop().ok());
  absl::StatusOr<std::vector<std::optional<int64_t>>> down =
      store.InsertBatch({{"m1", "Latte", "2025-02-26 10:30:00"}});
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable)
      << down.status();
  ASSERT_TRUE(postgres_->Start().ok());
  absl::StatusOr<std::vector<std::optional<int64_t>>> up =
      store.InsertBatch({{"m1", "Latte", "2025-02-26 10:30:00"}});
  ASSERT_TRUE(up.ok()) << up.status();
  EXPECT_TRUE((*up)[0].has_value());
}

TEST_F(OrderStoreTest, WriterIsolatesAnOrderTheDatabaseRefuses) {
  OrderStore store(postgres_->url());
  ASSERT_TRUE(store.Migrate().ok());
  // Past the parser's checks only by construction: 51 characters do not
  // fit VARCHAR(50), SQLSTATE 22001.
  const Order too_long{"bad", std::string(51, 'x'), "2025-02-26 10:30:00"};
  absl::StatusOr<std::vector<std::optional<int64_t>>> refused =
      store.InsertBatch({too_long});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
      << refused.status();

  OrderWriter writer(&store, {});
  writer.Start();
  std::vector<absl::StatusCode> codes(3);
  std::vector<std::thread> handlers;
  const std::vector<Order> orders = {{"a", "Latte", "2025-02-26 10:30:00"},
                                     too_long,
                                     {"b", "Mocha", "2025-02-26 10:31:00"}};
  for (int i = 0; i < 3; ++i) {
    handlers.emplace_back(
        [&, i] { codes[i] = writer.Write(orders[i]).status().code(); });
  }
  for (std::thread& handler : handlers) handler.join();
  writer.Stop();
  EXPECT_THAT(codes, ElementsAre(absl::StatusCode::kOk,
                                 absl::StatusCode::kInvalidArgument,
                                 absl::StatusCode::kOk));
  EXPECT_THAT(MustQuery("SELECT message_id FROM coffee_orders ORDER BY "
                        "message_id"),
              ElementsAre(Row{"a"}, Row{"b"}));
}

TEST_F(OrderStoreTest, WriterShuttingDownDuringOutageFailsInsteadOfHanging) {
  OrderStore store(postgres_->url());
  ASSERT_TRUE(store.Migrate().ok());
  ASSERT_TRUE(postgres_->Stop().ok());
  OrderWriter writer(&store, {});
  writer.Start();
  absl::StatusCode code = absl::StatusCode::kOk;
  std::thread handler([&] {
    code = writer.Write({"m", "Latte", "2025-02-26 10:30:00"}).status().code();
  });
  // Whether the order is still queued or already retrying, shutdown ends
  // it with Unavailable.
  writer.BeginShutdown();
  handler.join();
  writer.Stop();
  EXPECT_EQ(code, absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace cortado::coffee
