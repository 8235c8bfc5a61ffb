#include "common/config/planner.h"

#include <functional>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/attribute_names.h"
#include "common/config/parser.h"
#include "common/config/yaml_json.h"

namespace cortado::config {
namespace {

using Kind = Change::Kind;

Change NewChange(Kind kind, const std::string& name) {
  Change change;
  change.kind = kind;
  change.name = name;
  return change;
}

bool SameValue(const std::string& attribute, const std::string& a,
               const std::string& b) {
  if (IsJsonAttribute(attribute)) return CanonicalJson(a) == CanonicalJson(b);
  return a == b ||
         (absl::EqualsIgnoreCase(a, b) && (absl::EqualsIgnoreCase(a, "true") ||
                                           absl::EqualsIgnoreCase(a, "false")));
}

absl::Status ErrorAt(const Location& location, absl::string_view message) {
  return absl::InvalidArgumentError(AtLocation(location, message));
}

// A checker's error at the line of the attribute it names (SQS and SNS
// texts name the attribute), else at the resource's line.
absl::Status CheckerErrorAt(const absl::Status& error, absl::string_view what,
                            const Location& resource,
                            const std::map<std::string, Location>& attributes) {
  Location location = resource;
  for (const auto& [name, at] : attributes) {
    if (absl::StrContains(error.message(), name)) location = at;
  }
  return ErrorAt(location, absl::StrCat(what, ": ", error.message()));
}

// Changes of the attributes `wanted` gives against `current`, one each.
void DiffAttributes(Kind kind, const std::string& name, const StringMap& wanted,
                    const StringMap& current, std::vector<Change>& changes) {
  for (const auto& [attribute, value] : wanted) {
    auto it = current.find(attribute);
    const std::string from = it == current.end() ? "" : it->second;
    if (it != current.end() && SameValue(attribute, from, value)) continue;
    Change change = NewChange(kind, name);
    change.attribute = attribute;
    change.from = from;
    change.to = value;
    changes.push_back(std::move(change));
  }
}

// Tags to set and keys to remove so that `current` becomes `wanted`.
void DiffTags(Kind tag, Kind untag, const std::string& name,
              const StringMap& wanted, const StringMap& current,
              std::vector<Change>& changes) {
  Change set = NewChange(tag, name);
  for (const auto& [key, value] : wanted) {
    auto it = current.find(key);
    if (it == current.end() || it->second != value) set.tags[key] = value;
  }
  Change remove = NewChange(untag, name);
  for (const auto& [key, value] : current) {
    if (!wanted.contains(key)) remove.keys.push_back(key);
  }
  if (!set.tags.empty()) changes.push_back(std::move(set));
  if (!remove.keys.empty()) changes.push_back(std::move(remove));
}

class Planner {
 public:
  Planner(const Config& config, const State& state,
          const AttributeChecker& checker)
      : config_(config), state_(state), checker_(checker) {
    for (const QueueSpec& queue : config.queues) declared_[queue.name] = &queue;
  }

  absl::StatusOr<Plan> Run() {
    if (absl::Status s = CheckQueues(); !s.ok()) return s;
    if (absl::Status s = CheckTopics(); !s.ok()) return s;
    Plan plan;
    PlanQueues(plan.changes);
    PlanTopics(plan.changes);
    if (config_.prune) PlanPrune(plan.changes);
    return plan;
  }

 private:
  // A queue the file may refer to: declared, or existing and not pruned.
  bool Available(const std::string& queue) const {
    return declared_.contains(queue) ||
           (!config_.prune && state_.queues.contains(queue));
  }

  std::string Unavailable(const std::string& queue) const {
    return config_.prune && state_.queues.contains(queue)
               ? absl::StrCat("queue ", queue,
                              " is not declared and prune would delete it")
               : absl::StrCat("queue ", queue,
                              " is neither declared nor on the server");
  }

  // The dead-letter queue `queue` would redrive to after applying.
  const DeadLetter* DeadLetterOf(const std::string& queue) const {
    if (auto it = declared_.find(queue); it != declared_.end()) {
      if (it->second->dead_letter.has_value()) return &*it->second->dead_letter;
    }
    if (auto it = state_.queues.find(queue); it != state_.queues.end()) {
      if (it->second.dead_letter.has_value()) return &*it->second.dead_letter;
    }
    return nullptr;
  }

