// StreamReactor is the common half of Cortado's bidirectional streams
// (Topics/Listen, Queues/Publish, Queues/Consume): an outbox of responses
// written one at a time, ending the stream once (deferred until the write in
// progress completes), and the reactor's lifetime.
//
// Lifetime: gRPC owns the stream, but broker callbacks may arrive after it
// ended. Every broker call a subclass starts is bracketed by Hold() and
// Release(); the reactor deletes itself once gRPC has called OnDone and
// nothing holds it. Release() must be the last use of the reactor by its
// caller.
//
// Reading is the subclass's business (Publish pauses it for flow control):
// it calls ReadNext() to start the next read, which does nothing once the
// stream has ended.
//
// Thread-safety: gRPC reactions and broker callbacks run on different
// threads; the state here is guarded by stream_mu_, and no gRPC Start*/
// Finish is called with it held except StartRead (which never reacts
// inline). The hooks run without stream_mu_.
#ifndef CORTADO_SERVER_RPC_STREAM_REACTOR_H_
#define CORTADO_SERVER_RPC_STREAM_REACTOR_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <deque>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "server/rpc/status_mapping.h"

namespace cortado::rpc {

template <typename Request, typename Response>
class StreamReactor : public grpc::ServerBidiReactor<Request, Response> {
 public:
  void OnWriteDone(bool ok) final {
    const Response* next = nullptr;
    std::optional<grpc::Status> finish;
    std::optional<Response> written;
    {
      absl::MutexLock lock(&stream_mu_);
      written = std::move(outbox_.front());
      outbox_.pop_front();
      writing_ = false;
      if (pending_finish_.has_value()) {
        finish = std::move(pending_finish_);
        pending_finish_.reset();
      } else if (ok && !ended_ && !outbox_.empty()) {
        writing_ = true;
        next = &outbox_.front();
      }
    }
    if (finish.has_value()) {
      this->Finish(*finish);
      return;
    }
    if (next != nullptr) this->StartWrite(next);
    if (!ok) {
      End(absl::OkStatus());  // the client is gone
    } else {
      OnWritten(*written);
    }
  }

  void OnCancel() final {
    End(absl::CancelledError("The client cancelled the stream."));
  }

  void OnDone() final {
    bool last;
    {
      absl::MutexLock lock(&stream_mu_);
      done_ = true;
      last = holds_ == 0;
    }
    if (last) delete this;
  }

  // Keeps the reactor alive across a broker call.
  void Hold() {
    absl::MutexLock lock(&stream_mu_);
    ++holds_;
  }
  // Ends a Hold(); may delete the reactor.
  void Release() {
    bool last;
    {
      absl::MutexLock lock(&stream_mu_);
      --holds_;
      last = done_ && holds_ == 0;
    }
    if (last) delete this;
  }

 protected:
  explicit StreamReactor(grpc::CallbackServerContext* context)
      : context_(context) {}
  virtual ~StreamReactor() = default;

  // Starts reading into `request` unless the stream has ended.
  void ReadNext(Request* request) {
    absl::MutexLock lock(&stream_mu_);
    if (!ended_) this->StartRead(request);
  }

  // Queues a response and starts writing if idle; dropped once the stream
  // has ended. A response queued behind others may be merged into the last
  // one (Coalesce).
  void Send(Response response) {
    const Response* next = nullptr;
    {
      absl::MutexLock lock(&stream_mu_);
      if (ended_) return;
      // The front is being written; only later ones may still change.
      if (outbox_.size() > 1 && Coalesce(outbox_.back(), response)) return;
      outbox_.push_back(std::move(response));
      if (writing_) return;
      writing_ = true;
      next = &outbox_.front();  // deque: stays valid while others are added
    }
    this->StartWrite(next);
  }

  // Ends the stream once with `status` (OK for a client that closed its
  // side). Unsent responses are dropped; OnEnd() runs before Finish.
  void End(const absl::Status& status) {
    std::optional<grpc::Status> finish_now;
    {
      absl::MutexLock lock(&stream_mu_);
      if (ended_) return;
      ended_ = true;
      // The one being written must stay alive until OnWriteDone.
      while (outbox_.size() > (writing_ ? 1u : 0u)) outbox_.pop_back();
      // Under the lock so OnWriteDone cannot miss the deferred Finish. (It
      // only adds trailing metadata to the context; no reaction runs.)
      grpc::Status grpc_status = ToGrpcStatus(status, context_);
      if (writing_) {
        pending_finish_ = std::move(grpc_status);
      } else {
        finish_now = std::move(grpc_status);
      }
    }
    OnEnd();
    if (finish_now.has_value()) this->Finish(*finish_now);
  }

  bool ended() const {
    absl::MutexLock lock(&stream_mu_);
    return ended_;
  }

  // Hooks, called without stream_mu_.
  // Once, when the stream ends: release what the stream holds.
  virtual void OnEnd() {}
  // After each response was written successfully.
  virtual void OnWritten(const Response& written) {}
  // Merges `next` into `queued` (an unsent response) if the protocol allows
  // it; returns whether it did. Called with stream_mu_ held: keep it cheap.
  virtual bool Coalesce(Response& queued, Response& next) { return false; }

  grpc::CallbackServerContext* const context_;

 private:
  mutable absl::Mutex stream_mu_;
  bool ended_ ABSL_GUARDED_BY(stream_mu_) = false;  // Finish decided
  bool done_ ABSL_GUARDED_BY(stream_mu_) = false;   // OnDone called
  int holds_ ABSL_GUARDED_BY(stream_mu_) = 0;       // broker calls pending
  std::deque<Response> outbox_ ABSL_GUARDED_BY(stream_mu_);
  bool writing_ ABSL_GUARDED_BY(stream_mu_) = false;
  // End() while a write was in progress: Finish after that write.
  std::optional<grpc::Status> pending_finish_ ABSL_GUARDED_BY(stream_mu_);
};

}  // namespace cortado::rpc

#endif  // CORTADO_SERVER_RPC_STREAM_REACTOR_H_
