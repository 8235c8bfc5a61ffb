#include "common/config/parser.h"

#include <fstream>
#include <set>
#include <sstream>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/attribute_names.h"
#include "common/config/dead_letter.h"
#include "common/config/yaml_json.h"
#include "common/json.h"
#include "yaml-cpp/yaml.h"

namespace cortado::config {
namespace {

// Parsing one file: the file name for locations and errors.
class Parser {
 public:
  explicit Parser(const std::string& file) : file_(file) {}

  absl::StatusOr<Config> Parse(const YAML::Node& root) {
    Config config;
    if (root.IsNull()) return config;  // an empty file declares nothing
    if (!root.IsMap())
      return Error(root, "the file must be a map (queues:, topics:, prune:)");
    for (const auto& entry : root) {
      const std::string key = entry.first.Scalar();
      if (key == "prune") {
        absl::StatusOr<bool> prune = Bool(entry.second, "prune");
        if (!prune.ok()) return prune.status();
        config.prune = *prune;
      } else if (key == "queues") {
        if (absl::Status s = ParseList(
                entry.second, "queues",
                [&](const YAML::Node& n) { return ParseQueue(n, config); });
            !s.ok()) {
          return s;
        }
      } else if (key == "topics") {
        if (absl::Status s = ParseList(
                entry.second, "topics",
                [&](const YAML::Node& n) { return ParseTopic(n, config); });
            !s.ok()) {
          return s;
        }
      } else {
        return Error(entry.first, absl::StrCat("unknown key \"", key,
                                               "\" (queues, topics, prune)"));
      }
    }
    return config;
  }

 private:
  Location At(const YAML::Node& node) const {
    return Location{file_, node.Mark().line + 1};
  }

  absl::Status Error(const YAML::Node& node, absl::string_view message) const {
    return absl::InvalidArgumentError(AtLocation(At(node), message));
  }

