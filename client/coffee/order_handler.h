// OrderHandler is what coffee-consumer does with one received message:
// parse and validate the body, have the OrderWriter commit its row, log one
// line. It returns OK only once the row is committed (new or already there),
// which is when libcortado's Consumer deletes the message; any error leaves
// the message in the queue:
//
//   - malformed body: InvalidArgument, logged with the reason. The message
//     reappears after its visibility timeout, and after the queue's
//     maxReceiveCount receives the broker moves it to the dead-letter queue.
//     It is never inserted and never deleted here.
//   - PostgreSQL down: the call blocks while the writer retries (see
//     order_writer.h); it fails only on shutdown.
//
// Thread-safety: thread-safe; the Consumer calls it from its N workers.
#ifndef CORTADO_CLIENT_COFFEE_ORDER_HANDLER_H_
#define CORTADO_CLIENT_COFFEE_ORDER_HANDLER_H_

#include <atomic>
#include <cstdint>

#include "absl/status/status.h"
#include "client/coffee/order_writer.h"
#include "cortado/types.h"

namespace cortado::coffee {

class OrderHandler {
 public:
  // `writer` is not owned and must outlive the handler.
  OrderHandler(OrderWriter* writer, bool log_orders)
      : writer_(writer), log_orders_(log_orders) {}

  absl::Status Handle(const client::Message& message);

  // Messages rejected as malformed so far.
  int64_t rejected() const { return rejected_.load(); }

 private:
  OrderWriter* const writer_;
  const bool log_orders_;
  std::atomic<int64_t> rejected_{0};
};

}  // namespace cortado::coffee

#endif  // CORTADO_CLIENT_COFFEE_ORDER_HANDLER_H_
