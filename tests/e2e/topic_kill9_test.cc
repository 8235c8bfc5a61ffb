// Topics survive kill -9: the real cortado-server process is killed with
// SIGKILL right after its topic, subscription and filter policy were
// acknowledged over gRPC; a new process on the same data dir has them all
// and routes publishes exactly as before.
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "cortado/v1/queue.grpc.pb.h"
#include "cortado/v1/topic.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/server_process.h"
#include "tests/testing/temp_dir.h"

namespace cortado::e2e {
namespace {

using cortado::testing::ServerProcess;
namespace v1 = ::cortado::v1;

struct Stubs {
  explicit Stubs(const std::string& address) {
    auto channel =
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    queues = v1::Queues::NewStub(channel);
    topics = v1::Topics::NewStub(channel);
  }
  std::unique_ptr<v1::Queues::Stub> queues;
  std::unique_ptr<v1::Topics::Stub> topics;
};

// Runs one unary rpc with a 10 s deadline.
template <typename Stub, typename Request, typename Response>
grpc::Status Call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*,
                                               const Request&, Response*),
                  const Request& request, Response* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  return (stub.*method)(&context, request, response);
}

std::unique_ptr<ServerProcess> StartServer(const std::string& data_dir) {
  ServerProcess::Options options;
  options.data_dir = data_dir;
  auto server = ServerProcess::Start(options);
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

int Receive(Stubs& stubs, const std::string& queue) {
  v1::ReceiveMessageRequest request;
  request.set_queue_name(queue);
  request.set_max_number_of_messages(10);
  request.set_wait_time_seconds(0);
  v1::ReceiveMessageResponse response;
  grpc::Status status = Call(*stubs.queues, &v1::Queues::Stub::ReceiveMessage,
                             request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.messages_size();
}

TEST(TopicKill9Test, TopicsSubscriptionsAndPoliciesSurviveSigkill) {
  cortado::testing::TempDir dir;
  const std::string data_dir = dir.path() + "/data";
  auto server = StartServer(data_dir);
  ASSERT_NE(server, nullptr);
  std::string topic_arn, filtered_arn;
  {
    Stubs stubs(server->grpc_address());
    for (const char* name : {"k9-placed", "k9-all"}) {
      v1::CreateQueueRequest request;
      request.set_queue_name(name);
      v1::CreateQueueResponse response;
      ASSERT_TRUE(Call(*stubs.queues, &v1::Queues::Stub::CreateQueue, request,
                       &response)
                      .ok());
    }
    v1::CreateTopicRequest create;
    create.set_name("k9-events");
    (*create.mutable_attributes())["DisplayName"] = "Events";
    (*create.mutable_tags())["team"] = "coffee";
    v1::CreateTopicResponse created;
    ASSERT_TRUE(
        Call(*stubs.topics, &v1::Topics::Stub::CreateTopic, create, &created)
            .ok());
    topic_arn = created.topic_arn();
    for (const char* queue : {"k9-placed", "k9-all"}) {
      v1::SubscribeRequest subscribe;
      subscribe.set_topic_arn(topic_arn);
      subscribe.set_protocol("sqs");
      subscribe.set_endpoint(
          std::string("arn:aws:sqs:us-east-1:000000000000:") + queue);
      (*subscribe.mutable_attributes())["RawMessageDelivery"] = "true";
      if (std::string(queue) == "k9-placed") {
        (*subscribe.mutable_attributes())["FilterPolicy"] =
            R"({"event":["order_placed"]})";
      }
      v1::SubscribeResponse subscribed;
      ASSERT_TRUE(Call(*stubs.topics, &v1::Topics::Stub::Subscribe, subscribe,
                       &subscribed)
                      .ok());
      if (std::string(queue) == "k9-placed") {
        filtered_arn = subscribed.subscription_arn();
      }
    }
  }
  server->Kill();  // SIGKILL: no shutdown path runs

  server = StartServer(data_dir);
  ASSERT_NE(server, nullptr);
  Stubs stubs(server->grpc_address());
  v1::GetTopicAttributesRequest get;
  get.set_topic_arn(topic_arn);
  v1::GetTopicAttributesResponse attributes;
  ASSERT_TRUE(Call(*stubs.topics, &v1::Topics::Stub::GetTopicAttributes, get,
                   &attributes)
                  .ok());
  EXPECT_EQ(attributes.attributes().at("DisplayName"), "Events");
  EXPECT_EQ(attributes.attributes().at("SubscriptionsConfirmed"), "2");
  v1::ListTagsForResourceRequest tags_request;
  tags_request.set_resource_arn(topic_arn);
  v1::ListTagsForResourceResponse tags;
  ASSERT_TRUE(Call(*stubs.topics, &v1::Topics::Stub::ListTagsForResource,
                   tags_request, &tags)
                  .ok());
  EXPECT_EQ(tags.tags().at("team"), "coffee");
  v1::GetSubscriptionAttributesRequest sub_request;
  sub_request.set_subscription_arn(filtered_arn);
  v1::GetSubscriptionAttributesResponse sub;
  ASSERT_TRUE(Call(*stubs.topics, &v1::Topics::Stub::GetSubscriptionAttributes,
                   sub_request, &sub)
                  .ok());
  EXPECT_EQ(sub.attributes().at("FilterPolicy"),
            R"({"event":["order_placed"]})");

  for (const char* event : {"order_placed", "order_shipped"}) {
    v1::PublishRequest publish;
    publish.set_topic_arn(topic_arn);
    publish.mutable_entry()->set_message(event);
    v1::MessageAttributeValue value;
    value.set_data_type("String");
    value.set_string_value(event);
    (*publish.mutable_entry()->mutable_attributes())["event"] = value;
    v1::PublishResponse published;
    ASSERT_TRUE(
        Call(*stubs.topics, &v1::Topics::Stub::Publish, publish, &published)
            .ok());
  }
  EXPECT_EQ(Receive(stubs, "k9-placed"), 1);
  EXPECT_EQ(Receive(stubs, "k9-all"), 2);
}

}  // namespace
}  // namespace cortado::e2e