  template <typename Each>
  absl::Status ParseList(const YAML::Node& node, absl::string_view what,
                         Each each) {
    if (node.IsNull()) return absl::OkStatus();
    if (!node.IsSequence()) {
      return Error(node, absl::StrCat(what, " must be a list"));
    }
    for (const auto& element : node) {
      if (absl::Status s = each(element); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Scalar(const YAML::Node& node,
                                     absl::string_view what) const {
    if (!node.IsScalar())
      return Error(node, absl::StrCat(what, " must be a single value"));
    return node.Scalar();
  }

  absl::StatusOr<bool> Bool(const YAML::Node& node,
                            absl::string_view what) const {
    absl::StatusOr<std::string> text = Scalar(node, what);
    if (!text.ok()) return text.status();
    const std::string lower = absl::AsciiStrToLower(*text);
    if (lower == "true") return true;
    if (lower == "false") return false;
    return Error(node, absl::StrCat(what, " must be true or false, not \"",
                                    *text, "\""));
  }

  // An attribute's value in SQS's string form: booleans lower-cased (what
  // the server reports, so that a file saying `True` does not differ
  // forever), maps and lists as JSON for the JSON-valued attributes.
  absl::StatusOr<std::string> AttributeValue(const YAML::Node& node,
                                             const std::string& name) const {
    if (node.IsScalar()) {
      const std::string lower = absl::AsciiStrToLower(node.Scalar());
      if (node.Tag() != "!" && (lower == "true" || lower == "false"))
        return lower;
      return node.Scalar();
    }
    if ((node.IsMap() || node.IsSequence()) && IsJsonAttribute(name)) {
      return YamlToJson(node);
    }
    return Error(node,
                 absl::StrCat("attribute ", name, " must be a single value"));
  }

  // `attributes:` of a resource: known names only, values as strings.
  absl::Status ParseAttributes(
      const YAML::Node& node, AttributeOwner owner, StringMap& attributes,
      std::map<std::string, Location>& locations) const {
    if (node.IsNull()) return absl::OkStatus();
    if (!node.IsMap())
      return Error(node, "attributes must be a map of NAME: VALUE");
    for (const auto& entry : node) {
      const std::string name = entry.first.Scalar();
      if (!IsSettableAttribute(owner, name)) {
        // SQS's and SNS's InvalidAttributeName text.
        return Error(entry.first,
                     absl::StrCat("Unknown Attribute ", name, "."));
      }
      absl::StatusOr<std::string> value = AttributeValue(entry.second, name);
      if (!value.ok()) return value.status();
      attributes[name] = *value;
      locations[name] = At(entry.first);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<StringMap> ParseTags(const YAML::Node& node) const {
    StringMap tags;
    if (node.IsNull()) return tags;
    if (!node.IsMap()) return Error(node, "tags must be a map of KEY: VALUE");
    for (const auto& entry : node) {
      absl::StatusOr<std::string> value = Scalar(entry.second, "a tag value");
      if (!value.ok()) return value.status();
      tags[entry.first.Scalar()] = *value;
    }
    return tags;
  }

  absl::StatusOr<int> MaxReceiveCount(const YAML::Node& node) const {
    absl::StatusOr<std::string> text = Scalar(node, "max_receive_count");
    if (!text.ok()) return text.status();
    int count = 0;
    if (!absl::SimpleAtoi(*text, &count) || count < 1 || count > 1000) {
      // SQS's InvalidParameterValue text for a bad maxReceiveCount.
      return Error(node,
                   absl::StrCat("Value {\"maxReceiveCount\":", *text,
                                "} for parameter RedrivePolicy is invalid. "
                                "Reason: Invalid value for maxReceiveCount: ",
                                *text,
                                ", valid values are from 1 to 1000 "
                                "both inclusive."));
    }
    return count;
  }

  absl::StatusOr<DeadLetter> ParseDeadLetter(const YAML::Node& node) const {
    if (!node.IsMap()) {
      return Error(node,
                   "dead_letter must be { queue: NAME, max_receive_count: N }");
    }
    DeadLetter dead_letter;
    dead_letter.location = At(node);
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      if (key == "queue") {
        absl::StatusOr<std::string> queue =
            Scalar(entry.second, "dead_letter queue");
        if (!queue.ok()) return queue.status();
        dead_letter.queue = *queue;
      } else if (key == "max_receive_count") {
        absl::StatusOr<int> count = MaxReceiveCount(entry.second);
        if (!count.ok()) return count.status();
        dead_letter.max_receive_count = *count;
      } else {
        return Error(
            entry.first,
            absl::StrCat("unknown key \"", key,
                         "\" in dead_letter (queue, max_receive_count)"));
      }
    }
    if (dead_letter.queue.empty() || dead_letter.max_receive_count == 0) {
      return Error(node, "dead_letter needs both queue and max_receive_count");
    }
    return dead_letter;
  }

  // A RedrivePolicy written as an attribute becomes the dead_letter it
  // means, so that both spellings compare alike.
  absl::StatusOr<DeadLetter> DeadLetterFromPolicy(
      const std::string& policy, const Location& location) const {
    std::optional<DeadLetter> dead_letter = ParseRedrivePolicy(policy);
    if (!dead_letter.has_value()) {
      return absl::InvalidArgumentError(AtLocation(
          location, "Value " + policy +
                        " for parameter RedrivePolicy is invalid. Reason: "
                        "Redrive policy is not a valid JSON map."));
    }
    dead_letter->location = location;
    return *dead_letter;
  }

  absl::Status ParseQueue(const YAML::Node& node, Config& config) {
    if (!node.IsMap()) return Error(node, "a queue must be a map with a name");
    QueueSpec queue;
    queue.location = At(node);
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      if (key == "name") {
        absl::StatusOr<std::string> name = Scalar(entry.second, "name");
        if (!name.ok()) return name.status();
        queue.name = *name;
      } else if (key == "attributes") {
        if (absl::Status s =
                ParseAttributes(entry.second, AttributeOwner::kQueue,
                                queue.attributes, queue.attribute_locations);
            !s.ok()) {
          return s;
        }
      } else if (key == "dead_letter") {
        absl::StatusOr<DeadLetter> dead_letter = ParseDeadLetter(entry.second);
        if (!dead_letter.ok()) return dead_letter.status();
        queue.dead_letter = *dead_letter;
      } else if (key == "tags") {
        absl::StatusOr<StringMap> tags = ParseTags(entry.second);
        if (!tags.ok()) return tags.status();
        queue.tags = *tags;
      } else {
        return Error(
            entry.first,
            absl::StrCat(
                "unknown key \"", key,
                "\" in a queue (name, attributes, dead_letter, tags)"));
      }
    }
    if (queue.name.empty()) return Error(node, "a queue needs a name");
    if (auto it = queue.attributes.find("RedrivePolicy");
        it != queue.attributes.end()) {
      if (queue.dead_letter.has_value()) {
        return Error(
            node,
            "give either dead_letter or attribute RedrivePolicy, not both");
      }
      absl::StatusOr<DeadLetter> dead_letter = DeadLetterFromPolicy(
          it->second, queue.attribute_locations["RedrivePolicy"]);
      if (!dead_letter.ok()) return dead_letter.status();
      queue.dead_letter = *dead_letter;
      queue.attributes.erase(it);
    }
    if (!queue_names_.insert(queue.name).second) {
      return Error(node,
                   absl::StrCat("queue ", queue.name, " is declared twice"));
    }
    config.queues.push_back(std::move(queue));
    return absl::OkStatus();
  }

  absl::Status ParseSubscription(const YAML::Node& node,
                                 TopicSpec& topic) const {
    if (!node.IsMap())
      return Error(node, "a subscription must be a map with a queue");
    SubscriptionSpec subscription;
    subscription.location = At(node);
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      if (key == "queue") {
        absl::StatusOr<std::string> queue = Scalar(entry.second, "queue");
        if (!queue.ok()) return queue.status();
        subscription.queue = *queue;
      } else if (key == "raw") {
        absl::StatusOr<bool> raw = Bool(entry.second, "raw");
        if (!raw.ok()) return raw.status();
        subscription.attributes["RawMessageDelivery"] = *raw ? "true" : "false";
        subscription.attribute_locations["RawMessageDelivery"] =
            At(entry.first);
      } else if (key == "filter_policy") {
        subscription.attributes["FilterPolicy"] =
            entry.second.IsScalar() ? entry.second.Scalar()
                                    : YamlToJson(entry.second);
        subscription.attribute_locations["FilterPolicy"] = At(entry.first);
      } else if (key == "attributes") {
        if (absl::Status s = ParseAttributes(
                entry.second, AttributeOwner::kSubscription,
                subscription.attributes, subscription.attribute_locations);
            !s.ok()) {
          return s;
        }
      } else {
        return Error(entry.first,
                     absl::StrCat("unknown key \"", key,
                                  "\" in a subscription (queue, raw, "
                                  "filter_policy, attributes)"));
      }
    }
    if (subscription.queue.empty())
      return Error(node, "a subscription needs a queue");
    for (const SubscriptionSpec& other : topic.subscriptions) {
      if (other.queue == subscription.queue) {
        return Error(
            node, absl::StrCat("queue ", subscription.queue,
                               " is subscribed twice to topic ", topic.name));
      }
    }
    topic.subscriptions.push_back(std::move(subscription));
    return absl::OkStatus();
  }

  absl::Status ParseTopic(const YAML::Node& node, Config& config) {
    if (!node.IsMap()) return Error(node, "a topic must be a map with a name");
    TopicSpec topic;
    topic.location = At(node);
    YAML::Node subscriptions;
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      if (key == "name") {
        absl::StatusOr<std::string> name = Scalar(entry.second, "name");
        if (!name.ok()) return name.status();
        topic.name = *name;
      } else if (key == "attributes") {
        if (absl::Status s =
                ParseAttributes(entry.second, AttributeOwner::kTopic,
                                topic.attributes, topic.attribute_locations);
            !s.ok()) {
          return s;
        }
      } else if (key == "tags") {
        absl::StatusOr<StringMap> tags = ParseTags(entry.second);
        if (!tags.ok()) return tags.status();
        topic.tags = *tags;
      } else if (key == "subscriptions") {
        subscriptions = entry.second;
      } else {
        return Error(
            entry.first,
            absl::StrCat(
                "unknown key \"", key,
                "\" in a topic (name, attributes, tags, subscriptions)"));
      }
    }
    if (topic.name.empty()) return Error(node, "a topic needs a name");
    // After the name, which the duplicate-subscription error names.
    if (subscriptions.IsDefined()) {
      if (absl::Status s = ParseList(
              subscriptions, "subscriptions",
              [&](const YAML::Node& n) { return ParseSubscription(n, topic); });
          !s.ok()) {
        return s;
      }
    }
    if (!topic_names_.insert(topic.name).second) {
      return Error(node,
                   absl::StrCat("topic ", topic.name, " is declared twice"));
    }
    config.topics.push_back(std::move(topic));
    return absl::OkStatus();
  }

  const std::string& file_;
  std::set<std::string> queue_names_;
  std::set<std::string> topic_names_;
};

}  // namespace

std::string AtLocation(const Location& location, absl::string_view message) {
  if (location.line == 0) return absl::StrCat(location.file, ": ", message);
  return absl::StrCat(location.file, ":", location.line, ": ", message);
}

absl::StatusOr<Config> ParseConfig(absl::string_view text,
                                   const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    // yaml-cpp reports syntax errors by exception; they stop here.
    return absl::InvalidArgumentError(
        AtLocation(Location{file, e.mark.line + 1}, e.msg));
  }
  return Parser(file).Parse(root);
}

absl::StatusOr<Config> ParseConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParseConfig(text.str(), path);
}

}  // namespace cortado::config
