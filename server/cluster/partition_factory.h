// The PartitionFactory of a cluster node: partition p at epoch e is a
// PostgresStore on schema `<control>_pNNNN`, fenced at (p, node, e), under an
// unchanged Broker started on it (which loads the partition), which reaches
// the other partitions' queues through the outbox.
// Thread-safety: the factory may be called from several threads at once
// (each call builds its own store and broker).
#ifndef CORTADO_SERVER_CLUSTER_PARTITION_FACTORY_H_
#define CORTADO_SERVER_CLUSTER_PARTITION_FACTORY_H_

#include <string>

#include "absl/time/time.h"
#include "server/cluster/directory.h"
#include "server/cluster/partition_host.h"
#include "server/cluster/spare_sessions.h"
#include "server/core/broker.h"
#include "server/core/clock.h"

namespace cortado::cluster {

struct PartitionFactoryOptions {
  std::string url;
  std::string control_schema = "cortado";
  std::string node_id;
  // Every partition's broker gets these (on_store_failure is replaced).
  BrokerOptions broker;
  Clock* clock = nullptr;  // the brokers' clock; must outlive them
  absl::Duration idle_in_transaction_timeout = absl::Seconds(2);
  // The other partitions' queues, for the outbox (partition_peers.h); null:
  // a partition's broker knows only its own queues. Must outlive the
  // partitions.
  Directory* directory = nullptr;
  // Sessions opened beforehand, used instead of connecting when there are
  // some (spare_sessions.h); null: always connect. Must outlive the
  // partitions.
  SpareSessions* spares = nullptr;
};

PartitionFactory PostgresPartitionFactory(PartitionFactoryOptions options);

}  // namespace cortado::cluster

#endif  // CORTADO_SERVER_CLUSTER_PARTITION_FACTORY_H_
