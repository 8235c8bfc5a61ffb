// Messages over gRPC: send, receive, delete, visibility, batches, purge, and
// the MD5 digests SQS clients verify.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/grpc_server_fixture.h"

namespace cortado::integration {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;

using MessageTest = GrpcServerTest;

v1::MessageAttributeValue StringValue(const std::string& type,
                                      const std::string& value) {
  v1::MessageAttributeValue attribute;
  attribute.set_data_type(type);
  attribute.set_string_value(value);
  return attribute;
}

v1::MessageAttributeValue BinaryValue(const std::string& type,
                                      const std::string& bytes) {
  v1::MessageAttributeValue attribute;
  attribute.set_data_type(type);
  attribute.set_binary_value(bytes);
  return attribute;
}

v1::ReceiveMessageResponse Receive(v1::Queues::Stub& stub,
                                   const std::string& queue, int max = 1,
                                   int wait_seconds = 0) {
  v1::ReceiveMessageRequest request;
  request.set_queue_name(queue);
  request.set_max_number_of_messages(max);
  request.set_wait_time_seconds(wait_seconds);
  request.add_attribute_names("All");
  request.add_message_attribute_names("All");
  v1::ReceiveMessageResponse response;
  grpc::Status status =
      stub.ReceiveMessage(NewContext().get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

TEST_F(MessageTest, SendReceiveDeleteRoundTripWithKnownDigests) {
  CreateQueue("roundtrip");
  v1::SendMessageRequest send;
  send.set_queue_name("roundtrip");
  send.mutable_message()->set_body("hello \"world\" & <x>");
  (*send.mutable_message()->mutable_attributes())["k"] =
      StringValue("String", "x");
  v1::SendMessageResponse sent;
  grpc::Status status = stub_->SendMessage(NewContext().get(), send, &sent);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(sent.result().md5_of_message_body(),
            "e6ca7313bb7dcbf8fe6b0edbd2f029bf");
  EXPECT_EQ(sent.result().md5_of_message_attributes(),
            "a45daa70926828a2f0a1db3418e6feb4");
  EXPECT_EQ(sent.result().md5_of_message_system_attributes(), "");
  EXPECT_FALSE(sent.result().message_id().empty());

  v1::ReceiveMessageResponse received = Receive(*stub_, "roundtrip");
  ASSERT_THAT(received.messages(), SizeIs(1));
  const v1::Message& message = received.messages(0);
  EXPECT_EQ(message.message_id(), sent.result().message_id());
  EXPECT_EQ(message.body(), "hello \"world\" & <x>");
  EXPECT_EQ(message.md5_of_body(), "e6ca7313bb7dcbf8fe6b0edbd2f029bf");
  EXPECT_EQ(message.md5_of_message_attributes(),
            "a45daa70926828a2f0a1db3418e6feb4");
  ASSERT_EQ(message.message_attributes().count("k"), 1u);
  EXPECT_EQ(message.message_attributes().at("k").data_type(), "String");
  EXPECT_EQ(message.message_attributes().at("k").string_value(), "x");
  EXPECT_EQ(message.attributes().at("ApproximateReceiveCount"), "1");
  EXPECT_EQ(message.attributes().at("SenderId"), "000000000000");
  EXPECT_FALSE(message.receipt_handle().empty());
  EXPECT_EQ(
      QueueAttribute("roundtrip", "ApproximateNumberOfMessagesNotVisible"),
      "1");

  v1::DeleteMessageRequest remove;
  remove.set_queue_name("roundtrip");
  remove.set_receipt_handle(message.receipt_handle());
  v1::DeleteMessageResponse removed;
  status = stub_->DeleteMessage(NewContext().get(), remove, &removed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(
      QueueAttribute("roundtrip", "ApproximateNumberOfMessagesNotVisible"),
      "0");
  EXPECT_EQ(QueueAttribute("roundtrip", "ApproximateNumberOfMessages"), "0");
}

TEST_F(MessageTest, BinaryAndCustomTypedAttributesRoundTripExactly) {
  CreateQueue("typed");
  const std::string bytes("\x00\x01\xfe\xff binary", 11);
  v1::SendMessageRequest send;
  send.set_queue_name("typed");
  send.mutable_message()->set_body("typed attributes");
  auto& attributes = *send.mutable_message()->mutable_attributes();
  attributes["blob"] = BinaryValue("Binary", bytes);
  attributes["image"] = BinaryValue("Binary.png", "\x89PNG");
  attributes["price"] = StringValue("Number.float", "3.1400");
  attributes["label"] = StringValue("String.custom", "caf\xc3\xa9");
  v1::SendMessageResponse sent;
  grpc::Status status = stub_->SendMessage(NewContext().get(), send, &sent);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(sent.result().md5_of_message_attributes().size(), 32u);

  v1::ReceiveMessageResponse received = Receive(*stub_, "typed");
  ASSERT_THAT(received.messages(), SizeIs(1));
  const v1::Message& message = received.messages(0);
  EXPECT_EQ(message.md5_of_message_attributes(),
            sent.result().md5_of_message_attributes());
  const auto& got = message.message_attributes();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got.at("blob").data_type(), "Binary");
  EXPECT_EQ(got.at("blob").value_case(),
            v1::MessageAttributeValue::kBinaryValue);
  EXPECT_EQ(got.at("blob").binary_value(), bytes);
  EXPECT_EQ(got.at("image").data_type(), "Binary.png");
  EXPECT_EQ(got.at("image").binary_value(), "\x89PNG");
  EXPECT_EQ(got.at("price").data_type(), "Number.float");
  EXPECT_EQ(got.at("price").value_case(),
            v1::MessageAttributeValue::kStringValue);
  EXPECT_EQ(got.at("price").string_value(), "3.1400");
  EXPECT_EQ(got.at("label").data_type(), "String.custom");
  EXPECT_EQ(got.at("label").string_value(), "caf\xc3\xa9");
}

TEST_F(MessageTest, BatchesReportPerEntryResults) {
  CreateQueue("batch");
  v1::SendMessageBatchRequest send;
  send.set_queue_name("batch");
  for (const char* id : {"first", "second"}) {
    v1::SendMessageEntry* entry = send.add_entries();
    entry->set_id(id);
    entry->set_body(std::string("body of ") + id);
  }
  v1::SendMessageBatchResponse sent;
  grpc::Status status =
      stub_->SendMessageBatch(NewContext().get(), send, &sent);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(sent.successful(), SizeIs(2));
  EXPECT_THAT(sent.failed(), SizeIs(0));

  v1::ReceiveMessageResponse received = Receive(*stub_, "batch", 10);
  ASSERT_THAT(received.messages(), SizeIs(2));

  v1::DeleteMessageBatchRequest remove;
  remove.set_queue_name("batch");
  v1::DeleteMessageBatchEntry* good = remove.add_entries();
  good->set_id("good");
  good->set_receipt_handle(received.messages(0).receipt_handle());
  v1::DeleteMessageBatchEntry* bad = remove.add_entries();
  bad->set_id("bad");
  bad->set_receipt_handle("garbage");
  v1::DeleteMessageBatchResponse removed;
  status = stub_->DeleteMessageBatch(NewContext().get(), remove, &removed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(removed.successful(), ElementsAre("good"));
  ASSERT_THAT(removed.failed(), SizeIs(1));
  EXPECT_EQ(removed.failed(0).id(), "bad");
  EXPECT_EQ(removed.failed(0).code(), "ReceiptHandleIsInvalid");
  EXPECT_TRUE(removed.failed(0).sender_fault());
  EXPECT_FALSE(removed.failed(0).message().empty());

  v1::ChangeMessageVisibilityBatchRequest change;
  change.set_queue_name("batch");
  v1::ChangeMessageVisibilityBatchEntry* entry = change.add_entries();
  entry->set_id("again");
  entry->set_receipt_handle(received.messages(1).receipt_handle());
  entry->set_visibility_timeout(0);
  v1::ChangeMessageVisibilityBatchResponse changed;
  status =
      stub_->ChangeMessageVisibilityBatch(NewContext().get(), change, &changed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(changed.successful(), ElementsAre("again"));
  EXPECT_THAT(changed.failed(), SizeIs(0));
  EXPECT_EQ(QueueAttribute("batch", "ApproximateNumberOfMessages"), "1");
}

TEST_F(MessageTest, ChangeVisibilityToZeroMakesMessageReceivableAgain) {
  CreateQueue("visibility");
  Send("visibility", "again and again");
  v1::ReceiveMessageResponse first = Receive(*stub_, "visibility");
  ASSERT_THAT(first.messages(), SizeIs(1));
  EXPECT_THAT(Receive(*stub_, "visibility").messages(), SizeIs(0));

  v1::ChangeMessageVisibilityRequest change;
  change.set_queue_name("visibility");
  change.set_receipt_handle(first.messages(0).receipt_handle());
  change.set_visibility_timeout(0);
  v1::ChangeMessageVisibilityResponse changed;
  grpc::Status status =
      stub_->ChangeMessageVisibility(NewContext().get(), change, &changed);
  ASSERT_TRUE(status.ok()) << status.error_message();

  v1::ReceiveMessageResponse second = Receive(*stub_, "visibility");
  ASSERT_THAT(second.messages(), SizeIs(1));
  EXPECT_EQ(second.messages(0).body(), "again and again");
  EXPECT_EQ(second.messages(0).attributes().at("ApproximateReceiveCount"), "2");
  EXPECT_NE(second.messages(0).receipt_handle(),
            first.messages(0).receipt_handle());
}

TEST_F(MessageTest, PurgeRemovesEveryMessage) {
  CreateQueue("purged");
  Send("purged", "one");
  Send("purged", "two");
  EXPECT_EQ(QueueAttribute("purged", "ApproximateNumberOfMessages"), "2");
  v1::PurgeQueueRequest purge;
  purge.set_queue_name("purged");
  v1::PurgeQueueResponse purged;
  ASSERT_TRUE(stub_->PurgeQueue(NewContext().get(), purge, &purged).ok());
  EXPECT_EQ(QueueAttribute("purged", "ApproximateNumberOfMessages"), "0");
  EXPECT_THAT(Receive(*stub_, "purged").messages(), SizeIs(0));
}

}  // namespace
}  // namespace cortado::integration
