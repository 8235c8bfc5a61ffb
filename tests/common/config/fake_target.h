// FakeTarget: a Target over an in-memory State, for the planner, applier
// and exporter tests. Its checker refuses one attribute value if told to
// (with the text a server would give); `fail_on` makes one change fail.
// Thread-safety: one thread.
#ifndef CORTADO_TESTS_COMMON_CONFIG_FAKE_TARGET_H_
#define CORTADO_TESTS_COMMON_CONFIG_FAKE_TARGET_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/config/target.h"

namespace cortado::config::testing {

class FakeTarget : public Target {
 public:
  State state;
  // CheckQueue/CheckTopic/CheckSubscription refuse this attribute value.
  std::string refused_attribute;
  std::string refused_value;
  // The queue whose creation fails (as a server refusing it would).
  std::string fail_on_queue;
  int calls = 0;  // changes made

  absl::Status CheckQueue(const std::string& name,
                          const StringMap& attributes) const override {
    return Check(attributes);
  }
  absl::Status CheckTopic(const std::string& name,
                          const StringMap& attributes) const override {
    return Check(attributes);
  }
  absl::Status CheckSubscription(const StringMap& attributes) const override {
    return Check(attributes);
  }

  absl::StatusOr<State> Read() override { return state; }

  absl::Status CreateQueue(const std::string& name, const StringMap& attributes,
                           const std::optional<DeadLetter>& dead_letter,
                           const StringMap& tags) override {
    ++calls;
    if (name == fail_on_queue) {
      return absl::InvalidArgumentError("refused by the server");
    }
    state.queues[name] = QueueState{attributes, dead_letter, tags};
    return absl::OkStatus();
  }
  absl::Status SetQueueAttributes(const std::string& name,
                                  const StringMap& attributes) override {
    ++calls;
    for (const auto& [k, v] : attributes) state.queues[name].attributes[k] = v;
    return absl::OkStatus();
  }
  absl::Status SetDeadLetter(const std::string& name,
                             const DeadLetter& dead_letter) override {
    ++calls;
    state.queues[name].dead_letter = dead_letter;
    return absl::OkStatus();
  }
  absl::Status TagQueue(const std::string& name,
                        const StringMap& tags) override {
    ++calls;
    for (const auto& [k, v] : tags) state.queues[name].tags[k] = v;
    return absl::OkStatus();
  }
  absl::Status UntagQueue(const std::string& name,
                          const std::vector<std::string>& keys) override {
    ++calls;
    for (const std::string& key : keys) state.queues[name].tags.erase(key);
    return absl::OkStatus();
  }
  absl::Status DeleteQueue(const std::string& name) override {
    ++calls;
    state.queues.erase(name);
    return absl::OkStatus();
  }
  absl::Status CreateTopic(const std::string& name, const StringMap& attributes,
                           const StringMap& tags) override {
    ++calls;
    state.topics[name] = TopicState{attributes, tags, {}};
    return absl::OkStatus();
  }
  absl::Status SetTopicAttribute(const std::string& name,
                                 const std::string& attribute,
                                 const std::string& value) override {
    ++calls;
    state.topics[name].attributes[attribute] = value;
    return absl::OkStatus();
  }
  absl::Status TagTopic(const std::string& name,
                        const StringMap& tags) override {
    ++calls;
    for (const auto& [k, v] : tags) state.topics[name].tags[k] = v;
    return absl::OkStatus();
  }
  absl::Status UntagTopic(const std::string& name,
                          const std::vector<std::string>& keys) override {
    ++calls;
    for (const std::string& key : keys) state.topics[name].tags.erase(key);
    return absl::OkStatus();
  }
  absl::Status DeleteTopic(const std::string& name) override {
    ++calls;
    state.topics.erase(name);
    return absl::OkStatus();
  }
  absl::Status Subscribe(const std::string& topic, const std::string& queue,
                         const StringMap& attributes) override {
    ++calls;
    state.topics[topic].subscriptions.push_back(
        SubscriptionState{absl::StrCat(topic, ":", queue), queue, attributes});
    return absl::OkStatus();
  }
  absl::Status SetSubscriptionAttribute(const std::string& subscription_arn,
                                        const std::string& attribute,
                                        const std::string& value) override {
    ++calls;
    for (auto& [name, topic] : state.topics) {
      for (SubscriptionState& s : topic.subscriptions) {
        if (s.arn == subscription_arn) s.attributes[attribute] = value;
      }
    }
    return absl::OkStatus();
  }
  absl::Status Unsubscribe(const std::string& subscription_arn) override {
    ++calls;
    for (auto& [name, topic] : state.topics) {
      std::erase_if(topic.subscriptions, [&](const SubscriptionState& s) {
        return s.arn == subscription_arn;
      });
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Check(const StringMap& attributes) const {
    auto it = attributes.find(refused_attribute);
    if (it != attributes.end() && it->second == refused_value) {
      return absl::InvalidArgumentError(absl::StrCat(
          "InvalidAttributeValue: Invalid value for the parameter ",
          refused_attribute, "."));
    }
    return absl::OkStatus();
  }
};

}  // namespace cortado::config::testing

#endif  // CORTADO_TESTS_COMMON_CONFIG_FAKE_TARGET_H_
