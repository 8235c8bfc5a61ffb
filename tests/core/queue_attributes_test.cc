#include "server/core/queue_attributes.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/errors.h"
#include "tests/core/queue_attributes_testing.h"
#include "tests/testing/status_matchers.h"

namespace cortado {
namespace {

using ::testing::Contains;
using ::testing::Key;
using ::testing::Not;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

using ::cortado::testing::ExpectError;
using ::cortado::testing::kDlqArn;
using ::cortado::testing::kFifoNameError;
using ::cortado::testing::kStandardNameError;
using ::cortado::testing::NewFifoQueue;
using ::cortado::testing::NewStandardQueue;
using ::cortado::testing::RedrivePolicy;

// --- Defaults ---

TEST(AttributesForNewQueueTest, StandardQueueDefaults) {
  QueueAttributes attributes = NewStandardQueue();
  EXPECT_EQ(attributes, QueueAttributes());
  EXPECT_EQ(attributes.delay_seconds, 0);
  EXPECT_EQ(attributes.maximum_message_size, 1048576);
  EXPECT_EQ(attributes.message_retention_period, 345600);
  EXPECT_EQ(attributes.receive_message_wait_time_seconds, 0);
  EXPECT_EQ(attributes.visibility_timeout, 30);
  EXPECT_EQ(attributes.kms_data_key_reuse_period_seconds, 300);
  EXPECT_TRUE(attributes.sqs_managed_sse_enabled);
  EXPECT_FALSE(attributes.fifo_queue);
  EXPECT_TRUE(attributes.policy.empty());
  EXPECT_TRUE(attributes.redrive_policy.empty());
}

TEST(AttributesForNewQueueTest, FifoQueueDefaults) {
  QueueAttributes attributes = NewFifoQueue();
  EXPECT_TRUE(attributes.fifo_queue);
  EXPECT_FALSE(attributes.content_based_deduplication);
  EXPECT_EQ(attributes.deduplication_scope, "queue");
  EXPECT_EQ(attributes.fifo_throughput_limit, "perQueue");
  EXPECT_EQ(attributes.visibility_timeout, 30);
}

// --- Queue names and types ---

TEST(AttributesForNewQueueTest, FifoQueueNeedsFifoName) {
  ExpectError(AttributesForNewQueue("q", {{"FifoQueue", "true"}}).status(),
              ErrorKind::kInvalidParameterValue, kFifoNameError);
  ExpectError(
      AttributesForNewQueue("q fifo.fifo", {{"FifoQueue", "true"}}).status(),
      ErrorKind::kInvalidParameterValue, kFifoNameError);
  EXPECT_OK(AttributesForNewQueue("q.fifo", {{"FifoQueue", "TRUE"}}));
}

TEST(AttributesForNewQueueTest, FifoNameNeedsFifoQueueAttribute) {
  ExpectError(AttributesForNewQueue("q.fifo", {}).status(),
              ErrorKind::kInvalidParameterValue, kStandardNameError);
  ExpectError(
      AttributesForNewQueue("q.fifo", {{"FifoQueue", "false"}}).status(),
      ErrorKind::kInvalidParameterValue, kStandardNameError);
}

TEST(AttributesForNewQueueTest, InvalidStandardNamesRejected) {
  for (const std::string& name :
       {std::string(), std::string(81, 'q'), std::string("a b"),
        std::string("a.b"), std::string("a/b")}) {
    ExpectError(AttributesForNewQueue(name, {}).status(),
                ErrorKind::kInvalidParameterValue, kStandardNameError);
  }
  EXPECT_OK(AttributesForNewQueue(std::string(80, 'q'), {}));
}

TEST(AttributesForNewQueueTest, FifoSuffixCountsTowardEightyCharacters) {
  EXPECT_OK(AttributesForNewQueue(std::string(75, 'q') + ".fifo",
                                  {{"FifoQueue", "true"}}));
  ExpectError(AttributesForNewQueue(std::string(76, 'q') + ".fifo",
                                    {{"FifoQueue", "true"}})
                  .status(),
              ErrorKind::kInvalidParameterValue, kFifoNameError);
}

TEST(AttributesForNewQueueTest, FifoQueueValueMustBeBoolean) {
  ExpectError(AttributesForNewQueue("q.fifo", {{"FifoQueue", "yes"}}).status(),
              ErrorKind::kInvalidAttributeValue,
              "Invalid value for the parameter FifoQueue.");
}

TEST(AttributesForNewQueueTest, FifoOnlyAttributesAreUnknownOnStandard) {
  // FifoQueue=true would make the queue FIFO; "false" is still rejected.
  ExpectError(AttributesForNewQueue("q", {{"FifoQueue", "false"}}).status(),
              ErrorKind::kInvalidAttributeName, "Unknown Attribute FifoQueue.");
  for (const char* value : {"true", "false"}) {
    ExpectError(
        AttributesForNewQueue("q", {{"ContentBasedDeduplication", value}})
            .status(),
        ErrorKind::kInvalidAttributeName,
        "Unknown Attribute ContentBasedDeduplication.");
  }
}

TEST(AttributesForNewQueueTest, HighThroughputAttributesNeedFifo) {
  ExpectError(
      AttributesForNewQueue("q", {{"DeduplicationScope", "queue"}}).status(),
      ErrorKind::kInvalidAttributeName,
      "You can specify the DeduplicationScope only when FifoQueue is set to "
      "true.");
  ExpectError(
      AttributesForNewQueue("q", {{"FifoThroughputLimit", "perQueue"}})
          .status(),
      ErrorKind::kInvalidAttributeName,
      "You can specify the FifoThroughputLimit only when FifoQueue is set to "
      "true.");
}

// --- Names ---

TEST(AttributesForNewQueueTest, UnknownNamesRejected) {
  for (const char* name : {"Foobar", "visibilitytimeout", "All", ""}) {
    ExpectError(AttributesForNewQueue("q", {{name, "1"}}).status(),
                ErrorKind::kInvalidAttributeName,
                absl::StrCat("Unknown Attribute ", name, "."));
  }
}

TEST(AttributesForNewQueueTest, ReadOnlyNamesRejected) {
  for (const char* name :
       {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed", "CreatedTimestamp",
        "LastModifiedTimestamp", "QueueArn"}) {
    ExpectError(AttributesForNewQueue("q", {{name, "1"}}).status(),
                ErrorKind::kInvalidAttributeName,
                absl::StrCat("Unknown Attribute ", name, "."));
  }
}

TEST(AttributesForNewQueueTest, NamesAreCheckedBeforeValues) {
  ExpectError(
      AttributesForNewQueue("q", {{"DelaySeconds", "bad"}, {"Foobar", "1"}})
          .status(),
      ErrorKind::kInvalidAttributeName, "Unknown Attribute Foobar.");
}

// --- Integer ranges ---

struct IntegerCase {
  const char* name;
  int32_t QueueAttributes::*field;
  int32_t min;
  int32_t max;
};

constexpr IntegerCase kIntegerCases[] = {
    {"DelaySeconds", &QueueAttributes::delay_seconds, 0, 900},
    {"MaximumMessageSize", &QueueAttributes::maximum_message_size, 1024,
     1048576},
    {"MessageRetentionPeriod", &QueueAttributes::message_retention_period, 60,
     1209600},
    {"ReceiveMessageWaitTimeSeconds",
     &QueueAttributes::receive_message_wait_time_seconds, 0, 20},
    {"VisibilityTimeout", &QueueAttributes::visibility_timeout, 0, 43200},
    {"KmsDataKeyReusePeriodSeconds",
     &QueueAttributes::kms_data_key_reuse_period_seconds, 60, 86400},
};

TEST(AttributesForNewQueueTest, IntegerLimitsAccepted) {
  for (const IntegerCase& c : kIntegerCases) {
    for (int32_t value : {c.min, c.max}) {
      absl::StatusOr<QueueAttributes> attributes =
          AttributesForNewQueue("q", {{c.name, absl::StrCat(value)}});
      ASSERT_OK(attributes);
      EXPECT_EQ((*attributes).*(c.field), value) << c.name;
    }
  }
}

TEST(AttributesForNewQueueTest, IntegersOutsideRangeRejected) {
  for (const IntegerCase& c : kIntegerCases) {
    const std::string message =
        absl::StrCat("Invalid value for the parameter ", c.name, ".");
    ExpectError(AttributesForNewQueue("q", {{c.name, absl::StrCat(c.max + 1)}})
                    .status(),
                ErrorKind::kInvalidAttributeValue, message);
    ExpectError(AttributesForNewQueue("q", {{c.name, absl::StrCat(c.min - 1)}})
                    .status(),
                ErrorKind::kInvalidAttributeValue, message);
  }
}

TEST(AttributesForNewQueueTest, IntegersMustBePlainDecimal) {
  for (const char* value : {"", "abc", "1.5", "1e3", " 5", "5 ", "0x10", "-0",
                            "+5", "99999999999999999999999"}) {
    ExpectError(
        AttributesForNewQueue("q", {{"VisibilityTimeout", value}}).status(),
        ErrorKind::kInvalidAttributeValue,
        "Invalid value for the parameter VisibilityTimeout.");
  }
  absl::StatusOr<QueueAttributes> attributes =
      AttributesForNewQueue("q", {{"VisibilityTimeout", "030"}});
  ASSERT_OK(attributes);
  EXPECT_EQ(attributes->visibility_timeout, 30);
}

// --- Booleans and enumerations ---

TEST(AttributesForNewQueueTest, BooleansAreCaseInsensitive) {
  absl::StatusOr<QueueAttributes> attributes =
      AttributesForNewQueue("q.fifo", {{"FifoQueue", "True"},
                                       {"ContentBasedDeduplication", "TRUE"},
                                       {"SqsManagedSseEnabled", "False"}});
  ASSERT_OK(attributes);
  EXPECT_TRUE(attributes->content_based_deduplication);
  EXPECT_FALSE(attributes->sqs_managed_sse_enabled);
  EXPECT_EQ(RenderAttributes(*attributes)["ContentBasedDeduplication"], "true");
  EXPECT_EQ(RenderAttributes(*attributes)["SqsManagedSseEnabled"], "false");
}

TEST(AttributesForNewQueueTest, InvalidBooleansRejected) {
  for (const char* value : {"", "yes", "1", "truee"}) {
    ExpectError(
        AttributesForNewQueue("q", {{"SqsManagedSseEnabled", value}}).status(),
        ErrorKind::kInvalidAttributeValue,
        "Invalid value for the parameter SqsManagedSseEnabled.");
  }
  ExpectError(
      AttributesForNewQueue("q.fifo", {{"FifoQueue", "true"},
                                       {"ContentBasedDeduplication", "maybe"}})
          .status(),
      ErrorKind::kInvalidAttributeValue,
      "Invalid value for the parameter ContentBasedDeduplication.");
}

TEST(AttributesForNewQueueTest, HighThroughputFifoQueue) {
  QueueAttributes attributes =
      NewFifoQueue({{"DeduplicationScope", "messageGroup"},
                    {"FifoThroughputLimit", "perMessageGroupId"}});
  EXPECT_EQ(attributes.deduplication_scope, "messageGroup");
  EXPECT_EQ(attributes.fifo_throughput_limit, "perMessageGroupId");
}

TEST(AttributesForNewQueueTest, FifoEnumerationsValidated) {
  ExpectError(AttributesForNewQueue("q.fifo", {{"FifoQueue", "true"},
                                               {"DeduplicationScope", "Queue"}})
                  .status(),
              ErrorKind::kInvalidAttributeValue,
              "Invalid value for the parameter DeduplicationScope.");
  ExpectError(
      AttributesForNewQueue("q.fifo", {{"FifoQueue", "true"},
                                       {"FifoThroughputLimit", "perGroup"}})
          .status(),
      ErrorKind::kInvalidAttributeValue,
      "Invalid value for the parameter FifoThroughputLimit.");
}

TEST(AttributesForNewQueueTest, PerMessageGroupIdNeedsMessageGroupScope) {
  absl::Status status =
      AttributesForNewQueue(
          "q.fifo",
          {{"FifoQueue", "true"}, {"FifoThroughputLimit", "perMessageGroupId"}})
          .status();
  EXPECT_EQ(GetErrorKind(status), ErrorKind::kInvalidAttributeValue);
  EXPECT_THAT(std::string(status.message()),
              ::testing::StartsWith(
                  "Invalid value for the parameter FifoThroughputLimit."));
}

// --- KMS ---

TEST(AttributesForNewQueueTest, KmsKeySwitchesOffSqsManagedEncryption) {
  QueueAttributes attributes = NewStandardQueue(
      {{"KmsMasterKeyId", "alias/aws/sqs"}, {"SqsManagedSseEnabled", "true"}});
  EXPECT_EQ(attributes.kms_master_key_id, "alias/aws/sqs");
  EXPECT_FALSE(attributes.sqs_managed_sse_enabled);
}

TEST(AttributesForNewQueueTest, EmptyKmsKeyLeavesSqsManagedEncryption) {
  QueueAttributes attributes = NewStandardQueue({{"KmsMasterKeyId", ""}});
  EXPECT_TRUE(attributes.sqs_managed_sse_enabled);
  EXPECT_THAT(RenderAttributes(attributes),
              Not(Contains(Key("KmsMasterKeyId"))));
}

// --- JSON attributes ---

TEST(AttributesForNewQueueTest, PolicyMustBeAJsonObject) {
  const std::string policy =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"}]}";
  EXPECT_EQ(NewStandardQueue({{"Policy", policy}}).policy, policy);
  for (const char* bad : {"not json", "[]", "\"x\"", "{", "{\"a\":}", "null"}) {
    ExpectError(AttributesForNewQueue("q", {{"Policy", bad}}).status(),
                ErrorKind::kInvalidAttributeValue,
                "Invalid value for the parameter Policy.");
  }
}

TEST(AttributesForNewQueueTest, RedrivePolicyIsStoredInCompactForm) {
  const std::string expected = absl::StrCat(
      "{\"deadLetterTargetArn\":\"", kDlqArn, "\",\"maxReceiveCount\":5}");
  EXPECT_EQ(
      NewStandardQueue({{"RedrivePolicy", RedrivePolicy("5")}}).redrive_policy,
      expected);
  // AWS accepts the count as a numeric string too.
  EXPECT_EQ(NewStandardQueue({{"RedrivePolicy", RedrivePolicy("\"5\"")}})
                .redrive_policy,
            expected);
}

TEST(AttributesForNewQueueTest, RedrivePolicyCountLimits) {
  EXPECT_OK(
      AttributesForNewQueue("q", {{"RedrivePolicy", RedrivePolicy("1")}}));
  EXPECT_OK(
      AttributesForNewQueue("q", {{"RedrivePolicy", RedrivePolicy("1000")}}));
  for (const char* count : {"0", "1001", "-36", "\"abc\"", "1.5", "true"}) {
    const std::string policy = RedrivePolicy(count);
    absl::Status status =
        AttributesForNewQueue("q", {{"RedrivePolicy", policy}}).status();
    EXPECT_EQ(GetErrorKind(status), ErrorKind::kInvalidParameterValue) << count;
    EXPECT_THAT(std::string(status.message()),
                ::testing::StartsWith(absl::StrCat(
                    "Value ", policy,
                    " for parameter RedrivePolicy is invalid. Reason: Invalid "
                    "value for maxReceiveCount: ")));
  }
  const std::string policy = RedrivePolicy("0");
  ExpectError(AttributesForNewQueue("q", {{"RedrivePolicy", policy}}).status(),
              ErrorKind::kInvalidParameterValue,
              absl::StrCat("Value ", policy,
                           " for parameter RedrivePolicy is invalid. Reason: "
                           "Invalid value for maxReceiveCount: 0, valid "
                           "values are from 1 to 1000 both inclusive."));
}

TEST(AttributesForNewQueueTest, RedrivePolicyMandatoryAttributes) {
  const std::string no_count =
      absl::StrCat("{\"deadLetterTargetArn\":\"", kDlqArn, "\"}");
  ExpectError(
      AttributesForNewQueue("q", {{"RedrivePolicy", no_count}}).status(),
      ErrorKind::kInvalidParameterValue,
      absl::StrCat("Value ", no_count,
                   " for parameter RedrivePolicy is invalid. Reason: Redrive "
                   "policy does not contain mandatory attribute: "
                   "maxReceiveCount."));
  const std::string no_target = "{\"maxReceiveCount\":5}";
  ExpectError(
      AttributesForNewQueue("q", {{"RedrivePolicy", no_target}}).status(),
      ErrorKind::kInvalidParameterValue,
      absl::StrCat("Value ", no_target,
                   " for parameter RedrivePolicy is invalid. Reason: Redrive "
                   "policy does not contain mandatory attribute: "
                   "deadLetterTargetArn."));
  EXPECT_EQ(
      GetErrorKind(AttributesForNewQueue("q", {{"RedrivePolicy",
                                                "{\"deadLetterTargetArn\":5,"
                                                "\"maxReceiveCount\":5}"}})
                       .status()),
      ErrorKind::kInvalidParameterValue);
}

TEST(AttributesForNewQueueTest, RedrivePolicyMustBeAJsonMap) {
  for (const char* bad : {"garbage", "[1]", "{\"deadLetterTargetArn\":"}) {
    ExpectError(AttributesForNewQueue("q", {{"RedrivePolicy", bad}}).status(),
                ErrorKind::kInvalidAttributeValue,
                "Invalid value for the parameter RedrivePolicy. Reason: "
                "Redrive policy is not a valid JSON map.");
  }
}

TEST(AttributesForNewQueueTest, RedriveAllowPolicy) {
  for (const char* good :
       {"{\"redrivePermission\":\"allowAll\"}",
        "{\"redrivePermission\":\"denyAll\"}",
        "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":"
        "[\"arn:aws:sqs:us-east-1:000000000000:src\"]}"}) {
    EXPECT_EQ(
        NewStandardQueue({{"RedriveAllowPolicy", good}}).redrive_allow_policy,
        good);
  }
  for (const char* bad :
       {"nope", "{}", "{\"redrivePermission\":\"sometimes\"}",
        "{\"redrivePermission\":\"byQueue\"}",
        "{\"redrivePermission\":\"allowAll\",\"sourceQueueArns\":[\"a\"]}",
        "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[\"1\",\"2\","
        "\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"]}"}) {
    absl::Status status =
        AttributesForNewQueue("q", {{"RedriveAllowPolicy", bad}}).status();
    EXPECT_EQ(GetErrorKind(status), ErrorKind::kInvalidAttributeValue) << bad;
    EXPECT_THAT(std::string(status.message()),
                ::testing::StartsWith(
                    "Invalid value for the parameter RedriveAllowPolicy."));
  }
}

TEST(AttributesForNewQueueTest, EmptyJsonAttributesMeanNone) {
  QueueAttributes attributes = NewStandardQueue(
      {{"Policy", ""}, {"RedrivePolicy", ""}, {"RedriveAllowPolicy", ""}});
  EXPECT_EQ(attributes, QueueAttributes());
}

}  // namespace
}  // namespace cortado
