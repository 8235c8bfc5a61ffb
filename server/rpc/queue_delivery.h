// QueueDelivery is the queue-consuming half of the push streams
// (Topics/Listen and Queues/Consume): it keeps one long-poll receive parked
// in the broker while the window has room, hands what arrives to its stream,
// and settles delivered messages (ack = delete, nack = change visibility).
//
// A parked receive is woken in the same batch that commits a send, so a
// message reaches the client within one commit and nobody polls. At most
// `window` messages are delivered and not yet acked or nacked; an ack or nack
// frees its slot at once (the broker call runs behind it). When the stream
// ends, Stop() cancels the parked receive and makes every unacked message
// visible again at once, so the next consumer gets it without waiting for
// its visibility timeout.
//
// Lifetime: owned by its stream (a StreamReactor), which it keeps alive
// across every broker call through Stream::Hold/Release.
// Thread-safety: every method may be called from any thread; state is
// guarded by mu_, and no broker call or Stream hook runs with mu_ held (a
// broker callback may run synchronously).
#ifndef CORTADO_SERVER_RPC_QUEUE_DELIVERY_H_
#define CORTADO_SERVER_RPC_QUEUE_DELIVERY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "server/core/api.h"
#include "server/core/broker.h"

namespace cortado::rpc {

// The largest window a stream may ask for.
inline constexpr int32_t kMaxDeliveryWindow = 1000;

struct DeliverySettings {
  std::string queue;
  int32_t window = 1;  // 1..kMaxDeliveryWindow
  // Unset: the queue's VisibilityTimeout.
  std::optional<int32_t> visibility_timeout;
  std::vector<std::string> attribute_names;
  std::vector<std::string> message_attribute_names;
};

class QueueDelivery {
 public:
  // What the delivery needs from the stream that owns it.
  class Stream {
   public:
    virtual ~Stream() = default;
    // Keep the stream alive across a broker call (see StreamReactor).
    virtual void Hold() = 0;
    virtual void Release() = 0;
    // Sends messages to the client. Runs without mu_, possibly on the
    // broker's thread; must not block.
    virtual void Deliver(std::vector<ReceivedMessage> messages) = 0;
    // A receive failed (e.g. the queue was deleted): end the stream.
    virtual void Fail(const absl::Status& status) = 0;
  };

  explicit QueueDelivery(Stream* stream) : stream_(stream) {}

  QueueDelivery(const QueueDelivery&) = delete;
  QueueDelivery& operator=(const QueueDelivery&) = delete;

  // Begins delivering from `broker` (the queue's; kept alive until the
  // delivery is destroyed). Call once; later calls do nothing.
  void Start(std::shared_ptr<Broker> broker, DeliverySettings settings);
  bool started() const;
  // Widens the window by `credits` (clamped to 1..kMaxDeliveryWindow).
  // Credits granted before Start() are added to its window.
  void Grant(int32_t credits);
  // Deletes delivered messages. Handles the delivery does not know are
  // still passed to the broker, which ignores the stale ones.
  void Ack(std::vector<std::string> receipt_handles);
  // Makes delivered messages visible again after `visibility_timeout`
  // seconds (0: at once).
  void Nack(std::vector<std::string> receipt_handles,
            int32_t visibility_timeout);
  // Stops for good: cancels the parked receive and releases every unacked
  // message (visible at once). Idempotent. Messages the broker answers
  // afterwards are released too, never delivered.
  void Stop();

 private:
  // Parks a receive if the window has room and none is outstanding.
  void Pump();
  void OnReceived(absl::StatusOr<ReceiveMessageResult> result);
  // Changes the visibility of `receipt_handles` in batches of 10.
  void ChangeVisibility(const std::string& queue,
                        std::vector<std::string> receipt_handles,
                        int32_t visibility_timeout);

  Stream* const stream_;
  // Set once by Start(), under mu_ and before started_; read (without mu_)
  // only by code that saw started_ (so after that write).
  std::shared_ptr<Broker> broker_;

  mutable absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  DeliverySettings settings_ ABSL_GUARDED_BY(mu_);
  int32_t early_credits_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_set<std::string> unacked_ ABSL_GUARDED_BY(mu_);
  bool receiving_ ABSL_GUARDED_BY(mu_) = false;
  // The parked receive's broker id (0: not known yet), and which Pump()
  // started it, so a late id of an answered receive is not kept.
  uint64_t receive_id_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t receive_seq_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace cortado::rpc

#endif  // CORTADO_SERVER_RPC_QUEUE_DELIVERY_H_
