// Bad requests get the specific gRPC code and the SQS error name in the
// "cortado-error" trailer, and the server keeps serving afterwards.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/grpc_server_fixture.h"

namespace cortado::integration {
namespace {

using ::testing::SizeIs;

class ErrorsTest : public GrpcServerTest {
 protected:
  void SetUp() override {
    GrpcServerTest::SetUp();
    CreateQueue("errors");
  }

  // After every bad request, a good one still works.
  void TearDown() override {
    Send("errors", "still working");
    v1::ReceiveMessageRequest request;
    request.set_queue_name("errors");
    request.set_max_number_of_messages(10);
    v1::ReceiveMessageResponse response;
    grpc::Status status =
        stub_->ReceiveMessage(NewContext().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_THAT(response.messages(), SizeIs(1));
    GrpcServerTest::TearDown();
  }
};

TEST_F(ErrorsTest, UnknownQueueIsNotFoundQueueDoesNotExist) {
  {
    v1::GetQueueUrlRequest request;
    request.set_queue_name("no-such-queue");
    v1::GetQueueUrlResponse response;
    auto context = NewContext();
    grpc::Status status = stub_->GetQueueUrl(context.get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(ErrorTrailer(*context), "QueueDoesNotExist");
    EXPECT_FALSE(status.error_message().empty());
  }
  {
    v1::SendMessageRequest request;
    request.set_queue_name("no-such-queue");
    request.mutable_message()->set_body("lost");
    v1::SendMessageResponse response;
    auto context = NewContext();
    grpc::Status status = stub_->SendMessage(context.get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(ErrorTrailer(*context), "QueueDoesNotExist");
  }
  {
    v1::ReceiveMessageRequest request;
    request.set_queue_name("no-such-queue");
    request.set_wait_time_seconds(20);
    v1::ReceiveMessageResponse response;
    auto context = NewContext();
    grpc::Status status =
        stub_->ReceiveMessage(context.get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(ErrorTrailer(*context), "QueueDoesNotExist");
  }
}

TEST_F(ErrorsTest, OutOfRangeQueueAttributeIsInvalidAttributeValue) {
  v1::CreateQueueRequest request;
  request.set_queue_name("bad-attributes");
  (*request.mutable_attributes())["VisibilityTimeout"] = "43201";
  v1::CreateQueueResponse response;
  auto context = NewContext();
  grpc::Status status = stub_->CreateQueue(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorTrailer(*context), "InvalidAttributeValue");
}

TEST_F(ErrorsTest, ExistingQueueWithOtherAttributesIsAlreadyExists) {
  v1::CreateQueueRequest request;
  request.set_queue_name("errors");
  (*request.mutable_attributes())["VisibilityTimeout"] = "99";
  v1::CreateQueueResponse response;
  auto context = NewContext();
  grpc::Status status = stub_->CreateQueue(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ErrorTrailer(*context), "QueueNameExists");
}

TEST_F(ErrorsTest, BodyOverOneMebibyteIsInvalidParameterValue) {
  v1::SendMessageRequest request;
  request.set_queue_name("errors");
  request.mutable_message()->set_body(std::string(1024 * 1024 + 1, 'a'));
  v1::SendMessageResponse response;
  auto context = NewContext();
  grpc::Status status = stub_->SendMessage(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorTrailer(*context), "InvalidParameterValue");
}

TEST_F(ErrorsTest, BodyOfExactlyOneMebibyteIsAccepted) {
  v1::SendMessageRequest request;
  request.set_queue_name("errors");
  request.mutable_message()->set_body(std::string(1024 * 1024, 'a'));
  v1::SendMessageResponse response;
  grpc::Status status =
      stub_->SendMessage(NewContext().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::PurgeQueueRequest purge;
  purge.set_queue_name("errors");
  v1::PurgeQueueResponse purged;
  ASSERT_TRUE(stub_->PurgeQueue(NewContext().get(), purge, &purged).ok());
}

TEST_F(ErrorsTest, GarbageReceiptHandleIsReceiptHandleIsInvalid) {
  v1::DeleteMessageRequest request;
  request.set_queue_name("errors");
  request.set_receipt_handle("garbage");
  v1::DeleteMessageResponse response;
  auto context = NewContext();
  grpc::Status status = stub_->DeleteMessage(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorTrailer(*context), "ReceiptHandleIsInvalid");
}

TEST_F(ErrorsTest, ElevenMessagesIsInvalidParameterValue) {
  v1::ReceiveMessageRequest request;
  request.set_queue_name("errors");
  request.set_max_number_of_messages(11);
  v1::ReceiveMessageResponse response;
  auto context = NewContext();
  grpc::Status status =
      stub_->ReceiveMessage(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorTrailer(*context), "InvalidParameterValue");
}

TEST_F(ErrorsTest, WaitOverTwentySecondsIsInvalidParameterValue) {
  v1::ReceiveMessageRequest request;
  request.set_queue_name("errors");
  request.set_wait_time_seconds(21);
  v1::ReceiveMessageResponse response;
  auto context = NewContext();
  grpc::Status status =
      stub_->ReceiveMessage(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorTrailer(*context), "InvalidParameterValue");
}

TEST_F(ErrorsTest, BinaryValueUnderStringTypeIsRejected) {
  v1::SendMessageRequest request;
  request.set_queue_name("errors");
  request.mutable_message()->set_body("mismatch");
  v1::MessageAttributeValue value;
  value.set_data_type("String");
  value.set_binary_value("bytes");
  (*request.mutable_message()->mutable_attributes())["k"] = value;
  v1::SendMessageResponse response;
  auto context = NewContext();
  grpc::Status status = stub_->SendMessage(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_FALSE(ErrorTrailer(*context).empty());
}

}  // namespace
}  // namespace cortado::integration
