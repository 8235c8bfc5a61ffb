#include "cortado/cancellation.h"

#include <utility>
#include <vector>

namespace cortado::client {

void Cancellation::Cancel() {
  std::map<uint64_t, std::function<void()>> callbacks;
  {
    absl::MutexLock lock(&mu_);
    if (cancelled_) return;
    cancelled_ = true;
    callbacks.swap(callbacks_);
    running_callbacks_ = true;
  }
  // Outside the lock: a callback may take locks of its own (gRPC's).
  for (auto& [id, callback] : callbacks) callback();
  absl::MutexLock lock(&mu_);
  running_callbacks_ = false;
}

bool Cancellation::IsCancelled() const {
  absl::MutexLock lock(&mu_);
  return cancelled_;
}

bool Cancellation::WaitForCancel(absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(absl::Condition(&cancelled_), timeout);
}

uint64_t Cancellation::Register(std::function<void()> on_cancel) {
  absl::MutexLock lock(&mu_);
  if (cancelled_) return 0;
  uint64_t id = next_id_++;
  callbacks_.emplace(id, std::move(on_cancel));
  return id;
}

void Cancellation::Unregister(uint64_t id) {
  absl::MutexLock lock(&mu_);
  if (callbacks_.erase(id) > 0) return;
  // Cancel() took the callback out and may be running it right now.
  mu_.Await(absl::Condition(
      +[](bool* running) { return !*running; }, &running_callbacks_));
}

}  // namespace cortado::client
