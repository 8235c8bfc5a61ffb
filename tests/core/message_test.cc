// Message, the compact in-memory form of a message: every field of a
// MessageRecord round-trips exactly, whichever fields are set.
#include "server/core/message.h"

#include "gtest/gtest.h"

namespace cortado {
namespace {

constexpr absl::string_view kAccount = "000000000000";

class MessageTest : public ::testing::Test {
 protected:
  SenderIds senders_;
};

MessageRecord PlainRecord() {
  MessageRecord record;
  record.queue_id = 7;
  record.sequence = 42;
  record.message_id = "0f8fad5b-d9cb-469f-a165-70867728950e";
  record.body = "hello";
  record.sender_id = std::string(kAccount);
  record.sent = absl::FromUnixNanos(int64_t{1767225600123456789});
  record.visible_at = record.sent + absl::Seconds(30);
  return record;
}

void ExpectSameRecord(const MessageRecord& a, const MessageRecord& b) {
  EXPECT_EQ(a.queue_id, b.queue_id);
  EXPECT_EQ(a.sequence, b.sequence);
  EXPECT_EQ(a.message_id, b.message_id);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.attributes, b.attributes);
  EXPECT_EQ(a.system_attributes, b.system_attributes);
  EXPECT_EQ(a.sender_id, b.sender_id);
  EXPECT_EQ(a.message_group_id, b.message_group_id);
  EXPECT_EQ(a.message_deduplication_id, b.message_deduplication_id);
  EXPECT_EQ(a.dead_letter_source_arn, b.dead_letter_source_arn);
  EXPECT_EQ(a.sent, b.sent);
  EXPECT_EQ(a.visible_at, b.visible_at);
  EXPECT_EQ(a.receive_count, b.receive_count);
  EXPECT_EQ(a.first_receive, b.first_receive);
  EXPECT_EQ(a.last_receive, b.last_receive);
}

TEST_F(MessageTest, PlainMessageRoundTrips) {
  const MessageRecord record = PlainRecord();
  Message::Ptr message = Message::Make(record, senders_);
  EXPECT_EQ(message->sequence(), 42u);
  EXPECT_EQ(message->body(), "hello");
  EXPECT_EQ(message->message_id(), record.message_id);
  EXPECT_EQ(message->sender_id(senders_), kAccount);
  EXPECT_TRUE(message->attributes().empty());
  EXPECT_TRUE(message->message_group_id().empty());
  ExpectSameRecord(message->ToRecord(7, senders_), record);
}

TEST_F(MessageTest, EveryOptionalFieldRoundTrips) {
  MessageRecord record = PlainRecord();
  record.message_id = "legacy id, not a UUID";
  record.attributes["color"] = {"String", "blue", "", false};
  record.attributes["blob"] = {"Binary", "", std::string("\0\1\2", 3), true};
  record.system_attributes["AWSTraceHeader"] = {"String", "Root=1-abc", "",
                                                false};
  record.sender_id = "AIDAEXAMPLE";
  record.message_group_id = "group-1";
  record.message_deduplication_id = "dedup-1";
  record.dead_letter_source_arn = "arn:aws:sqs:us-east-1:000000000000:src";
  record.receive_count = 3;
  record.first_receive = record.sent + absl::Nanoseconds(1);
  record.last_receive = record.sent + absl::Seconds(5);
  Message::Ptr message = Message::Make(record, senders_);
  EXPECT_EQ(message->message_id(), "legacy id, not a UUID");
  EXPECT_EQ(message->sender_id(senders_), "AIDAEXAMPLE");
  ExpectSameRecord(message->ToRecord(7, senders_), record);
}

TEST_F(MessageTest, SenderIdsAreSharedNotCopied) {
  MessageRecord record = PlainRecord();
  Message::Ptr first = Message::Make(record, senders_);
  Message::Ptr second = Message::Make(record, senders_);
  record.sender_id = "AKIDEXAMPLE";
  Message::Ptr third = Message::Make(record, senders_);
  EXPECT_EQ(senders_.size(), 2u);
  EXPECT_EQ(&first->sender_id(senders_), &second->sender_id(senders_));
  EXPECT_EQ(third->sender_id(senders_), "AKIDEXAMPLE");
  EXPECT_EQ(first->sender_id(senders_), kAccount);
}

TEST_F(MessageTest, EmptySenderIdIsKeptEmpty) {
  // Older rows may have no sender id: it must not turn into the account.
  MessageRecord record = PlainRecord();
  record.sender_id = "";
  Message::Ptr message = Message::Make(record, senders_);
  EXPECT_EQ(message->sender_id(senders_), "");
  ExpectSameRecord(message->ToRecord(7, senders_), record);
}

TEST_F(MessageTest, EmptyBodyAndLargeBodyRoundTrip) {
  MessageRecord record = PlainRecord();
  record.body = "";
  ExpectSameRecord(Message::Make(record, senders_)->ToRecord(7, senders_),
                   record);
  record.body = std::string(262144, 'x');
  ExpectSameRecord(Message::Make(record, senders_)->ToRecord(7, senders_),
                   record);
}

TEST_F(MessageTest, CountReceiveSetsFirstReceiveOnce) {
  Message::Ptr message = Message::Make(PlainRecord(), senders_);
  const absl::Time first = absl::FromUnixSeconds(1767225700);
  message->CountReceive(first);
  message->CountReceive(first + absl::Seconds(9));
  EXPECT_EQ(message->receive_count(), 2);
  EXPECT_EQ(message->first_receive(), first);
  EXPECT_EQ(message->last_receive(), first + absl::Seconds(9));
  const MessageDeliveryUpdate update = message->DeliveryUpdate(7);
  EXPECT_EQ(update.queue_id, 7u);
  EXPECT_EQ(update.sequence, 42u);
  EXPECT_EQ(update.receive_count, 2);
  EXPECT_EQ(update.first_receive, first);
  EXPECT_EQ(update.visible_at, message->visible_at());
}

}  // namespace
}  // namespace cortado
