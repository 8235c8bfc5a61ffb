// ClusterNode is this server's membership in a cluster on PostgreSQL: it
// heartbeats, judges the others' liveness on its own monotonic clock
// (liveness.h), and runs the control loop that claims orphaned
// partitions, evens them out, hands them off on a clean exit, and drops a
// partition the moment it is fenced out or its store fails (the loop then
// serves it again from PostgreSQL if it is still this node's: reload,
// never guess). Each partition served is a PartitionHost entry: a fenced
// PostgresStore and an unchanged Broker.
//
// Two threads, each with its own control connection: the heartbeat must go
// on while the control loop loads a large partition, or the others would
// declare this node dead for being busy.
// Thread-safety: thread-safe.
#ifndef CORTADO_SERVER_CLUSTER_CLUSTER_NODE_H_
#define CORTADO_SERVER_CLUSTER_CLUSTER_NODE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/cluster/control_store.h"
#include "server/cluster/liveness.h"
#include "server/cluster/partition_host.h"
#include "server/cluster/spare_sessions.h"

namespace cortado::cluster {

struct ClusterNodeOptions {
  ControlOptions control;
  std::string node_id;
  std::string grpc_addr;  // --advertise-addr: where others forward calls
  std::string http_addr;
  absl::Duration lease_ttl = absl::Seconds(5);
  int max_moves_per_round = 4;
  Clock* monotonic = nullptr;  // null: MonotonicClock
  // Where the node tells what it does (claims, handoffs, fences, failures):
  // one line each. Null: silent.
  std::function<void(const std::string&)> log;
  // Sessions kept open for the partitions a handing-over member gives this
  // node (the partition factory takes them); null: none. Must outlive the
  // node.
  SpareSessions* spares = nullptr;
};

// What a node knows of the cluster (for `cortado cluster status`,
// /metrics and routing).
struct ClusterView {
  struct Node {
    NodeRow row;
    bool alive = false;
    absl::Duration silent_for;
  };
  int32_t partitions = 0;
  std::vector<Node> nodes;
  std::vector<Ownership> ownership;  // by partition
};

struct ClusterCounters {
  uint64_t claims = 0;        // partitions taken over (orphaned or new)
  uint64_t handoffs_out = 0;  // given to another node
  uint64_t fenced = 0;        // dropped because another node owned them
  uint64_t reloads = 0;       // dropped after a store failure, to reload
};

class ClusterNode {
 public:
  // Connects, joins (this node's row), takes back the partitions a previous
  // run of this node id owned (with a new epoch, fencing that run), and
  // starts the threads.
  static absl::StatusOr<std::unique_ptr<ClusterNode>> Start(
      ClusterNodeOptions options, PartitionFactory factory);
  ~ClusterNode();  // Stop(/*handoff=*/false)

  // With `handoff`, gives every partition to the other live nodes first
  // (waiting up to `patience`), then leaves the cluster; without, just stops
  // serving (the others take over after the TTL).
  void Stop(bool handoff, absl::Duration patience = absl::Seconds(10));

  int32_t partitions() const { return partitions_; }
  const std::string& node_id() const { return options_.node_id; }
  absl::Duration lease_ttl() const { return options_.lease_ttl; }
  PartitionHost& host() { return host_; }

  ClusterView View() const ABSL_LOCKS_EXCLUDED(mu_);
  // Which of a node's listeners a call is forwarded to.
  enum class Listener { kHttp, kGrpc };
  // The HTTP (or gRPC) address of `partition`'s owner when that is another
  // node this node sees alive; nullopt when unowned, its owner dead (a
  // takeover under way) or this node (loading). Per forwarded request: no
  // copy of the view.
  std::optional<std::string> ForwardAddressOf(
      int32_t partition, Listener listener = Listener::kHttp) const
      ABSL_LOCKS_EXCLUDED(mu_);
  // Fault injection: a frozen node neither heartbeats nor runs its control
  // loop (as under SIGSTOP), while its brokers go on trying to commit (worse
  // than SIGSTOP: a zombie whose data path still runs).
  void SetFrozenForTesting(bool frozen) ABSL_LOCKS_EXCLUDED(mu_);
  ClusterCounters Counters() const ABSL_LOCKS_EXCLUDED(mu_);
  // OK while this node's last heartbeat was written less than a TTL ago;
  // else why not (PostgreSQL unreachable: nothing here can commit).
  absl::Status Health() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  ClusterNode(ClusterNodeOptions options, PartitionFactory factory,
              std::unique_ptr<ControlStore> heartbeat_store,
              std::unique_ptr<ControlStore> control_store);

