#include "tests/coffee/cafeteria_fixture.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/coffee/queue_setup.h"

#ifndef COFFEE_CONSUMER_BINARY
#error "COFFEE_CONSUMER_BINARY must name the coffee-consumer binary"
#endif

namespace cortado::coffee {

absl::StatusOr<Rows> Query(const std::string& url, const std::string& sql) {
  try {
    pqxx::connection connection(url);
    pqxx::nontransaction txn(connection);
    Rows rows;
    for (const pqxx::row& row : txn.exec(sql)) {
      std::vector<std::string> columns;
      for (const pqxx::field& field : row) {
        columns.push_back(field.is_null() ? "" : field.c_str());
      }
      rows.push_back(std::move(columns));
    }
    return rows;
  } catch (const std::exception& e) {
    return absl::UnavailableError(e.what());
  }
}

void CafeteriaTest::SetUp() {
  absl::StatusOr<std::unique_ptr<testing::PostgresProcess>> postgres =
      testing::PostgresProcess::Create();
  ASSERT_TRUE(postgres.ok()) << postgres.status();
  postgres_ = std::move(*postgres);
  absl::StatusOr<std::unique_ptr<testing::ServerProcess>> server =
      testing::ServerProcess::Start({});
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = std::move(*server);
  absl::StatusOr<std::unique_ptr<client::Client>> client =
      client::Client::Connect(server_->grpc_address());
  ASSERT_TRUE(client.ok()) << client.status();
  client_ = std::move(*client);
  std::string pattern = "/tmp/coffee-test-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  log_dir_ = pattern;
}

void CafeteriaTest::TearDown() {
  if (HasFailure()) {
    std::cerr << ConsumerLogs();
  } else if (!log_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(log_dir_, ignored);
  }
}

void CafeteriaTest::CreateQueues() {
  QueueSetup setup;
  setup.max_receive_count = kMaxReceiveCount;
  setup.visibility_timeout = absl::Seconds(kVisibilityTimeoutSeconds);
  const absl::Status status = CreateCafeteriaQueues(*client_, setup);
  ASSERT_TRUE(status.ok()) << status;
}

std::unique_ptr<testing::ChildProcess> CafeteriaTest::StartConsumer(
    const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {
      COFFEE_CONSUMER_BINARY,
      absl::StrCat("--broker=", server_->grpc_address()),
      absl::StrCat("--database-url=", postgres_->url()),
      "--summary-interval=1s",
  };
  argv.insert(argv.end(), extra.begin(), extra.end());
  const std::string log_path =
      absl::StrCat(log_dir_, "/consumer-", ++consumers_started_, ".log");
  absl::StatusOr<std::unique_ptr<testing::ChildProcess>> consumer =
      testing::ChildProcess::Start(argv, log_path);
  EXPECT_TRUE(consumer.ok()) << consumer.status();
  return consumer.ok() ? std::move(*consumer) : nullptr;
}

std::vector<std::string> CafeteriaTest::SendOrders(absl::string_view prefix,
                                                   int count) {
  std::vector<std::string> sent;
  for (int first = 0; first < count; first += 10) {
    std::vector<client::SendBatchEntry> entries;
    for (int i = first; i < std::min(first + 10, count); ++i) {
      const std::string coffee_type = absl::StrCat("Order ", prefix, "-", i);
      entries.push_back({absl::StrCat("e", i),
                         absl::StrCat(coffee_type, "|2025-02-26 10:30:00"),
                         {}});
      sent.push_back(coffee_type);
    }
    absl::StatusOr<client::SendBatchResult> result =
        client_->SendMessageBatch("cafeteria-queue", entries);
    EXPECT_TRUE(result.ok()) << result.status();
    if (result.ok()) {
      EXPECT_TRUE(result->failed.empty());
    }
  }
  return sent;
}

int64_t CafeteriaTest::RowCount() {
  absl::StatusOr<Rows> rows =
      Query(postgres_->url(), "SELECT count(*) FROM coffee_orders");
  if (!rows.ok() || rows->empty()) return -1;
  return std::stoll((*rows)[0][0]);
}

std::map<std::string, int> CafeteriaTest::RowsPerCoffeeType() {
  std::map<std::string, int> counts;
  absl::StatusOr<Rows> rows = Query(
      postgres_->url(),
      "SELECT coffee_type, count(*) FROM coffee_orders GROUP BY coffee_type");
  EXPECT_TRUE(rows.ok()) << rows.status();
  if (!rows.ok()) return counts;
  for (const auto& row : *rows) counts[row[0]] = std::stoi(row[1]);
  return counts;
}

int64_t CafeteriaTest::MessagesIn(absl::string_view queue) {
  absl::StatusOr<client::StringMap> attributes = client_->GetQueueAttributes(
      queue,
      {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
       "ApproximateNumberOfMessagesDelayed"});
  if (!attributes.ok()) return -1;
  int64_t total = 0;
  for (const auto& [name, value] : *attributes) total += std::stoll(value);
  return total;
}

bool CafeteriaTest::WaitForAllStored(int64_t rows, absl::Duration timeout) {
  return PollDatabaseUntil(
      [&] { return RowCount() == rows && MessagesIn("cafeteria-queue") == 0; },
      timeout);
}

std::string CafeteriaTest::ConsumerLogs() const {
  std::string logs;
  for (int i = 1; i <= consumers_started_; ++i) {
    const std::string path = absl::StrCat(log_dir_, "/consumer-", i, ".log");
    std::ifstream in(path);
    std::stringstream contents;
    contents << in.rdbuf();
    absl::StrAppend(&logs, "--- ", path, " ---\n", contents.str());
  }
  return logs;
}

}  // namespace cortado::coffee
