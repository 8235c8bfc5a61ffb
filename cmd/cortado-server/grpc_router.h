// GrpcRouter is cluster mode's gRPC API (docs/CLUSTER.md): a generic
// service on the node's gRPC listener that takes every call of
// cortado.v1.Queues and cortado.v1.Topics, finds the queue or topic its
// first message names (grpc_route_key.h), and relays it as raw bytes
// (grpc_proxy_call.h) either to this node's own typed services, through an
// in-process channel, when this node serves that partition, or to the
// owner's gRPC listener, with `x-cortado-forwarded-by`. A forwarded call
// never travels further: a node that receives one for a partition it does
// not serve answers UNAVAILABLE ("moving"), as it does while a partition
// has no live owner. One channel per owner address, kept and reused.
// Thread-safety: thread-safe.
#ifndef CORTADO_SERVER_GRPC_ROUTER_H_
#define CORTADO_SERVER_GRPC_ROUTER_H_

#include <grpcpp/channel.h>
#include <grpcpp/generic/async_generic_service.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "cmd/cortado-server/grpc_proxy_call.h"

namespace cortado {

// Marks a call one node forwarded to another (its value: the sender's node
// id); the same header the HTTP gateway uses.
inline constexpr char kGrpcForwardedBy[] = "x-cortado-forwarded-by";

struct GrpcRouterOptions {
  // This node's id, sent with forwarded calls (known once it has joined).
  std::function<std::string()> node_id;
  // Where a call about queue or topic `name` goes: "" when this node serves
  // it, else the owner's gRPC address; an error (Unavailable while the
  // partition has no live owner) ends the call with it.
  std::function<absl::StatusOr<std::string>(absl::string_view name)> owner_of;
};

class GrpcRouter final : public grpc::CallbackGenericService,
                         private ProxyRouting {
 public:
  explicit GrpcRouter(GrpcRouterOptions options)
      : options_(std::move(options)) {}

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    return NewProxyCall(context, this);
  }

  // This node's own typed services. Once, before the listener serves.
  void SetLocal(std::shared_ptr<grpc::Channel> local) {
    local_ = std::move(local);
  }

  // Calls relayed to another node so far (for /metrics).
  uint64_t forwarded() const { return forwarded_.load(); }
  void NoteForwarded() { forwarded_.fetch_add(1, std::memory_order_relaxed); }

  const GrpcRouterOptions& options() const { return options_; }
  // The channel to another node's listener (one per address, reused).
  std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  absl::StatusOr<ProxyTarget> Route(
      const grpc::GenericCallbackServerContext& context,
      const grpc::ByteBuffer* first_message) override;

  const GrpcRouterOptions options_;
  std::shared_ptr<grpc::Channel> local_;
  std::atomic<uint64_t> forwarded_{0};
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<grpc::Channel>> channels_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace cortado

#endif  // CORTADO_SERVER_GRPC_ROUTER_H_
