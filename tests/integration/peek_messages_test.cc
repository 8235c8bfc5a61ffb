// PeekMessages over gRPC: a page of a queue's messages that changes nothing,
// its paging, and its errors as gRPC codes.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/grpc_server_fixture.h"

namespace cortado::integration {
namespace {

using ::testing::SizeIs;

using PeekMessagesTest = GrpcServerTest;

grpc::Status Peek(v1::Queues::Stub& stub,
                  const v1::PeekMessagesRequest& request,
                  v1::PeekMessagesResponse& response) {
  return stub.PeekMessages(NewContext().get(), request, &response);
}

TEST_F(PeekMessagesTest, PeekShowsMessagesWithoutReceivingThem) {
  CreateQueue("peeked");
  Send("peeked", "americano");
  Send("peeked", "cortado");
  v1::PeekMessagesRequest request;
  request.set_queue_name("peeked");
  request.set_max_messages(1);
  v1::PeekMessagesResponse first;
  ASSERT_TRUE(Peek(*stub_, request, first).ok());
  ASSERT_THAT(first.messages(), SizeIs(1));
  EXPECT_EQ(first.messages(0).body(), "americano");
  EXPECT_EQ(first.messages(0).receive_count(), 0);
  EXPECT_EQ(first.messages(0).state(), "VISIBLE");
  EXPECT_GT(first.messages(0).sent_timestamp(), 0);
  EXPECT_EQ(first.messages(0).attributes().at("ApproximateReceiveCount"), "0");
  EXPECT_GT(first.oldest_message_timestamp(), 0);
  ASSERT_FALSE(first.next_token().empty());

  request.set_next_token(first.next_token());
  v1::PeekMessagesResponse second;
  ASSERT_TRUE(Peek(*stub_, request, second).ok());
  ASSERT_THAT(second.messages(), SizeIs(1));
  EXPECT_EQ(second.messages(0).body(), "cortado");
  EXPECT_TRUE(second.next_token().empty());
  EXPECT_EQ(QueueAttribute("peeked", "ApproximateNumberOfMessages"), "2");
  EXPECT_EQ(QueueAttribute("peeked", "ApproximateNumberOfMessagesNotVisible"),
            "0");
}

TEST_F(PeekMessagesTest, ErrorsAreGrpcCodes) {
  v1::PeekMessagesRequest request;
  request.set_queue_name("absent");
  v1::PeekMessagesResponse response;
  EXPECT_EQ(Peek(*stub_, request, response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  CreateQueue("present");
  request.set_queue_name("present");
  request.set_max_messages(101);
  EXPECT_EQ(Peek(*stub_, request, response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace cortado::integration
