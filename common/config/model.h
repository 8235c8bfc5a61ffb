// The model of a queues-and-topics file (docs/CONFIG.md) and of a running
// server's state in the same terms, so that the planner can diff them.
// Every spec remembers the line it came from: errors name file:line.
// Thread-safety: value types.
#ifndef CORTADO_COMMON_CONFIG_MODEL_H_
#define CORTADO_COMMON_CONFIG_MODEL_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cortado::config {

// Attribute or tag name -> value, in SQS/SNS string form ("30", "true", a
// JSON document).
using StringMap = std::map<std::string, std::string>;

// Where something was written: "FILE:LINE" in messages.
struct Location {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
};

// A queue's RedrivePolicy by queue name, as the `dead_letter:` shorthand
// writes it. The ARN is resolved by the server when the change is applied,
// so that a file names queues the way people do.
struct DeadLetter {
  std::string queue;
  int max_receive_count = 0;
  Location location;

  friend bool operator==(const DeadLetter& a, const DeadLetter& b) {
    return a.queue == b.queue && a.max_receive_count == b.max_receive_count;
  }
};

struct QueueSpec {
  std::string name;
  StringMap attributes;  // never RedrivePolicy: that is `dead_letter`
  std::map<std::string, Location> attribute_locations;
  std::optional<DeadLetter> dead_letter;
  std::optional<StringMap> tags;  // absent: the queue's tags are not touched
  Location location;
};

struct SubscriptionSpec {
  std::string queue;
  StringMap attributes;  // RawMessageDelivery, FilterPolicy, ...
  std::map<std::string, Location> attribute_locations;
  Location location;
};

struct TopicSpec {
  std::string name;
  StringMap attributes;
  std::map<std::string, Location> attribute_locations;
  std::optional<StringMap> tags;
  std::vector<SubscriptionSpec> subscriptions;
  Location location;
};

// A whole file.
struct Config {
  bool prune = false;  // delete what the file does not declare
  std::vector<QueueSpec> queues;
  std::vector<TopicSpec> topics;
};

// What a running server has, read through a Target (target.h).
struct QueueState {
  StringMap attributes;  // settable ones only, RedrivePolicy as dead_letter
  std::optional<DeadLetter> dead_letter;
  StringMap tags;
};

struct SubscriptionState {
  std::string arn;
  std::string queue;
  StringMap attributes;  // settable ones only
};

struct TopicState {
  StringMap attributes;  // settable ones only
  StringMap tags;
  std::vector<SubscriptionState> subscriptions;
};

struct State {
  std::map<std::string, QueueState> queues;  // by name
  std::map<std::string, TopicState> topics;  // by name
};

}  // namespace cortado::config

#endif  // CORTADO_COMMON_CONFIG_MODEL_H_
