// coffee_bench: how many cafeteria orders per second coffee-consumer moves
// from a Cortado queue into PostgreSQL.
//
// For each --concurrency value: a fresh PostgreSQL (fsync on, as in
// production), a fresh cortado-server (SQLite, its default sync), a backlog
// of --orders messages sent before the consumer starts, then the real
// coffee-consumer binary. The clock runs from the consumer's start (schema
// already migrated) until coffee_orders holds every order, checked every
// 20 ms.
//
//   build/bench/coffee_bench --orders=10000 --concurrency=1,10,50
#include <cstdio>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/coffee/order_store.h"
#include "client/coffee/queue_setup.h"
#include "cortado/client.h"
#include "tests/coffee/child_process.h"
#include "tests/testing/postgres_process.h"
#include "tests/testing/server_process.h"

ABSL_FLAG(int, orders, 10000, "Backlog size.");
ABSL_FLAG(std::string, concurrency, "1,10,50",
          "Comma-separated --concurrency values to measure.");
ABSL_FLAG(bool, log_orders, true,
          "Pass --log-orders to the consumer (its default is on).");

namespace cortado::coffee {
namespace {

int64_t RowCount(const std::string& url) {
  try {
    pqxx::connection connection(url);
    pqxx::nontransaction txn(connection);
    return txn.exec("SELECT count(*) FROM coffee_orders")[0][0].as<int64_t>();
  } catch (const std::exception&) {
    return -1;
  }
}

// Sends `count` orders with 4 threads of SendMessageBatch.
absl::Status SendBacklog(client::Client& client, int count) {
  constexpr int kThreads = 4;
  std::vector<absl::Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int first = t * 10; first < count; first += kThreads * 10) {
        std::vector<client::SendBatchEntry> entries;
        for (int i = first; i < std::min(first + 10, count); ++i) {
          entries.push_back(
              {absl::StrCat("e", i),
               absl::StrFormat("Latte %05d|2025-02-26 10:30:00", i),
               {}});
        }
        absl::StatusOr<client::SendBatchResult> sent =
            client.SendMessageBatch("cafeteria-queue", entries);
        if (!sent.ok()) {
          results[t] = sent.status();
          return;
        }
        if (!sent->failed.empty()) {
          results[t] = absl::InternalError(sent->failed[0].message);
          return;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const absl::Status& status : results) {
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<double> Measure(int orders, int concurrency) {
  testing::PostgresProcess::Options pg_options;
  pg_options.fsync = true;
  absl::StatusOr<std::unique_ptr<testing::PostgresProcess>> postgres =
      testing::PostgresProcess::Create(pg_options);
  if (!postgres.ok()) return postgres.status();
  absl::StatusOr<std::unique_ptr<testing::ServerProcess>> server =
      testing::ServerProcess::Start({});
  if (!server.ok()) return server.status();
  absl::StatusOr<std::unique_ptr<client::Client>> client =
      client::Client::Connect((*server)->grpc_address());
  if (!client.ok()) return client.status();
  if (absl::Status s = CreateCafeteriaQueues(**client, QueueSetup()); !s.ok()) {
    return s;
  }
  OrderStore store((*postgres)->url());
  if (absl::StatusOr<std::vector<std::string>> m = store.Migrate(); !m.ok()) {
    return m.status();
  }
  if (absl::Status s = SendBacklog(**client, orders); !s.ok()) return s;

  const std::string log_path =
      absl::StrCat("/tmp/coffee_bench_consumer_", concurrency, ".log");
  ::unlink(log_path.c_str());
  const absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<testing::ChildProcess>> consumer =
      testing::ChildProcess::Start(
          {COFFEE_CONSUMER_BINARY,
           absl::StrCat("--broker=", (*server)->grpc_address()),
           absl::StrCat("--database-url=", (*postgres)->url()),
           absl::StrCat("--concurrency=", concurrency),
           absl::StrCat("--log-orders=",
                        absl::GetFlag(FLAGS_log_orders) ? "true" : "false")},
          log_path);
  if (!consumer.ok()) return consumer.status();
  const absl::Time deadline = start + absl::Minutes(10);
  while (RowCount((*postgres)->url()) < orders) {
    if (!(*consumer)->Running() || absl::Now() > deadline) {
      return absl::InternalError(
          absl::StrCat("consumer stopped or too slow; see ", log_path));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  const absl::Duration elapsed = absl::Now() - start;
  absl::StatusOr<int> exit_code = (*consumer)->Terminate(absl::Seconds(30));
  if (!exit_code.ok()) return exit_code.status();
  if (RowCount((*postgres)->url()) != orders) {
    return absl::InternalError("more rows than orders");
  }
  return orders / absl::ToDoubleSeconds(elapsed);
}

int Run(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int orders = absl::GetFlag(FLAGS_orders);
  std::printf("coffee_bench: %d-order backlog -> PostgreSQL (fsync on)\n",
              orders);
  for (absl::string_view value :
       absl::StrSplit(absl::GetFlag(FLAGS_concurrency), ',')) {
    int concurrency = 0;
    if (!absl::SimpleAtoi(value, &concurrency)) {
      std::fprintf(stderr, "bad --concurrency value %s\n",
                   std::string(value).c_str());
      return 2;
    }
    absl::StatusOr<double> rate = Measure(orders, concurrency);
    if (!rate.ok()) {
      std::fprintf(stderr, "concurrency %d: %s\n", concurrency,
                   rate.status().ToString().c_str());
      return 1;
    }
    std::printf("  --concurrency=%-3d %8.0f orders/s\n", concurrency, *rate);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace
}  // namespace cortado::coffee

int main(int argc, char** argv) { return cortado::coffee::Run(argc, argv); }
