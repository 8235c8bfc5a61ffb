#include "common/config/parser.h"

#include <string>

#include "gtest/gtest.h"

namespace cortado::config {
namespace {

// The example of issue 18, verbatim (also examples/config/cafeteria.yaml,
// which the end-to-end test applies).
constexpr char kIssueExample[] = R"(queues:
  - name: cafeteria-dlq
  - name: cafeteria-queue
    attributes: { VisibilityTimeout: 30, MessageRetentionPeriod: 345600 }
    dead_letter: { queue: cafeteria-dlq, max_receive_count: 5 }
    tags: { team: cafeteria }
  - name: orders.fifo
    attributes: { FifoQueue: true, ContentBasedDeduplication: true }
topics:
  - name: created-consumer
    subscriptions:
      - queue: api-orders-created-consumer
        raw: true
        filter_policy: { event: [order_placed] }
      - queue: api-payment-created-payment
)";

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<Config> parsed = ParseConfig(text, "ops.yaml");
  EXPECT_FALSE(parsed.ok());
  return parsed.ok() ? "" : std::string(parsed.status().message());
}

TEST(ParserTest, ReadsTheIssueExample) {
  absl::StatusOr<Config> parsed = ParseConfig(kIssueExample, "ops.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->queues.size(), 3u);
  const QueueSpec& queue = parsed->queues[1];
  EXPECT_EQ(queue.name, "cafeteria-queue");
  EXPECT_EQ(queue.location.line, 3);
  EXPECT_EQ(queue.attributes,
            (StringMap{{"VisibilityTimeout", "30"},
                       {"MessageRetentionPeriod", "345600"}}));
  ASSERT_TRUE(queue.dead_letter.has_value());
  EXPECT_EQ(queue.dead_letter->queue, "cafeteria-dlq");
  EXPECT_EQ(queue.dead_letter->max_receive_count, 5);
  EXPECT_EQ(queue.tags, (StringMap{{"team", "cafeteria"}}));
  EXPECT_EQ(parsed->queues[2].attributes,
            (StringMap{{"FifoQueue", "true"},
                       {"ContentBasedDeduplication", "true"}}));
  ASSERT_EQ(parsed->topics.size(), 1u);
  const TopicSpec& topic = parsed->topics[0];
  ASSERT_EQ(topic.subscriptions.size(), 2u);
  EXPECT_EQ(topic.subscriptions[0].queue, "api-orders-created-consumer");
  EXPECT_EQ(topic.subscriptions[0].attributes,
            (StringMap{{"RawMessageDelivery", "true"},
                       {"FilterPolicy", R"({"event":["order_placed"]})"}}));
  EXPECT_TRUE(topic.subscriptions[1].attributes.empty());
  EXPECT_FALSE(parsed->prune);
}

TEST(ParserTest, UnknownAttributeNamesItsLineWithSqsText) {
  EXPECT_EQ(ErrorOf("queues:\n  - name: a\n    attributes:\n"
                    "      VisibilityTimeout: 5\n      Colour: blue\n"),
            "ops.yaml:5: Unknown Attribute Colour.");
}

TEST(ParserTest, ReadOnlyAttributeIsUnknownToAFile) {
  EXPECT_EQ(ErrorOf("queues:\n  - name: a\n    attributes: { QueueArn: x }\n"),
            "ops.yaml:3: Unknown Attribute QueueArn.");
}

TEST(ParserTest, BadMaxReceiveCountHasSqsText) {
  EXPECT_EQ(
      ErrorOf("queues:\n  - name: a\n  - name: b\n"
              "    dead_letter: { queue: a, max_receive_count: 0 }\n"),
      "ops.yaml:4: Value {\"maxReceiveCount\":0} for parameter RedrivePolicy "
      "is invalid. Reason: Invalid value for maxReceiveCount: 0, valid "
      "values are from 1 to 1000 both inclusive.");
}

TEST(ParserTest, YamlSyntaxErrorNamesItsLine) {
  const std::string error = ErrorOf("queues:\n  - name: a\n  - [unclosed\n");
  EXPECT_TRUE(error.starts_with("ops.yaml:4: ") ||
              error.starts_with("ops.yaml:3: "))
      << error;
}

TEST(ParserTest, DuplicateQueueNamesTheSecondLine) {
  EXPECT_EQ(ErrorOf("queues:\n  - name: a\n  - name: a\n"),
            "ops.yaml:3: queue a is declared twice");
}

TEST(ParserTest, UnknownKeyNamesItsLine) {
  EXPECT_EQ(ErrorOf("queues:\n  - name: a\n    visibility: 3\n"),
            "ops.yaml:3: unknown key \"visibility\" in a queue (name, "
            "attributes, dead_letter, tags)");
  EXPECT_EQ(ErrorOf("queue:\n  - name: a\n"),
            "ops.yaml:1: unknown key \"queue\" (queues, topics, prune)");
}

TEST(ParserTest, SubscriptionWithoutQueueIsRefused) {
  EXPECT_EQ(ErrorOf("topics:\n  - name: t\n    subscriptions:\n"
                    "      - raw: true\n"),
            "ops.yaml:4: a subscription needs a queue");
}

TEST(ParserTest, RedrivePolicyAttributeBecomesDeadLetter) {
  absl::StatusOr<Config> parsed = ParseConfig(
      "queues:\n  - name: a\n    attributes:\n      RedrivePolicy: "
      "'{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:0:dlq\","
      "\"maxReceiveCount\":\"3\"}'\n",
      "ops.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_TRUE(parsed->queues[0].dead_letter.has_value());
  EXPECT_EQ(parsed->queues[0].dead_letter->queue, "dlq");
  EXPECT_EQ(parsed->queues[0].dead_letter->max_receive_count, 3);
  EXPECT_FALSE(parsed->queues[0].attributes.contains("RedrivePolicy"));
}

TEST(ParserTest, YamlMapsBecomeJsonKeepingNumbersAndQuotedStrings) {
  absl::StatusOr<Config> parsed = ParseConfig(
      "topics:\n  - name: t\n    subscriptions:\n      - queue: q\n"
      "        filter_policy: { price: [{ numeric: ['>', 5] }], id: ['7'] }\n",
      "ops.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->topics[0].subscriptions[0].attributes.at("FilterPolicy"),
            R"({"price":[{"numeric":[">",5]}],"id":["7"]})");
}

TEST(ParserTest, BooleansAreLowerCasedAndPruneIsRead) {
  absl::StatusOr<Config> parsed = ParseConfig(
      "prune: true\nqueues:\n  - name: a.fifo\n    attributes: { FifoQueue: "
      "True }\n",
      "ops.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->prune);
  EXPECT_EQ(parsed->queues[0].attributes.at("FifoQueue"), "true");
}

TEST(ParserTest, EmptyFileDeclaresNothing) {
  absl::StatusOr<Config> parsed = ParseConfig("", "ops.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->queues.empty());
  EXPECT_TRUE(parsed->topics.empty());
}

TEST(ParserTest, MissingFileIsNotFound) {
  EXPECT_EQ(ParseConfigFile("/nonexistent/ops.yaml").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace cortado::config
