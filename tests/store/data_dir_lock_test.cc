#include "server/store/data_dir_lock.h"

#include <sys/wait.h>
#include <unistd.h>

#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::store {
namespace {

TEST(DataDirLockTest, ASecondHolderIsRefusedUntilTheFirstGoesAway) {
  cortado::testing::TempDir dir;
  const std::string data = dir.path() + "/data";
  auto first = DataDirLock::Acquire(data);
  ASSERT_OK(first);
  // flock is per open file description, so a second Acquire in this process
  // conflicts just as another process would.
  auto second = DataDirLock::Acquire(data);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("in use"), std::string::npos);
  first->reset();
  EXPECT_OK(DataDirLock::Acquire(data));
}

TEST(DataDirLockTest, AKilledHolderReleasesTheLock) {
  cortado::testing::TempDir dir;
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  if (child == 0) {
    auto lock = DataDirLock::Acquire(dir.path());
    char ok = lock.ok() ? '1' : '0';
    (void)!write(ready[1], &ok, 1);
    pause();  // until killed
    _exit(0);
  }
  char ok = 0;
  ASSERT_EQ(read(ready[0], &ok, 1), 1);
  ASSERT_EQ(ok, '1');
  EXPECT_FALSE(DataDirLock::Acquire(dir.path()).ok());
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  EXPECT_OK(DataDirLock::Acquire(dir.path()));
}

}  // namespace
}  // namespace cortado::store
