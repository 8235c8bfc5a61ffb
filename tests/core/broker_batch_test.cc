// SendMessageBatch, DeleteMessageBatch and ChangeMessageVisibilityBatch:
// whole-request errors (nothing happens) and per-entry failures (the other
// entries still succeed).
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class BrokerBatchTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    ASSERT_OK(Create("orders"));
  }
  static std::vector<SendMessageEntry> Entries(int count) {
    std::vector<SendMessageEntry> entries;
    for (int i = 0; i < count; ++i) {
      entries.push_back(Entry(absl::StrCat("body", i), absl::StrCat("e", i)));
    }
    return entries;
  }
  std::string Visible() {
    return Attribute("orders", "ApproximateNumberOfMessages");
  }
  // Sends `count` messages and receives them all; returns their handles in
  // send order.
  std::vector<std::string> InFlightHandles(int count) {
    std::vector<std::string> handles;
    for (int i = 0; i < count; ++i) {
      EXPECT_OK(Send("orders", absl::StrCat("m", i)));
    }
    absl::StatusOr<ReceiveMessageResult> got = Receive("orders", count);
    EXPECT_OK(got);
    if (got.ok()) {
      for (const ReceivedMessage& m : got->messages) {
        handles.push_back(m.receipt_handle);
      }
    }
    EXPECT_EQ(handles.size(), static_cast<size_t>(count));
    return handles;
  }
  static std::vector<std::string> FailedIds(const BatchResult& result) {
    std::vector<std::string> ids;
    for (const BatchEntryError& e : result.failed) ids.push_back(e.id);
    return ids;
  }
};

// --- SendMessageBatch ---

TEST_F(BrokerBatchTest, SendBatchSendsEveryEntryInOrder) {
  std::vector<SendMessageEntry> entries = Entries(10);
  entries[3].attributes["k"] = StringAttribute("x");
  absl::StatusOr<SendMessageBatchResult> sent = SendBatch("orders", entries);
  ASSERT_OK(sent);
  EXPECT_THAT(sent->failed, IsEmpty());
  ASSERT_EQ(sent->successful.size(), 10u);
  std::set<std::string> message_ids;
  for (int i = 0; i < 10; ++i) {
    const SendMessageResult& result = sent->successful[i];
    EXPECT_EQ(result.id, absl::StrCat("e", i));
    EXPECT_EQ(result.md5_of_message_body, Md5Hex(absl::StrCat("body", i)));
    message_ids.insert(result.message_id);
  }
  EXPECT_EQ(message_ids.size(), 10u);
  EXPECT_EQ(sent->successful[3].md5_of_message_attributes,
            "a45daa70926828a2f0a1db3418e6feb4");
  EXPECT_EQ(sent->successful[4].md5_of_message_attributes, "");

  absl::StatusOr<ReceiveMessageResult> got = Receive("orders", 10);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 10u);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(got->messages[i].body, absl::StrCat("body", i));
    EXPECT_EQ(got->messages[i].message_id, sent->successful[i].message_id);
  }
}

TEST_F(BrokerBatchTest, EmptySendBatchIsEmptyBatchRequest) {
  EXPECT_EQ(GetErrorKind(SendBatch("orders", {}).status()),
            ErrorKind::kEmptyBatchRequest);
}

TEST_F(BrokerBatchTest, ElevenEntriesAreTooManyAndNothingIsSent) {
  absl::StatusOr<SendMessageBatchResult> sent =
      SendBatch("orders", Entries(11));
  EXPECT_EQ(GetErrorKind(sent.status()),
            ErrorKind::kTooManyEntriesInBatchRequest);
  EXPECT_EQ(Visible(), "0");
}

TEST_F(BrokerBatchTest, DuplicateIdsAreNotDistinctAndNothingIsSent) {
  std::vector<SendMessageEntry> entries = Entries(3);
  entries[2].id = entries[0].id;
  absl::StatusOr<SendMessageBatchResult> sent = SendBatch("orders", entries);
  EXPECT_EQ(GetErrorKind(sent.status()), ErrorKind::kBatchEntryIdsNotDistinct);
  EXPECT_EQ(Visible(), "0");
}

