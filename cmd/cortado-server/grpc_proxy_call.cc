#include "cmd/cortado-server/grpc_proxy_call.h"

#include <grpcpp/client_context.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/client_callback.h>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "server/rpc/status_mapping.h"

namespace cortado {
namespace {

// Metadata of the transport, never copied onto the relayed call.
bool IsTransportKey(absl::string_view key) {
  return absl::StartsWith(key, ":") || absl::StartsWith(key, "grpc-") ||
         key == "user-agent" || key == "content-type" || key == "te" ||
         key == "host";
}

// Two chains run at once: requests (client -> far end: read here, write
// there) and responses (far end -> client). Each has one message in flight.
// The far-end call is held (AddHold) until the responses chain ends, so it
// cannot complete while a reaction of the server side is about to start an
// operation on it; `starting_` counts those, and the hold is removed only
// when none is under way, outside the lock (gRPC may run a reaction inline).
class ProxyCall final : public grpc::ServerGenericBidiReactor {
 public:
  ProxyCall(grpc::GenericCallbackServerContext* context, ProxyRouting* routing)
      : context_(context), routing_(routing), upstream_(this) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    bool first;
    {
      absl::MutexLock lock(&mu_);
      first = !upstream_started_;
    }
    if (first) {
      Begin(ok);
    } else if (ok) {
      WithUpstream([this] { upstream_.StartWrite(&request_); });
    } else {
      WithUpstream([this] { upstream_.StartWritesDone(); });
    }
  }

  void OnWriteDone(bool ok) override {
    if (ok) {
      WithUpstream([this] { upstream_.StartRead(&response_); });
      return;
    }
    // The client is gone: so is the relayed call.
    client_context_.TryCancel();
    EndResponses();
  }

  void OnCancel() override {
    bool started;
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
      started = upstream_started_;
    }
    if (started) client_context_.TryCancel();
  }

  void OnDone() override { Unref(); }

 private:
  class Upstream final
      : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    explicit Upstream(ProxyCall* call) : call_(call) {}
    void OnWriteDone(bool ok) override {
      if (ok) call_->StartRead(&call_->request_);
    }
    void OnReadDone(bool ok) override {
      if (ok) {
        call_->StartWrite(&call_->response_);
      } else {
        call_->EndResponses();
      }
    }
    void OnDone(const grpc::Status& status) override { call_->Ended(status); }

   private:
    ProxyCall* const call_;
  };

  // The first message is read (or the client sent none): route, then start
  // the relayed call with it.
  void Begin(bool have_first) {
    absl::StatusOr<ProxyTarget> target =
        routing_->Route(*context_, have_first ? &request_ : nullptr);
    if (!target.ok()) {
      Finish(rpc::ToGrpcStatus(target.status(), context_));
      return;
    }
    if (context_->deadline() != std::chrono::system_clock::time_point::max()) {
      client_context_.set_deadline(context_->deadline());
    }
    for (const auto& [key, value] : context_->client_metadata()) {
      const absl::string_view name(key.data(), key.size());
      if (IsTransportKey(name)) continue;
      client_context_.AddMetadata(std::string(name),
                                  std::string(value.data(), value.size()));
    }
    for (const auto& [key, value] : target->metadata) {
      client_context_.AddMetadata(key, value);
    }
    method_ = context_->method();
    grpc::GenericStub stub(target->channel);
    stub.PrepareBidiStreamingCall(&client_context_, method_, {}, &upstream_);
    upstream_.AddHold();
    if (have_first) {
      upstream_.StartWrite(&request_);
    } else {
      upstream_.StartWritesDone();
    }
    upstream_.StartRead(&response_);
    bool cancelled;
    {
      absl::MutexLock lock(&mu_);
      upstream_started_ = true;
      ++references_;
      cancelled = cancelled_;
    }
    upstream_.StartCall();
    if (cancelled) client_context_.TryCancel();
  }

  // Starts an operation on the relayed call unless it may be completing.
  template <typename Op>
  void WithUpstream(Op op) {
    {
      absl::MutexLock lock(&mu_);
      if (hold_released_) return;
      ++starting_;
    }
    op();
    {
      absl::MutexLock lock(&mu_);
      --starting_;
    }
    MaybeReleaseHold();
  }

  // No more responses will be read: the relayed call may complete.
  void EndResponses() {
    {
      absl::MutexLock lock(&mu_);
      responses_ended_ = true;
    }
    MaybeReleaseHold();
  }

  void MaybeReleaseHold() {
    {
      absl::MutexLock lock(&mu_);
      if (!responses_ended_ || starting_ > 0 || hold_released_) return;
      hold_released_ = true;
    }
    upstream_.RemoveHold();
  }

  // The relayed call's outcome is the client's. No write to the client is
  // in flight: responses are written one at a time, each after a read of
  // the relayed call, and every such read has completed.
  void Ended(const grpc::Status& status) {
    for (const auto& [key, value] :
         client_context_.GetServerTrailingMetadata()) {
      const absl::string_view name(key.data(), key.size());
      if (IsTransportKey(name)) continue;
      context_->AddTrailingMetadata(std::string(name),
                                    std::string(value.data(), value.size()));
    }
    Finish(status);
    Unref();
  }

  void Unref() {
    bool last;
    {
      absl::MutexLock lock(&mu_);
      last = --references_ == 0;
    }
    if (last) delete this;
  }

  grpc::GenericCallbackServerContext* const context_;
  ProxyRouting* const routing_;
  Upstream upstream_;
  grpc::ClientContext client_context_;
  std::string method_;
  grpc::ByteBuffer request_;   // client -> far end, one at a time
  grpc::ByteBuffer response_;  // far end -> client, one at a time

  absl::Mutex mu_;
  bool upstream_started_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool responses_ended_ ABSL_GUARDED_BY(mu_) = false;
  bool hold_released_ ABSL_GUARDED_BY(mu_) = false;
  int starting_ ABSL_GUARDED_BY(mu_) = 0;
  // The server side's OnDone, and the relayed call's once started.
  int references_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace

grpc::ServerGenericBidiReactor* NewProxyCall(
    grpc::GenericCallbackServerContext* context, ProxyRouting* routing) {
  return new ProxyCall(context, routing);
}

}  // namespace cortado
