#include "common/config/planner.h"

#include <string>
#include <vector>

#include "common/config/parser.h"
#include "gtest/gtest.h"
#include "tests/common/config/fake_target.h"

namespace cortado::config {
namespace {

using testing::FakeTarget;

Config Parse(const std::string& text) {
  absl::StatusOr<Config> parsed = ParseConfig(text, "ops.yaml");
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *parsed : Config{};
}

std::vector<std::string> Described(const std::string& text,
                                   const FakeTarget& target) {
  absl::StatusOr<Plan> plan = MakePlan(Parse(text), target.state, target);
  EXPECT_TRUE(plan.ok()) << plan.status();
  std::vector<std::string> lines;
  if (plan.ok()) {
    for (const Change& change : plan->changes) {
      lines.push_back(change.Describe());
    }
  }
  return lines;
}

std::string ErrorOf(const std::string& text, const FakeTarget& target) {
  absl::StatusOr<Plan> plan = MakePlan(Parse(text), target.state, target);
  EXPECT_FALSE(plan.ok());
  return plan.ok() ? "" : std::string(plan.status().message());
}

TEST(PlannerTest, CreatesDeadLetterQueueBeforeTheQueueRedrivingToIt) {
  FakeTarget target;
  EXPECT_EQ(Described("queues:\n  - name: work\n"
                      "    dead_letter: { queue: dlq, max_receive_count: 5 }\n"
                      "  - name: dlq\n",
                      target),
            (std::vector<std::string>{
                "create queue dlq",
                "create queue work dead_letter dlq after 5 receives"}));
}

TEST(PlannerTest, ChangedAttributeIsAnUpdateFromTo) {
  FakeTarget target;
  target.state.queues["a"].attributes = {{"VisibilityTimeout", "30"},
                                         {"DelaySeconds", "4"}};
  // DelaySeconds is not in the file: left alone.
  EXPECT_EQ(Described("queues:\n  - name: a\n    attributes: "
                      "{ VisibilityTimeout: 60 }\n",
                      target),
            (std::vector<std::string>{
                "update queue a attribute VisibilityTimeout from 30 to 60"}));
}

TEST(PlannerTest, JsonAttributesCompareByMeaningNotSpacing) {
  FakeTarget target;
  target.state.topics["t"].subscriptions.push_back(SubscriptionState{
      "t:q", "q", {{"FilterPolicy", "{ \"event\": [\"placed\"] }"}}});
  target.state.queues["q"];
  EXPECT_TRUE(Described("topics:\n  - name: t\n    subscriptions:\n"
                        "      - queue: q\n"
                        "        filter_policy: { event: [placed] }\n",
                        target)
                  .empty());
}

TEST(PlannerTest, TagsAreMadeExactlyTheFilesOnlyWhenGiven) {
  FakeTarget target;
  target.state.queues["a"].tags = {{"team", "old"}, {"stray", "x"}};
  target.state.queues["b"].tags = {{"kept", "yes"}};
  EXPECT_EQ(Described("queues:\n  - name: a\n    tags: { team: cafeteria }\n"
                      "  - name: b\n",
                      target),
            (std::vector<std::string>{"tag queue a {team=cafeteria}",
                                      "untag queue a stray"}));
}

TEST(PlannerTest, RedriveToUndeclaredQueueNamesTheLine) {
  FakeTarget target;
  EXPECT_EQ(ErrorOf("queues:\n  - name: a\n"
                    "    dead_letter: { queue: nowhere, max_receive_count: 5 "
                    "}\n",
                    target),
            "ops.yaml:3: queue a redrives to queue nowhere is neither "
            "declared nor on the server");
}

TEST(PlannerTest, RedriveToExistingUndeclaredQueueIsFine) {
  FakeTarget target;
  target.state.queues["dlq"];
  EXPECT_EQ(Described("queues:\n  - name: a\n"
                      "    dead_letter: { queue: dlq, max_receive_count: 2 }\n",
                      target),
            (std::vector<std::string>{
                "create queue a dead_letter dlq after 2 receives"}));
}

TEST(PlannerTest, RedriveCycleNamesTheLineAndThePath) {
  FakeTarget target;
  EXPECT_EQ(ErrorOf("queues:\n  - name: a\n"
                    "    dead_letter: { queue: b, max_receive_count: 5 }\n"
                    "  - name: b\n"
                    "    dead_letter: { queue: a, max_receive_count: 5 }\n",
                    target),
            "ops.yaml:3: dead-letter cycle: a -> b -> a");
}

TEST(PlannerTest, CycleThroughAnExistingQueueIsFound) {
  FakeTarget target;
  target.state.queues["b"].dead_letter = DeadLetter{"a", 3, {}};
  EXPECT_EQ(ErrorOf("queues:\n  - name: a\n"
                    "    dead_letter: { queue: b, max_receive_count: 5 }\n",
                    target),
            "ops.yaml:3: dead-letter cycle: a -> b -> a");
}

TEST(PlannerTest, SubscriptionToUnknownQueueNamesTheLine) {
  FakeTarget target;
  EXPECT_EQ(ErrorOf("topics:\n  - name: t\n    subscriptions:\n"
                    "      - queue: ghost\n",
                    target),
            "ops.yaml:4: topic t subscribes queue ghost is neither declared "
            "nor on the server");
}

TEST(PlannerTest, BadValueNamesTheAttributesLineWithTheServersText) {
  FakeTarget target;
  target.refused_attribute = "VisibilityTimeout";
  target.refused_value = "99999";
  EXPECT_EQ(ErrorOf("queues:\n  - name: a\n  - name: b\n    attributes:\n"
                    "      DelaySeconds: 1\n      VisibilityTimeout: 99999\n",
                    target),
            "ops.yaml:6: queue b: InvalidAttributeValue: Invalid value for "
            "the parameter VisibilityTimeout.");
}

TEST(PlannerTest, QueueTypeCannotChange) {
  FakeTarget target;
  target.state.queues["a"].attributes = {{"VisibilityTimeout", "30"}};
  EXPECT_EQ(ErrorOf("queues:\n  - name: a\n    attributes: { FifoQueue: true "
                    "}\n",
                    target),
            "ops.yaml:3: queue a: Invalid value for the parameter FifoQueue. "
            "Reason: Modifying queue type is not supported.");
}

TEST(PlannerTest, PruneDeletesWhatTheFileDoesNotDeclareSubscriptionsFirst) {
  FakeTarget target;
  target.state.queues["kept"];
  target.state.queues["old"];
  target.state.topics["kept-topic"].subscriptions.push_back(
      SubscriptionState{"arn:kept-topic:old", "old", {}});
  target.state.topics["old-topic"];
  EXPECT_EQ(
      Described("prune: true\nqueues:\n  - name: kept\ntopics:\n"
                "  - name: kept-topic\n",
                target),
      (std::vector<std::string>{"unsubscribe queue old from topic kept-topic",
                                "delete topic old-topic", "delete queue old"}));
}

TEST(PlannerTest, WithoutPruneUndeclaredThingsStay) {
  FakeTarget target;
  target.state.queues["old"];
  target.state.topics["old-topic"];
  EXPECT_TRUE(Described("queues: []\n", target).empty());
}

TEST(PlannerTest, PruneRefusesRedriveToAQueueItWouldDelete) {
  FakeTarget target;
  target.state.queues["dlq"];
  EXPECT_EQ(ErrorOf("prune: true\nqueues:\n  - name: a\n"
                    "    dead_letter: { queue: dlq, max_receive_count: 5 }\n",
                    target),
            "ops.yaml:4: queue a redrives to queue dlq is not declared and "
            "prune would delete it");
}

TEST(PlannerTest, ExistingSubscriptionAttributeIsUpdated) {
  FakeTarget target;
  target.state.queues["q"];
  target.state.topics["t"].subscriptions.push_back(
      SubscriptionState{"arn:t:q", "q", {{"RawMessageDelivery", "false"}}});
  EXPECT_EQ(Described("topics:\n  - name: t\n    subscriptions:\n"
                      "      - { queue: q, raw: true }\n",
                      target),
            (std::vector<std::string>{
                "update subscription of queue q to topic t attribute "
                "RawMessageDelivery from false to true"}));
}

}  // namespace
}  // namespace cortado::config
