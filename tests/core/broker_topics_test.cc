// Topic and subscription management in the core: create (idempotent),
// delete, list, attributes, tags, subscriptions, and their survival across a
// restart on the same store.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/core/topic_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kArnPrefix[] = "arn:aws:sns:us-east-1:000000000000:";

TEST_F(TopicTest, CreateIsIdempotentAndReturnsTheArn) {
  ASSERT_OK_AND_ASSIGN(std::string arn,
                       CreateTopic("orders", {{"DisplayName", "Orders"}}));
  EXPECT_EQ(arn, std::string(kArnPrefix) + "orders");
  ASSERT_OK_AND_ASSIGN(std::string again,
                       CreateTopic("orders", {{"DisplayName", "Orders"}}));
  EXPECT_EQ(again, arn);
  // No attributes given: nothing to differ, same topic.
  ASSERT_OK_AND_ASSIGN(again, CreateTopic("orders"));
  EXPECT_EQ(again, arn);
}

TEST_F(TopicTest, CreateWithDifferentAttributesOrTagsIsInvalidParameter) {
  ASSERT_OK(CreateTopic("t", {{"DisplayName", "a"}}, {{"k", "v"}}).status());
  absl::StatusOr<std::string> r = CreateTopic("t", {{"DisplayName", "b"}});
  EXPECT_EQ(GetErrorKind(r.status()), ErrorKind::kInvalidParameter);
  EXPECT_EQ(r.status().message(),
            "Invalid parameter: Attributes Reason: Topic already exists with "
            "different attributes");
  r = CreateTopic("t", {}, {{"k", "other"}});
  EXPECT_EQ(r.status().message(),
            "Invalid parameter: Tags Reason: Topic already exists with "
            "different tags");
}

TEST_F(TopicTest, BadNamesAndAttributesAreRejectedWithSnsWording) {
  EXPECT_EQ(CreateTopic("bad name").status().message(),
            "Invalid parameter: Topic Name");
  EXPECT_EQ(CreateTopic(std::string(257, 'a')).status().message(),
            "Invalid parameter: Topic Name");
  EXPECT_EQ(GetErrorKind(CreateTopic("t", {{"Nope", "1"}}).status()),
            ErrorKind::kInvalidParameter);
  // FifoTopic and the .fifo suffix must agree; SNS says exactly "Invalid
  // parameter: Topic Name" (issue 14, item 8).
  EXPECT_EQ(CreateTopic("t.fifo").status().message(),
            "Invalid parameter: Topic Name");
  EXPECT_EQ(CreateTopic("t", {{"FifoTopic", "true"}}).status().message(),
            "Invalid parameter: Topic Name");
  EXPECT_EQ(
      GetErrorKind(
          CreateTopic("t", {{"ContentBasedDeduplication", "true"}}).status()),
      ErrorKind::kInvalidParameter);
  EXPECT_OK(CreateTopic("t.fifo", {{"FifoTopic", "true"}}).status());
}

TEST_F(TopicTest, GetTopicAttributesHasSnsDefaults) {
  ASSERT_OK_AND_ASSIGN(std::string arn, CreateTopic("t"));
  ASSERT_OK_AND_ASSIGN(std::string sub, SubscribeQueue(arn, "q"));
  ASSERT_OK_AND_ASSIGN(AttributeMap a, broker_->GetTopicAttributes(arn));
  EXPECT_EQ(a["TopicArn"], arn);
  EXPECT_EQ(a["Owner"], "000000000000");
  EXPECT_EQ(a["DisplayName"], "");
  EXPECT_EQ(a["SubscriptionsConfirmed"], "1");
  EXPECT_EQ(a["SubscriptionsPending"], "0");
  EXPECT_EQ(a["SubscriptionsDeleted"], "0");
  EXPECT_THAT(a["Policy"], HasSubstr("__default_policy_ID"));
  EXPECT_THAT(a["Policy"], HasSubstr(arn));
  EXPECT_THAT(a["EffectiveDeliveryPolicy"], HasSubstr("defaultHealthyRetry"));
  EXPECT_EQ(a.count("FifoTopic"), 0);

  ASSERT_OK_AND_ASSIGN(std::string fifo,
                       CreateTopic("f.fifo", {{"FifoTopic", "true"}}));
  ASSERT_OK_AND_ASSIGN(a, broker_->GetTopicAttributes(fifo));
  EXPECT_EQ(a["FifoTopic"], "true");
  EXPECT_EQ(a["ContentBasedDeduplication"], "false");
}

