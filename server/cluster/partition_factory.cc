#include "server/cluster/partition_factory.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/cluster/partition_peers.h"
#include "server/cluster/partitioning.h"
#include "server/core/status_macros.h"
#include "server/store/postgres_store.h"

namespace cortado::cluster {

PartitionFactory PostgresPartitionFactory(PartitionFactoryOptions options) {
  return [options = std::move(options)](
             int32_t partition, int64_t epoch,
             std::function<void(const absl::Status&)> on_failure)
             -> absl::StatusOr<std::unique_ptr<HostedPartition>> {
    store::PostgresStoreOptions store_options;
    store_options.url = options.url;
    store_options.schema = PartitionSchema(options.control_schema, partition);
    store_options.node_name =
        SessionName(options.node_id, absl::StrCat("partition ", partition));
    store_options.fence = store::PostgresStoreOptions::Fence{
        options.control_schema, partition, options.node_id, epoch};
    store_options.idle_in_transaction_timeout =
        options.idle_in_transaction_timeout;
    if (options.spares != nullptr) {
      store_options.spare_session = [spares = options.spares] {
        return spares->Take();
      };
    }
    auto hosted = std::make_unique<HostedPartition>();
    hosted->partition = partition;
    hosted->epoch = epoch;
    const absl::Time opening = absl::Now();
    CORTADO_ASSIGN_OR_RETURN(hosted->store,
                             store::PostgresStore::Open(store_options));
    hosted->open_time = absl::Now() - opening;
    BrokerOptions broker_options = options.broker;
    broker_options.on_store_failure = std::move(on_failure);
    // Every answer behind the fence, even one that writes nothing.
    broker_options.commit_every_answer = true;
    if (options.directory != nullptr) {
      CORTADO_ASSIGN_OR_RETURN(const int32_t partitions,
                               options.directory->Partitions());
      hosted->peers = std::make_unique<PartitionPeers>(partition, partitions,
                                                       options.directory);
      broker_options.other_partitions = hosted->peers.get();
    }
    hosted->broker = std::make_unique<Broker>(
        std::move(broker_options), options.clock, hosted->store.get());
    const absl::Time starting = absl::Now();
    CORTADO_RETURN_IF_ERROR(hosted->broker->Start());
    hosted->start_time = absl::Now() - starting;
    return hosted;
  };
}

}  // namespace cortado::cluster
