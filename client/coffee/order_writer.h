// OrderWriter group-commits orders into PostgreSQL: the consumer's handlers
// (one per in-flight message) each call Write() and block; one writer thread
// takes every order waiting at that moment, inserts them in one transaction,
// and only then releases the handlers, whose messages the Consumer deletes.
// So a message is deleted only after its row is committed, and a batch of
// concurrently received messages costs one commit.
//
// When PostgreSQL is down the writer keeps the batch and retries with
// exponential backoff; the handlers stay blocked, the Consumer keeps their
// messages invisible (heartbeats) and receives nothing new. The messages
// stay in the queue, their receive counts do not grow, and the writer
// recovers by itself when the database is back.
//
// Thread-safety: Write, BeginShutdown and counters are thread-safe; Start
// and Stop are called by the owner, once each.
#ifndef CORTADO_CLIENT_COFFEE_ORDER_WRITER_H_
#define CORTADO_CLIENT_COFFEE_ORDER_WRITER_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/coffee/order.h"
#include "client/coffee/order_store.h"

namespace cortado::coffee {

struct OrderWriterOptions {
  // Most orders per transaction.
  int max_batch = 100;
  // Waits between failed attempts: doubling from min to max.
  absl::Duration min_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(5);
};

struct WriteResult {
  // The row's id, or nullopt when the message's row already existed.
  std::optional<int64_t> row_id;
};

struct OrderWriterCounters {
  int64_t transactions = 0;  // committed
  int64_t inserted = 0;      // rows made
  int64_t duplicates = 0;    // orders whose row already existed
  int64_t failed_attempts = 0;
};

class OrderWriter {
 public:
  // `store` is not owned, must outlive the writer, and is used only by the
  // writer thread.
  OrderWriter(OrderStore* store, OrderWriterOptions options);
  ~OrderWriter();  // Stop()s
  OrderWriter(const OrderWriter&) = delete;
  OrderWriter& operator=(const OrderWriter&) = delete;

  void Start();

  // Blocks until the order's transaction committed. Errors:
  // InvalidArgument when PostgreSQL refused this order's data, Unavailable
  // when the writer is shutting down (or stopped) and PostgreSQL is
  // unreachable.
  absl::StatusOr<WriteResult> Write(const Order& order);

  // From now on a failed attempt is not retried: its orders fail with
  // Unavailable. Work in hand still commits while PostgreSQL is up, and a
  // SIGTERM during an outage never hangs.
  void BeginShutdown();

  // BeginShutdown(), finishes the queued orders, joins the thread. Call it
  // once nothing calls Write() any more (after Consumer::Stop()).
  void Stop();

  OrderWriterCounters counters() const;

 private:
  // A Write() call waiting for its transaction; lives on its stack.
  struct Pending {
    explicit Pending(const Order* order) : order(order) {}
    const Order* const order;
    bool done = false;
    absl::StatusOr<WriteResult> result;
  };

  void Loop();
  // Writes `batch` until it commits, fails for good, or shutdown begins.
  void WriteBatch(const std::vector<Pending*>& batch);
  void Finish(const std::vector<Pending*>& batch,
              const std::vector<absl::StatusOr<WriteResult>>& results);

  // Constant after construction.
  OrderStore* const store_;
  const OrderWriterOptions options_;
  std::thread thread_;  // set by Start()

  mutable absl::Mutex mu_;
  std::deque<Pending*> queue_ ABSL_GUARDED_BY(mu_);
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;  // the thread is exiting
  OrderWriterCounters counters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cortado::coffee

#endif  // CORTADO_CLIENT_COFFEE_ORDER_WRITER_H_
