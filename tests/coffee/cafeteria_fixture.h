// CafeteriaTest: the real pieces of the cafeteria flow for one test — a
// private PostgreSQL (PostgresProcess), the real cortado-server binary on
// port 0 (ServerProcess), and the real coffee-consumer binary
// (ChildProcess) — plus helpers to send orders and read coffee_orders.
// Waiting is always PollUntil with a deadline, never a sleep.
#ifndef CORTADO_TESTS_COFFEE_CAFETERIA_FIXTURE_H_
#define CORTADO_TESTS_COFFEE_CAFETERIA_FIXTURE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cortado/client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/coffee/child_process.h"
#include "tests/testing/poll.h"
#include "tests/testing/postgres_process.h"
#include "tests/testing/server_process.h"

namespace cortado::coffee {

// PollUntil for conditions that query PostgreSQL: every 20 ms rather than
// every millisecond, since each check opens a connection (a server fork).
inline bool PollDatabaseUntil(const std::function<bool()>& condition,
                              absl::Duration timeout) {
  return testing::PollUntil(condition, timeout, absl::Milliseconds(20));
}

// Rows of a query, each column as text ("" for NULL).
using Rows = std::vector<std::vector<std::string>>;
absl::StatusOr<Rows> Query(const std::string& url, const std::string& sql);

class CafeteriaTest : public ::testing::Test {
 protected:
  // Short, so that a killed consumer's messages come back quickly.
  static constexpr int kVisibilityTimeoutSeconds = 2;
  static constexpr int kMaxReceiveCount = 2;

  void SetUp() override;
  void TearDown() override;

  // Creates cafeteria-queue and cafeteria-dlq as --create-queue does, with
  // the short visibility timeout above.
  void CreateQueues();

  // Starts coffee-consumer against this test's broker and database, logging
  // to consumer-<n>.log; `extra` flags come last and win.
  std::unique_ptr<testing::ChildProcess> StartConsumer(
      const std::vector<std::string>& extra = {});

  // Sends "Order <prefix>-<i>|2025-02-26 10:30:00" for i in [0, count),
  // in batches of ten; returns the coffee types sent.
  std::vector<std::string> SendOrders(absl::string_view prefix, int count);

  // SELECT count(*) FROM coffee_orders; -1 on error (e.g. database down).
  int64_t RowCount();
  // coffee_type -> number of rows with it.
  std::map<std::string, int> RowsPerCoffeeType();
  // Visible + in flight + delayed messages of `queue`; -1 on error.
  int64_t MessagesIn(absl::string_view queue);

  // Polls until coffee_orders has `rows` rows and the queue is empty.
  bool WaitForAllStored(int64_t rows, absl::Duration timeout);

  // Every consumer log so far, for failure messages.
  std::string ConsumerLogs() const;

  std::unique_ptr<testing::PostgresProcess> postgres_;
  std::unique_ptr<testing::ServerProcess> server_;
  std::unique_ptr<client::Client> client_;
  std::string log_dir_;
  int consumers_started_ = 0;
};

}  // namespace cortado::coffee

#endif  // CORTADO_TESTS_COFFEE_CAFETERIA_FIXTURE_H_
