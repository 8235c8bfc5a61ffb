// Client's private state, shared by client.cc and the stream classes
// (publisher.cc, stream_consumer.cc), which open their streams on the same
// stub.
// Thread-safety: immutable after Connect; the stub is thread-safe.
#ifndef CORTADO_CLIENT_LIB_CLIENT_IMPL_H_
#define CORTADO_CLIENT_LIB_CLIENT_IMPL_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/lib/grpc_status.h"
#include "cortado/cancellation.h"
#include "cortado/client.h"
#include "cortado/v1/queue.grpc.pb.h"
#include "grpcpp/client_context.h"

namespace cortado::client {

template <typename Request, typename Response>
using StubMethod = grpc::Status (v1::Queues::Stub::*)(grpc::ClientContext*,
                                                      const Request&,
                                                      Response*);

struct Client::Impl {
  std::string target;
  ClientOptions options;
  std::unique_ptr<v1::Queues::Stub> stub;

  // Runs one unary rpc with the configured deadline plus `extra_deadline`.
  // With a `cancellation`, Cancel() from another thread ends the call.
  template <typename Request, typename Response>
  absl::Status Call(StubMethod<Request, Response> method, absl::string_view rpc,
                    const Request& request, Response* response,
                    absl::Duration extra_deadline = absl::ZeroDuration(),
                    Cancellation* cancellation = nullptr) const {
    grpc::ClientContext context;
    context.set_deadline(
        absl::ToChronoTime(absl::Now() + options.deadline + extra_deadline));
    uint64_t registration = 0;
    if (cancellation != nullptr) {
      // TryCancel() before the call starts still cancels it when it starts.
      registration =
          cancellation->Register([&context] { context.TryCancel(); });
      if (registration == 0) {
        return absl::CancelledError(absl::StrCat(rpc, " cancelled"));
      }
    }
    grpc::Status status = ((*stub).*method)(&context, request, response);
    bool cancelled_by_caller = false;
    if (registration != 0) {
      cancellation->Unregister(registration);
      cancelled_by_caller = cancellation->IsCancelled();
    }
    return internal::FromGrpcStatus(status, context, rpc, target,
                                    cancelled_by_caller);
  }
};

}  // namespace cortado::client

#endif  // CORTADO_CLIENT_LIB_CLIENT_IMPL_H_
