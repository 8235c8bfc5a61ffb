// Publisher sends messages over one Publish stream, the way an AMQP channel
// with publisher confirms does: each send is written to the stream at once,
// and its ack comes back once the broker has committed it (the guarantee of
// Client::SendMessage), with the same results and the same errors, SQS error
// name included. Many sends may be in flight on the one stream, from one
// thread (SendAsync) or from many (Send).
//
//   auto publisher = Publisher::Open(client.get());
//   if (!publisher.ok()) return publisher.status();
//   absl::StatusOr<SendResult> sent = (*publisher)->Send("orders", "hello");
//
//   (*publisher)->SendAsync("orders", "hi", {},
//                           [](absl::StatusOr<SendResult> sent) { ... });
//
// Errors: a send the broker rejects fails alone (e.g. QueueDoesNotExist) and
// the stream goes on. If the stream breaks (server restart, lost
// connection), every send waiting for its ack fails with kUnavailable —
// whether the broker committed it is unknown, so the caller decides whether
// to send again — and the next send opens a new stream. Nothing waits
// forever: Send() gives up after PublisherOptions::deadline.
//
// Thread-safety: thread-safe. Callbacks run on the publisher's reader thread
// (or the caller's, when the send fails before it is written), one at a
// time; they must not block or call back into the publisher (a full
// publisher waits for acks that only the reader thread delivers).
#ifndef CORTADO_CLIENT_INCLUDE_CORTADO_PUBLISHER_H_
#define CORTADO_CLIENT_INCLUDE_CORTADO_PUBLISHER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "cortado/client.h"
#include "cortado/types.h"

namespace cortado::client {

struct PublisherOptions {
  // Sends written and not yet acked, at most; SendAsync blocks while the
  // publisher is full. The broker reads at most 1024 ahead per stream.
  int max_in_flight = 1000;
  // How long Send() and SendBatch() wait for their ack, and Close() for the
  // acks still pending.
  absl::Duration deadline = absl::Seconds(30);
};

class Publisher {
 public:
  using SendCallback = absl::AnyInvocable<void(absl::StatusOr<SendResult>) &&>;
  using BatchCallback =
      absl::AnyInvocable<void(absl::StatusOr<SendBatchResult>) &&>;

  // A publisher on `client`'s channel; the stream opens with the first
  // send. `client` must outlive the publisher.
  static absl::StatusOr<std::unique_ptr<Publisher>> Open(
      Client* client, PublisherOptions options = {});

  // Close()s.
  ~Publisher();
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  // Sends one message and waits for its ack.
  absl::StatusOr<SendResult> Send(absl::string_view queue,
                                  absl::string_view body,
                                  const SendOptions& options = {});
  // Sends one message; `done` gets the ack (or the error) later.
  void SendAsync(absl::string_view queue, absl::string_view body,
                 const SendOptions& options, SendCallback done);
  // Sends 1-10 messages as SendMessageBatch does (entries may fail one by
  // one) and waits for the ack.
  absl::StatusOr<SendBatchResult> SendBatch(
      absl::string_view queue, const std::vector<SendBatchEntry>& entries);
  void SendBatchAsync(absl::string_view queue,
                      const std::vector<SendBatchEntry>& entries,
                      BatchCallback done);

  // Waits (up to the deadline) for the pending acks, then ends the stream;
  // sends still pending fail with kUnavailable, later sends with
  // kFailedPrecondition. Idempotent.
  void Close();

 private:
  struct Stream;
  struct Pending;
  struct Request;
  Publisher(Client* client, PublisherOptions options);

  // Writes one request with its completion; fails it at once when closed.
  void Write(Request& request, Pending pending);
  // The open stream, opening one if there is none.
  std::shared_ptr<Stream> CurrentStream() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ReadLoop(std::shared_ptr<Stream> stream);

  // Constant after construction.
  Client* const client_;
  const PublisherOptions options_;

  mutable absl::Mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  std::shared_ptr<Stream> stream_ ABSL_GUARDED_BY(mu_);
  // Every stream opened so far: their readers are joined by Close().
  std::vector<std::shared_ptr<Stream>> streams_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cortado::client

#endif  // CORTADO_CLIENT_INCLUDE_CORTADO_PUBLISHER_H_
