// Publishing to topics in the core: fan-out in one commit, filter routing,
// envelope vs raw delivery, FIFO topics, deleted queues, batch validation,
// and per-subscriber cost that does not grow with the subscriber's position.
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/core/topic_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// The string member `key` of a JSON object text, or "<absent>".
std::string JsonField(const std::string& json, const std::string& key) {
  std::optional<JsonValue> value = ParseJson(json);
  if (!value.has_value() || !value->is_object()) return "<not an object>";
  const JsonValue* member = value->Find(key);
  if (member == nullptr) return "<absent>";
  return member->text;
}

class PublishTest : public TopicTest {
 protected:
  void SetUp() override {
    TopicTest::SetUp();
    ASSERT_OK_AND_ASSIGN(topic_, CreateTopic("created-consumer"));
  }
  std::string topic_;
};

TEST_F(PublishTest, FanOutToEveryQueueInOneCommit) {
  ASSERT_OK(Create("api-orders-created-consumer").status());
  ASSERT_OK(Create("api-payment-created-payment").status());
  ASSERT_OK(SubscribeQueue(topic_, "api-orders-created-consumer").status());
  ASSERT_OK(SubscribeQueue(topic_, "api-payment-created-payment").status());
  const int64_t commits = store_.commits();
  ASSERT_OK_AND_ASSIGN(PublishResult published, Publish(topic_, "order 1"));
  EXPECT_EQ(store_.commits(), commits + 1);
  EXPECT_THAT(published.message_id, SizeIs(36));
  EXPECT_TRUE(published.sequence_number.empty());
  for (const char* queue :
       {"api-orders-created-consumer", "api-payment-created-payment"}) {
    std::vector<ReceivedMessage> got = Drain(queue);
    ASSERT_THAT(got, SizeIs(1)) << queue;
    EXPECT_EQ(JsonField(got[0].body, "Message"), "order 1");
    EXPECT_EQ(JsonField(got[0].body, "MessageId"), published.message_id);
  }
}

TEST_F(PublishTest, EnvelopeByDefault) {
  ASSERT_OK(Create("q").status());
  ASSERT_OK_AND_ASSIGN(std::string sub, SubscribeQueue(topic_, "q"));
  PublishEntry entry = PublishOf("hello");
  entry.subject = "greeting";
  entry.attributes["color"] = StringAttribute("red");
  ASSERT_OK_AND_ASSIGN(PublishResult published, Publish(topic_, entry));
  std::vector<ReceivedMessage> got = Drain("q");
  ASSERT_THAT(got, SizeIs(1));
  const std::string& body = got[0].body;
  EXPECT_EQ(JsonField(body, "Type"), "Notification");
  EXPECT_EQ(JsonField(body, "MessageId"), published.message_id);
  EXPECT_EQ(JsonField(body, "TopicArn"), topic_);
  EXPECT_EQ(JsonField(body, "Subject"), "greeting");
  EXPECT_EQ(JsonField(body, "Message"), "hello");
  EXPECT_EQ(JsonField(body, "SignatureVersion"), "1");
  EXPECT_FALSE(JsonField(body, "Signature").empty());
  EXPECT_THAT(JsonField(body, "SigningCertURL"), HasSubstr(".pem"));
  EXPECT_THAT(JsonField(body, "UnsubscribeURL"),
              HasSubstr("Action=Unsubscribe&SubscriptionArn=" + sub));
  EXPECT_THAT(body, HasSubstr("\"color\""));
  // Attributes live inside the envelope, not on the SQS message.
  EXPECT_THAT(got[0].message_attributes, IsEmpty());
  EXPECT_EQ(got[0].md5_of_body, Md5Hex(body));
}

