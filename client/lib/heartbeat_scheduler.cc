#include "client/lib/heartbeat_scheduler.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace cortado::client {

HeartbeatScheduler::HeartbeatScheduler(absl::Duration interval, Beat beat)
    : interval_(interval), beat_(std::move(beat)), thread_([this] { Run(); }) {}

HeartbeatScheduler::~HeartbeatScheduler() {
  {
    absl::MutexLock lock(&mu_);
    shutdown_ = true;
    changed_.SignalAll();
  }
  thread_.join();
}

uint64_t HeartbeatScheduler::Track(std::string receipt_handle,
                                   absl::Time since) {
  absl::MutexLock lock(&mu_);
  uint64_t id = next_id_++;
  entries_.emplace(id, Entry{std::move(receipt_handle), since + interval_});
  changed_.SignalAll();
  return id;
}

void HeartbeatScheduler::Untrack(uint64_t id) {
  absl::MutexLock lock(&mu_);
  while (true) {
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    if (!it->second.beating) {
      entries_.erase(it);
      return;
    }
    changed_.Wait(&mu_);
  }
}

void HeartbeatScheduler::Run() {
  mu_.Lock();
  while (!shutdown_) {
    absl::Time now = absl::Now();
    absl::Time earliest = absl::InfiniteFuture();
    std::vector<std::pair<uint64_t, std::string>> due;
    for (auto& [id, entry] : entries_) {
      if (entry.beating) continue;
      if (entry.next_beat <= now) {
        entry.beating = true;
        // From now, not from the missed time: a late beat must not be
        // followed by a burst of catch-up beats.
        entry.next_beat = now + interval_;
        due.emplace_back(id, entry.receipt_handle);
      } else {
        earliest = std::min(earliest, entry.next_beat);
      }
    }
    if (due.empty()) {
      // Track() and shutdown signal; otherwise wake for the earliest beat.
      changed_.WaitWithDeadline(&mu_, earliest);
      continue;
    }
    mu_.Unlock();
    for (const auto& [id, receipt_handle] : due) beat_(receipt_handle);
    mu_.Lock();
    for (const auto& [id, receipt_handle] : due) {
      auto it = entries_.find(id);
      if (it != entries_.end()) it->second.beating = false;
    }
    changed_.SignalAll();
  }
  mu_.Unlock();
}

}  // namespace cortado::client