  absl::Status CheckQueues() const {
    for (const QueueSpec& queue : config_.queues) {
      auto current = state_.queues.find(queue.name);
      const bool exists = current != state_.queues.end();
      if (queue.dead_letter.has_value()) {
        const DeadLetter& dead_letter = *queue.dead_letter;
        if (!Available(dead_letter.queue)) {
          return ErrorAt(dead_letter.location,
                         absl::StrCat("queue ", queue.name, " redrives to ",
                                      Unavailable(dead_letter.queue)));
        }
        // Follow the redrives: coming back to this queue is a cycle.
        std::vector<std::string> path = {queue.name};
        std::set<std::string> seen = {queue.name};
        for (const DeadLetter* next = &dead_letter; next != nullptr;
             next = DeadLetterOf(next->queue)) {
          path.push_back(next->queue);
          if (next->queue == queue.name) {
            return ErrorAt(dead_letter.location,
                           absl::StrCat("dead-letter cycle: ",
                                        absl::StrJoin(path, " -> ")));
          }
          if (!seen.insert(next->queue).second) break;  // another cycle's
        }
      }
      StringMap merged = exists ? current->second.attributes : StringMap{};
      if (exists) {
        auto fifo = queue.attributes.find("FifoQueue");
        auto was = merged.find("FifoQueue");
        const std::string before = was == merged.end() ? "false" : was->second;
        if (fifo != queue.attributes.end() &&
            !SameValue("FifoQueue", fifo->second, before)) {
          return ErrorAt(queue.attribute_locations.at("FifoQueue"),
                         absl::StrCat("queue ", queue.name,
                                      ": Invalid value for the parameter "
                                      "FifoQueue. Reason: Modifying queue "
                                      "type is not supported."));
        }
      }
      for (const auto& [name, value] : queue.attributes) merged[name] = value;
      if (absl::Status s = checker_.CheckQueue(queue.name, merged); !s.ok()) {
        return CheckerErrorAt(s, absl::StrCat("queue ", queue.name),
                              queue.location, queue.attribute_locations);
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckTopics() const {
    for (const TopicSpec& topic : config_.topics) {
      auto current = state_.topics.find(topic.name);
      StringMap merged = current != state_.topics.end()
                             ? current->second.attributes
                             : StringMap{};
      for (const auto& [name, value] : topic.attributes) merged[name] = value;
      if (absl::Status s = checker_.CheckTopic(topic.name, merged); !s.ok()) {
        return CheckerErrorAt(s, absl::StrCat("topic ", topic.name),
                              topic.location, topic.attribute_locations);
      }
      for (const SubscriptionSpec& subscription : topic.subscriptions) {
        if (!Available(subscription.queue)) {
          return ErrorAt(subscription.location,
                         absl::StrCat("topic ", topic.name, " subscribes ",
                                      Unavailable(subscription.queue)));
        }
        if (absl::Status s =
                checker_.CheckSubscription(subscription.attributes);
            !s.ok()) {
          return CheckerErrorAt(
              s,
              absl::StrCat("subscription of ", subscription.queue, " to ",
                           topic.name),
              subscription.location, subscription.attribute_locations);
        }
      }
    }
    return absl::OkStatus();
  }

  void PlanQueues(std::vector<Change>& changes) const {
    // New queues, each after the new dead-letter queue it redrives to.
    std::set<std::string> created;
    std::function<void(const QueueSpec&)> create = [&](const QueueSpec& queue) {
      if (state_.queues.contains(queue.name) || created.contains(queue.name)) {
        return;
      }
      created.insert(queue.name);
      if (queue.dead_letter.has_value()) {
        auto dead_letter = declared_.find(queue.dead_letter->queue);
        if (dead_letter != declared_.end()) create(*dead_letter->second);
      }
      Change change = NewChange(Kind::kCreateQueue, queue.name);
      change.attributes = queue.attributes;
      change.tags = queue.tags.value_or(StringMap{});
      change.dead_letter = queue.dead_letter;
      changes.push_back(std::move(change));
    };
    for (const QueueSpec& queue : config_.queues) create(queue);

    for (const QueueSpec& queue : config_.queues) {
      auto current = state_.queues.find(queue.name);
      if (current == state_.queues.end()) continue;
      DiffAttributes(Kind::kSetQueueAttribute, queue.name, queue.attributes,
                     current->second.attributes, changes);
      if (queue.dead_letter.has_value() &&
          current->second.dead_letter != queue.dead_letter) {
        Change change = NewChange(Kind::kSetDeadLetter, queue.name);
        change.dead_letter = queue.dead_letter;
        changes.push_back(std::move(change));
      }
      if (queue.tags.has_value()) {
        DiffTags(Kind::kTagQueue, Kind::kUntagQueue, queue.name, *queue.tags,
                 current->second.tags, changes);
      }
    }
  }

  void PlanTopics(std::vector<Change>& changes) const {
    for (const TopicSpec& topic : config_.topics) {
      auto current = state_.topics.find(topic.name);
      const bool exists = current != state_.topics.end();
      if (!exists) {
        Change change = NewChange(Kind::kCreateTopic, topic.name);
        change.attributes = topic.attributes;
        change.tags = topic.tags.value_or(StringMap{});
        changes.push_back(std::move(change));
      } else {
        DiffAttributes(Kind::kSetTopicAttribute, topic.name, topic.attributes,
                       current->second.attributes, changes);
        if (topic.tags.has_value()) {
          DiffTags(Kind::kTagTopic, Kind::kUntagTopic, topic.name, *topic.tags,
                   current->second.tags, changes);
        }
      }
      for (const SubscriptionSpec& subscription : topic.subscriptions) {
        const SubscriptionState* existing = nullptr;
        if (exists) {
          for (const SubscriptionState& s : current->second.subscriptions) {
            if (s.queue == subscription.queue) existing = &s;
          }
        }
        if (existing == nullptr) {
          Change change = NewChange(Kind::kSubscribe, topic.name);
          change.queue = subscription.queue;
          change.attributes = subscription.attributes;
          changes.push_back(std::move(change));
          continue;
        }
        std::vector<Change> updates;
        DiffAttributes(Kind::kSetSubscriptionAttribute, topic.name,
                       subscription.attributes, existing->attributes, updates);
        for (Change& update : updates) {
          update.queue = subscription.queue;
          update.subscription_arn = existing->arn;
          changes.push_back(std::move(update));
        }
      }
    }
  }

  // Subscriptions first, then topics, then queues: nothing is deleted while
  // something still to be deleted refers to it.
  void PlanPrune(std::vector<Change>& changes) const {
    std::map<std::string, const TopicSpec*> topics;
    for (const TopicSpec& topic : config_.topics) topics[topic.name] = &topic;
    for (const auto& [name, topic] : state_.topics) {
      auto declared = topics.find(name);
      for (const SubscriptionState& subscription : topic.subscriptions) {
        bool keep = false;
        if (declared != topics.end()) {
          for (const SubscriptionSpec& s : declared->second->subscriptions) {
            keep = keep || s.queue == subscription.queue;
          }
        }
        if (keep) continue;
        Change change = NewChange(Kind::kUnsubscribe, name);
        change.queue = subscription.queue;
        change.subscription_arn = subscription.arn;
        changes.push_back(std::move(change));
      }
    }
    for (const auto& [name, topic] : state_.topics) {
      if (!topics.contains(name)) {
        changes.push_back(NewChange(Kind::kDeleteTopic, name));
      }
    }
    for (const auto& [name, queue] : state_.queues) {
      if (!declared_.contains(name)) {
        changes.push_back(NewChange(Kind::kDeleteQueue, name));
      }
    }
  }

  const Config& config_;
  const State& state_;
  const AttributeChecker& checker_;
  std::map<std::string, const QueueSpec*> declared_;
};

std::string Shown(const std::string& value) {
  return value.empty() ? "(unset)" : value;
}

std::string ShownMap(const StringMap& map) {
  return absl::StrJoin(map, ", ", absl::PairFormatter("="));
}

}  // namespace

std::string Change::Describe() const {
  switch (kind) {
    case Kind::kCreateQueue: {
      std::string text = absl::StrCat("create queue ", name);
      if (!attributes.empty())
        absl::StrAppend(&text, " {", ShownMap(attributes), "}");
      if (dead_letter.has_value()) {
        absl::StrAppend(&text, " dead_letter ", dead_letter->queue, " after ",
                        dead_letter->max_receive_count, " receives");
      }
      if (!tags.empty()) absl::StrAppend(&text, " tags {", ShownMap(tags), "}");
      return text;
    }
    case Kind::kSetQueueAttribute:
      return absl::StrCat("update queue ", name, " attribute ", attribute,
                          " from ", Shown(from), " to ", to);
    case Kind::kSetDeadLetter:
      return absl::StrCat("update queue ", name, " dead_letter to ",
                          dead_letter->queue, " after ",
                          dead_letter->max_receive_count, " receives");
    case Kind::kTagQueue:
      return absl::StrCat("tag queue ", name, " {", ShownMap(tags), "}");
    case Kind::kUntagQueue:
      return absl::StrCat("untag queue ", name, " ", absl::StrJoin(keys, ", "));
    case Kind::kDeleteQueue:
      return absl::StrCat("delete queue ", name);
    case Kind::kCreateTopic: {
      std::string text = absl::StrCat("create topic ", name);
      if (!attributes.empty())
        absl::StrAppend(&text, " {", ShownMap(attributes), "}");
      if (!tags.empty()) absl::StrAppend(&text, " tags {", ShownMap(tags), "}");
      return text;
    }
    case Kind::kSetTopicAttribute:
      return absl::StrCat("update topic ", name, " attribute ", attribute,
                          " from ", Shown(from), " to ", to);
    case Kind::kTagTopic:
      return absl::StrCat("tag topic ", name, " {", ShownMap(tags), "}");
    case Kind::kUntagTopic:
      return absl::StrCat("untag topic ", name, " ", absl::StrJoin(keys, ", "));
    case Kind::kDeleteTopic:
      return absl::StrCat("delete topic ", name);
    case Kind::kSubscribe: {
      std::string text =
          absl::StrCat("subscribe queue ", queue, " to topic ", name);
      if (!attributes.empty())
        absl::StrAppend(&text, " {", ShownMap(attributes), "}");
      return text;
    }
    case Kind::kSetSubscriptionAttribute:
      return absl::StrCat("update subscription of queue ", queue, " to topic ",
                          name, " attribute ", attribute, " from ", Shown(from),
                          " to ", to);
    case Kind::kUnsubscribe:
      return absl::StrCat("unsubscribe queue ", queue, " from topic ", name);
  }
  return "";
}

absl::StatusOr<Plan> MakePlan(const Config& config, const State& state,
                              const AttributeChecker& checker) {
  return Planner(config, state, checker).Run();
}

}  // namespace cortado::config
