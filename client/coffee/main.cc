// coffee-consumer: the cafeteria's order taker. Long-polls a Cortado queue
// for "CoffeeType|YYYY-MM-DD HH:MM:SS" orders and stores each as a row of
// PostgreSQL's coffee_orders (status 'created'), deleting a message only
// after its row is committed. See README.md, "The cafeteria in five
// minutes".
//
//   coffee-consumer [flags]           migrate, then consume until SIGTERM
//   coffee-consumer migrate [flags]   apply migrations/coffee and exit
//
// Flags are spelled with dashes (--database-url); absl names them with
// underscores, so dashes in flag names are rewritten before parsing.
//
// Signals: SIGTERM and SIGINT are blocked in every thread before any thread
// starts; the main thread takes them with sigtimedwait(), which doubles as
// the timer of the periodic summary and of startup retries.
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/coffee/log.h"
#include "client/coffee/order_handler.h"
#include "client/coffee/order_store.h"
#include "client/coffee/order_writer.h"
#include "client/coffee/queue_setup.h"
#include "common/flag_names.h"
#include "cortado/client.h"
#include "cortado/consumer.h"
#include "cortado/errors.h"

ABSL_FLAG(std::string, broker, "127.0.0.1:50051",
          "Cortado broker gRPC address, HOST:PORT.");
ABSL_FLAG(std::string, queue, "cafeteria-queue", "Queue of the orders.");
ABSL_FLAG(std::string, dead_letter_queue, "cafeteria-dlq",
          "Dead-letter queue that --create-queue makes for --queue.");
ABSL_FLAG(std::string, database_url, "",
          "libpq URL or connection string, e.g. "
          "postgresql://user:pass@host:5432/db?sslmode=require. Empty: "
          "$DATABASE_URL, else libpq's PG* variables.");
ABSL_FLAG(int, concurrency, 10,
          "Orders handled at once (1-100); the orders in hand are inserted "
          "together in one transaction.");
ABSL_FLAG(bool, create_queue, false,
          "Create --queue and --dead-letter-queue with a redrive policy "
          "before consuming.");
ABSL_FLAG(int, max_receive_count, 5,
          "With --create-queue: receives before a message moves to the "
          "dead-letter queue.");
ABSL_FLAG(int, visibility_timeout, 30,
          "With --create-queue: the queue's VisibilityTimeout in seconds.");
ABSL_FLAG(absl::Duration, summary_interval, absl::Seconds(10),
          "How often to log the summary line (processed, failed, rate).");
ABSL_FLAG(bool, log_orders, true, "Log one line per stored order.");

