// PlanAssignment decides, from one reading of the ownership table and of who
// is alive, what this node does next: which unowned or orphaned partitions
// it claims, and which of its own it hands to a less loaded node. Every
// node runs the same rule on (nearly) the same reading, so they mostly agree
// without talking; when they do not, the epoch compare-and-set of a claim
// lets exactly one win, and the next round evens out what is left.
//
//  - A partition is orphaned when its owner is empty or not alive. Orphans
//    go, in partition order, each to the live node owning fewest so far
//    (ties broken by a hash of partition and node, so that two nodes that
//    start together do not both pick the same one).
//  - With no orphans left, a node owning more than the least loaded node
//    plus one gives its highest partitions to that node, at most
//    `max_moves` per round, so a join moves load over a few rounds instead
//    of pausing many queues at once.
//  - A leaving node (SIGTERM) gives its partitions to the others,
//    `max_moves` per round, so that the new owners load a few at a time
//    (each moved queue pauses for one load, not for all of them). While it
//    is alive, the others wait for its handoff instead of claiming its
//    partitions as orphans: a claim would fence its commits in flight.
// Thread-safety: a pure function.
#ifndef CORTADO_SERVER_CLUSTER_ASSIGNMENT_H_
#define CORTADO_SERVER_CLUSTER_ASSIGNMENT_H_

#include <cstdint>
#include <string>
#include <vector>

namespace cortado::cluster {

struct Ownership {
  int32_t partition = 0;
  std::string owner;  // empty: unowned
  int64_t epoch = 0;
};

struct Handoff {
  Ownership from;  // one of this node's partitions, as read
  std::string to;  // the live node that gets it
};

struct AssignmentPlan {
  std::vector<Ownership> claim;  // as read (the claim checks this epoch)
  std::vector<Handoff> give;
};

struct AssignmentInput {
  std::vector<Ownership> partitions;
  // Nodes alive and not leaving, this node included unless it is leaving.
  std::vector<std::string> live_nodes;
  std::string me;
  bool leaving = false;
  int max_moves = 4;
  // Other nodes alive and leaving: their partitions are handed over by
  // them, not orphans.
  std::vector<std::string> handing_over;
};

AssignmentPlan PlanAssignment(const AssignmentInput& input);

}  // namespace cortado::cluster

#endif  // CORTADO_SERVER_CLUSTER_ASSIGNMENT_H_
