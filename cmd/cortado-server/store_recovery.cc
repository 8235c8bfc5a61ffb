#include "cmd/cortado-server/store_recovery.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "cmd/cortado-server/log.h"

namespace cortado {

StoreRecovery::StoreRecovery(Broker* broker)
    : broker_(broker), thread_([this] { Loop(); }) {}

StoreRecovery::~StoreRecovery() { Stop(); }

void StoreRecovery::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
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
      mu_.Await(absl::Condition(this, &StoreRecovery::HasWork));
      if (stopping_) return;
      // Taken before trying, so a failure after a successful reload asks
      // again.
      wanted_ = false;
    }
    const absl::Status status = broker_->Recover();
    if (status.ok()) {
      LogWarning("store reopened and state reloaded; serving again");
      wait = kFirstWait;
      continue;
    }
    if (absl::IsUnimplemented(status)) {
      LogError(std::string(status.message()));
      continue;
    }
    LogWarning(absl::StrCat("store not back yet (", status.ToString(),
                            "); retrying in ", absl::FormatDuration(wait)));
    absl::MutexLock lock(&mu_);
    // Woken early only to stop.
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), wait);
    if (stopping_) return;
    wanted_ = true;
    wait = std::min(wait * 2, kLongestWait);
  }
}

}  // namespace cortado