namespace cortado::coffee {
namespace {

constexpr absl::Duration kMaxStartupBackoff = absl::Seconds(5);

// Waits up to `timeout` for SIGTERM/SIGINT (blocked in every thread);
// returns the signal, or 0 when the time is up.
int WaitForSignal(const sigset_t& signals, absl::Duration timeout) {
  const timespec ts = absl::ToTimespec(timeout);
  while (true) {
    const int signal_number = sigtimedwait(&signals, nullptr, &ts);
    if (signal_number > 0) return signal_number;
    if (errno != EINTR) return 0;
  }
}

// Retries `attempt` with doubling waits while it fails with Unavailable
// (the database or broker not up yet). Returns false on a signal.
bool RetryUntilAvailable(const sigset_t& signals, absl::string_view what,
                         const std::function<absl::Status()>& attempt,
                         absl::Status* final_status) {
  absl::Duration backoff = absl::Milliseconds(100);
  while (true) {
    *final_status = attempt();
    if (!absl::IsUnavailable(*final_status)) return true;
    Log(absl::StrCat(what, ": ", final_status->message(), "; retrying in ",
                     absl::FormatDuration(backoff)));
    if (WaitForSignal(signals, backoff) != 0) return false;
    backoff = std::min(backoff * 2, kMaxStartupBackoff);
  }
}

std::string DatabaseUrl() {
  std::string url = absl::GetFlag(FLAGS_database_url);
  if (url.empty()) {
    const char* env = std::getenv("DATABASE_URL");
    if (env != nullptr) url = env;
  }
  return url;  // empty: libpq reads PGHOST, PGPORT, PGUSER, PGSSLMODE...
}

absl::Status Migrate(OrderStore& store) {
  absl::StatusOr<std::vector<std::string>> applied = store.Migrate();
  if (!applied.ok()) return applied.status();
  Log(applied->empty() ? std::string("migrations: schema up to date")
                       : absl::StrCat("migrations: applied ",
                                      absl::StrJoin(*applied, ", ")));
  return absl::OkStatus();
}

void LogSummary(const client::ConsumerStats& stats, const OrderHandler& handler,
                const OrderWriterCounters& writes, double rate) {
  Log(absl::StrFormat(
      "summary: processed=%d (new rows %d, already stored %d, in %d "
      "transactions) failed=%d (malformed %d) in_flight=%d rate=%.1f "
      "orders/s",
      stats.processed, writes.inserted, writes.duplicates, writes.transactions,
      stats.failed, handler.rejected(), stats.in_flight, rate));
}

int Run(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "coffee-consumer [migrate] [--broker=HOST:PORT] [--queue=NAME] "
      "[--database-url=URL] [--concurrency=N] [--create-queue]");
  std::vector<std::string> args = NormalizeFlagNames(argc, argv);
  std::vector<char*> arg_pointers;
  for (std::string& arg : args) arg_pointers.push_back(arg.data());
  std::vector<char*> positional = absl::ParseCommandLine(
      static_cast<int>(arg_pointers.size()), arg_pointers.data());
  const bool migrate_only =
      positional.size() == 2 && std::string(positional[1]) == "migrate";
  if (positional.size() > 2 || (positional.size() == 2 && !migrate_only)) {
    std::fprintf(stderr, "coffee-consumer: unexpected argument \"%s\"\n",
                 positional.back());
    return 2;
  }
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  if (concurrency < 1 || concurrency > 100) {
    std::fprintf(stderr, "coffee-consumer: --concurrency must be 1-100\n");
    return 2;
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  OrderStore store(DatabaseUrl());
  absl::Status status;
  if (!RetryUntilAvailable(
          signals, "PostgreSQL", [&] { return Migrate(store); }, &status)) {
    return 0;
  }
  if (!status.ok()) {
    Log(absl::StrCat("migrations failed: ", status.message()));
    return 1;
  }
  if (migrate_only) return 0;

  const std::string queue = absl::GetFlag(FLAGS_queue);
  absl::StatusOr<std::unique_ptr<client::Client>> client =
      client::Client::Connect(absl::GetFlag(FLAGS_broker));
  if (!client.ok()) {
    Log(absl::StrCat("--broker: ", client.status().message()));
    return 2;
  }
  if (absl::GetFlag(FLAGS_create_queue)) {
    QueueSetup setup;
    setup.queue = queue;
    setup.dead_letter_queue = absl::GetFlag(FLAGS_dead_letter_queue);
    setup.max_receive_count = absl::GetFlag(FLAGS_max_receive_count);
    setup.visibility_timeout =
        absl::Seconds(absl::GetFlag(FLAGS_visibility_timeout));
    if (!RetryUntilAvailable(
            signals, "broker",
            [&] { return CreateCafeteriaQueues(**client, setup); }, &status)) {
      return 0;
    }
    if (!status.ok()) {
      Log(absl::StrCat("--create-queue: ", status.message()));
      return 1;
    }
    Log(absl::StrCat("queues ready: ", queue, " -> ", setup.dead_letter_queue,
                     " after ", setup.max_receive_count, " receives"));
  }

  OrderWriterOptions writer_options;
  writer_options.max_batch = std::max(concurrency, 10);
  OrderWriter writer(&store, writer_options);
  OrderHandler handler(&writer, absl::GetFlag(FLAGS_log_orders));
  client::ConsumerOptions options;
  options.queue = queue;
  options.concurrency = concurrency;
  options.max_messages = std::min(concurrency, 10);
  // A failed order reappears when its visibility timeout expires, as in
  // the original app: a malformed one reaches the dead-letter queue after
  // maxReceiveCount timeouts, and on a queue without one it comes back
  // once per timeout instead of spinning in a hot receive-reject loop.
  options.on_failure = client::FailurePolicy::kLeave;
  client::Consumer consumer(
      client->get(), options,
      [&handler](const client::Message& m) { return handler.Handle(m); });
  writer.Start();
  if (!RetryUntilAvailable(
          signals, "broker", [&] { return consumer.Start(); }, &status)) {
    writer.Stop();
    return 0;
  }
  if (!status.ok()) {
    Log(absl::StrCat("cannot consume ", queue, ": ", status.message(),
                     client::ErrorName(status) == client::kQueueDoesNotExist
                         ? " (create it, or pass --create-queue)"
                         : ""));
    writer.Stop();
    return 1;
  }
  Log(absl::StrCat("consuming ", queue, " on ", (*client)->target(),
                   " with concurrency ", concurrency));

  const absl::Duration interval = absl::GetFlag(FLAGS_summary_interval);
  int64_t last_processed = 0;
  absl::Time last_time = absl::Now();
  int signal_number = 0;
  while ((signal_number = WaitForSignal(signals, interval)) == 0) {
    const client::ConsumerStats stats = consumer.stats();
    const absl::Time now = absl::Now();
    const double rate = (stats.processed - last_processed) /
                        absl::ToDoubleSeconds(now - last_time);
    LogSummary(stats, handler, writer.counters(), rate);
    last_processed = stats.processed;
    last_time = now;
  }
  Log(absl::StrCat(strsignal(signal_number),
                   ": finishing the orders in hand, then exiting"));
  writer.BeginShutdown();  // no retries: an outage must not hang the exit
  consumer.Stop();         // waits for the handlers, deletes their messages
  writer.Stop();
  LogSummary(consumer.stats(), handler, writer.counters(), 0);
  return 0;
}

}  // namespace
}  // namespace cortado::coffee

int main(int argc, char** argv) { return cortado::coffee::Run(argc, argv); }
