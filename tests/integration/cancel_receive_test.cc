// CancelReceive: a client ends its own parked long poll by token, and the
// receive then finishes normally. Unlike cancelling the call, this never
// drops an answer on its way, so no message is left hidden for its
// visibility timeout.
#include <future>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/grpc_server_fixture.h"

namespace cortado::integration {
namespace {

using ::testing::SizeIs;

using CancelReceiveTest = GrpcServerTest;

// A long poll of `wait_seconds` carrying `token`.
std::unique_ptr<PendingReceive> StartTokenReceive(v1::Queues::Stub& stub,
                                                  const std::string& queue,
                                                  const std::string& token,
                                                  int wait_seconds) {
  auto call = std::make_unique<PendingReceive>();
  call->context.set_deadline(
      absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  call->request.set_queue_name(queue);
  call->request.set_wait_time_seconds(wait_seconds);
  call->request.set_receive_token(token);
  StartReceive(stub, call.get());
  return call;
}

grpc::Status CancelReceive(v1::Queues::Stub& stub, const std::string& token,
                           std::string* error_name = nullptr) {
  v1::CancelReceiveRequest request;
  request.set_receive_token(token);
  v1::CancelReceiveResponse response;
  std::unique_ptr<grpc::ClientContext> context = NewContext();
  grpc::Status status = stub.CancelReceive(context.get(), request, &response);
  if (error_name != nullptr) *error_name = ErrorTrailer(*context);
  return status;
}

TEST_F(CancelReceiveTest, EndsTheParkedPollWithAnEmptyAnswer) {
  CreateQueue("q");
  std::unique_ptr<PendingReceive> receive =
      StartTokenReceive(*stub_, "q", "token-1", /*wait_seconds=*/20);
  std::future<grpc::Status> done = receive->status.get_future();
  ASSERT_TRUE(PollUntil([&] { return ParkedReceives() == 1; }));

  ASSERT_TRUE(CancelReceive(*stub_, "token-1").ok());
  ASSERT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  grpc::Status status = done.get();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(receive->response.messages(), SizeIs(0));
  EXPECT_EQ(ParkedReceives(), 0u);
}

TEST_F(CancelReceiveTest, ACancelThatOvertakesItsReceiveEndsItOnArrival) {
  CreateQueue("q");
  ASSERT_TRUE(CancelReceive(*stub_, "early").ok());
  std::unique_ptr<PendingReceive> receive =
      StartTokenReceive(*stub_, "q", "early", /*wait_seconds=*/20);
  std::future<grpc::Status> done = receive->status.get_future();
  ASSERT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(done.get().ok());
  EXPECT_THAT(receive->response.messages(), SizeIs(0));
  // The early cancel is used up: the same token parks normally next time.
  std::unique_ptr<PendingReceive> again =
      StartTokenReceive(*stub_, "q", "early", /*wait_seconds=*/20);
  std::future<grpc::Status> again_done = again->status.get_future();
  ASSERT_TRUE(PollUntil([&] { return ParkedReceives() == 1; }));
  Send("q", "hello");
  ASSERT_EQ(again_done.wait_for(std::chrono::seconds(10)),
            std::future_status::ready);
  EXPECT_TRUE(again_done.get().ok());
  ASSERT_THAT(again->response.messages(), SizeIs(1));
}

TEST_F(CancelReceiveTest, CancelRacingWithSendNeverHidesTheMessage) {
  // Whichever wins, the receive finishes OK: with the message, or empty and
  // the message still visible. Compare LongPollTest's TryCancel race, where
  // an answered message can be swallowed until its visibility timeout.
  std::unique_ptr<v1::Queues::Stub> receiver = NewStub();
  std::unique_ptr<v1::Queues::Stub> sender = NewStub();
  constexpr int kRounds = 100;
  for (int round = 0; round < kRounds; ++round) {
    const std::string queue = absl::StrCat("race-", round);
    const std::string token = absl::StrCat("t", round);
    CreateQueue(queue, {{"VisibilityTimeout", "300"}});
    std::unique_ptr<PendingReceive> receive =
        StartTokenReceive(*receiver, queue, token, /*wait_seconds=*/20);
    std::future<grpc::Status> done = receive->status.get_future();
    ASSERT_TRUE(PollUntil([&] { return ParkedReceives() == 1; }));
    std::future<bool> sent = std::async(std::launch::async, [&] {
      v1::SendMessageRequest send;
      send.set_queue_name(queue);
      send.mutable_message()->set_body("racing");
      v1::SendMessageResponse response;
      return sender->SendMessage(NewContext().get(), send, &response).ok();
    });
    ASSERT_TRUE(CancelReceive(*stub_, token).ok());
    ASSERT_TRUE(sent.get());
    ASSERT_EQ(done.wait_for(std::chrono::seconds(10)),
              std::future_status::ready);
    grpc::Status status = done.get();
    ASSERT_TRUE(status.ok())
        << "round " << round << ": " << status.error_message();
    const std::string visible =
        QueueAttribute(queue, "ApproximateNumberOfMessages");
    const std::string in_flight =
        QueueAttribute(queue, "ApproximateNumberOfMessagesNotVisible");
    if (receive->response.messages_size() == 1) {
      EXPECT_EQ(in_flight, "1") << "round " << round;
    } else {
      EXPECT_EQ(visible, "1") << "round " << round;
      EXPECT_EQ(in_flight, "0") << "round " << round;
    }
  }
}

TEST_F(CancelReceiveTest, BadTokensGetSqsErrors) {
  CreateQueue("q");
  std::string error;
  grpc::Status status = CancelReceive(*stub_, "", &error);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(error, "MissingParameter");

  const std::string too_long(129, 'x');
  status = CancelReceive(*stub_, too_long, &error);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(error, "InvalidParameterValue");

  std::unique_ptr<PendingReceive> receive =
      StartTokenReceive(*stub_, "q", too_long, /*wait_seconds=*/0);
  std::future<grpc::Status> done = receive->status.get_future();
  ASSERT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(done.get().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorTrailer(receive->context), "InvalidParameterValue");
}

}  // namespace
}  // namespace cortado::integration
