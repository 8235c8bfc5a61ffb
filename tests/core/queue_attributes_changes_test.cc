// Queue attributes after creation: ApplyAttributeChanges (SetQueueAttributes),
// FirstDifferingAttribute (CreateQueue idempotency), RenderAttributes
// (GetQueueAttributes) and the name checks.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/errors.h"
#include "server/core/queue_attributes.h"
#include "tests/core/queue_attributes_testing.h"
#include "tests/testing/status_matchers.h"

namespace cortado {
namespace {

using ::cortado::testing::ExpectError;
using ::cortado::testing::kDlqArn;
using ::cortado::testing::NewFifoQueue;
using ::cortado::testing::NewStandardQueue;
using ::cortado::testing::RedrivePolicy;
using ::testing::Contains;
using ::testing::Key;
using ::testing::Not;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

// --- ApplyAttributeChanges ---

TEST(ApplyAttributeChangesTest, ChangesOnlyTheGivenAttributes) {
  QueueAttributes current = NewStandardQueue({{"DelaySeconds", "5"}});
  absl::StatusOr<QueueAttributes> changed =
      ApplyAttributeChanges(current, {{"VisibilityTimeout", "40"}});
  ASSERT_OK(changed);
  EXPECT_EQ(changed->visibility_timeout, 40);
  EXPECT_EQ(changed->delay_seconds, 5);
}

TEST(ApplyAttributeChangesTest, FailedChangeReportsErrorOnly) {
  QueueAttributes current = NewStandardQueue();
  ExpectError(ApplyAttributeChanges(current, {{"DelaySeconds", "5"},
                                              {"VisibilityTimeout", "43201"}})
                  .status(),
              ErrorKind::kInvalidAttributeValue,
              "Invalid value for the parameter VisibilityTimeout.");
}

TEST(ApplyAttributeChangesTest, EmptyStringRemovesJsonAttributes) {
  QueueAttributes current = NewStandardQueue(
      {{"Policy", "{}"},
       {"RedrivePolicy", RedrivePolicy("3")},
       {"RedriveAllowPolicy", "{\"redrivePermission\":\"denyAll\"}"}});
  absl::StatusOr<QueueAttributes> changed = ApplyAttributeChanges(
      current,
      {{"Policy", ""}, {"RedrivePolicy", ""}, {"RedriveAllowPolicy", ""}});
  ASSERT_OK(changed);
  EXPECT_EQ(*changed, QueueAttributes());
}

TEST(ApplyAttributeChangesTest, KmsSettingsDisappearAgainWhenReset) {
  QueueAttributes current = NewStandardQueue();
  absl::StatusOr<QueueAttributes> with_kms =
      ApplyAttributeChanges(current, {{"KmsMasterKeyId", "alias/aws/sqs"},
                                      {"KmsDataKeyReusePeriodSeconds", "600"}});
  ASSERT_OK(with_kms);
  EXPECT_FALSE(with_kms->sqs_managed_sse_enabled);
  absl::StatusOr<QueueAttributes> reset = ApplyAttributeChanges(
      *with_kms,
      {{"KmsMasterKeyId", ""}, {"KmsDataKeyReusePeriodSeconds", "300"}});
  ASSERT_OK(reset);
  AttributeMap rendered = RenderAttributes(*reset);
  EXPECT_THAT(rendered, Not(Contains(Key("KmsMasterKeyId"))));
  EXPECT_THAT(rendered, Not(Contains(Key("KmsDataKeyReusePeriodSeconds"))));
}

TEST(ApplyAttributeChangesTest, ReadOnlyAndUnknownNamesRejected) {
  QueueAttributes current = NewStandardQueue();
  ExpectError(ApplyAttributeChanges(current, {{"QueueArn", "x"}}).status(),
              ErrorKind::kInvalidAttributeName, "Unknown Attribute QueueArn.");
  ExpectError(
      ApplyAttributeChanges(current, {{"CreatedTimestamp", "1"}}).status(),
      ErrorKind::kInvalidAttributeName, "Unknown Attribute CreatedTimestamp.");
  ExpectError(ApplyAttributeChanges(current, {{"Foobar", "1"}}).status(),
              ErrorKind::kInvalidAttributeName, "Unknown Attribute Foobar.");
}

TEST(ApplyAttributeChangesTest, FifoQueueCannotBeChanged) {
  QueueAttributes fifo = NewFifoQueue();
  EXPECT_OK(ApplyAttributeChanges(fifo, {{"FifoQueue", "true"}}));
  ExpectError(ApplyAttributeChanges(fifo, {{"FifoQueue", "false"}}).status(),
              ErrorKind::kInvalidAttributeValue,
              "Invalid value for the parameter FifoQueue. Reason: Modifying "
              "queue type is not supported.");
  QueueAttributes standard = NewStandardQueue();
  ExpectError(ApplyAttributeChanges(standard, {{"FifoQueue", "true"}}).status(),
              ErrorKind::kInvalidAttributeName, "Unknown Attribute FifoQueue.");
}

TEST(ApplyAttributeChangesTest, FifoAttributesOnStandardQueueRejected) {
  QueueAttributes standard = NewStandardQueue();
  ExpectError(
      ApplyAttributeChanges(standard, {{"ContentBasedDeduplication", "true"}})
          .status(),
      ErrorKind::kInvalidAttributeName,
      "Unknown Attribute ContentBasedDeduplication.");
  ExpectError(
      ApplyAttributeChanges(standard, {{"DeduplicationScope", "queue"}})
          .status(),
      ErrorKind::kInvalidAttributeName,
      "You can specify the DeduplicationScope only when FifoQueue is set to "
      "true.");
}

TEST(ApplyAttributeChangesTest, FifoAttributesChangeOnFifoQueue) {
  absl::StatusOr<QueueAttributes> changed = ApplyAttributeChanges(
      NewFifoQueue(), {{"ContentBasedDeduplication", "true"},
                       {"DeduplicationScope", "messageGroup"},
                       {"FifoThroughputLimit", "perMessageGroupId"}});
  ASSERT_OK(changed);
  EXPECT_TRUE(changed->content_based_deduplication);
  EXPECT_EQ(changed->fifo_throughput_limit, "perMessageGroupId");
  // Going back to queue scope while the limit is per group is inconsistent.
  EXPECT_EQ(GetErrorKind(ApplyAttributeChanges(
                             *changed, {{"DeduplicationScope", "queue"}})
                             .status()),
            ErrorKind::kInvalidAttributeValue);
}

// --- FirstDifferingAttribute ---

TEST(FirstDifferingAttributeTest, IdenticalOrNoAttributesMatch) {
  QueueAttributes current = NewStandardQueue({{"VisibilityTimeout", "40"}});
  EXPECT_EQ(FirstDifferingAttribute(current, {}), "");
  EXPECT_EQ(FirstDifferingAttribute(current, {{"VisibilityTimeout", "40"}}),
            "");
  // Defaults match when given explicitly.
  EXPECT_EQ(
      FirstDifferingAttribute(current, {{"DelaySeconds", "0"}, {"Policy", ""}}),
      "");
}

TEST(FirstDifferingAttributeTest, ComparesNormalisedValues) {
  QueueAttributes current =
      NewFifoQueue({{"VisibilityTimeout", "30"},
                    {"ContentBasedDeduplication", "true"},
                    {"RedrivePolicy", RedrivePolicy("5")}});
  EXPECT_EQ(FirstDifferingAttribute(
                current, {{"VisibilityTimeout", "030"},
                          {"ContentBasedDeduplication", "TRUE"},
                          {"FifoQueue", "True"},
                          {"RedrivePolicy", RedrivePolicy("\"5\"")}}),
            "");
}

TEST(FirstDifferingAttributeTest, NamesTheFirstDifference) {
  QueueAttributes current = NewStandardQueue();
  EXPECT_EQ(FirstDifferingAttribute(current, {{"DelaySeconds", "0"},
                                              {"MessageRetentionPeriod", "60"},
                                              {"VisibilityTimeout", "31"}}),
            "MessageRetentionPeriod");
  EXPECT_EQ(FirstDifferingAttribute(current, {{"VisibilityTimeout", "bad"}}),
            "VisibilityTimeout");
  EXPECT_EQ(FirstDifferingAttribute(NewFifoQueue(), {{"FifoQueue", "false"}}),
            "FifoQueue");
  EXPECT_EQ(FirstDifferingAttribute(current, {{"Foobar", "1"}}), "Foobar");
}

// --- RenderAttributes ---

TEST(RenderAttributesTest, FreshStandardQueue) {
  EXPECT_THAT(RenderAttributes(NewStandardQueue()),
              UnorderedElementsAre(Pair("DelaySeconds", "0"),
                                   Pair("MaximumMessageSize", "1048576"),
                                   Pair("MessageRetentionPeriod", "345600"),
                                   Pair("ReceiveMessageWaitTimeSeconds", "0"),
                                   Pair("VisibilityTimeout", "30"),
                                   Pair("SqsManagedSseEnabled", "true")));
}

TEST(RenderAttributesTest, FreshFifoQueue) {
  EXPECT_THAT(
      RenderAttributes(NewFifoQueue()),
      UnorderedElementsAre(
          Pair("DelaySeconds", "0"), Pair("MaximumMessageSize", "1048576"),
          Pair("MessageRetentionPeriod", "345600"),
          Pair("ReceiveMessageWaitTimeSeconds", "0"),
          Pair("VisibilityTimeout", "30"), Pair("SqsManagedSseEnabled", "true"),
          Pair("FifoQueue", "true"), Pair("ContentBasedDeduplication", "false"),
          Pair("DeduplicationScope", "queue"),
          Pair("FifoThroughputLimit", "perQueue")));
}

TEST(RenderAttributesTest, OptionalAttributesWhenSet) {
  const std::string allow = "{\"redrivePermission\":\"allowAll\"}";
  QueueAttributes attributes =
      NewStandardQueue({{"Policy", "{}"},
                        {"RedrivePolicy", RedrivePolicy("2")},
                        {"RedriveAllowPolicy", allow},
                        {"KmsMasterKeyId", "alias/aws/sqs"}});
  AttributeMap rendered = RenderAttributes(attributes);
  EXPECT_EQ(rendered["Policy"], "{}");
  EXPECT_EQ(rendered["RedrivePolicy"],
            absl::StrCat("{\"deadLetterTargetArn\":\"", kDlqArn,
                         "\",\"maxReceiveCount\":2}"));
  EXPECT_EQ(rendered["RedriveAllowPolicy"], allow);
  EXPECT_EQ(rendered["KmsMasterKeyId"], "alias/aws/sqs");
  EXPECT_EQ(rendered["KmsDataKeyReusePeriodSeconds"], "300");  // KMS is set
  EXPECT_EQ(rendered["SqsManagedSseEnabled"], "false");
  EXPECT_THAT(rendered, Not(Contains(Key("FifoQueue"))));
}

TEST(RenderAttributesTest, NonDefaultKeyReusePeriodWithoutKmsKey) {
  AttributeMap rendered = RenderAttributes(
      NewStandardQueue({{"KmsDataKeyReusePeriodSeconds", "600"}}));
  EXPECT_EQ(rendered["KmsDataKeyReusePeriodSeconds"], "600");
  EXPECT_THAT(rendered, Not(Contains(Key("KmsMasterKeyId"))));
}

TEST(RenderAttributesTest, RenderedAttributesRecreateTheSameQueue) {
  QueueAttributes fifo =
      NewFifoQueue({{"DelaySeconds", "7"},
                    {"ContentBasedDeduplication", "true"},
                    {"RedrivePolicy", RedrivePolicy("4")},
                    {"KmsMasterKeyId", "k"},
                    {"KmsDataKeyReusePeriodSeconds", "120"}});
  absl::StatusOr<QueueAttributes> again =
      AttributesForNewQueue("q.fifo", RenderAttributes(fifo));
  ASSERT_OK(again);
  EXPECT_EQ(*again, fifo);
  EXPECT_EQ(FirstDifferingAttribute(fifo, RenderAttributes(fifo)), "");
}

// --- Names ---

TEST(IsKnownQueueAttributeNameTest, SettableReadOnlyAndAll) {
  for (const char* name : {"All",
                           "DelaySeconds",
                           "MaximumMessageSize",
                           "MessageRetentionPeriod",
                           "ReceiveMessageWaitTimeSeconds",
                           "VisibilityTimeout",
                           "Policy",
                           "RedrivePolicy",
                           "RedriveAllowPolicy",
                           "KmsMasterKeyId",
                           "KmsDataKeyReusePeriodSeconds",
                           "SqsManagedSseEnabled",
                           "FifoQueue",
                           "ContentBasedDeduplication",
                           "DeduplicationScope",
                           "FifoThroughputLimit",
                           "QueueArn",
                           "CreatedTimestamp",
                           "LastModifiedTimestamp",
                           "ApproximateNumberOfMessages",
                           "ApproximateNumberOfMessagesNotVisible",
                           "ApproximateNumberOfMessagesDelayed"}) {
    EXPECT_TRUE(IsKnownQueueAttributeName(name)) << name;
  }
  for (const char* name : {"Foobar", "all", "", "SenderId", "delayseconds"}) {
    EXPECT_FALSE(IsKnownQueueAttributeName(name)) << name;
  }
}

TEST(IsValidQueueNameTest, CharactersAndLength) {
  EXPECT_TRUE(IsValidQueueName("q"));
  EXPECT_TRUE(IsValidQueueName("My_Queue-1"));
  EXPECT_TRUE(IsValidQueueName(std::string(80, 'q')));
  EXPECT_TRUE(IsValidQueueName("q.fifo"));
  EXPECT_TRUE(IsValidQueueName(std::string(75, 'q') + ".fifo"));
  EXPECT_FALSE(IsValidQueueName(""));
  EXPECT_FALSE(IsValidQueueName(std::string(81, 'q')));
  EXPECT_FALSE(IsValidQueueName(std::string(76, 'q') + ".fifo"));
  EXPECT_FALSE(IsValidQueueName(".fifo"));
  EXPECT_FALSE(IsValidQueueName("q.FIFO"));
  EXPECT_FALSE(IsValidQueueName("a.b"));
  EXPECT_FALSE(IsValidQueueName("a b"));
  EXPECT_FALSE(IsValidQueueName("q.fifo.fifo"));
  EXPECT_FALSE(IsValidQueueName("\xC3\xA9"));
}

}  // namespace
}  // namespace cortado
