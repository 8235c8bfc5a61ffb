// HeartbeatScheduler on its own, with a fake beat: no broker involved.
#include "client/lib/heartbeat_scheduler.h"

#include <future>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace cortado::client {
namespace {

constexpr absl::Duration kTimeout = absl::Seconds(20);

// Records beats and lets a test wait for a number of them.
class BeatLog {
 public:
  void Record(const std::string& handle) {
    absl::MutexLock lock(&mu_);
    handles_.push_back(handle);
  }
  bool WaitForBeats(size_t count) {
    absl::MutexLock lock(&mu_);
    auto enough = [&] { return handles_.size() >= count; };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), kTimeout);
  }
  std::vector<std::string> handles() {
    absl::MutexLock lock(&mu_);
    return handles_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> handles_ ABSL_GUARDED_BY(mu_);
};

TEST(HeartbeatSchedulerTest, BeatsATrackedHandleRepeatedly) {
  BeatLog log;
  HeartbeatScheduler scheduler(
      absl::Milliseconds(10),
      [&](const std::string& handle) { log.Record(handle); });
  uint64_t id = scheduler.Track("h1", absl::Now());
  ASSERT_TRUE(log.WaitForBeats(3));
  scheduler.Untrack(id);
  EXPECT_EQ(log.handles()[0], "h1");
}

TEST(HeartbeatSchedulerTest, FirstBeatComesOneIntervalAfterTheReceive) {
  BeatLog log;
  HeartbeatScheduler scheduler(
      absl::Milliseconds(100),
      [&](const std::string& handle) { log.Record(handle); });
  absl::Time since = absl::Now();
  scheduler.Track("h", since);
  ASSERT_TRUE(log.WaitForBeats(1));
  EXPECT_GE(absl::Now() - since, absl::Milliseconds(100));
}

TEST(HeartbeatSchedulerTest, NoBeatAfterUntrack) {
  BeatLog log;
  {
    HeartbeatScheduler scheduler(
        absl::Milliseconds(5),
        [&](const std::string& handle) { log.Record(handle); });
    uint64_t id = scheduler.Track("h", absl::Now());
    ASSERT_TRUE(log.WaitForBeats(2));
    scheduler.Untrack(id);
    size_t beats = log.handles().size();
    // A new handle beats too, and the scheduler keeps running while the
    // first one stays silent.
    uint64_t other = scheduler.Track("other", absl::Now());
    ASSERT_TRUE(log.WaitForBeats(beats + 3));
    scheduler.Untrack(other);
    for (size_t i = beats; i < log.handles().size(); ++i) {
      EXPECT_EQ(log.handles()[i], "other");
    }
  }
}

TEST(HeartbeatSchedulerTest, UntrackWaitsForARunningBeat) {
  absl::Notification in_beat;
  absl::Notification finish_beat;
  std::atomic<bool> beat_done{false};
  HeartbeatScheduler scheduler(absl::Milliseconds(1), [&](const std::string&) {
    if (in_beat.HasBeenNotified()) return;
    in_beat.Notify();
    finish_beat.WaitForNotificationWithTimeout(kTimeout);
    beat_done = true;
  });
  uint64_t id = scheduler.Track("h", absl::Now());
  ASSERT_TRUE(in_beat.WaitForNotificationWithTimeout(kTimeout));
  auto untracked =
      std::async(std::launch::async, [&] { scheduler.Untrack(id); });
  EXPECT_EQ(untracked.wait_for(std::chrono::milliseconds(100)),
            std::future_status::timeout);
  finish_beat.Notify();
  untracked.wait();
  EXPECT_TRUE(beat_done);
}

TEST(HeartbeatSchedulerTest, InfiniteIntervalNeverBeats) {
  std::atomic<int> beats{0};
  {
    HeartbeatScheduler scheduler(absl::InfiniteDuration(),
                                 [&](const std::string&) { ++beats; });
    scheduler.Untrack(scheduler.Track("h", absl::Now()));
  }
  EXPECT_EQ(beats, 0);
}

}  // namespace
}  // namespace cortado::client
