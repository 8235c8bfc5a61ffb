#include "cmd/cortado-server/cluster_config.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "client/cli/client_target.h"
#include "cmd/cortado-server/apply_config.h"
#include "cmd/cortado-server/retry_unavailable.h"
#include "cortado/client.h"
#include "cortado/topics.h"
#include "server/core/status_macros.h"

namespace cortado {

absl::Status ApplyClusterConfig(const std::string& path,
                                const std::string& grpc_address,
                                absl::Duration patience) {
  CORTADO_ASSIGN_OR_RETURN(std::unique_ptr<client::Client> queues,
                           client::Client::Connect(grpc_address));
  CORTADO_ASSIGN_OR_RETURN(std::unique_ptr<client::TopicClient> topics,
                           client::TopicClient::Connect(grpc_address));
  cli::ClientTarget target(queues.get(), topics.get());
  return RetryWhileUnavailable<bool>(
             [&]() -> absl::StatusOr<bool> {
               CORTADO_RETURN_IF_ERROR(ApplyConfigFile(path, target));
               return true;
             },
             patience,
             absl::StrCat("config ", path, ": the cluster cannot take it yet"))
      .status();
}

}  // namespace cortado
