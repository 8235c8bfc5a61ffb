// The cafeteria flow under failure, with real processes: PostgreSQL stopped
// and restarted under a running consumer, the consumer killed with kill -9
// and restarted, two consumers at once. The invariant every test checks:
// each order sent is in coffee_orders exactly once, the queue ends empty,
// and no valid order lands in the dead-letter queue.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/coffee/order_store.h"
#include "tests/coffee/cafeteria_fixture.h"

namespace cortado::coffee {
namespace {

class CafeteriaRecoveryTest : public CafeteriaTest {
 protected:
  void ExpectEachOrderOnce(const std::vector<std::string>& sent) {
    std::map<std::string, int> rows = RowsPerCoffeeType();
    EXPECT_EQ(rows.size(), sent.size());
    int wrong = 0;
    for (const std::string& coffee_type : sent) {
      if (rows[coffee_type] != 1 && ++wrong <= 5) {
        ADD_FAILURE() << coffee_type << " stored " << rows[coffee_type]
                      << " times";
      }
    }
    EXPECT_EQ(wrong, 0);
    EXPECT_EQ(MessagesIn("cafeteria-dlq"), 0);
  }

  static void ExpectCleanExit(testing::ChildProcess& consumer) {
    absl::StatusOr<int> exit_code = consumer.Terminate(absl::Seconds(30));
    ASSERT_TRUE(exit_code.ok()) << exit_code.status();
    EXPECT_EQ(*exit_code, 0) << consumer.Log();
  }
};

TEST_F(CafeteriaRecoveryTest, PostgresStoppedMidRunAndRestartedStoresAllOnce) {
  CreateQueues();
  std::unique_ptr<testing::ChildProcess> consumer =
      StartConsumer({"--concurrency=4"});
  ASSERT_NE(consumer, nullptr);
  std::vector<std::string> sent = SendOrders("before", 100);
  ASSERT_TRUE(
      PollDatabaseUntil([&] { return RowCount() > 0; }, absl::Seconds(30)))
      << consumer->Log();

  ASSERT_TRUE(postgres_->Stop().ok());
  std::vector<std::string> more = SendOrders("during", 100);
  sent.insert(sent.end(), more.begin(), more.end());
  // The consumer noticed, and the orders wait in the broker meanwhile.
  ASSERT_TRUE(PollDatabaseUntil(
      [&] { return absl::StrContains(consumer->Log(), "retrying"); },
      absl::Seconds(30)))
      << consumer->Log();
  EXPECT_GT(MessagesIn("cafeteria-queue"), 0);
  EXPECT_TRUE(consumer->Running());

  ASSERT_TRUE(postgres_->Start().ok());
  ASSERT_TRUE(WaitForAllStored(200, absl::Seconds(60)))
      << RowCount() << " rows, " << MessagesIn("cafeteria-queue")
      << " messages\n"
      << consumer->Log();
  ExpectEachOrderOnce(sent);
  EXPECT_TRUE(absl::StrContains(consumer->Log(), "PostgreSQL is back"));
  ExpectCleanExit(*consumer);
}

TEST_F(CafeteriaRecoveryTest, PostgresDownAtStartIsWaitedFor) {
  CreateQueues();
  const std::vector<std::string> sent = SendOrders("early", 20);
  ASSERT_TRUE(postgres_->Stop().ok());
  std::unique_ptr<testing::ChildProcess> consumer = StartConsumer();
  ASSERT_NE(consumer, nullptr);
  ASSERT_TRUE(PollDatabaseUntil(
      [&] { return absl::StrContains(consumer->Log(), "retrying"); },
      absl::Seconds(30)))
      << consumer->Log();
  ASSERT_TRUE(postgres_->Start().ok());
  ASSERT_TRUE(WaitForAllStored(20, absl::Seconds(60))) << consumer->Log();
  ExpectEachOrderOnce(sent);
  ExpectCleanExit(*consumer);
}

TEST_F(CafeteriaRecoveryTest, RedeliveryOfAStoredOrderAddsNoRowAndDeletes) {
  // The state a consumer killed between its commit and its DeleteMessage
  // leaves behind: the row is in, the message still in the queue.
  CreateQueues();
  absl::StatusOr<client::SendResult> sent =
      client_->SendMessage("cafeteria-queue", "Latte|2025-02-26 10:30:00");
  ASSERT_TRUE(sent.ok()) << sent.status();
  ASSERT_TRUE(OrderStore(postgres_->url()).Migrate().ok());
  ASSERT_TRUE(Query(postgres_->url(),
                    absl::StrCat("INSERT INTO coffee_orders (timestamp, "
                                 "coffee_type, message_id) VALUES "
                                 "('2025-02-26 10:30:00', 'Latte', '",
                                 sent->message_id, "')"))
                  .ok());

  std::unique_ptr<testing::ChildProcess> consumer = StartConsumer();
  ASSERT_NE(consumer, nullptr);
  ASSERT_TRUE(PollDatabaseUntil(
      [&] { return MessagesIn("cafeteria-queue") == 0; }, absl::Seconds(30)))
      << consumer->Log();
  EXPECT_EQ(RowCount(), 1);
  EXPECT_TRUE(absl::StrContains(consumer->Log(), "already stored"))
      << consumer->Log();
  ExpectCleanExit(*consumer);
}

TEST_F(CafeteriaRecoveryTest, ConsumerKilledMidBatchLosesAndDuplicatesNone) {
  CreateQueues();
  const std::vector<std::string> sent = SendOrders("kill", 400);
  std::unique_ptr<testing::ChildProcess> consumer = StartConsumer();
  ASSERT_NE(consumer, nullptr);
  ASSERT_TRUE(
      PollDatabaseUntil([&] { return RowCount() >= 20; }, absl::Seconds(30)))
      << consumer->Log();
  consumer->Kill();  // kill -9: no goodbye, messages in flight stay taken
  const int64_t rows_at_kill = RowCount();
  EXPECT_LT(rows_at_kill, 400) << "the kill came after the work was done";

  // Messages the dead consumer held come back after their visibility
  // timeout; ones it had stored but not deleted find their row.
  std::unique_ptr<testing::ChildProcess> restarted = StartConsumer();
  ASSERT_NE(restarted, nullptr);
  ASSERT_TRUE(WaitForAllStored(400, absl::Seconds(60)))
      << RowCount() << " rows, " << MessagesIn("cafeteria-queue")
      << " messages\n"
      << restarted->Log();
  ExpectEachOrderOnce(sent);
  ExpectCleanExit(*restarted);
}

TEST_F(CafeteriaRecoveryTest, TwoConsumersAtOnceStoreEachOrderOnce) {
  CreateQueues();
  const std::vector<std::string> sent = SendOrders("pair", 300);
  // Started together on an empty database: both run the migrations at
  // once, which the advisory lock serializes.
  std::unique_ptr<testing::ChildProcess> first =
      StartConsumer({"--concurrency=3"});
  std::unique_ptr<testing::ChildProcess> second =
      StartConsumer({"--concurrency=3"});
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(WaitForAllStored(300, absl::Seconds(60)))
      << RowCount() << " rows\n"
      << ConsumerLogs();
  ExpectEachOrderOnce(sent);
  absl::StatusOr<Rows> migrations =
      Query(postgres_->url(), "SELECT count(*) FROM coffee_schema_migrations");
  ASSERT_TRUE(migrations.ok()) << migrations.status();
  EXPECT_EQ((*migrations)[0][0], "2");
  ExpectCleanExit(*first);
  ExpectCleanExit(*second);
}

}  // namespace
}  // namespace cortado::coffee
