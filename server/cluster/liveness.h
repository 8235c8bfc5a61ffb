// Liveness judges which nodes are alive from their heartbeat counters as
// this node reads them, timed on this node's own monotonic clock: a node is
// dead once its counter has not changed for the lease TTL here. No wall
// clocks are compared across machines (what Kubernetes' leader election
// does), so clock skew cannot expire a lease, and a PostgreSQL failover,
// which stops every heartbeat for a while, is judged by how long it lasted
// here, not by timestamps written before it.
//
// A node seen for the first time is given a whole TTL from that moment:
// this observer cannot know when it last beat.
// Thread-safety: thread-safe.
#ifndef CORTADO_SERVER_CLUSTER_LIVENESS_H_
#define CORTADO_SERVER_CLUSTER_LIVENESS_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/core/clock.h"

namespace cortado::cluster {

// std::chrono::steady_clock as a Clock: never jumps with the wall clock.
class MonotonicClock final : public Clock {
 public:
  absl::Time Now() const override {
    return absl::UnixEpoch() +
           absl::FromChrono(
               std::chrono::steady_clock::now().time_since_epoch());
  }
};

struct HeartbeatReading {
  std::string node_id;
  int64_t heartbeat = 0;
};

class Liveness {
 public:
  // `clock` must be monotonic (MonotonicClock, or a FakeClock in tests).
  Liveness(absl::Duration ttl, Clock* clock) : ttl_(ttl), clock_(clock) {}

  // Records the counters read just now. Nodes absent from `readings` are
  // forgotten (they left, or their row was removed).
  void Observe(const std::vector<HeartbeatReading>& readings);

  bool IsAlive(const std::string& node_id) const;
  // How long since the node's counter last changed here (or since it was
  // first seen); InfiniteDuration for an unknown node.
  absl::Duration SilentFor(const std::string& node_id) const;

  absl::Duration ttl() const { return ttl_; }

 private:
  struct Seen {
    int64_t heartbeat = 0;
    absl::Time changed_at;  // on clock_
  };

  const absl::Duration ttl_;
  Clock* const clock_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Seen> seen_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cortado::cluster

#endif  // CORTADO_SERVER_CLUSTER_LIVENESS_H_