TEST_F(PublishTest, RawDeliveryCarriesBodyAndRealAttributes) {
  ASSERT_OK(Create("raw").status());
  ASSERT_OK(Create("wrapped").status());
  ASSERT_OK(
      SubscribeQueue(topic_, "raw", {{"RawMessageDelivery", "true"}}).status());
  ASSERT_OK(SubscribeQueue(topic_, "wrapped").status());
  PublishEntry entry = PublishOf("{\"id\":1}");
  entry.subject = "dropped in raw mode";
  entry.attributes["n"] = StringAttribute("5", "Number");
  entry.attributes["b"] = BinaryAttribute(std::string("\0\1", 2));
  ASSERT_OK(Publish(topic_, entry).status());
  std::vector<ReceivedMessage> raw = Drain("raw");
  ASSERT_THAT(raw, SizeIs(1));
  EXPECT_EQ(raw[0].body, "{\"id\":1}");
  EXPECT_EQ(raw[0].message_attributes, entry.attributes);
  EXPECT_EQ(raw[0].md5_of_message_attributes,
            Md5OfAttributes(entry.attributes));
  std::vector<ReceivedMessage> wrapped = Drain("wrapped");
  ASSERT_THAT(wrapped, SizeIs(1));
  EXPECT_EQ(JsonField(wrapped[0].body, "Message"), "{\"id\":1}");
}

TEST_F(PublishTest, FilterPolicyRoutesMessages) {
  ASSERT_OK(Create("placed").status());
  ASSERT_OK(Create("everything-else").status());
  ASSERT_OK(SubscribeQueue(topic_, "placed",
                           {{"FilterPolicy", R"({"event":["order_placed"]})"},
                            {"RawMessageDelivery", "true"}})
                .status());
  ASSERT_OK(SubscribeQueue(topic_, "everything-else",
                           {{"FilterPolicy",
                             R"({"event":[{"anything-but":"order_placed"}]})"},
                            {"RawMessageDelivery", "true"}})
                .status());
  for (const char* event : {"order_placed", "order_shipped", "order_placed"}) {
    PublishEntry entry = PublishOf(event);
    entry.attributes["event"] = StringAttribute(event);
    ASSERT_OK(Publish(topic_, entry).status());
  }
  std::vector<ReceivedMessage> placed = Drain("placed");
  ASSERT_THAT(placed, SizeIs(2));
  EXPECT_EQ(placed[0].body, "order_placed");
  std::vector<ReceivedMessage> rest = Drain("everything-else");
  ASSERT_THAT(rest, SizeIs(1));
  EXPECT_EQ(rest[0].body, "order_shipped");
}

TEST_F(PublishTest, FilterOnMessageBody) {
  ASSERT_OK(Create("paid").status());
  ASSERT_OK(
      SubscribeQueue(topic_, "paid",
                     {{"FilterPolicy", R"({"order":{"status":["paid"]}})"},
                      {"FilterPolicyScope", "MessageBody"},
                      {"RawMessageDelivery", "true"}})
          .status());
  ASSERT_OK(Publish(topic_, R"({"order":{"status":"open"}})").status());
  ASSERT_OK(Publish(topic_, R"({"order":{"status":"paid"}})").status());
  ASSERT_OK(Publish(topic_, "not json").status());
  std::vector<ReceivedMessage> got = Drain("paid");
  ASSERT_THAT(got, SizeIs(1));
  EXPECT_EQ(got[0].body, R"({"order":{"status":"paid"}})");
}

TEST_F(PublishTest, MessageStructureJsonPicksTheSqsEntry) {
  ASSERT_OK(Create("q").status());
  ASSERT_OK(
      SubscribeQueue(topic_, "q", {{"RawMessageDelivery", "true"}}).status());
  PublishEntry entry = PublishOf(R"({"default":"d","sqs":"for sqs"})");
  entry.message_structure = "json";
  ASSERT_OK(Publish(topic_, entry).status());
  entry.message = R"({"default":"only default"})";
  ASSERT_OK(Publish(topic_, entry).status());
  std::vector<ReceivedMessage> got = Drain("q");
  ASSERT_THAT(got, SizeIs(2));
  EXPECT_EQ(got[0].body, "for sqs");
  EXPECT_EQ(got[1].body, "only default");
  entry.message = R"({"sqs":"x"})";
  EXPECT_EQ(Publish(topic_, entry).status().message(),
            "Invalid parameter: Message Structure - No default entry in JSON "
            "message body");
  entry.message = "not json";
  EXPECT_EQ(Publish(topic_, entry).status().message(),
            "Invalid parameter: Message Structure - JSON message body failed "
            "to parse");
}

