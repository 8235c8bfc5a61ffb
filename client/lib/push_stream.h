// PushStream is the client half of a push-delivery stream (Topics/Listen and
// Queues/Consume): a background thread reads events into an inbox that
// Next() drains, and requests (acks, credits) are written from the callers'
// threads (gRPC allows one reader and one writer at a time; writes are
// serialised by write_mu_). A subclass turns its events into messages.
//
// Thread-safety: every public method may be called from any thread.
#ifndef CORTADO_CLIENT_LIB_PUSH_STREAM_H_
#define CORTADO_CLIENT_LIB_PUSH_STREAM_H_

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "cortado/types.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/sync_stream.h"

namespace cortado::client::internal {

template <typename Request, typename Event>
class PushStream {
 public:
  using Stream = grpc::ClientReaderWriter<Request, Event>;
  // Turns the stream's final gRPC status into the caller's status.
  using Finisher = std::function<absl::Status(const grpc::Status&,
                                              const grpc::ClientContext&)>;

  virtual ~PushStream() { Shutdown(); }

  // The next message; std::nullopt if none arrived within `timeout`; an
  // error once the stream has ended (with the server's status).
  absl::StatusOr<std::optional<Message>> NextOne(absl::Duration timeout) {
    absl::StatusOr<std::vector<Message>> got = NextMany(1, timeout);
    if (!got.ok()) return got.status();
    if (got->empty()) return std::optional<Message>();
    return std::optional<Message>(std::move(got->front()));
  }

  // Up to `max` messages: waits up to `timeout` for the first, then takes
  // those already here. Empty: none arrived in time.
  absl::StatusOr<std::vector<Message>> NextMany(size_t max,
                                                absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto has_news = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return !inbox_.empty() || ended_.has_value();
    };
    mu_.AwaitWithTimeout(absl::Condition(&has_news), timeout);
    std::vector<Message> out;
    while (!inbox_.empty() && out.size() < max) {
      out.push_back(std::move(inbox_.front()));
      inbox_.pop_front();
    }
    if (out.empty() && ended_.has_value()) {
      if (!ended_->ok()) return *ended_;
      return absl::CancelledError(absl::StrCat(rpc_, ": the stream has ended"));
    }
    return out;
  }

  // Ends the stream now (the server releases what was not acked); Next
  // then fails with kCancelled.
  void Close() {
    closed_by_caller_.store(true);
    context_.TryCancel();
  }

 protected:
  PushStream(std::string rpc, Finisher finisher)
      : rpc_(std::move(rpc)), finisher_(std::move(finisher)) {}

  // Writes the first request and waits up to `timeout` for the server to
  // report ready (MarkReady) or end the stream.
  absl::Status Open(std::unique_ptr<Stream> stream, const Request& start,
                    absl::Duration timeout) {
    stream_ = std::move(stream);
    // A failed write shows up as the stream's status in the reader.
    stream_->Write(start);
    reader_ = std::thread([this] { ReadLoop(); });
    absl::MutexLock lock(&mu_);
    auto ready_or_ended = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return ready_ || ended_.has_value();
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&ready_or_ended), timeout)) {
      return absl::DeadlineExceededError(
          absl::StrCat(rpc_, ": the server did not answer"));
    }
    if (!ready_) return *ended_;
    return absl::OkStatus();
  }

  // Ends the stream and joins the reader. Subclasses call it from their
  // destructors, since the reader calls their OnEvent(). Idempotent.
  void Shutdown() {
    Close();
    if (reader_.joinable()) reader_.join();
  }

  absl::Status Write(const Request& request) {
    absl::MutexLock lock(&write_mu_);
    if (!stream_->Write(request)) {
      return absl::UnavailableError(
          absl::StrCat(rpc_, ": the stream has ended"));
    }
    return absl::OkStatus();
  }

  // Called on the reader thread for every event, with mu_ held: call
  // MarkReady() or Push() from it.
  virtual void OnEvent(Event& event) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) = 0;
  void MarkReady() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { ready_ = true; }
  void Push(Message message) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    inbox_.push_back(std::move(message));
  }

  grpc::ClientContext context_;
  absl::Mutex mu_;

 private:
  void ReadLoop() {
    Event event;
    while (stream_->Read(&event)) {
      absl::MutexLock lock(&mu_);
      OnEvent(event);
    }
    grpc::Status status = stream_->Finish();
    absl::Status ended =
        closed_by_caller_.load() &&
                status.error_code() == grpc::StatusCode::CANCELLED
            ? absl::CancelledError(absl::StrCat(rpc_, ": closed"))
            : finisher_(status, context_);
    absl::MutexLock lock(&mu_);
    ended_ = std::move(ended);
  }

  const std::string rpc_;
  const Finisher finisher_;
  std::unique_ptr<Stream> stream_;  // set by Open, constant afterwards
  std::thread reader_;
  // Close() was called: a CANCELLED end is ours, not the server's.
  std::atomic<bool> closed_by_caller_{false};

  absl::Mutex write_mu_;
  bool ready_ ABSL_GUARDED_BY(mu_) = false;
  std::deque<Message> inbox_ ABSL_GUARDED_BY(mu_);
  std::optional<absl::Status> ended_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cortado::client::internal

#endif  // CORTADO_CLIENT_LIB_PUSH_STREAM_H_
