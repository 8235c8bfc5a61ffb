// TopicClient's private state, shared by topic_client.cc and listener.cc.
// Thread-safety: immutable after Connect; the stub is thread-safe.
#ifndef CORTADO_CLIENT_LIB_TOPIC_CLIENT_IMPL_H_
#define CORTADO_CLIENT_LIB_TOPIC_CLIENT_IMPL_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cortado/topics.h"
#include "cortado/v1/topic.grpc.pb.h"
#include "grpcpp/client_context.h"

namespace cortado::client {

struct TopicClient::Impl {
  std::string target;
  absl::Duration deadline;
  std::unique_ptr<v1::Topics::Stub> stub;

  absl::Status Finish(const grpc::Status& status,
                      const grpc::ClientContext& context,
                      absl::string_view rpc) const;

  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (v1::Topics::Stub::*method)(
                        grpc::ClientContext*, const Request&, Response*),
                    absl::string_view rpc, const Request& request,
                    Response* response) const {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    grpc::Status status = ((*stub).*method)(&context, request, response);
    return Finish(status, context, rpc);
  }
};

}  // namespace cortado::client

#endif  // CORTADO_CLIENT_LIB_TOPIC_CLIENT_IMPL_H_
