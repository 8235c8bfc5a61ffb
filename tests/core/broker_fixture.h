// BrokerTest: a Broker on a FakeClock and a MemoryStore, with synchronous
// wrappers around the asynchronous calls. Timers run only when a test calls
// Tick() (ProcessTimers), so time moves only when the test says so.
#ifndef CORTADO_TESTS_CORE_BROKER_FIXTURE_H_
#define CORTADO_TESTS_CORE_BROKER_FIXTURE_H_

#include <future>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "server/core/broker.h"
#include "server/core/clock.h"
#include "server/store/memory_store.h"
#include "tests/testing/status_matchers.h"

namespace cortado::testing {

// Starts an asynchronous call and hands back a future of its result.
template <typename T>
struct Pending {
  std::shared_ptr<std::promise<absl::StatusOr<T>>> promise =
      std::make_shared<std::promise<absl::StatusOr<T>>>();
  std::future<absl::StatusOr<T>> future = promise->get_future();
  Callback<T> callback() {
    return [p = promise](absl::StatusOr<T> r) { p->set_value(std::move(r)); };
  }
  bool ready() {
    return future.wait_for(std::chrono::seconds(0)) ==
           std::future_status::ready;
  }
  // Bounded: a broken broker fails the test instead of hanging it.
  absl::StatusOr<T> Get() {
    if (future.wait_for(std::chrono::seconds(10)) !=
        std::future_status::ready) {
      return absl::DeadlineExceededError("broker call did not complete");
    }
    return future.get();
  }
};

class BrokerTest : public ::testing::Test {
 protected:
  explicit BrokerTest(BrokerOptions options = {}) : options_(options) {
    options_.run_timers = false;
  }
  void SetUp() override { Restart(); }
  void TearDown() override { broker_.reset(); }

  // Starts (again) a broker on the same store: a restart.
  void Restart() {
    broker_.reset();
    broker_ = std::make_unique<Broker>(options_, &clock_, &store_);
    ASSERT_OK(broker_->Start());
  }

  // Moves time and runs the due timers.
  void Advance(absl::Duration d) {
    clock_.Advance(d);
    broker_->ProcessTimers();
  }

  absl::StatusOr<QueueRecord> Create(const std::string& name,
                                     AttributeMap attributes = {}) {
    Pending<QueueRecord> p;
    CreateQueueRequest request;
    request.queue_name = name;
    request.attributes = std::move(attributes);
    broker_->CreateQueue(std::move(request), p.callback());
    return p.Get();
  }
  absl::StatusOr<SendMessageResult> Send(const std::string& queue,
                                         SendMessageEntry entry) {
    Pending<SendMessageResult> p;
    broker_->SendMessage(queue, std::move(entry), p.callback());
    return p.Get();
  }
  absl::StatusOr<SendMessageResult> Send(const std::string& queue,
                                         const std::string& body) {
    SendMessageEntry entry;
    entry.body = body;
    return Send(queue, std::move(entry));
  }
  absl::StatusOr<ReceiveMessageResult> Receive(ReceiveMessageRequest request) {
    if (!request.wait_time_seconds.has_value()) request.wait_time_seconds = 0;
    Pending<ReceiveMessageResult> p;
    broker_->ReceiveMessage(std::move(request), p.callback());
    return p.Get();
  }
  absl::StatusOr<ReceiveMessageResult> Receive(const std::string& queue,
                                               int max = 1) {
    ReceiveMessageRequest request;
    request.queue_name = queue;
    request.max_number_of_messages = max;
    request.system_attribute_names = {"All"};
    request.message_attribute_names = {"All"};
    return Receive(std::move(request));
  }
  absl::Status Delete(const std::string& queue, const std::string& handle) {
    Pending<Empty> p;
    broker_->DeleteMessage(queue, handle, p.callback());
    return p.Get().status();
  }
  absl::Status ChangeVisibility(const std::string& queue,
                                const std::string& handle, int32_t seconds) {
    Pending<Empty> p;
    broker_->ChangeMessageVisibility(queue, handle, seconds, p.callback());
    return p.Get().status();
  }
  std::string Attribute(const std::string& queue, const std::string& name) {
    absl::StatusOr<AttributeMap> attributes =
        broker_->GetQueueAttributes(queue, {name});
    if (!attributes.ok()) return "<" + attributes.status().ToString() + ">";
    return (*attributes)[name];
  }

  BrokerOptions options_;
  FakeClock clock_;
  store::MemoryStore store_;
  std::unique_ptr<Broker> broker_;
};

}  // namespace cortado::testing

#endif  // CORTADO_TESTS_CORE_BROKER_FIXTURE_H_