TEST_F(BrokerBatchTest, BadEntryIdIsInvalidBatchEntryIdAndNothingIsSent) {
  for (const std::string& bad :
       {std::string(""), std::string("has space"), std::string("dot.ted"),
        std::string(81, 'i')}) {
    std::vector<SendMessageEntry> entries = Entries(2);
    entries[1].id = bad;
    absl::StatusOr<SendMessageBatchResult> sent = SendBatch("orders", entries);
    EXPECT_EQ(GetErrorKind(sent.status()), ErrorKind::kInvalidBatchEntryId)
        << "\"" << bad << "\": " << sent.status();
  }
  EXPECT_EQ(Visible(), "0");
}

TEST_F(BrokerBatchTest, EntryIdsOfEightyLegalCharactersAreAccepted) {
  std::vector<SendMessageEntry> entries = Entries(2);
  entries[0].id = std::string(80, 'i');
  entries[1].id = "A-z_0-9";
  absl::StatusOr<SendMessageBatchResult> sent = SendBatch("orders", entries);
  ASSERT_OK(sent);
  EXPECT_EQ(sent->successful.size(), 2u);
}

TEST_F(BrokerBatchTest, BatchOverOneMebibyteIsTooLongAndNothingIsSent) {
  std::vector<SendMessageEntry> entries = {
      Entry(std::string(524288, 'a'), "a"),
      Entry(std::string(524289, 'b'), "b")};
  absl::StatusOr<SendMessageBatchResult> sent = SendBatch("orders", entries);
  EXPECT_EQ(GetErrorKind(sent.status()), ErrorKind::kBatchRequestTooLong)
      << sent.status();
  EXPECT_EQ(Visible(), "0");
}

TEST_F(BrokerBatchTest, BatchOfExactlyOneMebibyteIsAccepted) {
  std::vector<SendMessageEntry> entries = {
      Entry(std::string(524288, 'a'), "a"),
      Entry(std::string(524288, 'b'), "b")};
  absl::StatusOr<SendMessageBatchResult> sent = SendBatch("orders", entries);
  ASSERT_OK(sent);
  EXPECT_EQ(sent->successful.size(), 2u);
}

TEST_F(BrokerBatchTest, AttributesCountTowardTheBatchSize) {
  std::vector<SendMessageEntry> entries = {
      Entry(std::string(524288, 'a'), "a"),
      Entry(std::string(524288, 'b'), "b")};
  entries[1].attributes["k"] = StringAttribute("v");
  EXPECT_EQ(GetErrorKind(SendBatch("orders", entries).status()),
            ErrorKind::kBatchRequestTooLong);
}

TEST_F(BrokerBatchTest, InvalidEntriesFailAloneWhileOthersAreSent) {
  std::vector<SendMessageEntry> entries = Entries(5);
  entries[1].body = "";            // MissingParameter
  entries[2].body = "bad \x01";    // InvalidMessageContents
  entries[3].delay_seconds = 901;  // InvalidParameterValue
  absl::StatusOr<SendMessageBatchResult> sent = SendBatch("orders", entries);
  ASSERT_OK(sent);
  ASSERT_EQ(sent->successful.size(), 2u);
  EXPECT_EQ(sent->successful[0].id, "e0");
  EXPECT_EQ(sent->successful[1].id, "e4");
  ASSERT_EQ(sent->failed.size(), 3u);
  EXPECT_EQ(sent->failed[0].id, "e1");
  EXPECT_EQ(sent->failed[0].kind, ErrorKind::kMissingParameter);
  EXPECT_EQ(sent->failed[1].id, "e2");
  EXPECT_EQ(sent->failed[1].kind, ErrorKind::kInvalidMessageContents);
  EXPECT_EQ(sent->failed[2].id, "e3");
  EXPECT_EQ(sent->failed[2].kind, ErrorKind::kInvalidParameterValue);
  for (const BatchEntryError& error : sent->failed) {
    EXPECT_TRUE(error.sender_fault) << error.id;
    EXPECT_FALSE(error.message.empty()) << error.id;
  }
  EXPECT_EQ(Visible(), "2");
}

