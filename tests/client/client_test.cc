// Client against an in-process broker: every rpc once, attributes both ways,
// and the SQS error names that callers match on.
#include "cortado/client.h"

#include <future>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cortado/cancellation.h"
#include "cortado/errors.h"
#include "gtest/gtest.h"
#include "tests/client/broker_fixture.h"
#include "tests/client/closed_port.h"
#include "tests/testing/status_matchers.h"

namespace cortado::client {
namespace {

using ClientTest = BrokerTest;

ClientOptions WithDeadline(absl::Duration deadline) {
  ClientOptions options;
  options.deadline = deadline;
  return options;
}

ReceiveOptions Polling(absl::Duration wait, int max_messages = 1,
                       Cancellation* cancellation = nullptr) {
  ReceiveOptions options;
  options.wait = wait;
  options.max_messages = max_messages;
  options.cancellation = cancellation;
  return options;
}

TEST(ClientConnectTest, RejectsAddressWithoutPort) {
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Connect("localhost");
  EXPECT_TRUE(absl::IsInvalidArgument(client.status())) << client.status();
  EXPECT_NE(client.status().message().find("HOST:PORT"), std::string::npos);
}

TEST(ClientConnectTest, UnreachableServerIsUnavailableWithoutErrorName) {
  testing::ClosedPort closed;
  absl::StatusOr<std::unique_ptr<Client>> client =
      Client::Connect(closed.address(), WithDeadline(absl::Seconds(10)));
  ASSERT_OK(client);
  absl::StatusOr<QueueList> queues = (*client)->ListQueues();
  EXPECT_TRUE(absl::IsUnavailable(queues.status())) << queues.status();
  EXPECT_EQ(ErrorName(queues.status()), "");
  // The message says what failed and where.
  EXPECT_NE(queues.status().message().find("ListQueues to " + closed.address()),
            std::string::npos)
      << queues.status();
}

TEST_F(ClientTest, CreateGetListAndDeleteQueue) {
  absl::StatusOr<QueueInfo> created = client_->CreateQueue("orders");
  ASSERT_OK(created);
  EXPECT_EQ(created->name, "orders");
  EXPECT_NE(created->url.find("orders"), std::string::npos) << created->url;
  EXPECT_NE(created->arn.find(":orders"), std::string::npos) << created->arn;
  ASSERT_OK(client_->CreateQueue("invoices"));

  absl::StatusOr<std::string> url = client_->GetQueueUrl("orders");
  ASSERT_OK(url);
  EXPECT_EQ(*url, created->url);

  absl::StatusOr<QueueList> all = client_->ListQueues();
  ASSERT_OK(all);
  EXPECT_EQ(all->names, (std::vector<std::string>{"invoices", "orders"}));
  EXPECT_EQ(all->urls.size(), 2u);
  ListQueuesOptions by_prefix;
  by_prefix.prefix = "ord";
  absl::StatusOr<QueueList> some = client_->ListQueues(by_prefix);
  ASSERT_OK(some);
  EXPECT_EQ(some->names, std::vector<std::string>{"orders"});

  ASSERT_OK(client_->DeleteQueue("orders"));
  EXPECT_EQ(ErrorName(client_->GetQueueUrl("orders").status()),
            kQueueDoesNotExist);
}

TEST_F(ClientTest, UnknownQueueCarriesQueueDoesNotExist) {
  absl::StatusOr<StringMap> attributes = client_->GetQueueAttributes("nope");
  ASSERT_FALSE(attributes.ok());
  EXPECT_EQ(ErrorName(attributes.status()), "QueueDoesNotExist");
  EXPECT_TRUE(absl::IsNotFound(attributes.status())) << attributes.status();
  EXPECT_FALSE(attributes.status().message().empty());

  EXPECT_EQ(ErrorName(client_->SendMessage("nope", "x").status()),
            "QueueDoesNotExist");
  EXPECT_EQ(ErrorName(client_->ReceiveMessage("nope").status()),
            "QueueDoesNotExist");
  EXPECT_EQ(ErrorName(client_->PurgeQueue("nope")), "QueueDoesNotExist");
  EXPECT_EQ(ErrorName(client_->DeleteQueue("nope")), "QueueDoesNotExist");
}

TEST_F(ClientTest, QueueAttributesRoundTrip) {
  CreateQueue("q", {{"VisibilityTimeout", "40"}});
  EXPECT_EQ(QueueAttribute("q", "VisibilityTimeout"), "40");

  ASSERT_OK(client_->SetQueueAttributes(
      "q", {{"DelaySeconds", "5"}, {"VisibilityTimeout", "7"}}));
  absl::StatusOr<StringMap> attributes = client_->GetQueueAttributes("q");
  ASSERT_OK(attributes);
  EXPECT_EQ(attributes->at("DelaySeconds"), "5");
  EXPECT_EQ(attributes->at("VisibilityTimeout"), "7");
  EXPECT_EQ(attributes->count("ApproximateNumberOfMessages"), 1u);
  EXPECT_EQ(attributes->count("QueueArn"), 1u);

  absl::Status invalid =
      client_->SetQueueAttributes("q", {{"VisibilityTimeout", "-1"}});
  EXPECT_EQ(ErrorName(invalid), "InvalidAttributeValue") << invalid;
}

TEST_F(ClientTest, SendReceiveDeleteKeepsBodyAndAttributes) {
  CreateQueue("q");
  SendOptions options;
  options.attributes["color"] = MessageAttributeValue::String("red");
  options.attributes["price"] = MessageAttributeValue::Number("4.50");
  options.attributes["blob"] =
      MessageAttributeValue::Binary(std::string("\x00\xff\x01", 3));
  options.attributes["weight"] = {"Number.kg", "12"};
  absl::StatusOr<SendResult> sent =
      client_->SendMessage("q", "hello \xc3\xa9", options);
  ASSERT_OK(sent);
  EXPECT_FALSE(sent->message_id.empty());
  EXPECT_EQ(sent->md5_of_message_body.size(), 32u);
  EXPECT_EQ(sent->md5_of_message_attributes.size(), 32u);

  absl::StatusOr<std::vector<Message>> received =
      client_->ReceiveMessage("q", Polling(absl::Seconds(5)));
  ASSERT_OK(received);
  ASSERT_EQ(received->size(), 1u);
  const Message& message = received->front();
  EXPECT_EQ(message.message_id, sent->message_id);
  EXPECT_EQ(message.body, "hello \xc3\xa9");
  EXPECT_EQ(message.md5_of_body, sent->md5_of_message_body);
  EXPECT_EQ(message.message_attributes, options.attributes);
  EXPECT_EQ(message.md5_of_message_attributes, sent->md5_of_message_attributes);
  EXPECT_EQ(message.receive_count(), 1);
  EXPECT_EQ(message.attributes.count("SentTimestamp"), 1u);
  EXPECT_FALSE(message.receipt_handle.empty());
  EXPECT_EQ(Counts("q"), "0/1");

  ASSERT_OK(client_->DeleteMessage("q", message.receipt_handle));
  EXPECT_EQ(Counts("q"), "0/0");
}

TEST_F(ClientTest, ReceiveReturnsOnlyTheRequestedAttributes) {
  CreateQueue("q");
  SendOptions options;
  options.attributes["a"] = MessageAttributeValue::String("1");
  options.attributes["b"] = MessageAttributeValue::String("2");
  ASSERT_OK(client_->SendMessage("q", "x", options));
  ReceiveOptions receive;
  receive.attribute_names = {"ApproximateReceiveCount"};
  receive.message_attribute_names = {"b"};
  absl::StatusOr<std::vector<Message>> received =
      client_->ReceiveMessage("q", receive);
  ASSERT_OK(received);
  ASSERT_EQ(received->size(), 1u);
  EXPECT_EQ(received->front().attributes,
            (StringMap{{"ApproximateReceiveCount", "1"}}));
  ASSERT_EQ(received->front().message_attributes.size(), 1u);
  EXPECT_EQ(received->front().message_attributes.count("b"), 1u);
}

TEST_F(ClientTest, DelayedMessageIsNotReceivableAtOnce) {
  CreateQueue("q");
  SendOptions delayed;
  delayed.delay = absl::Seconds(60);
  ASSERT_OK(client_->SendMessage("q", "later", delayed));
  absl::StatusOr<std::vector<Message>> received =
      client_->ReceiveMessage("q", Polling(absl::ZeroDuration()));
  ASSERT_OK(received);
  EXPECT_TRUE(received->empty());
  EXPECT_EQ(QueueAttribute("q", "ApproximateNumberOfMessagesDelayed"), "1");
}

TEST_F(ClientTest, FifoQueueReportsSequenceNumbers) {
  absl::StatusOr<QueueInfo> queue =
      client_->CreateQueue("jobs.fifo", {{"FifoQueue", "true"}});
  ASSERT_OK(queue);
  SendOptions fifo;
  fifo.group_id = "g";
  fifo.dedup_id = "d1";
  absl::StatusOr<SendResult> sent =
      client_->SendMessage("jobs.fifo", "one", fifo);
  ASSERT_OK(sent);
  EXPECT_FALSE(sent->sequence_number.empty());
  absl::StatusOr<std::vector<Message>> received =
      client_->ReceiveMessage("jobs.fifo");
  ASSERT_OK(received);
  ASSERT_EQ(received->size(), 1u);
  EXPECT_EQ(received->front().attributes.at("MessageGroupId"), "g");
}

TEST_F(ClientTest, ChangeMessageVisibilityToZeroMakesMessageReceivableAgain) {
  CreateQueue("q", {{"VisibilityTimeout", "300"}});
  ASSERT_OK(client_->SendMessage("q", "again"));
  absl::StatusOr<std::vector<Message>> first = client_->ReceiveMessage("q");
  ASSERT_OK(first);
  ASSERT_EQ(first->size(), 1u);
  ASSERT_OK(client_->ChangeMessageVisibility("q", first->front().receipt_handle,
                                             absl::ZeroDuration()));
  absl::StatusOr<std::vector<Message>> second = client_->ReceiveMessage("q");
  ASSERT_OK(second);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ(second->front().receive_count(), 2);
  EXPECT_NE(second->front().receipt_handle, first->front().receipt_handle);
}

TEST_F(ClientTest, BogusReceiptHandleIsReceiptHandleIsInvalid) {
  CreateQueue("q");
  absl::Status deleted = client_->DeleteMessage("q", "not-a-handle");
  EXPECT_EQ(ErrorName(deleted), kReceiptHandleIsInvalid) << deleted;
  absl::Status changed =
      client_->ChangeMessageVisibility("q", "not-a-handle", absl::Seconds(1));
  EXPECT_EQ(ErrorName(changed), kReceiptHandleIsInvalid) << changed;
}

TEST_F(ClientTest, BatchesReportEveryEntry) {
  CreateQueue("q", {{"VisibilityTimeout", "300"}});
  absl::StatusOr<SendBatchResult> sent = client_->SendMessageBatch(
      "q", {{"a", "first", {}}, {"b", "second", {}}, {"c", "third", {}}});
  ASSERT_OK(sent);
  ASSERT_EQ(sent->successful.size(), 3u);
  EXPECT_TRUE(sent->failed.empty());
  EXPECT_EQ(sent->successful[0].id, "a");

  std::vector<Message> messages;
  while (messages.size() < 3) {
    absl::StatusOr<std::vector<Message>> received =
        client_->ReceiveMessage("q", Polling(absl::Seconds(5), 10));
    ASSERT_OK(received);
    ASSERT_FALSE(received->empty());
    messages.insert(messages.end(), received->begin(), received->end());
  }

  absl::StatusOr<BatchResult> changed = client_->ChangeMessageVisibilityBatch(
      "q", {{"keep", messages[0].receipt_handle, absl::ZeroDuration()},
            {"bad", "not-a-handle", absl::ZeroDuration()}});
  ASSERT_OK(changed);
  EXPECT_EQ(changed->successful, std::vector<std::string>{"keep"});
  ASSERT_EQ(changed->failed.size(), 1u);
  EXPECT_EQ(changed->failed[0].id, "bad");
  EXPECT_EQ(changed->failed[0].code, "ReceiptHandleIsInvalid");
  EXPECT_TRUE(changed->failed[0].sender_fault);
  EXPECT_EQ(Counts("q"), "1/2");

  absl::StatusOr<BatchResult> deleted =
      client_->DeleteMessageBatch("q", {{"x", messages[1].receipt_handle},
                                        {"y", messages[2].receipt_handle},
                                        {"z", "not-a-handle"}});
  ASSERT_OK(deleted);
  EXPECT_EQ(deleted->successful, (std::vector<std::string>{"x", "y"}));
  ASSERT_EQ(deleted->failed.size(), 1u);
  EXPECT_EQ(deleted->failed[0].code, "ReceiptHandleIsInvalid");
  EXPECT_EQ(Counts("q"), "1/0");

  absl::StatusOr<SendBatchResult> duplicate =
      client_->SendMessageBatch("q", {{"a", "1", {}}, {"a", "2", {}}});
  EXPECT_EQ(ErrorName(duplicate.status()), "BatchEntryIdsNotDistinct");
}

TEST_F(ClientTest, PurgeQueueDeletesEveryMessage) {
  CreateQueue("q");
  ASSERT_OK(client_->SendMessage("q", "1"));
  ASSERT_OK(client_->SendMessage("q", "2"));
  ASSERT_OK(client_->ReceiveMessage("q"));
  ASSERT_OK(client_->PurgeQueue("q"));
  EXPECT_EQ(Counts("q"), "0/0");
}

TEST_F(ClientTest, TagsRoundTrip) {
  ASSERT_OK(client_->CreateQueue("q", {}, {{"team", "coffee"}}));
  absl::StatusOr<StringMap> tags = client_->ListQueueTags("q");
  ASSERT_OK(tags);
  EXPECT_EQ(*tags, (StringMap{{"team", "coffee"}}));

  ASSERT_OK(client_->TagQueue("q", {{"env", "dev"}, {"team", "tea"}}));
  tags = client_->ListQueueTags("q");
  ASSERT_OK(tags);
  EXPECT_EQ(*tags, (StringMap{{"env", "dev"}, {"team", "tea"}}));

  ASSERT_OK(client_->UntagQueue("q", {"team", "unknown"}));
  tags = client_->ListQueueTags("q");
  ASSERT_OK(tags);
  EXPECT_EQ(*tags, (StringMap{{"env", "dev"}}));
}

TEST_F(ClientTest, LongPollReturnsWhenMessageArrives) {
  CreateQueue("q");
  auto receive = std::async(std::launch::async, [this] {
    return client_->ReceiveMessage("q", Polling(absl::Seconds(20)));
  });
  ASSERT_OK(client_->SendMessage("q", "wake up"));
  // Far less than the 20 s wait: the poll ended because of the message.
  ASSERT_EQ(receive.wait_for(std::chrono::seconds(10)),
            std::future_status::ready);
  absl::StatusOr<std::vector<Message>> received = receive.get();
  ASSERT_OK(received);
  ASSERT_EQ(received->size(), 1u);
  EXPECT_EQ(received->front().body, "wake up");
}

TEST_F(ClientTest, LongPollOutlastsTheCallDeadline) {
  // The deadline covers the call; the long-poll wait is added on top.
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Connect(
      server_->grpc_address(), WithDeadline(absl::Milliseconds(500)));
  ASSERT_OK(client);
  CreateQueue("q");
  absl::StatusOr<std::vector<Message>> received =
      (*client)->ReceiveMessage("q", Polling(absl::Seconds(2)));
  ASSERT_OK(received);
  EXPECT_TRUE(received->empty());
}

TEST_F(ClientTest, CancellationEndsALongPoll) {
  CreateQueue("q");
  Cancellation cancellation;
  auto receive = std::async(std::launch::async, [&] {
    return client_->ReceiveMessage(
        "q", Polling(absl::Seconds(20), 1, &cancellation));
  });
  cancellation.Cancel();
  ASSERT_EQ(receive.wait_for(std::chrono::seconds(10)),
            std::future_status::ready);
  absl::StatusOr<std::vector<Message>> received = receive.get();
  EXPECT_TRUE(absl::IsCancelled(received.status())) << received.status();
  // Once cancelled, later calls fail at once.
  EXPECT_TRUE(absl::IsCancelled(
      client_
          ->ReceiveMessage("q", Polling(absl::ZeroDuration(), 1, &cancellation))
          .status()));
}

TEST_F(ClientTest, CancellationCrossingAnAnswerLosesNoMessage) {
  // The cancel races the broker's answer: whichever wins, the message must
  // either reach the caller or be receivable again at once, never stay
  // hidden for the 300 s visibility timeout. Many rounds make the crossing
  // (answer taken on the server, response dropped by the client) likely.
  CreateQueue("q", {{"VisibilityTimeout", "300"}});
  for (int round = 0; round < 200; ++round) {
    Cancellation cancellation;
    auto receive = std::async(std::launch::async, [&] {
      return client_->ReceiveMessage(
          "q", Polling(absl::Seconds(20), 1, &cancellation));
    });
    ASSERT_OK(client_->SendMessage("q", absl::StrCat("m", round)));
    cancellation.Cancel();
    absl::StatusOr<std::vector<Message>> received = receive.get();
    if (!received.ok() || received->empty()) {
      received = client_->ReceiveMessage("q", Polling(absl::Seconds(10)));
    }
    ASSERT_OK(received);
    ASSERT_EQ(received->size(), 1u) << "round " << round;
    EXPECT_EQ(received->front().body, absl::StrCat("m", round));
    ASSERT_OK(client_->DeleteMessage("q", received->front().receipt_handle));
  }
}

}  // namespace
}  // namespace cortado::client
