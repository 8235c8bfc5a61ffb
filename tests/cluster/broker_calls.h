// Synchronous wrappers over the Broker's asynchronous calls for the
// cluster tests: each waits (bounded, so a broken broker fails the test
// instead of hanging it) for the call's completion.
#ifndef CORTADO_TESTS_CLUSTER_BROKER_CALLS_H_
#define CORTADO_TESTS_CLUSTER_BROKER_CALLS_H_

#include <chrono>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "server/core/broker.h"

namespace cortado::cluster {

template <typename T>
absl::StatusOr<T> Call(absl::AnyInvocable<void(Callback<T>)> start) {
  auto promise = std::make_shared<std::promise<absl::StatusOr<T>>>();
  auto future = promise->get_future();
  start([promise](absl::StatusOr<T> result) {
    promise->set_value(std::move(result));
  });
  if (future.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    return absl::DeadlineExceededError("the broker call did not complete");
  }
  return future.get();
}

inline absl::Status SendTo(Broker& broker, const std::string& queue,
                           const std::string& body) {
  SendMessageEntry entry;
  entry.body = body;
  return Call<SendMessageResult>([&](Callback<SendMessageResult> done) {
           broker.SendMessage(queue, entry, std::move(done));
         })
      .status();
}

inline absl::Status CreateQueueOn(Broker& broker, const std::string& name,
                                  AttributeMap attributes = {}) {
  CreateQueueRequest request;
  request.queue_name = name;
  request.attributes = std::move(attributes);
  return Call<QueueRecord>([&](Callback<QueueRecord> done) {
           broker.CreateQueue(request, std::move(done));
         })
      .status();
}

// One receive of up to 10 messages, hidden for `visibility` seconds.
inline absl::StatusOr<ReceiveMessageResult> ReceiveFrom(
    Broker& broker, const std::string& queue, int32_t visibility = 600) {
  ReceiveMessageRequest request;
  request.queue_name = queue;
  request.max_number_of_messages = 10;
  request.visibility_timeout = visibility;
  request.wait_time_seconds = 0;
  request.system_attribute_names = {"All"};
  request.message_attribute_names = {"All"};
  return Call<ReceiveMessageResult>([&](Callback<ReceiveMessageResult> done) {
    broker.ReceiveMessage(request, std::move(done));
  });
}

// Receives everything visible (with a visibility timeout long enough that
// nothing comes back during the test): the bodies.
inline std::multiset<std::string> ReceiveAllFrom(Broker& broker,
                                                 const std::string& queue) {
  std::multiset<std::string> bodies;
  for (;;) {
    absl::StatusOr<ReceiveMessageResult> received = ReceiveFrom(broker, queue);
    if (!received.ok() || received->messages.empty()) return bodies;
    for (const auto& m : received->messages) bodies.insert(m.body);
  }
}

}  // namespace cortado::cluster

#endif  // CORTADO_TESTS_CLUSTER_BROKER_CALLS_H_
