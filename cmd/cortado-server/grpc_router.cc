#include "cmd/cortado-server/grpc_router.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include "absl/strings/str_cat.h"
#include "cmd/cortado-server/grpc_route_key.h"
#include "server/core/errors.h"

namespace cortado {

absl::StatusOr<ProxyTarget> GrpcRouter::Route(
    const grpc::GenericCallbackServerContext& context,
    const grpc::ByteBuffer* first_message) {
  const std::string name =
      first_message == nullptr
          ? std::string()
          : GrpcRouteKeyOf(context.method(), *first_message);
  // Listings and calls that name nothing are answered here.
  if (name.empty()) return ProxyTarget{local_, {}};
  absl::StatusOr<std::string> owner = options_.owner_of(name);
  if (!owner.ok()) return owner.status();
  if (owner->empty()) return ProxyTarget{local_, {}};
  if (context.client_metadata().count(kGrpcForwardedBy) > 0) {
    // Forwarded to us by a node that saw us as the owner: the partition is
    // moving. The client retries from the start rather than the call
    // bouncing between nodes with different views.
    return MakeError(ErrorKind::kShuttingDown,
                     absl::StrCat("The partition of \"", name,
                                  "\" is moving to another node; retry."));
  }
  NoteForwarded();
  return ProxyTarget{ChannelTo(*owner),
                     {{kGrpcForwardedBy, options_.node_id()}}};
}

std::shared_ptr<grpc::Channel> GrpcRouter::ChannelTo(
    const std::string& address) {
  absl::MutexLock lock(&mu_);
  std::shared_ptr<grpc::Channel>& channel = channels_[address];
  if (channel == nullptr) {
    grpc::ChannelArguments args;
    // The owner enforces the limits; the relay passes what it accepts.
    args.SetMaxReceiveMessageSize(-1);
    args.SetMaxSendMessageSize(-1);
    // An owner restarted at the same address is reached again at once,
    // not after gRPC's default backoff of up to two minutes.
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
    channel = grpc::CreateCustomChannel(
        address, grpc::InsecureChannelCredentials(), args);
  }
  return channel;
}

}  // namespace cortado
