#include "common/config/applier.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "common/config/parser.h"
#include "common/config/planner.h"
#include "gtest/gtest.h"
#include "tests/common/config/fake_target.h"

namespace cortado::config {
namespace {

using testing::FakeTarget;

constexpr char kFile[] = R"(queues:
  - name: dlq
  - name: work
    attributes: { VisibilityTimeout: 45 }
    dead_letter: { queue: dlq, max_receive_count: 4 }
    tags: { team: cafeteria }
topics:
  - name: orders
    attributes: { DisplayName: Orders }
    tags: { env: prod }
    subscriptions:
      - { queue: work, raw: true }
)";

absl::StatusOr<Plan> PlanFor(const std::string& text, FakeTarget& target) {
  absl::StatusOr<Config> config = ParseConfig(text, "ops.yaml");
  if (!config.ok()) return config.status();
  absl::StatusOr<State> state = target.Read();
  if (!state.ok()) return state.status();
  return MakePlan(*config, *state, target);
}

TEST(ApplierTest, AppliedFileLeavesNothingToChange) {
  FakeTarget target;
  absl::StatusOr<Plan> first = PlanFor(kFile, target);
  ASSERT_TRUE(first.ok()) << first.status();
  std::vector<std::string> heard;
  ASSERT_TRUE(ApplyPlan(*first, target, [&](const Change& change) {
                heard.push_back(change.Describe());
              }).ok());
  EXPECT_EQ(heard.size(), first->changes.size());
  EXPECT_EQ(target.state.queues["work"].attributes.at("VisibilityTimeout"),
            "45");
  EXPECT_EQ(target.state.queues["work"].dead_letter,
            (DeadLetter{"dlq", 4, {}}));
  EXPECT_EQ(target.state.topics["orders"].subscriptions.size(), 1u);

  absl::StatusOr<Plan> second = PlanFor(kFile, target);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->changes.empty());
}

TEST(ApplierTest, FileWithAnErrorChangesNothing) {
  FakeTarget target;
  target.refused_attribute = "DisplayName";
  target.refused_value = "Orders";
  absl::StatusOr<Plan> plan = PlanFor(kFile, target);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().message(),
            "ops.yaml:9: topic orders: InvalidAttributeValue: Invalid value "
            "for the parameter DisplayName.");
  EXPECT_EQ(target.calls, 0);
  EXPECT_TRUE(target.state.queues.empty());
}

TEST(ApplierTest, ServerRefusalStopsAtTheChangeAndNamesIt) {
  FakeTarget target;
  target.fail_on_queue = "work";
  absl::StatusOr<Plan> plan = PlanFor(kFile, target);
  ASSERT_TRUE(plan.ok()) << plan.status();
  absl::Status applied = ApplyPlan(*plan, target);
  ASSERT_FALSE(applied.ok());
  EXPECT_TRUE(absl::StartsWith(applied.message(), "create queue work "))
      << applied;
  EXPECT_TRUE(absl::EndsWith(applied.message(), ": refused by the server"))
      << applied;
  EXPECT_FALSE(target.state.topics.contains("orders"));
}

}  // namespace
}  // namespace cortado::config
