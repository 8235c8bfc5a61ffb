#include "server/cluster/cluster_node.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/core/status_macros.h"

namespace cortado::cluster {
namespace {

// Control rounds while another member hands its partitions over: a node
// given one loads it, and every node forwards to its new owner, within
// about this long.
constexpr absl::Duration kHandoffRound = absl::Milliseconds(50);
// The leaving node's rounds, each giving max_moves_per_round partitions:
// time for their new owners to load them before the next few, so that
// loads do not queue up behind each other (a moved queue pauses for about
// one load).
constexpr absl::Duration kGiveRound = absl::Milliseconds(200);
constexpr int kParallelLoads = 8;

}  // namespace

absl::StatusOr<std::unique_ptr<ClusterNode>> ClusterNode::Start(
    ClusterNodeOptions options, PartitionFactory factory) {
  CORTADO_ASSIGN_OR_RETURN(std::unique_ptr<ControlStore> heartbeat_store,
                           ControlStore::Open(options.control));
  CORTADO_ASSIGN_OR_RETURN(std::unique_ptr<ControlStore> control_store,
                           ControlStore::Open(options.control));
  CORTADO_RETURN_IF_ERROR(heartbeat_store->Join(NodeRow{
      options.node_id, options.grpc_addr, options.http_addr, 0, false}));
  CORTADO_ASSIGN_OR_RETURN(std::vector<Ownership> ownership,
                           control_store->Partitions());
  // The members as they are now, before the control loop's first round: a
  // node that has not read them yet would take every owner for dead and
  // claim the whole cluster.
  CORTADO_ASSIGN_OR_RETURN(std::vector<NodeRow> nodes,
                           heartbeat_store->Nodes());
  std::unique_ptr<ClusterNode> node(
      new ClusterNode(std::move(options), std::move(factory),
                      std::move(heartbeat_store), std::move(control_store)));
  {
    absl::MutexLock lock(&node->mu_);
    node->last_beat_ = node->clock_->Now();  // Join was a heartbeat
    // A previous run of this node id may still be alive (frozen, or a
    // second process started by mistake): its partitions are claimed with a
    // new epoch, which fences it, never served at its epoch.
    for (const Ownership& p : ownership) {
      if (p.owner == node->options_.node_id) node->reclaim_.insert(p.partition);
    }
    node->ownership_ = std::move(ownership);
    std::vector<HeartbeatReading> readings;
    for (const NodeRow& row : nodes) {
      readings.push_back(HeartbeatReading{row.node_id, row.heartbeat});
    }
    node->liveness_.Observe(readings);
    node->nodes_ = std::move(nodes);
  }
  node->heartbeat_thread_ =
      std::thread([n = node.get()] { n->HeartbeatLoop(); });
  node->control_thread_ = std::thread([n = node.get()] { n->ControlLoop(); });
  return node;
}

ClusterNode::ClusterNode(ClusterNodeOptions options, PartitionFactory factory,
                         std::unique_ptr<ControlStore> heartbeat_store,
                         std::unique_ptr<ControlStore> control_store)
    : options_(std::move(options)),
      clock_(options_.monotonic != nullptr ? options_.monotonic : &monotonic_),
      liveness_(options_.lease_ttl, clock_),
      partitions_(control_store->partitions()),
      host_(std::move(factory)),
      heartbeat_store_(std::move(heartbeat_store)),
      control_store_(std::move(control_store)) {}

ClusterNode::~ClusterNode() { Stop(/*handoff=*/false); }

absl::Duration ClusterNode::Tick() const {
  return std::clamp(options_.lease_ttl / 10, absl::Milliseconds(50),
                    absl::Milliseconds(500));
}

void ClusterNode::Log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

void ClusterNode::Serve(int32_t partition, int64_t epoch) {
  const auto times = host_.Acquire(partition, epoch);
  if (times.ok()) {
    Log(absl::StrCat(
        "cluster: serving partition ", partition, " at epoch ", epoch,
        " (store opened in ",
        absl::FormatDuration(absl::Trunc(times->first, absl::Milliseconds(1))),
        ", loaded in ",
        absl::FormatDuration(absl::Trunc(times->second, absl::Milliseconds(1))),
        ")"));
  } else {
    Log(absl::StrCat("cluster: cannot serve partition ", partition,
                     " at epoch ", epoch,
                     " yet (retrying): ", times.status().message()));
  }
}

bool ClusterNode::Stopping() const {
  absl::MutexLock lock(&mu_);
  return stop_;
}

void ClusterNode::Stop(bool handoff, absl::Duration patience) {
  {
    absl::MutexLock lock(&mu_);
    if (stop_) return;
    leaving_ = leaving_ || handoff;
    beat_now_ = handoff;  // announce it now, not at the next beat
  }
  if (handoff) {
    // The control loop gives every partition away while others are alive.
    const absl::Time deadline = absl::Now() + patience;
    while (absl::Now() < deadline && !host_.Hosted().empty()) {
      const std::vector<std::string> live = LiveNodes();
      if (live.empty()) break;  // nobody to hand to
      absl::SleepFor(kHandoffRound);
    }
  }
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (heartbeat_thread_.joinable()) heartbeat_thread_.join();
  if (control_thread_.joinable()) control_thread_.join();
  host_.DropAll();
  // Nothing is served here any more: leaving makes what is still ours an
  // orphan the others claim at once, instead of after the TTL.
  heartbeat_store_->Leave(options_.node_id).IgnoreError();
}

void ClusterNode::HeartbeatLoop() {
  absl::MutexLock lock(&mu_);
  while (!stop_) {
    if (frozen_) {
      mu_.AwaitWithTimeout(absl::Condition(&stop_), Tick());
      continue;
    }
    const bool leaving = leaving_;
    beat_now_ = false;
    mu_.Unlock();
    absl::Status beat = heartbeat_store_->Heartbeat(options_.node_id, leaving);
    if (absl::IsNotFound(beat)) {
      // Our row was removed (by an operator): join again.
      beat =
          heartbeat_store_->Join(NodeRow{options_.node_id, options_.grpc_addr,
                                         options_.http_addr, 0, leaving});
    }
    absl::StatusOr<std::vector<NodeRow>> nodes = heartbeat_store_->Nodes();
    if (nodes.ok()) {
      std::vector<HeartbeatReading> readings;
      for (const NodeRow& row : *nodes) {
        readings.push_back(HeartbeatReading{row.node_id, row.heartbeat});
      }
      liveness_.Observe(readings);
    }
    mu_.Lock();
    if (nodes.ok()) nodes_ = *std::move(nodes);
    beat_error_ = beat;
    if (beat.ok()) last_beat_ = clock_->Now();
    if (beat.ok() && leaving && !leaving_announced_) {
      leaving_announced_ = last_beat_;
    }
    mu_.AwaitWithTimeout(absl::Condition(
                             +[](ClusterNode* n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(
                                  n->mu_) { return n->stop_ || n->beat_now_; },
                             this),
                         Tick());
  }
}

void ClusterNode::SetFrozenForTesting(bool frozen) {
  absl::MutexLock lock(&mu_);
  frozen_ = frozen;
}

void ClusterNode::ControlLoop() {
  while (!Stopping()) {
    bool frozen;
    {
      absl::MutexLock lock(&mu_);
      frozen = frozen_;
    }
    if (frozen) {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&stop_), Tick());
      continue;
    }
    absl::StatusOr<std::vector<Ownership>> ownership =
        control_store_->Partitions();
    if (ownership.ok()) {
      {
        absl::MutexLock lock(&mu_);
        ownership_ = *ownership;
      }
      Reconcile(*ownership);
    }
    absl::MutexLock lock(&mu_);
    // While a member hands over, short rounds; else a tick, cut short when
    // one starts to (the heartbeat thread reads its `leaving`).
    hurrying_ = leaving_ || AnyMemberLeaving();
    // As many spares as loads run at once (ServeAll), while another member
    // hands partitions over.
    if (options_.spares != nullptr) {
      options_.spares->Want(hurrying_ && !leaving_ ? kParallelLoads : 0);
    }
    mu_.AwaitWithTimeout(
        absl::Condition(
            +[](ClusterNode* n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(n->mu_) {
              return n->stop_ || (!n->hurrying_ && n->AnyMemberLeaving());
            },
            this),
        leaving_ ? kGiveRound : (hurrying_ ? kHandoffRound : Tick()));
  }
}

bool ClusterNode::AnyMemberLeaving() const {
  // Alive ones only: the row of a node killed mid-handoff stays `leaving`
  // until it restarts, and must not keep every node on short rounds.
  for (const NodeRow& row : nodes_) {
    if (row.leaving && liveness_.IsAlive(row.node_id)) return true;
  }
  return false;
}

bool ClusterNode::HandoffAnnounced() const {
  absl::MutexLock lock(&mu_);
  // Its `leaving` written a tick ago: every other node's heartbeat thread
  // has read it since, and its control loop runs short rounds.
  return leaving_announced_.has_value() &&
         clock_->Now() - *leaving_announced_ >= Tick();
}

std::vector<std::string> ClusterNode::HandingOver() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> leaving;
  for (const NodeRow& row : nodes_) {
    if (row.node_id == options_.node_id || !row.leaving) continue;
    if (liveness_.IsAlive(row.node_id)) leaving.push_back(row.node_id);
  }
  return leaving;
}