TEST_F(BrokerBatchTest, OversizeEntryFailsAloneAgainstTheQueueMaximum) {
  ASSERT_OK(Create("small", {{"MaximumMessageSize", "1024"}}));
  std::vector<SendMessageEntry> entries = {
      Entry(std::string(1024, 'a'), "ok"),
      Entry(std::string(1025, 'b'), "big")};
  absl::StatusOr<SendMessageBatchResult> sent = SendBatch("small", entries);
  ASSERT_OK(sent);
  ASSERT_EQ(sent->successful.size(), 1u);
  EXPECT_EQ(sent->successful[0].id, "ok");
  ASSERT_EQ(sent->failed.size(), 1u);
  EXPECT_EQ(sent->failed[0].id, "big");
  EXPECT_EQ(sent->failed[0].kind, ErrorKind::kInvalidParameterValue);
}

TEST_F(BrokerBatchTest, BatchEntriesKeepTheirOwnDelays) {
  std::vector<SendMessageEntry> entries = Entries(2);
  entries[1].delay_seconds = 5;
  ASSERT_OK(SendBatch("orders", entries));
  EXPECT_EQ(Visible(), "1");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesDelayed"), "1");
  Advance(absl::Seconds(5));
  EXPECT_EQ(Visible(), "2");
}

TEST_F(BrokerBatchTest, SendBatchCarriesTraceHeaderDigests) {
  std::vector<SendMessageEntry> entries = Entries(2);
  entries[0].system_attributes["AWSTraceHeader"] =
      StringAttribute("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
  absl::StatusOr<SendMessageBatchResult> sent = SendBatch("orders", entries);
  ASSERT_OK(sent);
  ASSERT_EQ(sent->successful.size(), 2u);
  EXPECT_EQ(sent->successful[0].md5_of_message_system_attributes,
            "5f48eef650c1d0207456969c85af2fdd");
  EXPECT_EQ(sent->successful[1].md5_of_message_system_attributes, "");
}

// --- DeleteMessageBatch ---

TEST_F(BrokerBatchTest, DeleteBatchDeletesEveryEntry) {
  std::vector<std::string> handles = InFlightHandles(3);
  absl::StatusOr<BatchResult> deleted = DeleteBatch(
      "orders",
      {{"a", handles[0], 0}, {"b", handles[1], 0}, {"c", handles[2], 0}});
  ASSERT_OK(deleted);
  EXPECT_THAT(deleted->successful, ElementsAre("a", "b", "c"));
  EXPECT_THAT(deleted->failed, IsEmpty());
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "0");
}

TEST_F(BrokerBatchTest, BadHandlesFailAloneInADeleteBatch) {
  ASSERT_OK(Create("other"));
  ASSERT_OK(Send("other", "theirs"));
  absl::StatusOr<ReceiveMessageResult> theirs = Receive("other");
  ASSERT_OK(theirs);
  ASSERT_EQ(theirs->messages.size(), 1u);
  std::vector<std::string> handles = InFlightHandles(2);
  absl::StatusOr<BatchResult> deleted =
      DeleteBatch("orders", {{"ok1", handles[0], 0},
                             {"garbage", "garbage", 0},
                             {"foreign", theirs->messages[0].receipt_handle, 0},
                             {"ok2", handles[1], 0}});
  ASSERT_OK(deleted);
  EXPECT_THAT(deleted->successful, ElementsAre("ok1", "ok2"));
  EXPECT_THAT(FailedIds(*deleted), ElementsAre("garbage", "foreign"));
  for (const BatchEntryError& error : deleted->failed) {
    EXPECT_EQ(error.kind, ErrorKind::kReceiptHandleIsInvalid) << error.id;
    EXPECT_TRUE(error.sender_fault);
  }
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "0");
  EXPECT_EQ(Attribute("other", "ApproximateNumberOfMessagesNotVisible"), "1");
}

TEST_F(BrokerBatchTest, DeleteBatchWithAnAlreadyDeletedHandleSucceeds) {
  std::vector<std::string> handles = InFlightHandles(1);
  ASSERT_OK(Delete("orders", handles[0]));
  absl::StatusOr<BatchResult> deleted =
      DeleteBatch("orders", {{"again", handles[0], 0}});
  ASSERT_OK(deleted);
  EXPECT_THAT(deleted->successful, ElementsAre("again"));
}