TEST_F(PublishTest, InvalidPublishesAreRejected) {
  EXPECT_EQ(Publish(topic_, "").status().message(),
            "Invalid parameter: Empty message");
  EXPECT_EQ(Publish(topic_, std::string(262145, 'x')).status().message(),
            "Invalid parameter: Message too long");
  PublishEntry entry = PublishOf("m");
  entry.subject = "line\nbreak";
  EXPECT_EQ(Publish(topic_, entry).status().message(),
            "Invalid parameter: Subject");
  entry = PublishOf("m");
  entry.message_deduplication_id = "d";
  EXPECT_EQ(GetErrorKind(Publish(topic_, entry).status()),
            ErrorKind::kInvalidParameter);
  entry = PublishOf("m");
  entry.attributes["bad"] = StringAttribute("", "String");
  EXPECT_EQ(GetErrorKind(Publish(topic_, entry).status()),
            ErrorKind::kInvalidParameterValue);
}

TEST_F(PublishTest, SubscriptionOfADeletedQueueIsSkipped) {
  ASSERT_OK(Create("alive").status());
  ASSERT_OK(Create("doomed").status());
  ASSERT_OK(SubscribeQueue(topic_, "alive").status());
  ASSERT_OK(SubscribeQueue(topic_, "doomed").status());
  ASSERT_OK(SubscribeQueue(topic_, "never-existed").status());
  ASSERT_OK(DeleteQueue("doomed"));
  ASSERT_OK(Publish(topic_, "m").status());
  EXPECT_THAT(Drain("alive"), SizeIs(1));
  // A queue created later under the name gets later publishes only.
  ASSERT_OK(Create("doomed").status());
  EXPECT_THAT(Drain("doomed"), IsEmpty());
  ASSERT_OK(Publish(topic_, "m2").status());
  EXPECT_THAT(Drain("doomed"), SizeIs(1));
}

TEST_F(PublishTest, UndeliverableCopiesGoToTheSubscriptionsDeadLetterQueue) {
  ASSERT_OK(Create("sub-dlq").status());
  ASSERT_OK(Create("small", {{"MaximumMessageSize", "1024"}}).status());
  const std::string redrive =
      absl::StrCat(R"({"deadLetterTargetArn":")", QueueArn("sub-dlq"), R"("})");
  ASSERT_OK(
      SubscribeQueue(topic_, "gone", {{"RedrivePolicy", redrive}}).status());
  ASSERT_OK(SubscribeQueue(
                topic_, "small",
                {{"RedrivePolicy", redrive}, {"RawMessageDelivery", "true"}})
                .status());
  PublishEntry entry = PublishOf(std::string(2000, 'x'));
  entry.attributes["color"] = StringAttribute("red");
  ASSERT_OK_AND_ASSIGN(PublishResult published, Publish(topic_, entry));

  std::vector<ReceivedMessage> parked = Drain("sub-dlq");
  ASSERT_THAT(parked, SizeIs(2));
  absl::flat_hash_map<std::string, const ReceivedMessage*> by_code;
  for (const ReceivedMessage& message : parked) {
    auto code = message.message_attributes.find("ErrorCode");
    ASSERT_NE(code, message.message_attributes.end());
    by_code[code->second.string_value] = &message;
    EXPECT_TRUE(message.message_attributes.contains("RequestID"));
    EXPECT_TRUE(message.message_attributes.contains("ErrorMessage"));
  }
  // The missing queue's copy: the envelope it would have received.
  ASSERT_TRUE(by_code.contains("AWS.SimpleQueueService.NonExistentQueue"));
  const ReceivedMessage& missing =
      *by_code["AWS.SimpleQueueService.NonExistentQueue"];
  EXPECT_EQ(JsonField(missing.body, "MessageId"), published.message_id);
  EXPECT_EQ(JsonField(missing.body, "Message"), entry.message);
  // The refused raw copy: the raw body, its attributes plus the error's.
  ASSERT_TRUE(by_code.contains("InvalidParameterValue"));
  const ReceivedMessage& refused = *by_code["InvalidParameterValue"];
  EXPECT_EQ(refused.body, entry.message);
  EXPECT_EQ(refused.message_attributes.at("color").string_value, "red");
  EXPECT_THAT(Drain("small"), IsEmpty());
}