std::vector<std::string> ClusterNode::LiveNodes() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> live;
  for (const NodeRow& row : nodes_) {
    if (row.node_id == options_.node_id || row.leaving) continue;
    if (liveness_.IsAlive(row.node_id)) live.push_back(row.node_id);
  }
  if (!leaving_) live.push_back(options_.node_id);
  return live;
}

void ClusterNode::Claim(const Ownership& seen, std::vector<Ownership>& serve) {
  absl::StatusOr<std::optional<int64_t>> epoch =
      control_store_->Claim(seen, options_.node_id);
  if (!epoch.ok() || !epoch->has_value()) return;  // lost the race, or retry
  {
    absl::MutexLock lock(&mu_);
    ++counters_.claims;
  }
  serve.push_back(Ownership{seen.partition, options_.node_id, **epoch});
}

void ClusterNode::EndSessionsOfDead(const std::vector<Ownership>& claims) {
  std::set<std::string> dead;
  for (auto it = sessions_ended_.begin(); it != sessions_ended_.end();) {
    it = liveness_.IsAlive(*it) ? sessions_ended_.erase(it) : std::next(it);
  }
  for (const Ownership& seen : claims) {
    if (seen.owner.empty() || seen.owner == options_.node_id) continue;
    if (liveness_.IsAlive(seen.owner)) continue;  // leaving: it hands over
    if (!sessions_ended_.contains(seen.owner)) dead.insert(seen.owner);
  }
  for (const std::string& node : dead) {
    absl::StatusOr<int> ended = control_store_->EndSessionsOf(node);
    if (!ended.ok()) {
      // Not fatal: the claims wait for its locks' timeouts instead.
      Log(absl::StrCat("cluster: cannot end the PostgreSQL sessions of ", node,
                       ", judged dead: ", ended.status().message()));
      continue;
    }
    sessions_ended_.insert(node);
    Log(absl::StrCat("cluster: ended ", *ended, " PostgreSQL sessions of ",
                     node, ", judged dead"));
  }
}

