#include "client/lib/receive_call.h"

#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "client/lib/grpc_status.h"
#include "grpcpp/client_context.h"

namespace cortado::client::internal {
namespace {

// How long the broker gets to answer a CancelReceive before the receive is
// cancelled outright. Generous: on a healthy broker it takes microseconds.
constexpr absl::Duration kCancelReceiveDeadline = absl::Seconds(2);

// 128 random bits: unique among the broker's parked receives.
std::string NewReceiveToken() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return absl::StrFormat("%016x%016x", generator(), generator());
}

// Shared by the receive and the CancelReceive it may start. The receive
// waits for a CancelReceive it started to complete (within its short
// deadline) before returning, so no call outlives RunReceive: a completion
// arriving after the caller destroyed the Client (or while the process
// exits) would touch freed gRPC state.
struct SoftCancel {
  absl::Mutex mu;
  // The receive's context; null once the receive has returned.
  grpc::ClientContext* call ABSL_GUARDED_BY(mu) = nullptr;
  bool started ABSL_GUARDED_BY(mu) = false;   // CancelReceive was sent
  bool finished ABSL_GUARDED_BY(mu) = false;  // and has completed
  grpc::ClientContext context;
  v1::CancelReceiveRequest request;
  v1::CancelReceiveResponse response;
};

}  // namespace

absl::Status RunReceive(v1::Queues::Stub& stub, absl::string_view target,
                        absl::Time deadline, Cancellation* cancellation,
                        v1::ReceiveMessageRequest& request,
                        v1::ReceiveMessageResponse* response, bool* cancelled) {
  *cancelled = false;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(deadline));
  uint64_t registration = 0;
  std::shared_ptr<SoftCancel> soft;
  if (cancellation != nullptr) {
    request.set_receive_token(NewReceiveToken());
    soft = std::make_shared<SoftCancel>();
    soft->request.set_receive_token(request.receive_token());
    soft->request.set_queue_name(request.queue_name());
    {
      absl::MutexLock lock(&soft->mu);
      soft->call = &context;
    }
    // Must not block: starts the CancelReceive and returns.
    registration = cancellation->Register([soft, &stub] {
      {
        absl::MutexLock lock(&soft->mu);
        soft->started = true;
      }
      soft->context.set_deadline(
          absl::ToChronoTime(absl::Now() + kCancelReceiveDeadline));
      stub.async()->CancelReceive(&soft->context, &soft->request,
                                  &soft->response, [soft](grpc::Status status) {
                                    absl::MutexLock lock(&soft->mu);
                                    soft->finished = true;
                                    // Not OK: an older broker, or none
                                    // reachable; cancel outright.
                                    if (!status.ok() && soft->call != nullptr) {
                                      soft->call->TryCancel();
                                    }
                                  });
    });
    if (registration == 0) {
      *cancelled = true;
      return absl::CancelledError("ReceiveMessage cancelled");
    }
  }
  grpc::Status status = stub.ReceiveMessage(&context, request, response);
  if (registration != 0) {
    // After Unregister the cancel callback has run or never will.
    cancellation->Unregister(registration);
    *cancelled = cancellation->IsCancelled();
    absl::MutexLock lock(&soft->mu);
    soft->call = nullptr;
    soft->mu.Await(absl::Condition(
        +[](SoftCancel* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu) {
          return !s->started || s->finished;
        },
        soft.get()));
  }
  return FromGrpcStatus(status, context, "ReceiveMessage", target, *cancelled);
}

}  // namespace cortado::client::internal