TEST_F(PublishTest, WithoutARedrivePolicyUndeliverableCopiesAreDropped) {
  ASSERT_OK(Create("bystander").status());
  ASSERT_OK(SubscribeQueue(topic_, "gone").status());
  ASSERT_OK(Publish(topic_, "m").status());
  EXPECT_THAT(Drain("bystander"), IsEmpty());
}

TEST_F(PublishTest, UnsubscribedQueueGetsNothingMore) {
  ASSERT_OK(Create("q").status());
  ASSERT_OK_AND_ASSIGN(std::string sub, SubscribeQueue(topic_, "q"));
  ASSERT_OK(Publish(topic_, "1").status());
  ASSERT_OK(Unsubscribe(sub));
  ASSERT_OK(Publish(topic_, "2").status());
  EXPECT_THAT(Drain("q"), SizeIs(1));
}

TEST_F(PublishTest, BatchValidation) {
  EXPECT_EQ(GetErrorKind(PublishBatch(topic_, {}).status()),
            ErrorKind::kEmptyBatchRequest);
  std::vector<PublishEntry> eleven;
  for (int i = 0; i < 11; ++i)
    eleven.push_back(PublishOf("m", absl::StrCat(i)));
  EXPECT_EQ(GetErrorKind(PublishBatch(topic_, eleven).status()),
            ErrorKind::kTooManyEntriesInBatchRequest);
  EXPECT_EQ(GetErrorKind(
                PublishBatch(topic_, {PublishOf("a", "x"), PublishOf("b", "x")})
                    .status()),
            ErrorKind::kBatchEntryIdsNotDistinct);
  EXPECT_EQ(
      GetErrorKind(PublishBatch(topic_, {PublishOf("a", "msg@1")}).status()),
      ErrorKind::kInvalidBatchEntryId);
  EXPECT_EQ(GetErrorKind(
                PublishBatch(topic_, {PublishOf(std::string(200000, 'a'), "1"),
                                      PublishOf(std::string(70000, 'b'), "2")})
                    .status()),
            ErrorKind::kBatchRequestTooLong);
  EXPECT_EQ(GetErrorKind(PublishBatch("arn:aws:sns:us-east-1:000000000000:none",
                                      {PublishOf("a", "1")})
                             .status()),
            ErrorKind::kNotFound);
}

TEST_F(PublishTest, BatchDeliversGoodEntriesAndReportsBadOnes) {
  ASSERT_OK(Create("q").status());
  ASSERT_OK(
      SubscribeQueue(topic_, "q", {{"RawMessageDelivery", "true"}}).status());
  const int64_t commits = store_.commits();
  ASSERT_OK_AND_ASSIGN(
      PublishBatchResult result,
      PublishBatch(topic_, {PublishOf("one", "a"), PublishOf("", "b"),
                            PublishOf("three", "c")}));
  EXPECT_EQ(store_.commits(), commits + 1);
  ASSERT_THAT(result.successful, SizeIs(2));
  EXPECT_EQ(result.successful[0].first, "a");
  EXPECT_EQ(result.successful[1].first, "c");
  ASSERT_THAT(result.failed, SizeIs(1));
  EXPECT_EQ(result.failed[0].id, "b");
  EXPECT_EQ(result.failed[0].kind, ErrorKind::kInvalidParameter);
  EXPECT_TRUE(result.failed[0].sender_fault);
  std::vector<ReceivedMessage> got = Drain("q");
  ASSERT_THAT(got, SizeIs(2));
  EXPECT_EQ(got[0].body, "one");
  EXPECT_EQ(got[1].body, "three");
}

