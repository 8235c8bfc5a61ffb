#include "common/config/exporter.h"

#include <string>

#include "common/config/applier.h"
#include "common/config/parser.h"
#include "common/config/planner.h"
#include "gtest/gtest.h"
#include "tests/common/config/fake_target.h"

namespace cortado::config {
namespace {

using testing::FakeTarget;

// A server with a bit of everything the exporter writes.
State Sample() {
  State state;
  state.queues["dlq"].attributes = {{"VisibilityTimeout", "30"}};
  QueueState& work = state.queues["work"];
  work.attributes = {{"VisibilityTimeout", "45"},
                     {"Policy", R"({"Version":"2012-10-17"})"}};
  work.dead_letter = DeadLetter{"dlq", 4, {}};
  work.tags = {{"team", "cafeteria"}};
  TopicState& topic = state.topics["orders"];
  topic.attributes = {{"DisplayName", ""}};
  topic.subscriptions.push_back(
      SubscriptionState{"arn:orders:work",
                        "work",
                        {{"RawMessageDelivery", "true"},
                         {"FilterPolicy", R"({"event":["placed"]})"},
                         {"FilterPolicyScope", "MessageAttributes"}}});
  topic.subscriptions.push_back(SubscriptionState{
      "arn:orders:dlq", "dlq", {{"RawMessageDelivery", "false"}}});
  return state;
}

TEST(ExporterTest, ExportAppliedToAnEmptyServerExportsTheSame) {
  const std::string exported = ExportYaml(Sample());
  absl::StatusOr<Config> config = ParseConfig(exported, "export.yaml");
  ASSERT_TRUE(config.ok()) << config.status() << "\n" << exported;
  FakeTarget empty;
  absl::StatusOr<Plan> plan = MakePlan(*config, empty.state, empty);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_TRUE(ApplyPlan(*plan, empty).ok());
  EXPECT_EQ(ExportYaml(empty.state), exported);
}

TEST(ExporterTest, WritesShorthands) {
  const std::string exported = ExportYaml(Sample());
  EXPECT_NE(exported.find("dead_letter: {queue: dlq, max_receive_count: 4}"),
            std::string::npos)
      << exported;
  EXPECT_NE(exported.find("raw: true"), std::string::npos) << exported;
  EXPECT_NE(exported.find("filter_policy: "), std::string::npos) << exported;
}

TEST(ExporterTest, EmptyStateIsAnEmptyMap) {
  EXPECT_EQ(ExportYaml(State{}), "{}\n");
  EXPECT_TRUE(ParseConfig(ExportYaml(State{}), "e.yaml").ok());
}

}  // namespace
}  // namespace cortado::config
