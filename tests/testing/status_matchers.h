// ASSERT_OK / EXPECT_OK for absl::Status and absl::StatusOr (abseil 20220623
// ships no matchers).
#ifndef CORTADO_TESTS_TESTING_STATUS_MATCHERS_H_
#define CORTADO_TESTS_TESTING_STATUS_MATCHERS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace cortado::testing {
inline const absl::Status& ToStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& ToStatus(const absl::StatusOr<T>& s) {
  return s.status();
}
}  // namespace cortado::testing

#define ASSERT_OK(expr)                                \
  ASSERT_TRUE(::cortado::testing::ToStatus(expr).ok()) \
      << ::cortado::testing::ToStatus(expr)
#define EXPECT_OK(expr)                                \
  EXPECT_TRUE(::cortado::testing::ToStatus(expr).ok()) \
      << ::cortado::testing::ToStatus(expr)

#endif  // CORTADO_TESTS_TESTING_STATUS_MATCHERS_H_
