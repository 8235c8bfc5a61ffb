// Which partition a queue or topic belongs to, and where a partition's
// tables live. The hash is FNV-1a over the name's bytes, fixed forever: every
// node of every release must agree on it (std::hash and absl::Hash are
// seeded per process, so they cannot be used).
// Thread-safety: pure functions.
#ifndef CORTADO_SERVER_CLUSTER_PARTITIONING_H_
#define CORTADO_SERVER_CLUSTER_PARTITIONING_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace cortado::cluster {

// The default of --partitions, and its bounds (the control table's CHECK).
inline constexpr int32_t kDefaultPartitions = 64;
inline constexpr int32_t kMaxPartitions = 4096;

// hash(name) mod `partitions`; `partitions` >= 1.
int32_t PartitionOf(absl::string_view name, int32_t partitions);

// The PostgreSQL schema of a partition's broker tables: `<control>_p0007`.
std::string PartitionSchema(absl::string_view control_schema,
                            int32_t partition);

// The application_name of a node's PostgreSQL sessions: "cortado <node>"
// for its control session, "cortado <node> <what>" for the others (a
// partition's store, the outbox listener, the directory). Other nodes end
// the sessions of a node they judge dead by these names
// (ControlStore::EndSessionsOf), unless the database URL sets its own
// application_name.
std::string SessionName(absl::string_view node_id, absl::string_view what = "");

}  // namespace cortado::cluster

#endif  // CORTADO_SERVER_CLUSTER_PARTITIONING_H_