TEST_F(TopicTest, SetTopicAttributesValidatesAndPersists) {
  ASSERT_OK_AND_ASSIGN(std::string arn, CreateTopic("t"));
  ASSERT_OK(SetTopicAttribute(arn, "DisplayName", "Shown"));
  EXPECT_EQ((*broker_->GetTopicAttributes(arn))["DisplayName"], "Shown");
  EXPECT_EQ(SetTopicAttribute(arn, "Bogus", "x").message(),
            "Invalid parameter: AttributeName");
  EXPECT_EQ(GetErrorKind(SetTopicAttribute(arn, "FifoTopic", "true")),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(GetErrorKind(SetTopicAttribute(arn, "SignatureVersion", "3")),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(GetErrorKind(SetTopicAttribute(arn, "Policy", "{nope")),
            ErrorKind::kInvalidParameter);
  ASSERT_OK(SetTopicAttribute(arn, "SignatureVersion", "2"));
  EXPECT_EQ(GetErrorKind(SetTopicAttribute(std::string(kArnPrefix) + "missing",
                                           "DisplayName", "x")),
            ErrorKind::kNotFound);
}

TEST_F(TopicTest, MissingAndMalformedTopicArns) {
  absl::StatusOr<AttributeMap> a =
      broker_->GetTopicAttributes(std::string(kArnPrefix) + "missing");
  EXPECT_EQ(GetErrorKind(a.status()), ErrorKind::kNotFound);
  EXPECT_EQ(a.status().message(), "Topic does not exist");
  a = broker_->GetTopicAttributes("arn:aws:sns:us-east-1:000000000000");
  EXPECT_EQ(a.status().message(),
            "Invalid parameter: TopicArn Reason: An ARN must have at least 6 "
            "elements, not 5");
  // Another account's topic does not exist here.
  a = broker_->GetTopicAttributes("arn:aws:sns:us-east-1:123456789012:t");
  EXPECT_EQ(GetErrorKind(a.status()), ErrorKind::kNotFound);
  EXPECT_EQ(
      GetErrorKind(Publish(std::string(kArnPrefix) + "nope", "m").status()),
      ErrorKind::kNotFound);
}

TEST_F(TopicTest, ListTopicsPagesByHundred) {
  for (int i = 0; i < 105; ++i) {
    ASSERT_OK(CreateTopic(absl::StrCat("t", 1000 + i)).status());
  }
  ASSERT_OK_AND_ASSIGN(ListTopicsResult page, broker_->ListTopics(""));
  ASSERT_THAT(page.topic_arns, SizeIs(100));
  EXPECT_EQ(page.topic_arns.front(), std::string(kArnPrefix) + "t1000");
  ASSERT_FALSE(page.next_token.empty());
  ASSERT_OK_AND_ASSIGN(ListTopicsResult rest,
                       broker_->ListTopics(page.next_token));
  ASSERT_THAT(rest.topic_arns, SizeIs(5));
  EXPECT_EQ(rest.topic_arns.back(), std::string(kArnPrefix) + "t1104");
  EXPECT_TRUE(rest.next_token.empty());
}

TEST_F(TopicTest, DeleteTopicRemovesItsSubscriptionsAndIsIdempotent) {
  ASSERT_OK_AND_ASSIGN(std::string arn, CreateTopic("t"));
  ASSERT_OK_AND_ASSIGN(std::string other, CreateTopic("u"));
  ASSERT_OK_AND_ASSIGN(std::string sub, SubscribeQueue(arn, "q"));
  ASSERT_OK(SubscribeQueue(other, "q").status());
  ASSERT_OK(DeleteTopic(arn));
  ASSERT_OK(DeleteTopic(arn));  // SNS: deleting a missing topic succeeds
  EXPECT_THAT(broker_->ListTopics("")->topic_arns, ElementsAre(other));
  ASSERT_OK_AND_ASSIGN(ListSubscriptionsResult subs,
                       broker_->ListSubscriptions("", ""));
  ASSERT_THAT(subs.subscriptions, SizeIs(1));
  EXPECT_EQ(subs.subscriptions[0].topic_arn, other);
  EXPECT_EQ(GetErrorKind(broker_->GetSubscriptionAttributes(sub).status()),
            ErrorKind::kNotFound);
  // A new topic of the same name starts without subscriptions.
  ASSERT_OK(CreateTopic("t").status());
  EXPECT_THAT(broker_->ListSubscriptions(arn, "")->subscriptions, IsEmpty());
}

TEST_F(TopicTest, SubscribeIsIdempotentAndAutoConfirmed) {
  ASSERT_OK(Create("q").status());
  ASSERT_OK_AND_ASSIGN(std::string arn, CreateTopic("t"));
  ASSERT_OK_AND_ASSIGN(
      std::string sub,
      SubscribeQueue(arn, "q", {{"RawMessageDelivery", "true"}}));
  EXPECT_THAT(sub, HasSubstr(arn + ":"));
  ASSERT_OK_AND_ASSIGN(
      std::string again,
      SubscribeQueue(arn, "q", {{"RawMessageDelivery", "true"}}));
  EXPECT_EQ(again, sub);
  absl::StatusOr<std::string> differing = SubscribeQueue(arn, "q");
  EXPECT_EQ(differing.status().message(),
            "Invalid parameter: Attributes Reason: Subscription already exists "
            "with different attributes");

  ASSERT_OK_AND_ASSIGN(AttributeMap a, broker_->GetSubscriptionAttributes(sub));
  EXPECT_EQ(a["PendingConfirmation"], "false");
  EXPECT_EQ(a["ConfirmationWasAuthenticated"], "true");
  EXPECT_EQ(a["RawMessageDelivery"], "true");
  EXPECT_EQ(a["Protocol"], "sqs");
  EXPECT_EQ(a["Endpoint"], QueueArn("q"));
  EXPECT_EQ(a["TopicArn"], arn);
  EXPECT_EQ(a["SubscriptionArn"], sub);
  EXPECT_EQ(a.count("FilterPolicy"), 0);

  ASSERT_OK_AND_ASSIGN(ListSubscriptionsResult list,
                       broker_->ListSubscriptions(arn, ""));
  ASSERT_THAT(list.subscriptions, SizeIs(1));
  EXPECT_EQ(list.subscriptions[0].subscription_arn, sub);
  EXPECT_EQ(list.subscriptions[0].owner, "000000000000");
  EXPECT_EQ(list.subscriptions[0].endpoint, QueueArn("q"));
}

TEST_F(TopicTest, SubscribeRejectsWhatSnsRejects) {
  ASSERT_OK_AND_ASSIGN(std::string arn, CreateTopic("t"));
  EXPECT_EQ(
      SubscribeRaw({arn, "email", "a@example.com", {}}).status().message(),
      "Invalid parameter: Amazon SNS does not support this protocol "
      "string: email");
  // This broker has no HttpPusher (as in cluster mode): http is refused.
  EXPECT_THAT(SubscribeRaw({arn, "http", "http://x", {}}).status().message(),
              HasSubstr("does not deliver to http endpoints"));
  EXPECT_EQ(
      SubscribeRaw({arn, "sqs", "http://localhost:4566/000000000000/q", {}})
          .status()
          .message(),
      "Invalid parameter: SQS endpoint ARN");
  EXPECT_EQ(SubscribeQueue(arn, "q.fifo").status().message(),
            "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS "
            "Queues can not be subscribed to standard SNS topics");
  EXPECT_EQ(SubscribeQueue(arn, "q", {{"RawMessageDelivery", "yes"}})
                .status()
                .message(),
            "Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid "
            "value [yes]. Must be true or false.");
  EXPECT_EQ(SubscribeQueue(arn, "q", {{"FilterPolicyScope", "Body"}})
                .status()
                .message(),
            "Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid "
            "value [Body]. Please use either MessageBody or MessageAttributes");
  absl::StatusOr<std::string> bad_policy =
      SubscribeQueue(arn, "q", {{"FilterPolicy", "{\"a\": []}"}});
  EXPECT_EQ(GetErrorKind(bad_policy.status()), ErrorKind::kInvalidParameter);
  EXPECT_THAT(
      bad_policy.status().message(),
      HasSubstr("Invalid parameter: Attributes Reason: FilterPolicy: "));
  EXPECT_EQ(GetErrorKind(
                SubscribeQueue(std::string(kArnPrefix) + "none", "q").status()),
            ErrorKind::kNotFound);
  EXPECT_THAT(broker_->ListSubscriptions(arn, "")->subscriptions, IsEmpty());
}

TEST_F(TopicTest, SubscriptionAttributesAndUnsubscribe) {
  ASSERT_OK_AND_ASSIGN(std::string arn, CreateTopic("t"));
  ASSERT_OK_AND_ASSIGN(std::string sub, SubscribeQueue(arn, "q"));
  ASSERT_OK(SetSubscriptionAttribute(sub, "FilterPolicy",
                                     R"({"event":["order_placed"]})"));
  ASSERT_OK_AND_ASSIGN(AttributeMap a, broker_->GetSubscriptionAttributes(sub));
  EXPECT_EQ(a["FilterPolicy"], R"({"event":["order_placed"]})");
  EXPECT_EQ(a["FilterPolicyScope"], "MessageAttributes");
  EXPECT_EQ(GetErrorKind(SetSubscriptionAttribute(sub, "FilterPolicy", "[1]")),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(SetSubscriptionAttribute(sub, "Nope", "1").message(),
            "Invalid parameter: AttributeName");
  ASSERT_OK(SetSubscriptionAttribute(sub, "FilterPolicy", ""));
  EXPECT_EQ(broker_->GetSubscriptionAttributes(sub)->count("FilterPolicy"), 0);

  ASSERT_OK(Unsubscribe(sub));
  ASSERT_OK(Unsubscribe(sub));  // already gone: no error
  EXPECT_EQ(GetErrorKind(broker_->GetSubscriptionAttributes(sub).status()),
            ErrorKind::kNotFound);
  EXPECT_EQ(Unsubscribe("arn:aws:sns:us-east-1:000000000000").message(),
            "Invalid parameter: SubscriptionArn Reason: An ARN must have at "
            "least 6 elements, not 5");
}

TEST_F(TopicTest, Tags) {
  ASSERT_OK_AND_ASSIGN(std::string arn, CreateTopic("t", {}, {{"a", "1"}}));
  ASSERT_OK(TagTopic(arn, {{"b", "2"}, {"a", "3"}}));
  EXPECT_EQ(*broker_->ListTagsForResource(arn),
            (TagMap{{"a", "3"}, {"b", "2"}}));
  ASSERT_OK(UntagTopic(arn, {"a", "zzz"}));
  EXPECT_EQ(*broker_->ListTagsForResource(arn), (TagMap{{"b", "2"}}));
  EXPECT_EQ(GetErrorKind(TagTopic(std::string(kArnPrefix) + "x", {{"a", ""}})),
            ErrorKind::kResourceNotFound);
  TagMap many;
  for (int i = 0; i < 51; ++i) many[absl::StrCat("k", i)] = "v";
  EXPECT_EQ(GetErrorKind(TagTopic(arn, many)), ErrorKind::kInvalidParameter);
}

TEST_F(TopicTest, TopicsSubscriptionsAndPoliciesSurviveRestart) {
  ASSERT_OK(Create("orders").status());
  ASSERT_OK(Create("other").status());
  ASSERT_OK_AND_ASSIGN(std::string arn,
                       CreateTopic("t", {{"DisplayName", "D"}}, {{"k", "v"}}));
  ASSERT_OK_AND_ASSIGN(
      std::string filtered,
      SubscribeQueue(arn, "orders",
                     {{"FilterPolicy", R"({"event":["order_placed"]})"},
                      {"RawMessageDelivery", "true"}}));
  ASSERT_OK(SubscribeQueue(arn, "other").status());
  ASSERT_OK_AND_ASSIGN(std::string gone, CreateTopic("gone"));
  ASSERT_OK(SubscribeQueue(gone, "other").status());
  ASSERT_OK(DeleteTopic(gone));
  Restart();

  EXPECT_THAT(broker_->ListTopics("")->topic_arns, ElementsAre(arn));
  EXPECT_EQ((*broker_->GetTopicAttributes(arn))["DisplayName"], "D");
  EXPECT_EQ(*broker_->ListTagsForResource(arn), (TagMap{{"k", "v"}}));
  EXPECT_THAT(broker_->ListSubscriptions("", "")->subscriptions, SizeIs(2));
  EXPECT_EQ((*broker_->GetSubscriptionAttributes(filtered))["FilterPolicy"],
            R"({"event":["order_placed"]})");
  // The parsed policy is live again: only "other" gets a non-matching event.
  PublishEntry entry = PublishOf("m");
  entry.attributes["event"] = StringAttribute("order_shipped");
  ASSERT_OK(Publish(arn, entry).status());
  EXPECT_THAT(Drain("orders"), IsEmpty());
  EXPECT_THAT(Drain("other"), SizeIs(1));
}

}  // namespace
// The envelope builder is required: without it a broker would have to sign
// with a key made on the writer thread, or not sign at all.
TEST(BrokerStartTest, RefusesToStartWithoutAnEnvelopeBuilder) {
  FakeClock clock;
  store::MemoryStore store;
  BrokerOptions options;
  options.run_timers = false;
  Broker broker(options, &clock, &store);
  EXPECT_EQ(broker.Start().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace cortado::testing
