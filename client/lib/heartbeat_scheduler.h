// HeartbeatScheduler calls `beat(receipt_handle)` every `interval` for each
// message it tracks, on one thread of its own, so that a Consumer can keep
// the messages of long-running handlers invisible. It only schedules; what
// a beat does (ChangeMessageVisibility, counting) is the caller's business,
// which keeps it testable without a broker.
// Thread-safety: thread-safe. `beat` runs on the scheduler's thread with no
// scheduler lock held, and may run concurrently with Track/Untrack.
#ifndef CORTADO_CLIENT_LIB_HEARTBEAT_SCHEDULER_H_
#define CORTADO_CLIENT_LIB_HEARTBEAT_SCHEDULER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace cortado::client {

class HeartbeatScheduler {
 public:
  using Beat = std::function<void(const std::string& receipt_handle)>;

  // Starts the thread. With an infinite `interval` nothing ever beats.
  HeartbeatScheduler(absl::Duration interval, Beat beat);
  // Stops the thread; tracked messages simply stop beating.
  ~HeartbeatScheduler();
  HeartbeatScheduler(const HeartbeatScheduler&) = delete;
  HeartbeatScheduler& operator=(const HeartbeatScheduler&) = delete;

  // Beats `receipt_handle` at since + interval, + 2 * interval, ... until
  // Untrack(). Returns the id to untrack it with.
  uint64_t Track(std::string receipt_handle, absl::Time since);

  // Stops beating the message. If its beat is running right now, waits for
  // it to return: afterwards no beat can overtake what the caller does next
  // (say, ChangeMessageVisibility(0) or a delete).
  void Untrack(uint64_t id);

 private:
  struct Entry {
    std::string receipt_handle;
    absl::Time next_beat;
    bool beating = false;
  };

  void Run();

  // Constant after construction.
  const absl::Duration interval_;
  const Beat beat_;

  absl::Mutex mu_;
  // Signalled when entries change, a beat ends, or on shutdown.
  absl::CondVar changed_;
  bool shutdown_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  // Few entries (one per running handler), so a scan for the earliest beat
  // is cheaper than keeping an ordered index in step.
  std::map<uint64_t, Entry> entries_ ABSL_GUARDED_BY(mu_);

  // Last member: the thread starts after everything above is constructed.
  std::thread thread_;
};

}  // namespace cortado::client

#endif  // CORTADO_CLIENT_LIB_HEARTBEAT_SCHEDULER_H_