void ClusterNode::ServeAll(const std::vector<Ownership>& serve) {
  // Loads run side by side: a takeover of a dead node's partitions (each a
  // connection, a migration check and a load) must not take their sum.
  std::atomic<size_t> next{0};
  std::vector<std::thread> loaders;
  for (size_t i = 0; i < std::min<size_t>(kParallelLoads, serve.size()); ++i) {
    loaders.emplace_back([&] {
      for (size_t j = next++; j < serve.size(); j = next++) {
        Serve(serve[j].partition, serve[j].epoch);
      }
    });
  }
  for (std::thread& loader : loaders) loader.join();
}

void ClusterNode::Reconcile(const std::vector<Ownership>& ownership) {
  std::map<int32_t, int64_t> hosted = host_.Hosted();
  // Failed stores: fenced out (another node owns the partition) or lost
  // (the outcome of a commit is unknown). Either way the memory goes; a
  // partition still ours is loaded again below, from what PostgreSQL has.
  for (const PartitionFailure& failure : host_.TakeFailures()) {
    auto it = hosted.find(failure.partition);
    if (it == hosted.end() || it->second != failure.epoch) continue;
    host_.Drop(failure.partition);
    hosted.erase(it);
    Log(absl::StrCat("cluster: dropped partition ", failure.partition,
                     absl::IsAborted(failure.status)
                         ? " (fenced: another node owns it)"
                         : " (its store failed; reloading if still ours)",
                     ": ", failure.status.message()));
    absl::MutexLock lock(&mu_);
    ++(absl::IsAborted(failure.status) ? counters_.fenced : counters_.reloads);
  }
  const std::string& me = options_.node_id;
  bool leaving;
  {
    absl::MutexLock lock(&mu_);
    leaving = leaving_;
  }
  // What this round loads (claimed, handed to us, or ours after a failure);
  // a failed load leaves the partition ours and unserved: the next round
  // loads it again.
  std::vector<Ownership> serve;
  for (const Ownership& row : ownership) {
    auto it = hosted.find(row.partition);
    const bool ours = row.owner == me;
    if (it != hosted.end() && (!ours || it->second != row.epoch)) {
      host_.Drop(row.partition);  // taken over: its commits are fenced
      hosted.erase(it);
      Log(absl::StrCat("cluster: partition ", row.partition,
                       " is now owned by ", row.owner, " at epoch ", row.epoch,
                       "; dropped here"));
      absl::MutexLock lock(&mu_);
      ++counters_.fenced;
    }
    if (!ours || hosted.contains(row.partition) || leaving) continue;
    bool reclaim;
    {
      absl::MutexLock lock(&mu_);
      reclaim = reclaim_.erase(row.partition) > 0;
    }
    if (reclaim) {
      Claim(row, serve);
    } else {
      // Handed to us, or ours and dropped after a failure: serve it at the
      // epoch it has.
      serve.push_back(row);
    }
  }
  AssignmentPlan plan = PlanAssignment(
      AssignmentInput{ownership, LiveNodes(), me, leaving,
                      options_.max_moves_per_round, HandingOver()});
  // A planned handoff waits until the others hurry (HandoffAnnounced), so
  // that each partition given is loaded by its new owner within a short
  // round, not a tick; this node serves it until then.
  if (leaving && !HandoffAnnounced()) plan.give.clear();
  EndSessionsOfDead(plan.claim);
  for (const Ownership& seen : plan.claim) Claim(seen, serve);
  ServeAll(serve);
  for (const Handoff& handoff : plan.give) {
    // Stop serving first: the broker's last commits finish during its
    // shutdown, so the new owner's load sees them.
    host_.Drop(handoff.from.partition);
    absl::StatusOr<std::optional<int64_t>> given =
        control_store_->Give(handoff.from, handoff.to);
    if (given.ok() && given->has_value()) {
      Log(absl::StrCat("cluster: handed partition ", handoff.from.partition,
                       " to ", handoff.to));
      absl::MutexLock lock(&mu_);
      ++counters_.handoffs_out;
    }
  }
}

