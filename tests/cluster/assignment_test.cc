#include "server/cluster/assignment.h"

#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/cluster/partitioning.h"

namespace cortado::cluster {
namespace {

std::vector<Ownership> Unowned(int n) {
  std::vector<Ownership> partitions;
  for (int p = 0; p < n; ++p) partitions.push_back(Ownership{p, "", 0});
  return partitions;
}

// Every node plans on the same reading; their claims are applied in node
// order, a claim losing when an earlier one took the partition (the epoch
// compare-and-set).
void RunRound(std::vector<Ownership>& partitions,
              const std::vector<std::string>& live) {
  const std::vector<Ownership> reading = partitions;
  for (const std::string& node : live) {
    const AssignmentPlan plan =
        PlanAssignment(AssignmentInput{reading, live, node, false, 4, {}});
    for (const Ownership& claim : plan.claim) {
      Ownership& row = partitions[claim.partition];
      if (row.epoch == claim.epoch)
        row = Ownership{row.partition, node, row.epoch + 1};
    }
    for (const Handoff& give : plan.give) {
      Ownership& row = partitions[give.from.partition];
      if (row.owner == node && row.epoch == give.from.epoch) {
        row = Ownership{row.partition, give.to, row.epoch + 1};
      }
    }
  }
}

std::map<std::string, int> Counts(const std::vector<Ownership>& partitions) {
  std::map<std::string, int> counts;
  for (const Ownership& p : partitions) ++counts[p.owner];
  return counts;
}

TEST(AssignmentTest, ANewClusterIsSpreadEvenlyInOneRound) {
  std::vector<Ownership> partitions = Unowned(64);
  RunRound(partitions, {"a", "b", "c"});
  EXPECT_THAT(
      Counts(partitions),
      ::testing::UnorderedElementsAre(
          ::testing::Pair(
              "a", ::testing::AllOf(::testing::Ge(21), ::testing::Le(22))),
          ::testing::Pair(
              "b", ::testing::AllOf(::testing::Ge(21), ::testing::Le(22))),
          ::testing::Pair(
              "c", ::testing::AllOf(::testing::Ge(21), ::testing::Le(22)))));
}

TEST(AssignmentTest, ADeadNodesPartitionsGoToTheSurvivors) {
  std::vector<Ownership> partitions = Unowned(64);
  RunRound(partitions, {"a", "b", "c"});
  RunRound(partitions, {"a", "b"});  // c died
  const auto counts = Counts(partitions);
  EXPECT_EQ(counts.count("c"), 0u);
  EXPECT_EQ(counts.at("a") + counts.at("b"), 64);
  EXPECT_LE(std::abs(counts.at("a") - counts.at("b")), 1);
}

TEST(AssignmentTest, AJoiningNodeIsGivenItsShareOverRounds) {
  std::vector<Ownership> partitions = Unowned(64);
  RunRound(partitions, {"a"});
  EXPECT_EQ(Counts(partitions).at("a"), 64);
  // At most 4 moves per node per round: the newcomer fills up gradually.
  RunRound(partitions, {"a", "b"});
  EXPECT_EQ(Counts(partitions).at("b"), 4);
  for (int round = 0; round < 20; ++round) RunRound(partitions, {"a", "b"});
  EXPECT_EQ(Counts(partitions).at("a"), 32);
  EXPECT_EQ(Counts(partitions).at("b"), 32);
  // Balanced: nothing moves any more.
  const std::vector<Ownership> before = partitions;
  RunRound(partitions, {"a", "b"});
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(partitions[i].epoch, before[i].epoch);
  }
}

TEST(AssignmentTest, ALeavingNodeGivesEverythingAway) {
  std::vector<Ownership> partitions = Unowned(8);
  RunRound(partitions, {"a", "b"});
  const AssignmentPlan plan = PlanAssignment(
      AssignmentInput{partitions, {"b"}, "a", /*leaving=*/true, 4, {}});
  EXPECT_EQ(static_cast<int>(plan.give.size()), Counts(partitions).at("a"));
  for (const Handoff& give : plan.give) EXPECT_EQ(give.to, "b");
  EXPECT_TRUE(plan.claim.empty());
}

TEST(AssignmentTest, ALeavingNodeGivesAFewPerRound) {
  std::vector<Ownership> partitions = Unowned(16);
  RunRound(partitions, {"a", "b"});
  ASSERT_EQ(Counts(partitions).at("a"), 8);
  const AssignmentPlan plan = PlanAssignment(
      AssignmentInput{partitions, {"b"}, "a", /*leaving=*/true, 3, {}});
  EXPECT_EQ(plan.give.size(), 3u);
}

TEST(AssignmentTest, TheOthersWaitForALeavingNodesHandoff) {
  std::vector<Ownership> partitions = Unowned(8);
  RunRound(partitions, {"a", "b"});
  // "a" is alive and leaving: not live, but not dead either.
  AssignmentInput input{partitions, {"b"}, "b", false, 4, {"a"}};
  const AssignmentPlan waiting = PlanAssignment(input);
  EXPECT_TRUE(waiting.claim.empty());
  EXPECT_TRUE(waiting.give.empty());
  // Once it is dead (or gone), its partitions are orphans "b" claims.
  input.handing_over.clear();
  EXPECT_EQ(static_cast<int>(PlanAssignment(input).claim.size()),
            Counts(partitions).at("a"));
}

TEST(AssignmentTest, ALeavingNodeAloneKeepsWhatItHas) {
  std::vector<Ownership> partitions = Unowned(4);
  RunRound(partitions, {"a"});
  const AssignmentPlan plan =
      PlanAssignment(AssignmentInput{partitions, {}, "a", true, 4, {}});
  EXPECT_TRUE(plan.give.empty());
}

TEST(PartitioningTest, TheHashIsFixedForever) {
  // Pinned values: a change would move every queue of every cluster.
  EXPECT_EQ(PartitionOf("", 64),
            static_cast<int32_t>(14695981039346656037ull % 64));
  EXPECT_EQ(PartitionOf("orders", 1), 0);
  const int32_t p = PartitionOf("cafeteria-queue", 64);
  EXPECT_GE(p, 0);
  EXPECT_LT(p, 64);
  EXPECT_EQ(PartitionOf("cafeteria-queue", 64), p);
  EXPECT_EQ(PartitionSchema("cortado", 7), "cortado_p0007");
}

}  // namespace
}  // namespace cortado::cluster
