// Cancellation lets one thread end a call that another thread is blocked in,
// above all a long-poll ReceiveMessage (see ReceiveOptions::cancellation).
// Once cancelled it stays cancelled: calls in progress end with kCancelled
// and later calls fail at once, so a loop like `watch` stops on its own.
// A Consumer and the CLI's signal handling are built on it.
// Thread-safety: all methods may be called from any thread.
#ifndef CORTADO_CLIENT_INCLUDE_CORTADO_CANCELLATION_H_
#define CORTADO_CLIENT_INCLUDE_CORTADO_CANCELLATION_H_

#include <cstdint>
#include <functional>
#include <map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace cortado::client {

class Cancellation {
 public:
  Cancellation() = default;
  Cancellation(const Cancellation&) = delete;
  Cancellation& operator=(const Cancellation&) = delete;

  // Cancels every registered call and every later one. Idempotent.
  void Cancel();
  bool IsCancelled() const;
  // Blocks until Cancel() or until `timeout` passes; returns IsCancelled().
  // For loops that back off between calls and must stop at once.
  bool WaitForCancel(absl::Duration timeout) const;

  // For the library's calls: remembers `on_cancel` until Unregister(). When
  // already cancelled it registers nothing and returns 0; the caller then
  // fails the call itself. `on_cancel` must not block.
  uint64_t Register(std::function<void()> on_cancel);
  // Forgets a registration. If Cancel() is running the callback right now,
  // waits for it to return, so the call's state may be destroyed afterwards.
  void Unregister(uint64_t id);

 private:
  mutable absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  // True while Cancel() runs callbacks it took out of `callbacks_` (they run
  // without mu_ held; Unregister waits on this).
  bool running_callbacks_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::map<uint64_t, std::function<void()>> callbacks_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cortado::client

#endif  // CORTADO_CLIENT_INCLUDE_CORTADO_CANCELLATION_H_
