#include "cmd/cortado-server/store_recovery.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "cmd/cortado-server/log.h"

namespace cortado {

StoreRecovery::StoreRecovery(Broker* broker)
    : broker_(broker), thread_([this] { Loop(); }) {}

StoreRecovery::~StoreRecovery() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void StoreRecovery::OnStoreFailure(const absl::Status& failure) {
  LogError(absl::StrCat("store failed; refusing calls until it is reloaded: ",
                        failure.ToString()));
  absl::MutexLock lock(&mu_);
  wanted_ = true;
}

void StoreRecovery::Loop() {
  constexpr absl::Duration kFirstWait = absl::Milliseconds(250);
  constexpr absl::Duration kLongestWait = absl::Seconds(5);
  absl::Duration wait = kFirstWait;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](StoreRecovery* r) ABSL_EXCLUSIVE_LOCKS_REQUIRED(r->mu_) {
            return r->wanted_ || r->stopping_;
          },
          this));
      if (stopping_) return;
    }
    const absl::Status status = broker_->Recover();
    if (status.ok() || absl::IsUnimplemented(status)) {
      if (status.ok()) {
        LogWarning("store reopened and state reloaded; serving again");
      } else {
        LogError(std::string(status.message()));
      }
      absl::MutexLock lock(&mu_);
      wanted_ = false;
      wait = kFirstWait;
      continue;
    }
    LogWarning(absl::StrCat("store not back yet (", status.ToString(),
                            "); retrying in ", absl::FormatDuration(wait)));
    absl::MutexLock lock(&mu_);
    // Woken early only to stop.
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), wait);
    if (stopping_) return;
    wait = std::min(wait * 2, kLongestWait);
  }
}

}  // namespace cortado
