// Queue management over gRPC: create, list, get URL, attributes, tags, delete.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/grpc_server_fixture.h"

namespace cortado::integration {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

using QueueLifecycleTest = GrpcServerTest;

TEST_F(QueueLifecycleTest, CreateReturnsUrlAndArn) {
  v1::CreateQueueRequest request;
  request.set_queue_name("orders");
  v1::CreateQueueResponse response;
  grpc::Status status =
      stub_->CreateQueue(NewContext().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.queue_name(), "orders");
  EXPECT_EQ(response.queue_url(), UrlOf("orders"));
  EXPECT_EQ(response.queue_arn(), "arn:aws:sqs:us-east-1:000000000000:orders");
}

TEST_F(QueueLifecycleTest, CreateListGetUrlDelete) {
  CreateQueue("orders");
  CreateQueue("orders-dlq");
  CreateQueue("billing");

  v1::ListQueuesRequest list;
  list.set_queue_name_prefix("orders");
  v1::ListQueuesResponse listed;
  ASSERT_TRUE(stub_->ListQueues(NewContext().get(), list, &listed).ok());
  EXPECT_THAT(listed.queue_names(), ElementsAre("orders", "orders-dlq"));
  EXPECT_THAT(listed.queue_urls(),
              ElementsAre(UrlOf("orders"), UrlOf("orders-dlq")));
  EXPECT_EQ(listed.next_token(), "");

  v1::GetQueueUrlRequest get_url;
  get_url.set_queue_name("billing");
  v1::GetQueueUrlResponse url;
  ASSERT_TRUE(stub_->GetQueueUrl(NewContext().get(), get_url, &url).ok());
  EXPECT_EQ(url.queue_url(), UrlOf("billing"));

  v1::DeleteQueueRequest remove;
  remove.set_queue_name("orders");
  v1::DeleteQueueResponse removed;
  ASSERT_TRUE(stub_->DeleteQueue(NewContext().get(), remove, &removed).ok());

  get_url.set_queue_name("orders");
  auto context = NewContext();
  grpc::Status status = stub_->GetQueueUrl(context.get(), get_url, &url);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ErrorTrailer(*context), "QueueDoesNotExist");

  v1::ListQueuesRequest list_all;
  v1::ListQueuesResponse all;
  ASSERT_TRUE(stub_->ListQueues(NewContext().get(), list_all, &all).ok());
  EXPECT_THAT(all.queue_names(), ElementsAre("billing", "orders-dlq"));
}

TEST_F(QueueLifecycleTest, ListQueuesPagesWithNextToken) {
  for (const char* name : {"a1", "a2", "a3"}) CreateQueue(name);
  v1::ListQueuesRequest request;
  request.set_max_results(2);
  v1::ListQueuesResponse first;
  ASSERT_TRUE(stub_->ListQueues(NewContext().get(), request, &first).ok());
  EXPECT_THAT(first.queue_names(), ElementsAre("a1", "a2"));
  ASSERT_NE(first.next_token(), "");

  request.set_next_token(first.next_token());
  v1::ListQueuesResponse second;
  ASSERT_TRUE(stub_->ListQueues(NewContext().get(), request, &second).ok());
  EXPECT_THAT(second.queue_names(), ElementsAre("a3"));
  EXPECT_EQ(second.next_token(), "");
}

TEST_F(QueueLifecycleTest, AttributesCanBeSetAndRead) {
  CreateQueue("jobs", {{"VisibilityTimeout", "40"}, {"DelaySeconds", "0"}});
  EXPECT_EQ(QueueAttribute("jobs", "VisibilityTimeout"), "40");

  v1::SetQueueAttributesRequest set;
  set.set_queue_name("jobs");
  (*set.mutable_attributes())["VisibilityTimeout"] = "75";
  (*set.mutable_attributes())["ReceiveMessageWaitTimeSeconds"] = "5";
  v1::SetQueueAttributesResponse set_response;
  grpc::Status status =
      stub_->SetQueueAttributes(NewContext().get(), set, &set_response);
  ASSERT_TRUE(status.ok()) << status.error_message();

  v1::GetQueueAttributesRequest get;
  get.set_queue_name("jobs");
  get.add_attribute_names("All");
  v1::GetQueueAttributesResponse attributes;
  ASSERT_TRUE(
      stub_->GetQueueAttributes(NewContext().get(), get, &attributes).ok());
  EXPECT_EQ(attributes.attributes().at("VisibilityTimeout"), "75");
  EXPECT_EQ(attributes.attributes().at("ReceiveMessageWaitTimeSeconds"), "5");
  EXPECT_EQ(attributes.attributes().at("QueueArn"),
            "arn:aws:sqs:us-east-1:000000000000:jobs");
  EXPECT_EQ(attributes.attributes().at("ApproximateNumberOfMessages"), "0");
}

