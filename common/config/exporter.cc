#include "common/config/exporter.h"

#include <algorithm>
#include <vector>

#include "yaml-cpp/yaml.h"

namespace cortado::config {
namespace {

void EmitMap(YAML::Emitter& out, const char* key, const StringMap& map) {
  if (map.empty()) return;
  out << YAML::Key << key << YAML::Value << YAML::BeginMap;
  for (const auto& [name, value] : map) {
    out << YAML::Key << name << YAML::Value << value;
  }
  out << YAML::EndMap;
}

void EmitQueues(YAML::Emitter& out, const State& state) {
  if (state.queues.empty()) return;
  out << YAML::Key << "queues" << YAML::Value << YAML::BeginSeq;
  for (const auto& [name, queue] : state.queues) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << name;
    EmitMap(out, "attributes", queue.attributes);
    if (queue.dead_letter.has_value()) {
      out << YAML::Key << "dead_letter" << YAML::Value << YAML::Flow
          << YAML::BeginMap << YAML::Key << "queue" << YAML::Value
          << queue.dead_letter->queue << YAML::Key << "max_receive_count"
          << YAML::Value << queue.dead_letter->max_receive_count
          << YAML::EndMap;
    }
    EmitMap(out, "tags", queue.tags);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void EmitSubscription(YAML::Emitter& out, const SubscriptionState& s) {
  StringMap rest = s.attributes;
  out << YAML::BeginMap << YAML::Key << "queue" << YAML::Value << s.queue;
  if (auto raw = rest.extract("RawMessageDelivery"); !raw.empty()) {
    out << YAML::Key << "raw" << YAML::Value << (raw.mapped() == "true");
  }
  if (auto filter = rest.extract("FilterPolicy"); !filter.empty()) {
    out << YAML::Key << "filter_policy" << YAML::Value << filter.mapped();
  }
  EmitMap(out, "attributes", rest);
  out << YAML::EndMap;
}

void EmitTopics(YAML::Emitter& out, const State& state) {
  if (state.topics.empty()) return;
  out << YAML::Key << "topics" << YAML::Value << YAML::BeginSeq;
  for (const auto& [name, topic] : state.topics) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << name;
    EmitMap(out, "attributes", topic.attributes);
    EmitMap(out, "tags", topic.tags);
    if (!topic.subscriptions.empty()) {
      out << YAML::Key << "subscriptions" << YAML::Value << YAML::BeginSeq;
      std::vector<SubscriptionState> sorted = topic.subscriptions;
      std::sort(sorted.begin(), sorted.end(),
                [](const SubscriptionState& a, const SubscriptionState& b) {
                  return a.queue < b.queue;
                });
      for (const SubscriptionState& s : sorted) EmitSubscription(out, s);
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

}  // namespace

std::string ExportYaml(const State& state) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  EmitQueues(out, state);
  EmitTopics(out, state);
  out << YAML::EndMap;
  std::string text = out.c_str();
  // An empty state emits "{}": write it as an empty file's equivalent.
  return text == "{}" ? "{}\n" : text + "\n";
}

}  // namespace cortado::config