TEST_F(PublishTest, FifoTopicNeedsGroupAndDedupIds) {
  ASSERT_OK_AND_ASSIGN(std::string fifo,
                       CreateTopic("t.fifo", {{"FifoTopic", "true"}}));
  EXPECT_EQ(Publish(fifo, "m").status().message(),
            "Invalid parameter: The MessageGroupId parameter is required for "
            "FIFO topics");
  PublishEntry entry = PublishOf("m");
  entry.message_group_id = "g";
  EXPECT_EQ(GetErrorKind(Publish(fifo, entry).status()),
            ErrorKind::kInvalidParameter);
  entry.message_deduplication_id = "d1";
  ASSERT_OK_AND_ASSIGN(PublishResult first, Publish(fifo, entry));
  entry.message_deduplication_id = "d2";
  ASSERT_OK_AND_ASSIGN(PublishResult second, Publish(fifo, entry));
  EXPECT_THAT(first.sequence_number, SizeIs(20));
  EXPECT_LT(first.sequence_number, second.sequence_number);
  // Content-based deduplication makes the dedup id optional.
  ASSERT_OK(SetTopicAttribute(fifo, "ContentBasedDeduplication", "true"));
  entry.message_deduplication_id.clear();
  EXPECT_OK(Publish(fifo, entry).status());
}

TEST_F(PublishTest, FifoTopicToFifoQueueCarriesGroupAndDedupIds) {
  ASSERT_OK_AND_ASSIGN(
      std::string fifo,
      CreateTopic("t.fifo", {{"FifoTopic", "true"},
                             {"ContentBasedDeduplication", "true"}}));
  absl::StatusOr<QueueRecord> queue = Create("q.fifo", {{"FifoQueue", "true"}});
  if (GetErrorKind(queue.status()) == ErrorKind::kUnsupportedOperation) {
    GTEST_SKIP() << "FIFO queues arrive with the FIFO branch";
  }
  ASSERT_OK(queue.status());
  ASSERT_OK(SubscribeQueue(fifo, "q.fifo", {{"RawMessageDelivery", "true"}})
                .status());
  PublishEntry entry = PublishOf("m");
  entry.message_group_id = "g1";
  ASSERT_OK(Publish(fifo, entry).status());
  ASSERT_OK(Publish(fifo, entry).status());  // same content: deduplicated
  std::vector<ReceivedMessage> got = Drain("q.fifo");
  ASSERT_THAT(got, SizeIs(1));
  EXPECT_EQ(got[0].attributes["MessageGroupId"], "g1");
}

TEST_F(PublishTest, FifoEnvelopeHasSequenceNumberAndNoSignature) {
  ASSERT_OK_AND_ASSIGN(
      std::string fifo,
      CreateTopic("t.fifo", {{"FifoTopic", "true"},
                             {"ContentBasedDeduplication", "true"}}));
  // A standard queue may subscribe to a FIFO topic; it gets the group id.
  ASSERT_OK(Create("std").status());
  ASSERT_OK(SubscribeQueue(fifo, "std").status());
  PublishEntry entry = PublishOf("m");
  entry.message_group_id = "g1";
  ASSERT_OK_AND_ASSIGN(PublishResult published, Publish(fifo, entry));
  std::vector<ReceivedMessage> got = Drain("std");
  ASSERT_THAT(got, SizeIs(1));
  EXPECT_EQ(JsonField(got[0].body, "SequenceNumber"),
            published.sequence_number);
  EXPECT_EQ(JsonField(got[0].body, "Signature"), "<absent>");
  EXPECT_EQ(got[0].attributes["MessageGroupId"], "g1");
}

