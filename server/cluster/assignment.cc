#include "server/cluster/assignment.h"

#include <algorithm>
#include <map>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "server/cluster/partitioning.h"

namespace cortado::cluster {
namespace {

// Deterministic tie-break between nodes for one partition.
uint32_t TieBreak(int32_t partition, const std::string& node) {
  return static_cast<uint32_t>(
      PartitionOf(absl::StrCat(partition, "/", node), 1 << 30));
}

// The live node with the fewest partitions (ties by TieBreak, then name).
std::string LeastLoaded(const std::map<std::string, int>& counts,
                        int32_t partition) {
  std::string best;
  for (const auto& [node, count] : counts) {
    if (best.empty()) {
      best = node;
      continue;
    }
    const int best_count = counts.at(best);
    if (count < best_count ||
        (count == best_count &&
         TieBreak(partition, node) > TieBreak(partition, best))) {
      best = node;
    }
  }
  return best;
}

}  // namespace

AssignmentPlan PlanAssignment(const AssignmentInput& input) {
  AssignmentPlan plan;
  std::map<std::string, int> counts;  // live nodes that can take partitions
  for (const std::string& node : input.live_nodes) {
    if (!(input.leaving && node == input.me)) counts[node] = 0;
  }
  const absl::flat_hash_set<std::string> live(input.live_nodes.begin(),
                                              input.live_nodes.end());
  const absl::flat_hash_set<std::string> handing_over(
      input.handing_over.begin(), input.handing_over.end());
  std::vector<const Ownership*> orphans, mine;
  for (const Ownership& p : input.partitions) {
    if (p.owner == input.me) {
      mine.push_back(&p);
      if (counts.contains(p.owner)) ++counts[p.owner];
    } else if (p.owner.empty() ||
               (!live.contains(p.owner) && !handing_over.contains(p.owner))) {
      orphans.push_back(&p);
    } else if (counts.contains(p.owner)) {
      ++counts[p.owner];
    }
  }
  if (counts.empty()) return plan;  // nobody to take anything

  if (input.leaving) {
    for (const Ownership* p : mine) {
      if (static_cast<int>(plan.give.size()) >= input.max_moves) break;
      const std::string to = LeastLoaded(counts, p->partition);
      ++counts[to];
      plan.give.push_back(Handoff{*p, to});
    }
    return plan;
  }
  for (const Ownership* p : orphans) {
    const std::string to = LeastLoaded(counts, p->partition);
    ++counts[to];
    if (to == input.me) plan.claim.push_back(*p);
  }
  if (!orphans.empty()) return plan;

  // Even out: highest partitions first, so that the choice is stable.
  std::sort(mine.begin(), mine.end(), [](const auto* a, const auto* b) {
    return a->partition > b->partition;
  });
  for (const Ownership* p : mine) {
    if (static_cast<int>(plan.give.size()) >= input.max_moves) break;
    const std::string to = LeastLoaded(counts, p->partition);
    if (to == input.me || counts[input.me] <= counts[to] + 1) break;
    --counts[input.me];
    ++counts[to];
    plan.give.push_back(Handoff{*p, to});
  }
  return plan;
}

}  // namespace cortado::cluster
