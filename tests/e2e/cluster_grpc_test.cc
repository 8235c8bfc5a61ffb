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

// `method` with a request that `fill` fills, expected to succeed; its
// response.
template <typename Stub, typename Request, typename Response, typename Fill>
Response Ok(Stub& stub,
            grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                         Response*),
            Fill fill) {
  Request request;
  fill(request);
  Response response;
  grpc::Status status = Call(stub, method, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_code() << " "
                           << status.error_message();
  return response;
}

// Whatever the owner answers, it knows the queue: a node that does not
// serve it would say NOT_FOUND or UNAVAILABLE.
template <typename Request, typename Response>
void ExpectServedByOwner(Q& queues,
                         grpc::Status (Q::*method)(grpc::ClientContext*,
                                                   const Request&, Response*),
                         const std::string& source_arn) {
  Request request;
  request.set_source_arn(source_arn);
  Response response;
  grpc::Status status = Call(queues, method, request, &response);
  EXPECT_NE(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_NE(status.error_code(), grpc::StatusCode::NOT_FOUND)
      << status.error_message();
}

// Every queue rpc on queue `name` through `queues`.
void ExerciseQueue(Q& queues, const std::string& name) {
  auto named = [&](auto& request) { request.set_queue_name(name); };
  EXPECT_EQ(Ok(queues, &Q::CreateQueue, named).queue_name(), name);
  EXPECT_NE(Ok(queues, &Q::GetQueueUrl, named).queue_url().find(name),
            std::string::npos);
  Ok(queues, &Q::SetQueueAttributes, [&](auto& request) {
    named(request);
    (*request.mutable_attributes())["VisibilityTimeout"] = "45";
  });
  auto attributes = Ok(queues, &Q::GetQueueAttributes, [&](auto& request) {
    named(request);
    request.add_attribute_names("All");
  });
  EXPECT_EQ(attributes.attributes().count("VisibilityTimeout"), 1u);
  EXPECT_EQ(attributes.attributes().at("VisibilityTimeout"), "45");
  Ok(queues, &Q::TagQueue, [&](auto& request) {
    named(request);
    (*request.mutable_tags())["team"] = "grpc";
  });
  EXPECT_EQ(Ok(queues, &Q::ListQueueTags, named).tags().at("team"), "grpc");
  Ok(queues, &Q::UntagQueue, [&](auto& request) {
    named(request);
    request.add_tag_keys("team");
  });

  Ok(queues, &Q::SendMessage, [&](auto& request) {
    named(request);
    request.mutable_message()->set_body(absl::StrCat(name, "-one"));
  });
  auto batch = Ok(queues, &Q::SendMessageBatch, [&](auto& request) {
    named(request);
    for (int i = 0; i < 3; ++i) {
      v1::SendMessageEntry* entry = request.add_entries();
      entry->set_id(absl::StrCat("e", i));
      entry->set_body(absl::StrCat(name, "-batch-", i));
    }
  });
  EXPECT_EQ(batch.successful_size(), 3);
  auto peeked = Ok(queues, &Q::PeekMessages, [&](auto& request) {
    named(request);
    request.set_max_messages(10);
  });
  EXPECT_EQ(peeked.messages_size(), 4);

  std::vector<std::string> handles;
  testing::PollUntil(
      [&] {
        auto received = Ok(queues, &Q::ReceiveMessage, [&](auto& request) {
          named(request);
          request.set_max_number_of_messages(10);
          request.set_wait_time_seconds(1);
        });
        for (const v1::Message& m : received.messages()) {
          handles.push_back(m.receipt_handle());
        }
        return handles.size() >= 4;
      },
      absl::Seconds(30), absl::Milliseconds(1));
  ASSERT_EQ(handles.size(), 4u);
  Ok(queues, &Q::ChangeMessageVisibility, [&](auto& request) {
    named(request);
    request.set_receipt_handle(handles[0]);
    request.set_visibility_timeout(60);
  });
  auto changed = Ok(queues, &Q::ChangeMessageVisibilityBatch, [&](auto& r) {
    named(r);
    auto* entry = r.add_entries();
    entry->set_id("c");
    entry->set_receipt_handle(handles[1]);
    entry->set_visibility_timeout(60);
  });
  EXPECT_EQ(changed.successful_size(), 1);
  Ok(queues, &Q::DeleteMessage, [&](auto& request) {
    named(request);
    request.set_receipt_handle(handles[2]);
  });
  auto deleted = Ok(queues, &Q::DeleteMessageBatch, [&](auto& request) {
    named(request);
    auto* entry = request.add_entries();
    entry->set_id("d");
    entry->set_receipt_handle(handles[3]);
  });
  EXPECT_EQ(deleted.successful_size(), 1);

  Ok(queues, &Q::ListDeadLetterSourceQueues, named);
  // Not a dead-letter queue, so the owner refuses a move task; the point
  // is that the owner answers.
  const std::string arn =
      absl::StrCat("arn:aws:sqs:us-east-1:000000000000:", name);
  ExpectServedByOwner(queues, &Q::ListMessageMoveTasks, arn);
  ExpectServedByOwner(queues, &Q::StartMessageMoveTask, arn);
  Ok(queues, &Q::PurgeQueue, named);
}

// Every topic rpc on topic `name` through `topics`.
void ExerciseTopic(T& topics, const std::string& name) {
  const std::string arn = Ok(topics, &T::CreateTopic, [&](auto& request) {
                            request.set_name(name);
                          }).topic_arn();
  auto on_topic = [&](auto& request) { request.set_topic_arn(arn); };
  Ok(topics, &T::SetTopicAttributes, [&](auto& request) {
    on_topic(request);
    request.set_name("DisplayName");
    request.set_value("routed");
  });
  EXPECT_EQ(Ok(topics, &T::GetTopicAttributes, on_topic)
                .attributes()
                .at("DisplayName"),
            "routed");
  const std::string subscription =
      Ok(topics, &T::Subscribe, [&](auto& request) {
        on_topic(request);
        request.set_protocol("sqs");
        request.set_endpoint(
            absl::StrCat("arn:aws:sqs:us-east-1:000000000000:", name, "-sink"));
      }).subscription_arn();
  auto on_subscription = [&](auto& request) {
    request.set_subscription_arn(subscription);
  };
  Ok(topics, &T::GetSubscriptionAttributes, on_subscription);
  Ok(topics, &T::SetSubscriptionAttributes, [&](auto& request) {
    on_subscription(request);
    request.set_name("RawMessageDelivery");
    request.set_value("true");
  });
  EXPECT_EQ(Ok(topics, &T::ListSubscriptions, on_topic).subscriptions_size(),
            1);
  Ok(topics, &T::Publish, [&](auto& request) {
    on_topic(request);
    request.mutable_entry()->set_message("hello");
  });
  Ok(topics, &T::PublishBatch, [&](auto& request) {
    on_topic(request);
    request.add_entries()->set_id("p1");
    request.mutable_entries(0)->set_message("batched");
  });
  auto on_resource = [&](auto& request) { request.set_resource_arn(arn); };
  Ok(topics, &T::TagResource, [&](auto& request) {
    on_resource(request);
    (*request.mutable_tags())["team"] = "grpc";
  });
  EXPECT_EQ(Ok(topics, &T::ListTagsForResource, on_resource).tags().at("team"),
            "grpc");
  Ok(topics, &T::UntagResource, [&](auto& request) {
    on_resource(request);
    request.add_tag_keys("team");
  });
  Ok(topics, &T::Unsubscribe, on_subscription);
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
    std::unique_ptr<Q> queue_stub = Queues(i);
    std::unique_ptr<T> topic_stub = Topics(i);
    auto listed = Ok(*queue_stub, &Q::ListQueues, [](auto& request) {
      request.set_queue_name_prefix("rpc-");
    });
    EXPECT_EQ(listed.queue_names_size(), static_cast<int>(queues.size()));
    auto everything = [](auto&) {};
    EXPECT_EQ(Ok(*topic_stub, &T::ListTopics, everything).topic_arns_size(),
              static_cast<int>(topics.size()));
    EXPECT_EQ(
        Ok(*topic_stub, &T::ListSubscriptions, everything).subscriptions_size(),
        0);
    EXPECT_GT(Metric(i, "cortado_cluster_grpc_forwarded_total"), 0) << i;
  }
  // Deleted through a node that does not own them.
  for (const std::string& name : queues) {
    std::unique_ptr<Q> stub = Queues(NotOwnerOf(name));
    Ok(*stub, &Q::DeleteQueue,
       [&](auto& request) { request.set_queue_name(name); });
  }
  for (const std::string& name : topics) {
    std::unique_ptr<T> stub = Topics(NotOwnerOf(name));
    Ok(*stub, &T::DeleteTopic, [&](auto& request) {
      request.set_topic_arn(
          absl::StrCat("arn:aws:sns:us-east-1:000000000000:", name));
    });
  }
  std::unique_ptr<Q> stub = Queues(0);
  auto left = Ok(*stub, &Q::ListQueues, [](auto&) {});
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
