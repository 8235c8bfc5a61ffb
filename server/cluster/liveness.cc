#include "server/cluster/liveness.h"

#include "absl/container/flat_hash_set.h"

namespace cortado::cluster {

void Liveness::Observe(const std::vector<HeartbeatReading>& readings) {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  absl::flat_hash_set<std::string> present;
  for (const HeartbeatReading& reading : readings) {
    present.insert(reading.node_id);
    auto [it, inserted] =
        seen_.try_emplace(reading.node_id, Seen{reading.heartbeat, now});
    if (!inserted && it->second.heartbeat != reading.heartbeat) {
      it->second = Seen{reading.heartbeat, now};
    }
  }
  absl::erase_if(
      seen_, [&](const auto& entry) { return !present.contains(entry.first); });
}

absl::Duration Liveness::SilentFor(const std::string& node_id) const {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  auto it = seen_.find(node_id);
  if (it == seen_.end()) return absl::InfiniteDuration();
  return now - it->second.changed_at;
}

bool Liveness::IsAlive(const std::string& node_id) const {
  return SilentFor(node_id) < ttl_;
}

}  // namespace cortado::cluster
