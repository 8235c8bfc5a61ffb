// Consumer runs a handler for every message of a queue, the way
// sqs-consumer-style libraries do: it long-polls, runs up to `concurrency`
// handlers at once, deletes each message whose handler succeeded, and keeps
// a message invisible (a "heartbeat": ChangeMessageVisibility) for as long as
// its handler runs, so slow work is not delivered twice.
//
//   ConsumerOptions options;
//   options.queue = "orders";
//   options.concurrency = 4;
//   Consumer consumer(client.get(), options,
//                     [](const Message& m) { return Process(m.body); });
//   if (absl::Status s = consumer.Start(); !s.ok()) return s;
//   ...
//   consumer.Stop();  // stops receiving, waits for running handlers
//
// Delivery is at least once: a handler can see a message again if the
// process dies before its delete, or if a delete or heartbeat fails.
//
// Thread-safety: Start, Stop, stats and WaitFor may be called from any
// thread, but Stop must not be called from inside a handler (it waits for
// the handlers). The handler runs on the consumer's worker threads,
// concurrently with itself when concurrency > 1.
#ifndef CORTADO_CLIENT_INCLUDE_CORTADO_CONSUMER_H_
#define CORTADO_CLIENT_INCLUDE_CORTADO_CONSUMER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "cortado/cancellation.h"
#include "cortado/client.h"
#include "cortado/types.h"

namespace cortado::client {

class HeartbeatScheduler;

// What happens to a message whose handler returned an error.
enum class FailurePolicy {
  // ChangeMessageVisibility(0): the message is receivable again at once
  // (and ends in the dead-letter queue after the queue's maxReceiveCount).
  kMakeVisible,
  // Nothing: the message reappears when its visibility timeout expires.
  kLeave,
};

struct ConsumerOptions {
  // The queue's name. Required.
  std::string queue;
  // Handlers that may run at once (worker threads).
  int concurrency = 1;
  // Most messages asked for per ReceiveMessage, 1-10. The consumer never
  // asks for more than it has free handlers, so no message waits invisible
  // in a local buffer.
  int max_messages = 10;
  // Long-poll time per receive, 0-20 s.
  absl::Duration wait_time = absl::Seconds(20);
  // How long received messages stay invisible; unset means the queue's
  // VisibilityTimeout, read once by Start().
  std::optional<absl::Duration> visibility_timeout;
  FailurePolicy on_failure = FailurePolicy::kMakeVisible;
  // How often a running handler's message gets its visibility extended
  // (to visibility_timeout from now). Unset means half the visibility
  // timeout; absl::InfiniteDuration() turns heartbeats off.
  std::optional<absl::Duration> heartbeat_interval;
  // Waits between failed receives: doubling from min to max, reset by a
  // successful receive. Stop() interrupts the wait.
  absl::Duration min_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(10);
  // Attributes the handler gets (see ReceiveOptions).
  std::vector<std::string> attribute_names = {"All"};
  std::vector<std::string> message_attribute_names = {"All"};
};

// Counters since Start(). A message counts in exactly one of processed and
// failed once its handler has returned and the follow-up call (delete, or
// making it visible) has been answered.
struct ConsumerStats {
  int64_t received = 0;
  int64_t processed = 0;   // handler returned OK
  int64_t failed = 0;      // handler returned an error (or threw)
  int64_t heartbeats = 0;  // successful visibility extensions
  int64_t receive_errors = 0;
  // Failed DeleteMessage / ChangeMessageVisibility after a handler, and
  // failed heartbeats.
  int64_t ack_errors = 0;
  int in_flight = 0;        // received and not yet finished
  absl::Status last_error;  // the most recent error of any kind
};

class Consumer {
 public:
  using Handler = std::function<absl::Status(const Message&)>;

  // `client` is not owned and must outlive the consumer.
  Consumer(Client* client, ConsumerOptions options, Handler handler);
  // Stop()s.
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Checks the options and that the queue exists, then starts the threads.
  // A consumer runs once: Start() after a successful Start() fails (one that
  // failed may be retried).
  absl::Status Start();

  // Graceful stop: ends the receive in progress, lets running handlers
  // finish (their heartbeats go on meanwhile) and settles their messages,
  // then returns. Messages that arrive after the stop began are made visible
  // again unhandled; one the broker handed out just as the cancelled long
  // poll ended stays invisible until its visibility timeout (delivery is at
  // least once either way). Idempotent.
  void Stop();

  ConsumerStats stats() const;

  // Blocks until `condition(stats())` holds or `timeout` passes; returns
  // whether it holds. `condition` runs under the consumer's lock and must
  // not call back into the consumer. Handy in tests and for draining.
  bool WaitFor(const std::function<bool(const ConsumerStats&)>& condition,
               absl::Duration timeout) const;

 private:
  struct Received {
    Message message;
    absl::Time received_at;
  };
  enum class State { kIdle, kRunning, kStopping, kStopped };

  void ReceiveLoop();
  void WorkerLoop();
  // Runs the handler and settles the message (delete or make visible).
  void Handle(Received received);
  absl::Status RunHandler(const Message& message);
  void Beat(const std::string& receipt_handle);
  // Makes messages that will not be handled visible again.
  void Release(const std::vector<Message>& messages);
  void RecordError(absl::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Constant after construction.
  Client* const client_;
  const ConsumerOptions options_;
  const Handler handler_;

  // Set by Start() before the threads begin; constant while they run.
  absl::Duration visibility_timeout_;
  std::unique_ptr<HeartbeatScheduler> heartbeats_;
  std::thread receiver_;
  std::vector<std::thread> workers_;

  // Ends the long poll in progress when Stop() begins.
  Cancellation receive_cancellation_;

  // Serializes Stop() so concurrent callers all return after the join.
  absl::Mutex stop_mu_ ABSL_ACQUIRED_BEFORE(mu_);

  mutable absl::Mutex mu_;
  // Signalled on every change below (state, queue, stats).
  mutable absl::CondVar changed_;
  State state_ ABSL_GUARDED_BY(mu_) = State::kIdle;
  std::deque<Received> pending_ ABSL_GUARDED_BY(mu_);
  ConsumerStats stats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cortado::client

#endif  // CORTADO_CLIENT_INCLUDE_CORTADO_CONSUMER_H_
