#include "cmd/cortado-server/grpc_publish_relay.h"

#include <grpcpp/client_context.h>

#include <memory>
#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "cortado/v1/queue.grpc.pb.h"

namespace cortado {
namespace {

// How long a relayed send may take: a commit on the owner.
constexpr absl::Duration kRelayDeadline = absl::Seconds(30);

// One relayed request: what the async unary call needs until it completes.
struct RelayedSend {
  std::unique_ptr<v1::Queues::Stub> stub;
  grpc::ClientContext context;
  v1::SendMessageRequest message;
  v1::SendMessageResponse message_response;
  v1::SendMessageBatchRequest batch;
  v1::SendMessageBatchResponse batch_response;
  v1::QueuePublishAck ack;
  rpc::PublishRelay::Done done;

  // The ack of a failed call, as the owner's own stream would write it.
  void Fail(const grpc::Status& status) {
    v1::QueuePublishError* error = ack.mutable_error();
    error->set_code(status.error_code());
    error->set_message(status.error_message());
    const auto& trailers = context.GetServerTrailingMetadata();
    if (auto it = trailers.find("cortado-error"); it != trailers.end()) {
      error->set_error_name(std::string(it->second.data(), it->second.size()));
    }
  }
};

}  // namespace

bool GrpcPublishRelay::Relay(v1::QueuePublishRequest& request, Done& done) {
  const std::string& queue = request.has_batch()
                                 ? request.batch().queue_name()
                                 : request.message().queue_name();
  absl::StatusOr<std::string> owner = router_->options().owner_of(queue);
  if (!owner.ok() || owner->empty()) return false;
  auto send = std::make_shared<RelayedSend>();
  send->context.set_deadline(absl::ToChronoTime(absl::Now() + kRelayDeadline));
  send->context.AddMetadata(kGrpcForwardedBy, router_->options().node_id());
  send->ack.set_id(request.id());
  send->done = std::move(done);
  router_->NoteForwarded();
  send->stub = v1::Queues::NewStub(router_->ChannelTo(*owner));
  if (request.has_batch()) {
    send->batch = std::move(*request.mutable_batch());
    send->stub->async()->SendMessageBatch(
        &send->context, &send->batch, &send->batch_response,
        [send](grpc::Status status) {
          if (status.ok()) {
            *send->ack.mutable_batch() = std::move(send->batch_response);
          } else {
            send->Fail(status);
          }
          std::move(send->done)(std::move(send->ack));
        });
    return true;
  }
  send->message = std::move(*request.mutable_message());
  send->stub->async()->SendMessage(
      &send->context, &send->message, &send->message_response,
      [send](grpc::Status status) {
        if (status.ok()) {
          *send->ack.mutable_result() =
              std::move(*send->message_response.mutable_result());
        } else {
          send->Fail(status);
        }
        std::move(send->done)(std::move(send->ack));
      });
  return true;
}

}  // namespace cortado
