// BrokerTest: a Broker on a FakeClock and a MemoryStore, with synchronous
// wrappers around the asynchronous calls. Timers run only when a test calls
// Tick() (ProcessTimers), so time moves only when the test says so.
#ifndef CORTADO_TESTS_CORE_BROKER_FIXTURE_H_
#define CORTADO_TESTS_CORE_BROKER_FIXTURE_H_

#include <future>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "server/core/broker.h"
#include "server/core/clock.h"
#include "server/core/errors.h"
#include "server/store/memory_store.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_envelope_builder.h"

namespace cortado {
// Lets gtest print an ErrorKind by name ("ReceiptHandleIsInvalid") in
// failure messages instead of as raw bytes.
inline void PrintTo(ErrorKind kind, std::ostream* os) {
  *os << (kind == ErrorKind::kNone ? absl::string_view("None (OK)")
                                   : ErrorKindName(kind));
}
}  // namespace cortado

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

// Builders for send entries and message attributes.
inline SendMessageEntry Entry(std::string body, std::string id = "") {
  SendMessageEntry entry;
  entry.id = std::move(id);
  entry.body = std::move(body);
  return entry;
}
inline MessageAttributeValue StringAttribute(std::string value,
                                             std::string data_type = "String") {
  MessageAttributeValue attribute;
  attribute.data_type = std::move(data_type);
  attribute.string_value = std::move(value);
  return attribute;
}
inline MessageAttributeValue BinaryAttribute(std::string bytes,
                                             std::string data_type = "Binary") {
  MessageAttributeValue attribute;
  attribute.data_type = std::move(data_type);
  attribute.binary_value = std::move(bytes);
  attribute.binary = true;
  return attribute;
}

class BrokerTest : public ::testing::Test {
 protected:
  explicit BrokerTest(BrokerOptions options = {}) : options_(options) {
    options_.run_timers = false;
    if (options_.envelope_builder == nullptr) {
      options_.envelope_builder = TestEnvelopeBuilder();
    }
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

  // --- More synchronous wrappers (one per Broker call). ---

  absl::StatusOr<QueueRecord> Create(CreateQueueRequest request) {
    Pending<QueueRecord> p;
    broker_->CreateQueue(std::move(request), p.callback());
    return p.Get();
  }
  absl::Status DeleteQueue(const std::string& queue) {
    Pending<Empty> p;
    broker_->DeleteQueue(queue, p.callback());
    return p.Get().status();
  }
  absl::Status Purge(const std::string& queue) {
    Pending<Empty> p;
    broker_->PurgeQueue(queue, p.callback());
    return p.Get().status();
  }
  absl::Status SetAttributes(const std::string& queue,
                             AttributeMap attributes) {
    Pending<Empty> p;
    broker_->SetQueueAttributes(queue, std::move(attributes), p.callback());
    return p.Get().status();
  }
  absl::Status Tag(const std::string& queue, TagMap tags) {
    Pending<Empty> p;
    broker_->TagQueue(queue, std::move(tags), p.callback());
    return p.Get().status();
  }
  absl::Status Untag(const std::string& queue, std::vector<std::string> keys) {
    Pending<Empty> p;
    broker_->UntagQueue(queue, std::move(keys), p.callback());
    return p.Get().status();
  }
  absl::StatusOr<SendMessageBatchResult> SendBatch(
      const std::string& queue, std::vector<SendMessageEntry> entries) {
    Pending<SendMessageBatchResult> p;
    broker_->SendMessageBatch(queue, std::move(entries), p.callback());
    return p.Get();
  }
  absl::StatusOr<BatchResult> DeleteBatch(
      const std::string& queue, std::vector<BatchHandleEntry> entries) {
    Pending<BatchResult> p;
    broker_->DeleteMessageBatch(queue, std::move(entries), p.callback());
    return p.Get();
  }
  absl::StatusOr<BatchResult> ChangeVisibilityBatch(
      const std::string& queue, std::vector<BatchHandleEntry> entries) {
    Pending<BatchResult> p;
    broker_->ChangeMessageVisibilityBatch(queue, std::move(entries),
                                          p.callback());
    return p.Get();
  }
  // Every attribute of the queue (GetQueueAttributes "All").
  AttributeMap AllAttributes(const std::string& queue) {
    absl::StatusOr<AttributeMap> attributes =
        broker_->GetQueueAttributes(queue, {"All"});
    if (!attributes.ok()) return {{"<error>", attributes.status().ToString()}};
    return *std::move(attributes);
  }

  // Starts a receive without waiting for its answer and returns once the
  // broker has planned it (answered, or parked if it long-polls), so a test
  // may move the clock afterwards without racing the writer thread.
  // `receive_id`, if given, receives the id for CancelReceive.
  Pending<ReceiveMessageResult> StartReceive(ReceiveMessageRequest request,
                                             uint64_t* receive_id = nullptr) {
    Pending<ReceiveMessageResult> p;
    const uint64_t id =
        broker_->ReceiveMessage(std::move(request), p.callback());
    if (receive_id != nullptr) *receive_id = id;
    broker_->ProcessTimers();  // a barrier: operations run in order
    return p;
  }
  // A long poll of `wait_seconds` for one message.
  Pending<ReceiveMessageResult> StartLongPoll(const std::string& queue,
                                              int32_t wait_seconds,
                                              uint64_t* receive_id = nullptr) {
    ReceiveMessageRequest request;
    request.queue_name = queue;
    request.wait_time_seconds = wait_seconds;
    request.system_attribute_names = {"All"};
    request.message_attribute_names = {"All"};
    return StartReceive(std::move(request), receive_id);
  }
  // A short-poll receive with an explicit VisibilityTimeout.
  absl::StatusOr<ReceiveMessageResult> ReceiveWithVisibility(
      const std::string& queue, int32_t visibility_timeout, int max = 1) {
    ReceiveMessageRequest request;
    request.queue_name = queue;
    request.max_number_of_messages = max;
    request.visibility_timeout = visibility_timeout;
    request.system_attribute_names = {"All"};
    request.message_attribute_names = {"All"};
    return Receive(std::move(request));
  }

  BrokerOptions options_;
  FakeClock clock_;
  store::MemoryStore store_;
  std::unique_ptr<Broker> broker_;
};

}  // namespace cortado::testing

#endif  // CORTADO_TESTS_CORE_BROKER_FIXTURE_H_
