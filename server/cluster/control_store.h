// ControlStore reads and writes cluster mode's control tables
// (migrations/cluster/: the cluster's partition count, its members and
// their heartbeats, and who owns each partition at which epoch) over one
// PostgreSQL connection of its own. Every write is one statement in its own
// transaction; ownership changes are compare-and-set on the epoch read, so
// of two nodes racing for a partition exactly one wins.
//
// A change of owner waits for the commits in flight on that partition (their
// fence holds the row FOR SHARE) for at most `lock_timeout`, then fails
// Unavailable and is retried by the caller: a frozen node cannot stall the
// cluster's control loop for long.
// A lost connection is reopened by the next call.
// Thread-safety: none; one thread at a time.
#ifndef CORTADO_SERVER_CLUSTER_CONTROL_STORE_H_
#define CORTADO_SERVER_CLUSTER_CONTROL_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/cluster/assignment.h"
#include "server/store/postgres_helpers.h"

namespace cortado::cluster {

struct NodeRow {
  std::string node_id;
  std::string grpc_addr;
  std::string http_addr;
  int64_t heartbeat = 0;
  bool leaving = false;
};

struct ControlOptions {
  std::string url;                 // any libpq connection string
  std::string schema = "cortado";  // the control schema
  std::string application_name = "cortado-server";
  // Used only when this node creates the cluster; later nodes read it.
  int32_t partitions = 64;
  absl::Duration lock_timeout = absl::Seconds(1);
};

class ControlStore {
 public:
  // Connects, migrates the control schema and creates the cluster (its
  // partition count and unowned partitions) if it is new. Unavailable when
  // PostgreSQL cannot be reached.
  static absl::StatusOr<std::unique_ptr<ControlStore>> Open(
      const ControlOptions& options);

  // The cluster's partition count (fixed at its creation).
  int32_t partitions() const { return partitions_; }

  // Adds or refreshes this node's row (its counter bumped, not leaving).
  absl::Status Join(const NodeRow& me);
  // Bumps the node's counter; NotFound when its row is gone.
  absl::Status Heartbeat(const std::string& node_id, bool leaving);
  // Removes the node's row (a clean exit).
  absl::Status Leave(const std::string& node_id);

  absl::StatusOr<std::vector<NodeRow>> Nodes();
  absl::StatusOr<std::vector<Ownership>> Partitions();

  // Makes `me` the owner of `seen.partition` if its epoch is still
  // `seen.epoch`: the new epoch, or nullopt when another node changed it
  // first.
  absl::StatusOr<std::optional<int64_t>> Claim(const Ownership& seen,
                                               const std::string& me);
  // Hands `mine` (owned by `mine.owner` at `mine.epoch`) to `to`: the new
  // epoch, or nullopt when it was no longer ours.
  absl::StatusOr<std::optional<int64_t>> Give(const Ownership& mine,
                                              const std::string& to);

  // Ends the PostgreSQL sessions of a node judged dead (by their
  // application_name, SessionName): how many. A frozen node otherwise keeps
  // its connections (one per partition it had) until it is killed, and its
  // transaction in flight keeps the ownership row locked until
  // idle_in_transaction_session_timeout; with them ended, a takeover claims
  // at once and the cluster's connections stay within max_connections. It
  // needs the same role as that node's sessions (or pg_signal_backend).
  absl::StatusOr<int> EndSessionsOf(const std::string& node_id);

 private:
  ControlStore(ControlOptions options, store::PgConnection connection,
               int32_t partitions)
      : options_(std::move(options)),
        connection_(std::move(connection)),
        partitions_(partitions) {}

  // Reconnects (the same URL, so a multi-host URL finds the new primary)
  // when the connection was lost; every public call starts with it.
  absl::Status EnsureConnected();

  // Runs an UPDATE ... RETURNING epoch: the epoch, or nullopt for no row.
  absl::StatusOr<std::optional<int64_t>> UpdateEpoch(
      const char* sql, const store::PgParams& params);

  const ControlOptions options_;
  store::PgConnection connection_;
  const int32_t partitions_;
};

}  // namespace cortado::cluster

#endif  // CORTADO_SERVER_CLUSTER_CONTROL_STORE_H_