TEST_F(PublishTest, SignatureVersionTwoIsUsedWhenTheTopicAsksForIt) {
  ASSERT_OK(Create("q").status());
  ASSERT_OK(SubscribeQueue(topic_, "q").status());
  ASSERT_OK(SetTopicAttribute(topic_, "SignatureVersion", "2"));
  ASSERT_OK(Publish(topic_, "signed").status());
  std::vector<ReceivedMessage> got = Drain("q");
  ASSERT_THAT(got, SizeIs(1));
  EXPECT_EQ(JsonField(got[0].body, "SignatureVersion"), "2");
  EXPECT_FALSE(JsonField(got[0].body, "Signature").empty());
}

// SNS fails the whole PublishBatch, publishing nothing, when an entry lacks
// what a FIFO topic needs, has a bad MessageStructure or a bad attribute
// (issue 14, item 7).
TEST_F(PublishTest, FifoBatchWithAnEntryWithoutGroupIdFailsWhole) {
  ASSERT_OK_AND_ASSIGN(std::string fifo,
                       CreateTopic("b.fifo", {{"FifoTopic", "true"}}));
  ASSERT_OK(Create("std").status());
  ASSERT_OK(
      SubscribeQueue(fifo, "std", {{"RawMessageDelivery", "true"}}).status());
  PublishEntry grouped = PublishOf("with group", "a");
  grouped.message_group_id = "g";
  grouped.message_deduplication_id = "d";
  absl::StatusOr<PublishBatchResult> no_group =
      PublishBatch(fifo, {grouped, PublishOf("no group", "b")});
  EXPECT_EQ(GetErrorKind(no_group.status()), ErrorKind::kInvalidParameter);
  EXPECT_EQ(no_group.status().message(),
            "Invalid parameter: The MessageGroupId parameter is required for "
            "FIFO topics");
  PublishEntry no_dedup = PublishOf("no dedup id", "c");
  no_dedup.message_group_id = "g";
  EXPECT_EQ(PublishBatch(fifo, {grouped, no_dedup}).status().message(),
            "Invalid parameter: The topic should either have "
            "ContentBasedDeduplication enabled or MessageDeduplicationId "
            "provided explicitly");
  EXPECT_THAT(Drain("std"), IsEmpty());
}

TEST_F(PublishTest, BatchWithABadStructureOrAttributeFailsWhole) {
  ASSERT_OK(Create("q").status());
  ASSERT_OK(SubscribeQueue(topic_, "q").status());
  PublishEntry no_default = PublishOf(R"({"sqs":"x"})", "b");
  no_default.message_structure = "json";
  absl::StatusOr<PublishBatchResult> structure =
      PublishBatch(topic_, {PublishOf("fine", "a"), no_default});
  EXPECT_EQ(GetErrorKind(structure.status()), ErrorKind::kInvalidParameter);
  EXPECT_EQ(structure.status().message(),
            "Invalid parameter: Message Structure - No default entry in JSON "
            "message body");
  PublishEntry bad_attribute = PublishOf("m", "b");
  bad_attribute.attributes["color"] = StringAttribute("", "String");
  absl::StatusOr<PublishBatchResult> attribute =
      PublishBatch(topic_, {PublishOf("fine", "a"), bad_attribute});
  EXPECT_EQ(GetErrorKind(attribute.status()),
            ErrorKind::kInvalidParameterValue);
  EXPECT_EQ(attribute.status().message(),
            "The message attribute 'color' must contain non-empty message "
            "attribute value for message attribute type 'String'.");
  EXPECT_THAT(Drain("q"), IsEmpty());
}

