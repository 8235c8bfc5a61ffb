// Shared helpers of the queue attribute tests (queue_attributes_test.cc,
// queue_attributes_changes_test.cc).
#ifndef CORTADO_TESTS_CORE_QUEUE_ATTRIBUTES_TESTING_H_
#define CORTADO_TESTS_CORE_QUEUE_ATTRIBUTES_TESTING_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/core/errors.h"
#include "server/core/queue_attributes.h"
#include "tests/testing/status_matchers.h"

namespace cortado::testing {

inline constexpr char kFifoNameError[] =
    "The name of a FIFO queue can only include alphanumeric characters, "
    "hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in "
    "length";
inline constexpr char kStandardNameError[] =
    "Can only include alphanumeric characters, hyphens, or underscores. 1 to "
    "80 in length";
inline constexpr char kDlqArn[] = "arn:aws:sqs:us-east-1:000000000000:dlq";

inline void ExpectError(const absl::Status& status, ErrorKind kind,
                        const std::string& message) {
  EXPECT_EQ(GetErrorKind(status), kind) << status;
  EXPECT_EQ(status.message(), message);
}

inline QueueAttributes NewStandardQueue(const AttributeMap& given = {}) {
  absl::StatusOr<QueueAttributes> attributes =
      AttributesForNewQueue("q", given);
  EXPECT_OK(attributes);
  return attributes.ok() ? *attributes : QueueAttributes();
}

inline QueueAttributes NewFifoQueue(AttributeMap given = {}) {
  given["FifoQueue"] = "true";
  absl::StatusOr<QueueAttributes> attributes =
      AttributesForNewQueue("q.fifo", given);
  EXPECT_OK(attributes);
  return attributes.ok() ? *attributes : QueueAttributes();
}

inline std::string RedrivePolicy(absl::string_view max_receive_count) {
  return absl::StrCat("{\"deadLetterTargetArn\": \"", kDlqArn,
                      "\", \"maxReceiveCount\": ", max_receive_count, "}");
}

}  // namespace cortado::testing

#endif  // CORTADO_TESTS_CORE_QUEUE_ATTRIBUTES_TESTING_H_
