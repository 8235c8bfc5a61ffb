// StoreRecovery brings a broker whose store failed back into service
// without a restart: told of the failure, its thread calls
// Broker::Recover() (reopen the store, reload everything from it) until it
// succeeds, waiting 250 ms, then twice as long each time, up to 5 s, between
// tries, and logs when it starts, while it waits and when the store is back.
// A store that cannot recover in place (SQLite, Unimplemented) is left
// failed with one log line: the process must be restarted.
// Thread-safety: every method may be called from any thread; the
// destructor calls Stop().
#ifndef CORTADO_CMD_CORTADO_SERVER_STORE_RECOVERY_H_
#define CORTADO_CMD_CORTADO_SERVER_STORE_RECOVERY_H_

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "server/core/broker.h"

namespace cortado {

class StoreRecovery {
 public:
  // `broker` must outlive this.
  explicit StoreRecovery(Broker* broker);
  ~StoreRecovery();

  StoreRecovery(const StoreRecovery&) = delete;
  StoreRecovery& operator=(const StoreRecovery&) = delete;

  // The broker's on_store_failure: starts recovering (on this object's
  // thread; returns at once). Harmless after Stop().
  void OnStoreFailure(const absl::Status& failure) ABSL_LOCKS_EXCLUDED(mu_);
  // Ends the thread (a Recover in progress finishes first). Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Loop() ABSL_LOCKS_EXCLUDED(mu_);
  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return wanted_ || stopping_;
  }

  Broker* const broker_;
  mutable absl::Mutex mu_;
  bool wanted_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace cortado

#endif  // CORTADO_CMD_CORTADO_SERVER_STORE_RECOVERY_H_