// SNS words attribute errors its own way (issue 14, item 8).
TEST_F(PublishTest, AttributeErrorsUseSnsWording) {
  struct Case {
    std::string name;
    MessageAttributeValue value;
    std::string message;
  };
  MessageAttributeValue binary_as_string = StringAttribute("x", "Binary");
  const std::vector<Case> cases = {
      {"n", StringAttribute("", "String.label"),
       "The message attribute 'n' must contain non-empty message attribute "
       "value for message attribute type 'String.label'."},
      {"n", StringAttribute("x", "Banana"),
       "The message attribute 'n' has an invalid message attribute type, the "
       "set of supported type prefixes is Binary, Number, and String."},
      {"n", StringAttribute("abc", "Number"),
       "Could not cast message attribute 'n' value to number."},
      {"n", binary_as_string,
       "The message attribute 'n' with type 'Binary' must use field "
       "'Binary'."},
      {".n", StringAttribute("x"),
       "Invalid message attribute name starting with character '.' was "
       "found."},
      {"n.", StringAttribute("x"),
       "Invalid message attribute name ending with character '.' was found."},
      {"a..b", StringAttribute("x"),
       "Message attribute name can not have successive '.' character."},
      {"a b", StringAttribute("x"),
       "Invalid non-alphanumeric character '#x20' was found in the message "
       "attribute name. Can only include alphanumeric characters, hyphens, "
       "underscores, or dots."},
      {std::string(257, 'n'), StringAttribute("x"),
       "Length of message attribute name must be less than 256 bytes."},
  };
  for (const Case& c : cases) {
    PublishEntry entry = PublishOf("m");
    entry.attributes[c.name] = c.value;
    absl::Status status = Publish(topic_, entry).status();
    EXPECT_EQ(GetErrorKind(status), ErrorKind::kInvalidParameterValue)
        << c.message;
    EXPECT_EQ(status.message(), c.message);
  }
}

// Up to 100 characters, counted as characters (issue 14, item 9).
TEST_F(PublishTest, SubjectOfOneHundredCharactersIsValid) {
  PublishEntry entry = PublishOf("m");
  entry.subject = std::string(100, 's');
  EXPECT_OK(Publish(topic_, entry).status());
  entry.subject = std::string(101, 's');
  EXPECT_EQ(Publish(topic_, entry).status().message(),
            "Invalid parameter: Subject");
  entry.subject.clear();
  for (int i = 0; i < 100; ++i) entry.subject += "\u00e9";  // 200 bytes
  EXPECT_OK(Publish(topic_, entry).status());
  entry.subject += "\u00e9";
  EXPECT_EQ(Publish(topic_, entry).status().message(),
            "Invalid parameter: Subject");
}

// Fan-out to 50 queues: one commit, and the 50th copy is sent at the same
// instant as the first (all copies are planned in the same batch, so no
// subscriber waits behind another).
TEST_F(PublishTest, FiftyQueuesGetTheirCopyAtTheSameInstant) {
  constexpr int kQueues = 50;
  for (int i = 0; i < kQueues; ++i) {
    const std::string name = absl::StrCat("fan-", i);
    ASSERT_OK(Create(name).status());
    ASSERT_OK(SubscribeQueue(topic_, name,
                             {{"RawMessageDelivery", i % 2 ? "true" : "false"}})
                  .status());
  }
  clock_.Advance(absl::Milliseconds(1234));
  const int64_t commits = store_.commits();
  ASSERT_OK(Publish(topic_, "fan").status());
  EXPECT_EQ(store_.commits(), commits + 1);
  const std::string expected = absl::StrCat(absl::ToUnixMillis(clock_.Now()));
  for (int i = 0; i < kQueues; ++i) {
    std::vector<ReceivedMessage> got = Drain(absl::StrCat("fan-", i));
    ASSERT_THAT(got, SizeIs(1)) << i;
    EXPECT_EQ(got[0].attributes["SentTimestamp"], expected) << i;
  }
}

}  // namespace
}  // namespace cortado::testing
