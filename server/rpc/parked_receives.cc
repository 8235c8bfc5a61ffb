#include "server/rpc/parked_receives.h"

#include <utility>

namespace cortado::rpc {

bool ParkedReceives::Park(const std::string& token, ParkedReceive receive) {
  absl::MutexLock lock(&mu_);
  // The token stays in cancelled_order_ until it ages out; erasing it there
  // would cost a scan, and a stale entry only ages out early.
  if (cancelled_.erase(token) > 0) return false;
  parked_[token] = std::move(receive);
  return true;
}

void ParkedReceives::Unpark(const std::string& token) {
  absl::MutexLock lock(&mu_);
  parked_.erase(token);
}

std::optional<ParkedReceive> ParkedReceives::Cancel(const std::string& token) {
  absl::MutexLock lock(&mu_);
  if (auto it = parked_.find(token); it != parked_.end()) {
    ParkedReceive receive = std::move(it->second);
    parked_.erase(it);
    return receive;
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
