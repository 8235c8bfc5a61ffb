// The gRPC API through every node of a cluster (docs/CLUSTER.md): every
// unary rpc of cortado.v1.Queues and cortado.v1.Topics answered through
// each of three real nodes, most of them relayed to the owner of the
// partition, and the `cortado` CLI against a node that does not own its
// queue.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/e2e/cluster_grpc_fixture.h"
#include "tests/testing/subprocess.h"

#ifndef CORTADO_CLI_BINARY
#error "CORTADO_CLI_BINARY must name the cortado binary"
#endif

namespace cortado::e2e {
namespace {

using Q = v1::Queues::Stub;
using T = v1::Topics::Stub;

#define EXPECT_GRPC_OK(status) \
  EXPECT_TRUE((status).ok())   \
      << (status).error_code() << " " << (status).error_message()

void ExpectServedByOwner(const grpc::Status& status) {
  EXPECT_NE(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_NE(status.error_code(), grpc::StatusCode::NOT_FOUND)
      << status.error_message();
}

// Every queue rpc on queue `name` through `queues`.
void ExerciseQueue(Q& queues, const std::string& name) {
  v1::CreateQueueRequest create;
  create.set_queue_name(name);
  v1::CreateQueueResponse created;
  EXPECT_GRPC_OK(Call(queues, &Q::CreateQueue, create, &created));
  EXPECT_EQ(created.queue_name(), name);
  v1::GetQueueUrlRequest url;
  url.set_queue_name(name);
  v1::GetQueueUrlResponse got_url;
  EXPECT_GRPC_OK(Call(queues, &Q::GetQueueUrl, url, &got_url));
  EXPECT_NE(got_url.queue_url().find(name), std::string::npos);
  v1::SetQueueAttributesRequest set;
  set.set_queue_name(name);
  (*set.mutable_attributes())["VisibilityTimeout"] = "45";
  v1::SetQueueAttributesResponse set_done;
  EXPECT_GRPC_OK(Call(queues, &Q::SetQueueAttributes, set, &set_done));
  v1::GetQueueAttributesRequest get;
  get.set_queue_name(name);
  get.add_attribute_names("All");
  v1::GetQueueAttributesResponse attributes;
  EXPECT_GRPC_OK(Call(queues, &Q::GetQueueAttributes, get, &attributes));
  EXPECT_EQ(attributes.attributes().at("VisibilityTimeout"), "45");
  v1::TagQueueRequest tag;
  tag.set_queue_name(name);
  (*tag.mutable_tags())["team"] = "grpc";
  v1::TagQueueResponse tagged;
  EXPECT_GRPC_OK(Call(queues, &Q::TagQueue, tag, &tagged));
  v1::ListQueueTagsRequest tags;
  tags.set_queue_name(name);
  v1::ListQueueTagsResponse listed_tags;
  EXPECT_GRPC_OK(Call(queues, &Q::ListQueueTags, tags, &listed_tags));
  EXPECT_EQ(listed_tags.tags().at("team"), "grpc");
  v1::UntagQueueRequest untag;
  untag.set_queue_name(name);
  untag.add_tag_keys("team");
  v1::UntagQueueResponse untagged;
  EXPECT_GRPC_OK(Call(queues, &Q::UntagQueue, untag, &untagged));

  v1::SendMessageRequest send;
  send.set_queue_name(name);
  send.mutable_message()->set_body(absl::StrCat(name, "-one"));
  v1::SendMessageResponse sent;
  EXPECT_GRPC_OK(Call(queues, &Q::SendMessage, send, &sent));
  v1::SendMessageBatchRequest batch;
  batch.set_queue_name(name);
  for (int i = 0; i < 3; ++i) {
    v1::SendMessageEntry* entry = batch.add_entries();
    entry->set_id(absl::StrCat("e", i));
    entry->set_body(absl::StrCat(name, "-batch-", i));
  }
  v1::SendMessageBatchResponse batch_sent;
  EXPECT_GRPC_OK(Call(queues, &Q::SendMessageBatch, batch, &batch_sent));
  EXPECT_EQ(batch_sent.successful_size(), 3);
  v1::PeekMessagesRequest peek;
  peek.set_queue_name(name);
  peek.set_max_messages(10);
  v1::PeekMessagesResponse peeked;
  EXPECT_GRPC_OK(Call(queues, &Q::PeekMessages, peek, &peeked));
  EXPECT_EQ(peeked.messages_size(), 4);

  v1::ReceiveMessageRequest receive;
  receive.set_queue_name(name);
  receive.set_max_number_of_messages(10);
  receive.set_wait_time_seconds(1);
  std::vector<std::string> handles;
  testing::PollUntil(
      [&] {
        v1::ReceiveMessageResponse received;
        EXPECT_GRPC_OK(Call(queues, &Q::ReceiveMessage, receive, &received));
        for (const v1::Message& m : received.messages()) {
          handles.push_back(m.receipt_handle());
        }
        return handles.size() >= 4;
      },
      absl::Seconds(30), absl::Milliseconds(1));
  ASSERT_EQ(handles.size(), 4u);
  v1::ChangeMessageVisibilityRequest change;
  change.set_queue_name(name);
  change.set_receipt_handle(handles[0]);
  change.set_visibility_timeout(60);
  v1::ChangeMessageVisibilityResponse changed;
  EXPECT_GRPC_OK(Call(queues, &Q::ChangeMessageVisibility, change, &changed));
  v1::ChangeMessageVisibilityBatchRequest change_batch;
  change_batch.set_queue_name(name);
  auto* entry = change_batch.add_entries();
  entry->set_id("c");
  entry->set_receipt_handle(handles[1]);
  entry->set_visibility_timeout(60);
  v1::ChangeMessageVisibilityBatchResponse changed_batch;
  EXPECT_GRPC_OK(Call(queues, &Q::ChangeMessageVisibilityBatch, change_batch,
                      &changed_batch));
  EXPECT_EQ(changed_batch.successful_size(), 1);
  v1::DeleteMessageRequest del;
  del.set_queue_name(name);
  del.set_receipt_handle(handles[2]);
  v1::DeleteMessageResponse deleted;
  EXPECT_GRPC_OK(Call(queues, &Q::DeleteMessage, del, &deleted));
  v1::DeleteMessageBatchRequest del_batch;
  del_batch.set_queue_name(name);
  auto* del_entry = del_batch.add_entries();
  del_entry->set_id("d");
  del_entry->set_receipt_handle(handles[3]);
  v1::DeleteMessageBatchResponse deleted_batch;
  EXPECT_GRPC_OK(
      Call(queues, &Q::DeleteMessageBatch, del_batch, &deleted_batch));
  EXPECT_EQ(deleted_batch.successful_size(), 1);

  v1::ListDeadLetterSourceQueuesRequest sources;
  sources.set_queue_name(name);
  v1::ListQueuesResponse source_list;
  EXPECT_GRPC_OK(
      Call(queues, &Q::ListDeadLetterSourceQueues, sources, &source_list));
  const std::string arn =
      absl::StrCat("arn:aws:sqs:us-east-1:000000000000:", name);
  // Not a dead-letter queue: whatever the owner answers, it knows the
  // queue (a node that does not serve it would say NOT_FOUND or
  // UNAVAILABLE).
  v1::ListMessageMoveTasksRequest tasks;
  tasks.set_source_arn(arn);
  v1::ListMessageMoveTasksResponse task_list;
  ExpectServedByOwner(
      Call(queues, &Q::ListMessageMoveTasks, tasks, &task_list));
  v1::StartMessageMoveTaskRequest move;
  move.set_source_arn(arn);
  v1::StartMessageMoveTaskResponse moved;
  ExpectServedByOwner(Call(queues, &Q::StartMessageMoveTask, move, &moved));
  v1::PurgeQueueRequest purge;
  purge.set_queue_name(name);
  v1::PurgeQueueResponse purged;
  EXPECT_GRPC_OK(Call(queues, &Q::PurgeQueue, purge, &purged));
}

// Every topic rpc on topic `name` through `topics`.
void ExerciseTopic(T& topics, const std::string& name) {
  v1::CreateTopicRequest create;
  create.set_name(name);
  v1::CreateTopicResponse created;
  EXPECT_GRPC_OK(Call(topics, &T::CreateTopic, create, &created));
  const std::string arn = created.topic_arn();
  v1::SetTopicAttributesRequest set;
  set.set_topic_arn(arn);
  set.set_name("DisplayName");
  set.set_value("routed");
  v1::SetTopicAttributesResponse set_done;
  EXPECT_GRPC_OK(Call(topics, &T::SetTopicAttributes, set, &set_done));
  v1::GetTopicAttributesRequest get;
  get.set_topic_arn(arn);
  v1::GetTopicAttributesResponse attributes;
  EXPECT_GRPC_OK(Call(topics, &T::GetTopicAttributes, get, &attributes));
  EXPECT_EQ(attributes.attributes().at("DisplayName"), "routed");
  v1::SubscribeRequest subscribe;
  subscribe.set_topic_arn(arn);
  subscribe.set_protocol("sqs");
  subscribe.set_endpoint(
      absl::StrCat("arn:aws:sqs:us-east-1:000000000000:", name, "-sink"));
  v1::SubscribeResponse subscribed;
  EXPECT_GRPC_OK(Call(topics, &T::Subscribe, subscribe, &subscribed));
  v1::GetSubscriptionAttributesRequest get_sub;
  get_sub.set_subscription_arn(subscribed.subscription_arn());
  v1::GetSubscriptionAttributesResponse sub_attributes;
  EXPECT_GRPC_OK(
      Call(topics, &T::GetSubscriptionAttributes, get_sub, &sub_attributes));
  v1::SetSubscriptionAttributesRequest set_sub;
  set_sub.set_subscription_arn(subscribed.subscription_arn());
  set_sub.set_name("RawMessageDelivery");
  set_sub.set_value("true");
  v1::SetSubscriptionAttributesResponse set_sub_done;
  EXPECT_GRPC_OK(
      Call(topics, &T::SetSubscriptionAttributes, set_sub, &set_sub_done));
  v1::ListSubscriptionsRequest by_topic;
  by_topic.set_topic_arn(arn);
  v1::ListSubscriptionsResponse subscriptions;
  EXPECT_GRPC_OK(Call(topics, &T::ListSubscriptions, by_topic, &subscriptions));
  EXPECT_EQ(subscriptions.subscriptions_size(), 1);
  v1::PublishRequest publish;
  publish.set_topic_arn(arn);
  publish.mutable_entry()->set_message("hello");
  v1::PublishResponse published;
  EXPECT_GRPC_OK(Call(topics, &T::Publish, publish, &published));
  v1::PublishBatchRequest publish_batch;
  publish_batch.set_topic_arn(arn);
  publish_batch.add_entries()->set_id("p1");
  publish_batch.mutable_entries(0)->set_message("batched");
  v1::PublishBatchResponse published_batch;
  EXPECT_GRPC_OK(
      Call(topics, &T::PublishBatch, publish_batch, &published_batch));
  v1::TagResourceRequest tag;
  tag.set_resource_arn(arn);
  (*tag.mutable_tags())["team"] = "grpc";
  v1::TagResourceResponse tagged;
  EXPECT_GRPC_OK(Call(topics, &T::TagResource, tag, &tagged));
  v1::ListTagsForResourceRequest tags;
  tags.set_resource_arn(arn);
  v1::ListTagsForResourceResponse listed_tags;
  EXPECT_GRPC_OK(Call(topics, &T::ListTagsForResource, tags, &listed_tags));
  EXPECT_EQ(listed_tags.tags().at("team"), "grpc");
  v1::UntagResourceRequest untag;
  untag.set_resource_arn(arn);
  untag.add_tag_keys("team");
  v1::UntagResourceResponse untagged;
  EXPECT_GRPC_OK(Call(topics, &T::UntagResource, untag, &untagged));
  v1::UnsubscribeRequest unsubscribe;
  unsubscribe.set_subscription_arn(subscribed.subscription_arn());
  v1::UnsubscribeResponse unsubscribed;
  EXPECT_GRPC_OK(Call(topics, &T::Unsubscribe, unsubscribe, &unsubscribed));
}

TEST_F(ClusterGrpcTest, EveryRpcIsServedThroughEveryNode) {
  std::vector<std::string> queues, topics;
  for (int i = 0; i < kNodes; ++i) {
    std::unique_ptr<Q> queue_stub = Queues(i);
    std::unique_ptr<T> topic_stub = Topics(i);
    for (int k = 0; k < 3; ++k) {
      queues.push_back(absl::StrCat("rpc-", i, "-", k));
      topics.push_back(absl::StrCat("topic-", i, "-", k));
      SCOPED_TRACE(absl::StrCat("node ", i, ", ", queues.back(), " owned by n",
                                OwnerOf(queues.back())));
      ExerciseQueue(*queue_stub, queues.back());
      ExerciseTopic(*topic_stub, topics.back());
    }
  }
  // The listings span every partition, through every node; and each node
  // relayed some calls (9 names per kind over 8 partitions, 3 owners).
  for (int i = 0; i < kNodes; ++i) {
    v1::ListQueuesRequest list;
    list.set_queue_name_prefix("rpc-");
    v1::ListQueuesResponse listed;
    std::unique_ptr<Q> queue_stub = Queues(i);
    EXPECT_GRPC_OK(Call(*queue_stub, &Q::ListQueues, list, &listed));
    EXPECT_EQ(listed.queue_names_size(), static_cast<int>(queues.size()));
    v1::ListTopicsResponse listed_topics;
    std::unique_ptr<T> topic_stub = Topics(i);
    EXPECT_GRPC_OK(Call(*topic_stub, &T::ListTopics, v1::ListTopicsRequest(),
                        &listed_topics));
    EXPECT_EQ(listed_topics.topic_arns_size(), static_cast<int>(topics.size()));
    v1::ListSubscriptionsResponse subscriptions;
    EXPECT_GRPC_OK(Call(*topic_stub, &T::ListSubscriptions,
                        v1::ListSubscriptionsRequest(), &subscriptions));
    EXPECT_EQ(subscriptions.subscriptions_size(), 0);
    EXPECT_GT(Metric(i, "cortado_cluster_grpc_forwarded_total"), 0) << i;
  }
  // Deleted through a node that does not own them.
  for (const std::string& name : queues) {
    v1::DeleteQueueRequest del;
    del.set_queue_name(name);
    v1::DeleteQueueResponse deleted;
    std::unique_ptr<Q> stub = Queues(NotOwnerOf(name));
    EXPECT_GRPC_OK(Call(*stub, &Q::DeleteQueue, del, &deleted));
  }
  for (const std::string& name : topics) {
    v1::DeleteTopicRequest del;
    del.set_topic_arn(
        absl::StrCat("arn:aws:sns:us-east-1:000000000000:", name));
    v1::DeleteTopicResponse deleted;
    std::unique_ptr<T> stub = Topics(NotOwnerOf(name));
    EXPECT_GRPC_OK(Call(*stub, &T::DeleteTopic, del, &deleted));
  }
  v1::ListQueuesResponse left;
  std::unique_ptr<Q> stub = Queues(0);
  EXPECT_GRPC_OK(Call(*stub, &Q::ListQueues, v1::ListQueuesRequest(), &left));
  EXPECT_EQ(left.queue_names_size(), 0);
}

// `cortado --server <node> args...`
testing::Subprocess::Result Cli(const std::string& server,
                                const std::vector<std::string>& args) {
  std::vector<std::string> argv = {CORTADO_CLI_BINARY, "--server", server};
  argv.insert(argv.end(), args.begin(), args.end());
  absl::StatusOr<testing::Subprocess::Result> result =
      testing::RunSubprocess(argv);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : testing::Subprocess::Result{};
}

TEST_F(ClusterGrpcTest, CliWorksThroughANodeThatDoesNotOwnTheQueue) {
  const std::string name = "cli-routed";
  const std::string through = nodes_[NotOwnerOf(name)]->grpc_address();
  testing::Subprocess::Result created = Cli(through, {"queue", "create", name});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  testing::Subprocess::Result sent = Cli(through, {"send", name, "via-cli"});
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  testing::Subprocess::Result received =
      Cli(through, {"receive", name, "--wait", "5"});
  ASSERT_EQ(received.exit_code, 0) << received.err;
  EXPECT_NE(received.out.find("via-cli"), std::string::npos) << received.out;
}

}  // namespace
}  // namespace cortado::e2e
