// GrpcServerTest runs an in-process CortadoServer (memory store, real clock)
// on 127.0.0.1:0 and gives each test a Queues stub over a real gRPC channel,
// plus helpers to poll for a condition with a deadline (tests never sleep).
// Thread-safety: a fixture is used by its test's threads; the helpers that
// only read the broker (ParkedReceives) may be called from any thread.
#ifndef CORTADO_TESTS_INTEGRATION_GRPC_SERVER_FIXTURE_H_
#define CORTADO_TESTS_INTEGRATION_GRPC_SERVER_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <string>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cortado/v1/queue.grpc.pb.h"
#include "gtest/gtest.h"
#include "cmd/cortado-server/cortado_server.h"
#include "tests/testing/poll.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::integration {

// Large enough for a receive of ten 1 MiB messages.
inline constexpr int kMaxGrpcMessageBytes = 16 * 1024 * 1024;

// A channel with its own connection (not shared with other channels).
inline std::shared_ptr<grpc::Channel> NewChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxGrpcMessageBytes);
  args.SetMaxSendMessageSize(kMaxGrpcMessageBytes);
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   args);
}

// A client context with a deadline, so that a bug fails a test instead of
// hanging it.
inline std::unique_ptr<grpc::ClientContext> NewContext(
    absl::Duration timeout = absl::Seconds(60)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return context;
}

// The "cortado-error" trailer of a finished call, or "".
inline std::string ErrorTrailer(const grpc::ClientContext& context) {
  const auto& trailers = context.GetServerTrailingMetadata();
  auto it = trailers.find("cortado-error");
  if (it == trailers.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

using ::cortado::testing::PollUntil;

// One asynchronous ReceiveMessage call and its outcome. If a test ends
// early, the destructor cancels the call and waits for its callback, so the
// call never outlives the buffers it writes to.
struct PendingReceive {
  ~PendingReceive() {
    context.TryCancel();
    callback_done.WaitForNotification();
  }

  grpc::ClientContext context;
  v1::ReceiveMessageRequest request;
  v1::ReceiveMessageResponse response;
  absl::Time started;
  absl::Time finished;  // written before `status` is set
  std::promise<grpc::Status> status;
  absl::Notification callback_done;
};

// Starts `call` (request and context already filled in) with the callback
// API.
inline void StartReceive(v1::Queues::Stub& stub, PendingReceive* call) {
  call->started = absl::Now();
  stub.async()->ReceiveMessage(&call->context, &call->request, &call->response,
                               [call](grpc::Status status) {
                                 call->finished = absl::Now();
                                 call->status.set_value(std::move(status));
                                 call->callback_done.Notify();
                               });
}

// Starts a long poll of `wait_seconds` on `queue`.
inline std::unique_ptr<PendingReceive> StartReceive(v1::Queues::Stub& stub,
                                                    const std::string& queue,
                                                    int wait_seconds) {
  auto call = std::make_unique<PendingReceive>();
  call->context.set_deadline(
      absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  call->request.set_queue_name(queue);
  call->request.set_wait_time_seconds(wait_seconds);
  StartReceive(stub, call.get());
  return call;
}

class GrpcServerTest : public ::testing::Test {
 protected:
  cortado::testing::TempDir data_dir_;

  void SetUp() override {
    ServerOptions options;
    options.grpc_addr = "127.0.0.1:0";
    options.http_addr = "127.0.0.1:0";    // tests run in parallel
    options.data_dir = data_dir_.path();  // the real SQLite store, per test
    server_ = std::make_unique<CortadoServer>(options);
    ASSERT_OK(server_->Start());
    stub_ = NewStub();
  }

  void TearDown() override {
    stub_.reset();
    if (server_ != nullptr) server_->Shutdown();
  }

  // The URL the server gives `queue` (its HTTP gateway's real address).
  std::string UrlOf(const std::string& queue) {
    return "http://" + server_->http_address() + "/000000000000/" + queue;
  }

  // A stub on a new connection: "another client".
  std::unique_ptr<v1::Queues::Stub> NewStub() {
    return v1::Queues::NewStub(NewChannel(server_->grpc_address()));
  }

  // Creates a queue; fails the test if it cannot.
  void CreateQueue(const std::string& name,
                   const std::map<std::string, std::string>& attributes = {}) {
    v1::CreateQueueRequest request;
    request.set_queue_name(name);
    for (const auto& [key, value] : attributes) {
      (*request.mutable_attributes())[key] = value;
    }
    v1::CreateQueueResponse response;
    grpc::Status status =
        stub_->CreateQueue(NewContext().get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // Sends a plain message; fails the test if it cannot.
  void Send(const std::string& queue, const std::string& body) {
    v1::SendMessageRequest request;
    request.set_queue_name(queue);
    request.mutable_message()->set_body(body);
    v1::SendMessageResponse response;
    grpc::Status status =
        stub_->SendMessage(NewContext().get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // One queue attribute, e.g. "ApproximateNumberOfMessages".
  std::string QueueAttribute(const std::string& queue,
                             const std::string& name) {
    v1::GetQueueAttributesRequest request;
    request.set_queue_name(queue);
    request.add_attribute_names(name);
    v1::GetQueueAttributesResponse response;
    grpc::Status status =
        stub_->GetQueueAttributes(NewContext().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    auto it = response.attributes().find(name);
    return it == response.attributes().end() ? "" : it->second;
  }

  // Long polls parked in the broker right now.
  uint64_t ParkedReceives() {
    return server_->broker().Stats().parked_receives;
  }

  std::unique_ptr<CortadoServer> server_;
  std::unique_ptr<v1::Queues::Stub> stub_;
};

}  // namespace cortado::integration

#endif  // CORTADO_TESTS_INTEGRATION_GRPC_SERVER_FIXTURE_H_
