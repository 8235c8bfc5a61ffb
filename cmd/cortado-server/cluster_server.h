// ClusterServer is cortado-server in cluster mode (--cluster,
// docs/CLUSTER.md): one member of a cluster of nodes on one PostgreSQL.
// It joins (ClusterNode: heartbeats, leases, fenced partitions, each an
// unchanged Broker), and serves the SQS/SNS HTTP API for every queue and
// topic: those of the partitions it owns itself, the others forwarded to
// their owner's HTTP listener (ClusterRouting). A clean stop hands its
// partitions to the other nodes first.
// Thread-safety: Start once; Shutdown and Wait from any thread.
#ifndef CORTADO_SERVER_CLUSTER_SERVER_H_
#define CORTADO_SERVER_CLUSTER_SERVER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "cmd/cortado-server/cortado_server.h"

namespace cortado {

struct ClusterServerOptions {
  // Addresses, credentials, the database (URL, control schema, how long to
  // wait for it) and the brokers' options; storage is PostgreSQL.
  ServerOptions server;
  std::string node_id;         // "": <hostname>-<gRPC port>
  std::string advertise_addr;  // "": the gRPC address
  absl::Duration lease_ttl = absl::Seconds(5);
  int32_t partitions = 64;  // used when this node creates the cluster
};

class ClusterServer {
 public:
  explicit ClusterServer(ClusterServerOptions options);
  ~ClusterServer();  // Shutdown()

  absl::Status Start();
  std::string grpc_address() const;
  std::string http_address() const;
  std::string node_id() const;

  // Hands this node's partitions to the others (the pause of their queues
  // is the handoff), then stops serving. Idempotent.
  void Shutdown();
  void Wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CLUSTER_SERVER_H_
