#include "cortado/cancellation.h"

#include <future>

#include "gtest/gtest.h"

namespace cortado::client {
namespace {

TEST(CancellationTest, CancelRunsRegisteredCallbacksOnce) {
  Cancellation cancellation;
  int calls = 0;
  uint64_t id = cancellation.Register([&] { ++calls; });
  ASSERT_NE(id, 0u);
  EXPECT_FALSE(cancellation.IsCancelled());
  cancellation.Cancel();
  cancellation.Cancel();
  EXPECT_TRUE(cancellation.IsCancelled());
  EXPECT_EQ(calls, 1);
  cancellation.Unregister(id);  // after Cancel: harmless
}

TEST(CancellationTest, UnregisteredCallbackDoesNotRun) {
  Cancellation cancellation;
  bool called = false;
  cancellation.Unregister(cancellation.Register([&] { called = true; }));
  cancellation.Cancel();
  EXPECT_FALSE(called);
}

TEST(CancellationTest, RegisterAfterCancelRefuses) {
  Cancellation cancellation;
  cancellation.Cancel();
  EXPECT_EQ(cancellation.Register([] {}), 0u);
}

TEST(CancellationTest, WaitForCancelWakesWhenCancelled) {
  Cancellation cancellation;
  EXPECT_FALSE(cancellation.WaitForCancel(absl::Milliseconds(1)));
  auto waiter = std::async(std::launch::async, [&] {
    return cancellation.WaitForCancel(absl::Seconds(60));
  });
  cancellation.Cancel();
  ASSERT_EQ(waiter.wait_for(std::chrono::seconds(10)),
            std::future_status::ready);
  EXPECT_TRUE(waiter.get());
}

}  // namespace
}  // namespace cortado::client