TEST_F(BrokerBatchTest, DeleteBatchWholeRequestErrors) {
  std::vector<std::string> handles = InFlightHandles(1);
  EXPECT_EQ(GetErrorKind(DeleteBatch("orders", {}).status()),
            ErrorKind::kEmptyBatchRequest);
  std::vector<BatchHandleEntry> eleven;
  for (int i = 0; i < 11; ++i) {
    eleven.push_back({absl::StrCat("e", i), handles[0], 0});
  }
  EXPECT_EQ(GetErrorKind(DeleteBatch("orders", eleven).status()),
            ErrorKind::kTooManyEntriesInBatchRequest);
  EXPECT_EQ(
      GetErrorKind(DeleteBatch("orders", {{"x", handles[0], 0}, {"x", "h", 0}})
                       .status()),
      ErrorKind::kBatchEntryIdsNotDistinct);
  EXPECT_EQ(
      GetErrorKind(DeleteBatch("orders", {{"b@d", handles[0], 0}}).status()),
      ErrorKind::kInvalidBatchEntryId);
  // None of them deleted anything.
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "1");
}

// --- ChangeMessageVisibilityBatch ---

TEST_F(BrokerBatchTest, ChangeVisibilityBatchChangesEachEntry) {
  std::vector<std::string> handles = InFlightHandles(2);
  absl::StatusOr<BatchResult> changed = ChangeVisibilityBatch(
      "orders", {{"now", handles[0], 0}, {"later", handles[1], 100}});
  ASSERT_OK(changed);
  EXPECT_THAT(changed->successful, ElementsAre("now", "later"));
  EXPECT_THAT(changed->failed, IsEmpty());
  EXPECT_EQ(Visible(), "1");
  Advance(absl::Seconds(99));
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "1");
  Advance(absl::Seconds(1));
  EXPECT_EQ(Visible(), "2");
}

TEST_F(BrokerBatchTest, BadEntriesFailAloneInAChangeVisibilityBatch) {
  std::vector<std::string> handles = InFlightHandles(3);
  ASSERT_OK(Delete("orders", handles[1]));
  absl::StatusOr<BatchResult> changed =
      ChangeVisibilityBatch("orders", {{"ok", handles[0], 0},
                                       {"deleted", handles[1], 0},
                                       {"garbage", "garbage", 0},
                                       {"range", handles[2], 43201}});
  ASSERT_OK(changed);
  EXPECT_THAT(changed->successful, ElementsAre("ok"));
  ASSERT_THAT(FailedIds(*changed), ElementsAre("deleted", "garbage", "range"));
  EXPECT_EQ(changed->failed[0].kind, ErrorKind::kInvalidParameterValue);
  EXPECT_EQ(changed->failed[1].kind, ErrorKind::kReceiptHandleIsInvalid);
  EXPECT_EQ(changed->failed[2].kind, ErrorKind::kInvalidParameterValue);
  EXPECT_EQ(Visible(), "1");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "1");
}

TEST_F(BrokerBatchTest, ChangeVisibilityBatchWholeRequestErrors) {
  std::vector<std::string> handles = InFlightHandles(1);
  EXPECT_EQ(GetErrorKind(ChangeVisibilityBatch("orders", {}).status()),
            ErrorKind::kEmptyBatchRequest);
  std::vector<BatchHandleEntry> eleven;
  for (int i = 0; i < 11; ++i) {
    eleven.push_back({absl::StrCat("e", i), handles[0], 0});
  }
  EXPECT_EQ(GetErrorKind(ChangeVisibilityBatch("orders", eleven).status()),
            ErrorKind::kTooManyEntriesInBatchRequest);
  EXPECT_EQ(GetErrorKind(ChangeVisibilityBatch(
                             "orders", {{"x", handles[0], 0}, {"x", "h", 0}})
                             .status()),
            ErrorKind::kBatchEntryIdsNotDistinct);
  EXPECT_EQ(
      GetErrorKind(
          ChangeVisibilityBatch("orders", {{"", handles[0], 0}}).status()),
      ErrorKind::kInvalidBatchEntryId);
  // None of them made the message visible.
  EXPECT_EQ(Visible(), "0");
}

}  // namespace
}  // namespace cortado::testing