TEST_F(QueueLifecycleTest, TagsCanBeAddedListedAndRemoved) {
  v1::CreateQueueRequest create;
  create.set_queue_name("tagged");
  (*create.mutable_tags())["team"] = "coffee";
  v1::CreateQueueResponse created;
  ASSERT_TRUE(stub_->CreateQueue(NewContext().get(), create, &created).ok());

  v1::TagQueueRequest tag;
  tag.set_queue_name("tagged");
  (*tag.mutable_tags())["env"] = "test";
  v1::TagQueueResponse tagged;
  ASSERT_TRUE(stub_->TagQueue(NewContext().get(), tag, &tagged).ok());

  v1::ListQueueTagsRequest list;
  list.set_queue_name("tagged");
  v1::ListQueueTagsResponse tags;
  ASSERT_TRUE(stub_->ListQueueTags(NewContext().get(), list, &tags).ok());
  EXPECT_THAT(tags.tags(), UnorderedElementsAre(Pair("team", "coffee"),
                                                Pair("env", "test")));

  v1::UntagQueueRequest untag;
  untag.set_queue_name("tagged");
  untag.add_tag_keys("team");
  v1::UntagQueueResponse untagged;
  ASSERT_TRUE(stub_->UntagQueue(NewContext().get(), untag, &untagged).ok());
  tags.Clear();
  ASSERT_TRUE(stub_->ListQueueTags(NewContext().get(), list, &tags).ok());
  EXPECT_THAT(tags.tags(), UnorderedElementsAre(Pair("env", "test")));
}

}  // namespace
}  // namespace cortado::integration

namespace cortado::integration {
namespace {

using ::testing::ElementsAre;
using DeadLetterTest = GrpcServerTest;

TEST_F(DeadLetterTest, PoisonMessageEndsInTheDlqAfterMaxReceiveCount) {
  CreateQueue("cafeteria-dlq");
  CreateQueue("cafeteria-queue",
              {{"RedrivePolicy",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:"
                "000000000000:cafeteria-dlq\",\"maxReceiveCount\":3}"}});
  Send("cafeteria-queue", "Latte|bad date");
  for (int i = 1; i <= 4; ++i) {
    v1::ReceiveMessageRequest request;
    request.set_queue_name("cafeteria-queue");
    request.set_visibility_timeout(0);  // a consumer that fails at once
    v1::ReceiveMessageResponse response;
    ASSERT_TRUE(
        stub_->ReceiveMessage(NewContext().get(), request, &response).ok());
    EXPECT_EQ(response.messages_size(), i <= 3 ? 1 : 0) << "receive " << i;
  }
  v1::ReceiveMessageRequest dlq;
  dlq.set_queue_name("cafeteria-dlq");
  dlq.add_attribute_names("All");
  v1::ReceiveMessageResponse dead;
  ASSERT_TRUE(stub_->ReceiveMessage(NewContext().get(), dlq, &dead).ok());
  ASSERT_EQ(dead.messages_size(), 1);
  EXPECT_EQ(dead.messages(0).body(), "Latte|bad date");
  EXPECT_EQ(dead.messages(0).attributes().at("DeadLetterQueueSourceArn"),
            "arn:aws:sqs:us-east-1:000000000000:cafeteria-queue");

  v1::ListDeadLetterSourceQueuesRequest sources;
  sources.set_queue_name("cafeteria-dlq");
  v1::ListQueuesResponse listed;
  ASSERT_TRUE(
      stub_->ListDeadLetterSourceQueues(NewContext().get(), sources, &listed)
          .ok());
  EXPECT_THAT(listed.queue_names(), ElementsAre("cafeteria-queue"));
}

}  // namespace
}  // namespace cortado::integration
