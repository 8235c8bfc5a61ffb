// RunReceive performs one ReceiveMessage rpc that a Cancellation can end
// without losing messages. Cancelling the gRPC call itself (TryCancel) can
// drop an answer that is already on its way: the broker has taken the
// messages, the client never sees them, and they stay invisible for the
// whole visibility timeout. So a cancelled receive first asks the broker to
// end the long poll (CancelReceive with the call's random token); the call
// then finishes normally, with whatever the broker had already taken. Only
// if the broker cannot be asked (older broker, no answer within a couple of
// seconds) is the call cancelled outright.
// Thread-safety: RunReceive may be called from any thread; Cancel() on the
// Cancellation from any other.
#ifndef CORTADO_CLIENT_LIB_RECEIVE_CALL_H_
#define CORTADO_CLIENT_LIB_RECEIVE_CALL_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cortado/cancellation.h"
#include "cortado/v1/queue.grpc.pb.h"

namespace cortado::client::internal {

// Runs the call until `deadline`. With a `cancellation`, sets the request's
// receive_token. Returns the call's status as FromGrpcStatus makes it;
// `*cancelled` tells whether the caller's Cancellation fired during the
// call (the call may still have succeeded, with messages).
absl::Status RunReceive(v1::Queues::Stub& stub, absl::string_view target,
                        absl::Time deadline, Cancellation* cancellation,
                        v1::ReceiveMessageRequest& request,
                        v1::ReceiveMessageResponse* response, bool* cancelled);

}  // namespace cortado::client::internal

#endif  // CORTADO_CLIENT_LIB_RECEIVE_CALL_H_
