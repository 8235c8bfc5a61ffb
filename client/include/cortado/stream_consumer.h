// StreamConsumer receives a queue's messages over one Consume stream: the
// broker pushes each message as soon as it is available (no polling, no
// receive rpc per message), keeping at most `window` messages delivered and
// not yet acked or nacked, like an AMQP consumer with a prefetch count.
//
//   StreamConsumerOptions options;
//   options.queue = "orders";
//   options.window = 100;
//   auto consumer = StreamConsumer::Open(client.get(), options);
//   if (!consumer.ok()) return consumer.status();
//   while (true) {
//     absl::StatusOr<std::vector<Message>> got =
//         (*consumer)->Next(10, absl::Seconds(1));
//     if (!got.ok()) break;  // the stream ended; open a new consumer
//     for (const Message& m : *got) { Process(m); (*consumer)->Ack(m); }
//   }
//
// Acks delete messages and nacks make them visible again; both free their
// window slots at once and are committed by the broker in the background, so
// they return without waiting (a stale handle is ignored; its message comes
// back after its visibility timeout). When the stream ends — Close(), the
// destructor, a lost connection — the broker makes every unacked message
// visible again at once. Delivery is at least once.
//
// Thread-safety: thread-safe; Next() may be called from several threads
// (each message is returned once), and acks from any thread.
#ifndef CORTADO_CLIENT_INCLUDE_CORTADO_STREAM_CONSUMER_H_
#define CORTADO_CLIENT_INCLUDE_CORTADO_STREAM_CONSUMER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cortado/client.h"
#include "cortado/types.h"

namespace cortado::client {

struct StreamConsumerOptions {
  // The queue's name. Required; the queue must exist.
  std::string queue;
  // Messages delivered and not yet acked or nacked, at most: 1-1000.
  int window = 10;
  // How long delivered messages stay invisible (whole seconds, 0-12 h).
  // Unset means the queue's VisibilityTimeout.
  std::optional<absl::Duration> visibility_timeout;
  // Attributes delivered (see ReceiveOptions); clear for none.
  std::vector<std::string> attribute_names = {"All"};
  std::vector<std::string> message_attribute_names = {"All"};
};

class StreamConsumer {
 public:
  // Opens the stream and waits (up to the client's deadline) until the
  // broker accepted it: QueueDoesNotExist and bad options fail here.
  // `client` must outlive the consumer.
  static absl::StatusOr<std::unique_ptr<StreamConsumer>> Open(
      Client* client, StreamConsumerOptions options);

  virtual ~StreamConsumer() = default;

  // Up to `max` messages: waits up to `timeout` for the first, then takes
  // the ones already delivered. Empty: none arrived in time. An error once
  // the stream has ended (kCancelled after Close()).
  virtual absl::StatusOr<std::vector<Message>> Next(size_t max,
                                                    absl::Duration timeout) = 0;
  // Deletes delivered messages.
  virtual absl::Status Ack(const std::vector<std::string>& receipt_handles) = 0;
  absl::Status Ack(const Message& message) {
    return Ack(std::vector<std::string>{message.receipt_handle});
  }
  // Makes delivered messages visible again after `visibility_timeout`
  // (whole seconds, fractions round up; zero: at once, for any consumer).
  virtual absl::Status Nack(const std::vector<std::string>& receipt_handles,
                            absl::Duration visibility_timeout) = 0;
  // Widens the window by `credits` (1000 at most in total).
  virtual absl::Status Grant(int credits) = 0;
  // Ends the stream now; Next() then fails with kCancelled.
  virtual void Close() = 0;
};

}  // namespace cortado::client

#endif  // CORTADO_CLIENT_INCLUDE_CORTADO_STREAM_CONSUMER_H_
