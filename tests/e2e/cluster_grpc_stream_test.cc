// Long polls and streams through a cluster node that does not own their
// queue (docs/CLUSTER.md): a relayed long-poll receive answered when a
// message arrives; relayed receives cancelled both ways (CancelReceive and
// the call itself) take nothing; a Consume stream through a non-owner; and
// kill -9 of the owner while a libcortado consumer streams through another
// node: the stream ends UNAVAILABLE, the consumer opens a new one, and
// every acknowledged send is delivered. A Publish stream through one node
// sends to queues of every partition.
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cortado/client.h"
#include "cortado/publisher.h"
#include "cortado/stream_consumer.h"
#include "tests/e2e/cluster_grpc_fixture.h"

namespace cortado::e2e {
namespace {

using Q = v1::Queues::Stub;

constexpr char kParked[] = "cortado_broker_parked_receives";

void CreateQueue(Q& queues, const std::string& name) {
  v1::CreateQueueRequest create;
  create.set_queue_name(name);
  v1::CreateQueueResponse created;
  grpc::Status status = Call(queues, &Q::CreateQueue, create, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

void Send(Q& queues, const std::string& name, const std::string& body) {
  v1::SendMessageRequest send;
  send.set_queue_name(name);
  send.mutable_message()->set_body(body);
  v1::SendMessageResponse sent;
  grpc::Status status = Call(queues, &Q::SendMessage, send, &sent);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

v1::ReceiveMessageRequest LongPoll(const std::string& name, int seconds) {
  v1::ReceiveMessageRequest receive;
  receive.set_queue_name(name);
  receive.set_max_number_of_messages(10);
  receive.set_wait_time_seconds(seconds);
  return receive;
}

TEST_F(ClusterGrpcTest, RelayedLongPollIsAnsweredWhenAMessageArrives) {
  const std::string name = "poll-routed";
  const int owner = OwnerOf(name), through = NotOwnerOf(name);
  std::unique_ptr<Q> via = Queues(through), direct = Queues(owner);
  CreateQueue(*via, name);
  grpc::Status status;
  v1::ReceiveMessageResponse received;
  std::thread poll([&] {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    status = via->ReceiveMessage(&context, LongPoll(name, 20), &received);
  });
  // Parked on the owner, through the relay.
  ASSERT_TRUE(testing::PollUntil([&] { return Metric(owner, kParked) >= 1; },
                                 absl::Seconds(20), absl::Milliseconds(20)));
  Send(*direct, name, "awaited");
  poll.join();
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(received.messages_size(), 1);
  EXPECT_EQ(received.messages(0).body(), "awaited");
}

TEST_F(ClusterGrpcTest, CancelledRelayedReceivesTakeNothing) {
  const std::string name = "cancel-routed";
  const int owner = OwnerOf(name), through = NotOwnerOf(name);
  std::unique_ptr<Q> via = Queues(through);
  CreateQueue(*via, name);

  // Gently: CancelReceive through the same node, routed by its queue.
  v1::ReceiveMessageRequest gentle = LongPoll(name, 20);
  gentle.set_receive_token("token-routed");
  grpc::Status gentle_status;
  v1::ReceiveMessageResponse gentle_received;
  std::thread first([&] {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    gentle_status = via->ReceiveMessage(&context, gentle, &gentle_received);
  });
  ASSERT_TRUE(testing::PollUntil([&] { return Metric(owner, kParked) >= 1; },
                                 absl::Seconds(20), absl::Milliseconds(20)));
  v1::CancelReceiveRequest cancel;
  cancel.set_receive_token("token-routed");
  cancel.set_queue_name(name);
  v1::CancelReceiveResponse cancelled;
  grpc::Status cancel_status =
      Call(*via, &Q::CancelReceive, cancel, &cancelled);
  EXPECT_TRUE(cancel_status.ok()) << cancel_status.error_message();
  first.join();
  EXPECT_TRUE(gentle_status.ok()) << gentle_status.error_message();
  EXPECT_EQ(gentle_received.messages_size(), 0);

  // Outright: the client cancels the call; the relay cancels the relayed
  // call and the owner its parked receive.
  grpc::ClientContext context;
  grpc::Status hard_status;
  std::thread second([&] {
    v1::ReceiveMessageResponse ignored;
    hard_status = via->ReceiveMessage(&context, LongPoll(name, 20), &ignored);
  });
  ASSERT_TRUE(testing::PollUntil([&] { return Metric(owner, kParked) >= 1; },
                                 absl::Seconds(20), absl::Milliseconds(20)));
  context.TryCancel();
  second.join();
  EXPECT_EQ(hard_status.error_code(), grpc::StatusCode::CANCELLED);
  ASSERT_TRUE(testing::PollUntil([&] { return Metric(owner, kParked) == 0; },
                                 absl::Seconds(20), absl::Milliseconds(20)));

  // Neither took the message sent now: it is received at once.
  Send(*via, name, "not-lost");
  v1::ReceiveMessageResponse received;
  grpc::Status status =
      Call(*via, &Q::ReceiveMessage, LongPoll(name, 5), &received);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(received.messages_size(), 1);
  EXPECT_EQ(received.messages(0).body(), "not-lost");
}

std::unique_ptr<client::Client> Connect(const std::string& address) {
  auto connected = client::Client::Connect(address);
  EXPECT_TRUE(connected.ok()) << connected.status();
  return connected.ok() ? *std::move(connected) : nullptr;
}

TEST_F(ClusterGrpcTest, PublishStreamSendsToQueuesOfEveryPartition) {
  // One stream through node 0, its sends naming queues owned by every node:
  // each is relayed to its queue's owner and acked as on the owner.
  std::unique_ptr<Q> queues = Queues(0);
  std::vector<std::string> names;
  std::set<int> owners;
  for (int k = 0; k < 9; ++k) {
    names.push_back(absl::StrCat("publish-", k));
    owners.insert(OwnerOf(names.back()));
    CreateQueue(*queues, names.back());
  }
  EXPECT_EQ(owners.size(), 3u);
  std::unique_ptr<client::Client> client = Connect(nodes_[0]->grpc_address());
  auto publisher = client::Publisher::Open(client.get());
  ASSERT_TRUE(publisher.ok()) << publisher.status();
  for (const std::string& name : names) {
    absl::StatusOr<client::SendResult> sent;
    // Retried only while a partition moves, as for any send.
    ASSERT_TRUE(testing::PollUntil(
        [&] {
          sent = (*publisher)->Send(name, absl::StrCat("streamed-", name));
          return sent.ok() ||
                 sent.status().code() != absl::StatusCode::kUnavailable;
        },
        absl::Seconds(60), absl::Milliseconds(100)));
    EXPECT_TRUE(sent.ok()) << name << ": " << sent.status();
  }
  // A queue that does not exist: the owner's own error, and the stream
  // goes on.
  absl::StatusOr<client::SendResult> missing =
      (*publisher)->Send("publish-missing", "nowhere");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound)
      << missing.status();
  EXPECT_TRUE((*publisher)->Send(names[0], "after-error").ok());
  for (const std::string& name : names) {
    v1::ReceiveMessageResponse received;
    grpc::Status status =
        Call(*queues, &Q::ReceiveMessage, LongPoll(name, 5), &received);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_GE(received.messages_size(), 1) << name;
    EXPECT_EQ(received.messages(0).body(), absl::StrCat("streamed-", name));
  }
}

// A consumer of `name` through `client`, opened again while the queue's
// partition is moving (as an application reopens an ended stream).
std::unique_ptr<client::StreamConsumer> OpenConsumer(client::Client& client,
                                                     const std::string& name) {
  client::StreamConsumerOptions options;
  options.queue = name;
  options.window = 20;
  options.visibility_timeout = absl::Seconds(3);
  std::unique_ptr<client::StreamConsumer> consumer;
  testing::PollUntil(
      [&] {
        auto opened = client::StreamConsumer::Open(&client, options);
        if (opened.ok()) consumer = *std::move(opened);
        return opened.ok();
      },
      absl::Seconds(60), absl::Milliseconds(100));
  return consumer;
}

TEST_F(ClusterGrpcTest, ConsumeStreamThroughANodeThatDoesNotOwnTheQueue) {
  const std::string name = "consume-routed";
  std::unique_ptr<Q> via = Queues(NotOwnerOf(name));
  CreateQueue(*via, name);
  std::unique_ptr<client::Client> client =
      Connect(nodes_[NotOwnerOf(name)]->grpc_address());
  std::unique_ptr<client::StreamConsumer> consumer =
      OpenConsumer(*client, name);
  ASSERT_NE(consumer, nullptr);
  std::set<std::string> sent, got;
  for (int i = 0; i < 5; ++i) {
    sent.insert(absl::StrCat("c", i));
    Send(*via, name, absl::StrCat("c", i));
  }
  ASSERT_TRUE(testing::PollUntil(
      [&] {
        auto next = consumer->Next(10, absl::Milliseconds(200));
        EXPECT_TRUE(next.ok()) << next.status();
        for (const client::Message& m :
             next.ok() ? *next : std::vector<client::Message>{}) {
          got.insert(m.body);
          EXPECT_TRUE(consumer->Ack(m).ok());
        }
        return got == sent;
      },
      absl::Seconds(30), absl::Milliseconds(1)));
  // The acks (committed in the background) empty the queue.
  v1::GetQueueAttributesRequest get;
  get.set_queue_name(name);
  get.add_attribute_names("All");
  EXPECT_TRUE(testing::PollUntil(
      [&] {
        v1::GetQueueAttributesResponse attributes;
        if (!Call(*via, &Q::GetQueueAttributes, get, &attributes).ok()) {
          return false;
        }
        const auto& a = attributes.attributes();
        return a.at("ApproximateNumberOfMessages") == "0" &&
               a.at("ApproximateNumberOfMessagesNotVisible") == "0";
      },
      absl::Seconds(20), absl::Milliseconds(50)));
}

TEST_F(ClusterGrpcTest, OwnerKilledWhileStreamingThroughAnotherNode) {
  const std::string name = "consume-kill";
  const int owner = OwnerOf(name), through = NotOwnerOf(name);
  std::unique_ptr<Q> via = Queues(through);
  CreateQueue(*via, name);
  std::unique_ptr<client::Client> client =
      Connect(nodes_[through]->grpc_address());
  std::unique_ptr<client::StreamConsumer> consumer =
      OpenConsumer(*client, name);
  ASSERT_NE(consumer, nullptr);
  std::set<std::string> sent, acked;
  auto take = [&](client::StreamConsumer& from) -> absl::Status {
    absl::StatusOr<std::vector<client::Message>> next =
        from.Next(10, absl::Milliseconds(200));
    if (!next.ok()) return next.status();
    for (const client::Message& m : *next) {
      if (from.Ack(m).ok()) acked.insert(m.body);
    }
    return absl::OkStatus();
  };
  for (int i = 0; i < 10; ++i) {
    sent.insert(absl::StrCat("before-", i));
    Send(*via, name, absl::StrCat("before-", i));
  }
  ASSERT_TRUE(
      testing::PollUntil([&] { return take(*consumer).ok() && !acked.empty(); },
                         absl::Seconds(30), absl::Milliseconds(1)));
  Kill(owner);
  // The stream ends, UNAVAILABLE, once the owner is gone.
  absl::Status ended;
  ASSERT_TRUE(testing::PollUntil(
      [&] {
        ended = take(*consumer);
        return !ended.ok();
      },
      absl::Seconds(30), absl::Milliseconds(1)));
  EXPECT_EQ(ended.code(), absl::StatusCode::kUnavailable) << ended;
  // Sends go on (retried while the partition moves) and a new stream
  // through the same node delivers every acknowledged send: acks sent
  // before the kill may or may not have committed, so those may come again.
  for (int i = 0; i < 10; ++i) {
    sent.insert(absl::StrCat("after-", i));
    Send(*via, name, absl::StrCat("after-", i));
  }
  std::set<std::string> got_after;
  consumer = OpenConsumer(*client, name);
  ASSERT_NE(consumer, nullptr);
  const std::set<std::string> acked_before = acked;
  ASSERT_TRUE(testing::PollUntil(
      [&] {
        absl::StatusOr<std::vector<client::Message>> next =
            consumer->Next(10, absl::Milliseconds(200));
        if (!next.ok()) consumer = OpenConsumer(*client, name);
        for (const client::Message& m :
             next.ok() ? *next : std::vector<client::Message>{}) {
          got_after.insert(m.body);
          EXPECT_TRUE(consumer->Ack(m).ok());
        }
        for (const std::string& body : sent) {
          if (!acked_before.contains(body) && !got_after.contains(body)) {
            return false;
          }
        }
        return true;
      },
      absl::Seconds(60), absl::Milliseconds(1)))
      << got_after.size() << " delivered after the kill, "
      << acked_before.size() << " acked before, of " << sent.size();
}

}  // namespace
}  // namespace cortado::e2e