  absl::Duration Tick() const;
  void HeartbeatLoop();
  void ControlLoop();
  // One round of the control loop over a fresh reading of the ownership.
  void Reconcile(const std::vector<Ownership>& ownership)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Claims `seen`; when won, adds it (at its new epoch) to `serve`.
  void Claim(const Ownership& seen, std::vector<Ownership>& serve)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Ends the PostgreSQL sessions of the dead owners of `claims` before they
  // are claimed, once per death (ControlStore::EndSessionsOf).
  void EndSessionsOfDead(const std::vector<Ownership>& claims);
  // Loads every partition of `serve`, several at a time.
  void ServeAll(const std::vector<Ownership>& serve) ABSL_LOCKS_EXCLUDED(mu_);
  std::vector<std::string> LiveNodes() const ABSL_LOCKS_EXCLUDED(mu_);
  bool AnyMemberLeaving() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The other nodes alive and leaving (their partitions are not orphans).
  std::vector<std::string> HandingOver() const ABSL_LOCKS_EXCLUDED(mu_);
  // Whether this leaving node's `leaving` was written long enough ago for
  // the others to have seen it.
  bool HandoffAnnounced() const ABSL_LOCKS_EXCLUDED(mu_);
  bool Stopping() const ABSL_LOCKS_EXCLUDED(mu_);
  void Log(const std::string& line) const;
  // Acquire, logging a failure (the partition is retried next round).
  void Serve(int32_t partition, int64_t epoch);

  const ClusterNodeOptions options_;
  MonotonicClock monotonic_;
  Clock* const clock_;  // options_.monotonic, else &monotonic_
  Liveness liveness_;
  const int32_t partitions_;
  PartitionHost host_;
  // Used by one thread each.
  const std::unique_ptr<ControlStore> heartbeat_store_;
  const std::unique_ptr<ControlStore> control_store_;
  // Dead nodes whose sessions were ended (control thread only); a node seen
  // alive again leaves it.
  std::set<std::string> sessions_ended_;

  mutable absl::Mutex mu_;
  std::vector<NodeRow> nodes_ ABSL_GUARDED_BY(mu_);
  std::vector<Ownership> ownership_ ABSL_GUARDED_BY(mu_);
  // Partitions a previous run of this node id owned: claimed anew.
  std::set<int32_t> reclaim_ ABSL_GUARDED_BY(mu_);
  ClusterCounters counters_ ABSL_GUARDED_BY(mu_);
  bool leaving_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool frozen_ ABSL_GUARDED_BY(mu_) = false;
  // Planned handoff: the heartbeat writes `leaving` at once (beat_now_),
  // and notes when it did; control rounds are short while it goes on.
  bool beat_now_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<absl::Time> leaving_announced_ ABSL_GUARDED_BY(mu_);
  bool hurrying_ ABSL_GUARDED_BY(mu_) = false;
  // On the monotonic clock; the last heartbeat's error, if it failed.
  absl::Time last_beat_ ABSL_GUARDED_BY(mu_);
  absl::Status beat_error_ ABSL_GUARDED_BY(mu_);
  std::thread heartbeat_thread_;
  std::thread control_thread_;
};

}  // namespace cortado::cluster

#endif  // CORTADO_SERVER_CLUSTER_CLUSTER_NODE_H_
