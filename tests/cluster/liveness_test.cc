#include "server/cluster/liveness.h"

#include "gtest/gtest.h"

namespace cortado::cluster {
namespace {

TEST(LivenessTest, ANodeIsDeadOnceItsCounterStaysForTheTtl) {
  FakeClock clock;
  Liveness liveness(absl::Seconds(2), &clock);
  liveness.Observe({{"a", 1}, {"b", 7}});
  EXPECT_TRUE(liveness.IsAlive("a"));
  EXPECT_TRUE(liveness.IsAlive("b"));  // first seen: a whole TTL of credit
  clock.Advance(absl::Milliseconds(1500));
  liveness.Observe({{"a", 2}, {"b", 7}});
  clock.Advance(absl::Milliseconds(600));
  liveness.Observe({{"a", 2}, {"b", 7}});
  EXPECT_TRUE(liveness.IsAlive("a"));   // changed 0.6 s ago
  EXPECT_FALSE(liveness.IsAlive("b"));  // unchanged for 2.1 s
  EXPECT_EQ(liveness.SilentFor("b"), absl::Milliseconds(2100));
}

TEST(LivenessTest, OnlyTheObserversClockCounts) {
  // Heartbeats carry no time: a reading after a long gap (a PostgreSQL
  // failover, say) that shows the counter moved means alive.
  FakeClock clock;
  Liveness liveness(absl::Seconds(2), &clock);
  liveness.Observe({{"a", 1}});
  clock.Advance(absl::Seconds(30));
  liveness.Observe({{"a", 9}});
  EXPECT_TRUE(liveness.IsAlive("a"));
}

TEST(LivenessTest, AnUnknownOrRemovedNodeIsNotAlive) {
  FakeClock clock;
  Liveness liveness(absl::Seconds(2), &clock);
  EXPECT_FALSE(liveness.IsAlive("nobody"));
  liveness.Observe({{"a", 1}});
  liveness.Observe({});
  EXPECT_FALSE(liveness.IsAlive("a"));
  EXPECT_EQ(liveness.SilentFor("a"), absl::InfiniteDuration());
}

}  // namespace
}  // namespace cortado::cluster