ClusterView ClusterNode::View() const {
  ClusterView view;
  view.partitions = partitions_;
  absl::MutexLock lock(&mu_);
  for (const NodeRow& row : nodes_) {
    const bool me = row.node_id == options_.node_id;
    view.nodes.push_back(ClusterView::Node{
        row, me || liveness_.IsAlive(row.node_id),
        me ? absl::ZeroDuration() : liveness_.SilentFor(row.node_id)});
  }
  view.ownership = ownership_;
  return view;
}

std::optional<std::string> ClusterNode::ForwardAddressOf(
    int32_t partition, Listener listener) const {
  absl::MutexLock lock(&mu_);
  // ownership_ holds every partition in order, as read.
  if (partition < 0 || static_cast<size_t>(partition) >= ownership_.size()) {
    return std::nullopt;
  }
  if (ownership_[partition].partition != partition) return std::nullopt;
  const std::string& owner = ownership_[partition].owner;
  if (owner.empty() || owner == options_.node_id) return std::nullopt;
  for (const NodeRow& row : nodes_) {
    if (row.node_id == owner && liveness_.IsAlive(owner)) {
      return listener == Listener::kHttp ? row.http_addr : row.grpc_addr;
    }
  }
  return std::nullopt;
}

absl::Status ClusterNode::Health() const {
  absl::MutexLock lock(&mu_);
  if (clock_->Now() - last_beat_ < options_.lease_ttl) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat(
      "no heartbeat written for a lease TTL: ",
      beat_error_.ok() ? "the control loop is late" : beat_error_.message()));
}

ClusterCounters ClusterNode::Counters() const {
  absl::MutexLock lock(&mu_);
  return counters_;
}

}  // namespace cortado::cluster
