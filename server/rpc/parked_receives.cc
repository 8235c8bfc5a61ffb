#include "server/rpc/parked_receives.h"

namespace cortado::rpc {

bool ParkedReceives::Park(const std::string& token, uint64_t receive_id) {
  absl::MutexLock lock(&mu_);
  // The token stays in cancelled_order_ until it ages out; erasing it there
  // would cost a scan, and a stale entry only ages out early.
  if (cancelled_.erase(token) > 0) return false;
  parked_[token] = receive_id;
  return true;
}

void ParkedReceives::Unpark(const std::string& token) {
  absl::MutexLock lock(&mu_);
  parked_.erase(token);
}

std::optional<uint64_t> ParkedReceives::Cancel(const std::string& token) {
  absl::MutexLock lock(&mu_);
  if (auto it = parked_.find(token); it != parked_.end()) {
    const uint64_t receive_id = it->second;
    parked_.erase(it);
    return receive_id;
  }
  // Either the receive has not arrived yet, or it was answered already (then
  // this entry is never used and ages out).
  if (cancelled_.insert(token).second) {
    cancelled_order_.push_back(token);
    if (cancelled_order_.size() > kMaxRemembered) {
      cancelled_.erase(cancelled_order_.front());
      cancelled_order_.pop_front();
    }
  }
  return std::nullopt;
}

}  // namespace cortado::rpc
