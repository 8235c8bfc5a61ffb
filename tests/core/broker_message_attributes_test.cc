// Message attributes through the broker: types returned exactly, the
// MD5OfMessageAttributes vectors of §4.4 (on send and over the subset a
// receive selects), and the system attributes of §3.4.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::IsEmpty;

constexpr int64_t kStartMillis = int64_t{1767225600} * 1000;

class BrokerMessageAttributesTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    ASSERT_OK(Create("orders"));
  }
  // Sends `entry` and receives it back (with All attributes).
  absl::StatusOr<ReceivedMessage> RoundTrip(SendMessageEntry entry) {
    absl::StatusOr<SendMessageResult> sent = Send("orders", std::move(entry));
    if (!sent.ok()) return sent.status();
    absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
    if (!got.ok()) return got.status();
    if (got->messages.size() != 1) {
      return absl::InternalError(
          absl::StrCat("received ", got->messages.size(), " messages"));
    }
    return got->messages[0];
  }
};

// --- Message attributes ---

TEST_F(BrokerMessageAttributesTest, AttributeMd5MatchesTheSqsliteVector) {
  SendMessageEntry entry = Entry("body");
  entry.attributes["test-key"] = StringAttribute("test-value");
  absl::StatusOr<SendMessageResult> sent = Send("orders", entry);
  ASSERT_OK(sent);
  EXPECT_EQ(sent->md5_of_message_attributes,
            "befa18540a897f7d022bf07057754a03");
}

TEST_F(BrokerMessageAttributesTest,
       StringNumberAndBinaryAttributesMatchTheMotoVector) {
  SendMessageEntry entry = Entry("body");
  entry.attributes["s"] = StringAttribute("v1");
  entry.attributes["n"] = StringAttribute("42", "Number");
  entry.attributes["b"] = BinaryAttribute(std::string("\x00\x01\x02", 3));
  absl::StatusOr<SendMessageResult> sent = Send("orders", entry);
  ASSERT_OK(sent);
  EXPECT_EQ(sent->md5_of_message_attributes,
            "94c1f82a132b049cf75fad3ec912d79c");
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].message_attributes, entry.attributes);
  EXPECT_EQ(got->messages[0].md5_of_message_attributes,
            "94c1f82a132b049cf75fad3ec912d79c");
}

TEST_F(BrokerMessageAttributesTest, SingleStringAttributeMatchesItsVector) {
  SendMessageEntry entry = Entry("body");
  entry.attributes["k"] = StringAttribute("x");
  absl::StatusOr<SendMessageResult> sent = Send("orders", entry);
  ASSERT_OK(sent);
  EXPECT_EQ(sent->md5_of_message_attributes,
            "a45daa70926828a2f0a1db3418e6feb4");
}

TEST_F(BrokerMessageAttributesTest, BinaryAndCustomTypesAreReturnedExactly) {
  SendMessageEntry entry = Entry("body");
  entry.attributes["price"] = StringAttribute("1.50", "Number.float");
  entry.attributes["big"] =
      StringAttribute("-0012345678901234567890.0000e+10", "Number");
  entry.attributes["doc"] = StringAttribute("{\"a\": 1}", "String.json");
  entry.attributes["png"] = BinaryAttribute(
      std::string("\x89PNG\r\n\x1a\n\x00\xff", 10), "Binary.png");
  absl::StatusOr<SendMessageResult> sent = Send("orders", entry);
  ASSERT_OK(sent);
  EXPECT_EQ(sent->md5_of_message_attributes, Md5OfAttributes(entry.attributes));
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  const ReceivedMessage& message = got->messages[0];
  EXPECT_EQ(message.message_attributes, entry.attributes);
  EXPECT_EQ(message.message_attributes.at("price").string_value, "1.50");
  EXPECT_EQ(message.message_attributes.at("price").data_type, "Number.float");
  EXPECT_EQ(message.message_attributes.at("png").binary_value,
            std::string("\x89PNG\r\n\x1a\n\x00\xff", 10));
  EXPECT_EQ(message.md5_of_message_attributes, sent->md5_of_message_attributes);
}

TEST_F(BrokerMessageAttributesTest, InvalidAttributesRejectTheSend) {
  SendMessageEntry bad_name = Entry("body");
  bad_name.attributes["AWS.reserved"] = StringAttribute("v");
  SendMessageEntry bad_type = Entry("body");
  bad_type.attributes["k"] = StringAttribute("v", "Text");
  SendMessageEntry empty_value = Entry("body");
  empty_value.attributes["k"] = StringAttribute("");
  SendMessageEntry not_a_number = Entry("body");
  not_a_number.attributes["k"] = StringAttribute("forty-two", "Number");
  SendMessageEntry eleven = Entry("body");
  for (int i = 0; i < 11; ++i) {
    eleven.attributes[absl::StrCat("k", i)] = StringAttribute("v");
  }
  for (const SendMessageEntry& entry :
       {bad_name, bad_type, empty_value, not_a_number, eleven}) {
    EXPECT_EQ(GetErrorKind(Send("orders", entry).status()),
              ErrorKind::kInvalidParameterValue);
  }
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "0");
}

TEST_F(BrokerMessageAttributesTest, TenAttributesAreAllowed) {
  SendMessageEntry entry = Entry("body");
  for (int i = 0; i < 10; ++i) {
    entry.attributes[absl::StrCat("k", i)] = StringAttribute("v");
  }
  EXPECT_OK(Send("orders", entry));
}

// --- Selecting message attributes on receive (§4.4 real-AWS vectors) ---

class BrokerAttributeSelectionTest : public BrokerMessageAttributesTest {
 protected:
  void SetUp() override {
    BrokerMessageAttributesTest::SetUp();
    SendMessageEntry entry = Entry("msg");
    entry.attributes["Help.Me"] = StringAttribute("Me");
    entry.attributes["Hello"] = StringAttribute("There");
    entry.attributes["General"] = StringAttribute("Kenobi");
    absl::StatusOr<SendMessageResult> sent = Send("orders", entry);
    ASSERT_OK(sent);
    EXPECT_EQ(sent->md5_of_message_body, "6e2baaf3b97dbeef01c0043275f9a0e7");
    EXPECT_EQ(sent->md5_of_message_attributes,
              "4c360f3fdafd970e05fae2f149d997f5");
  }
  // Receives the message (visibility 0, so every call sees it) selecting
  // `names`.
  ReceivedMessage ReceiveSelecting(std::vector<std::string> names) {
    ReceiveMessageRequest request;
    request.queue_name = "orders";
    request.visibility_timeout = 0;
    request.message_attribute_names = std::move(names);
    absl::StatusOr<ReceiveMessageResult> got = Receive(std::move(request));
    EXPECT_OK(got);
    if (!got.ok() || got->messages.size() != 1) {
      ADD_FAILURE() << "expected one message";
      return {};
    }
    return got->messages[0];
  }
  static std::vector<std::string> Names(const ReceivedMessage& message) {
    std::vector<std::string> names;
    for (const auto& [name, value] : message.message_attributes) {
      names.push_back(name);
    }
    return names;
  }
};

TEST_F(BrokerAttributeSelectionTest, AllStarAndDotStarSelectEverything) {
  for (const char* all : {"All", "*", ".*"}) {
    ReceivedMessage message = ReceiveSelecting({all});
    EXPECT_THAT(Names(message),
                ::testing::ElementsAre("General", "Hello", "Help.Me"))
        << all;
    EXPECT_EQ(message.md5_of_message_attributes,
              "4c360f3fdafd970e05fae2f149d997f5")
        << all;
  }
}

TEST_F(BrokerAttributeSelectionTest, ExactNamesSelectASubsetWithItsOwnMd5) {
  ReceivedMessage message = ReceiveSelecting({"Hello", "General"});
  EXPECT_THAT(Names(message), ::testing::ElementsAre("General", "Hello"));
  EXPECT_EQ(message.md5_of_message_attributes,
            "fca026605781cb4126a1e9044df24232");
}

TEST_F(BrokerAttributeSelectionTest, UnknownNamesSelectNothingForThemselves) {
  ReceivedMessage message = ReceiveSelecting({"Foo", "Hello"});
  EXPECT_THAT(Names(message), ::testing::ElementsAre("Hello"));
  EXPECT_EQ(message.md5_of_message_attributes,
            "a311262e065454b75da111d535b8dacd");
}

TEST_F(BrokerAttributeSelectionTest, PrefixPatternSelectsMatchingNames) {
  ReceivedMessage message = ReceiveSelecting({"Hel.*"});
  EXPECT_THAT(Names(message), ::testing::ElementsAre("Hello", "Help.Me"));
  EXPECT_EQ(message.md5_of_message_attributes,
            "83fee93c1bcd8b9a5a923ffacdc636c7");
}

TEST_F(BrokerAttributeSelectionTest, NoSelectionReturnsNoAttributesNorMd5) {
  ReceivedMessage message = ReceiveSelecting({});
  EXPECT_THAT(message.message_attributes, IsEmpty());
  EXPECT_EQ(message.md5_of_message_attributes, "");
  EXPECT_EQ(message.body, "msg");
}

TEST_F(BrokerAttributeSelectionTest, IllegalOrMissingNamesSelectNothing) {
  ReceivedMessage message = ReceiveSelecting({"AWS.", "..foo", "Nope"});
  EXPECT_THAT(message.message_attributes, IsEmpty());
  EXPECT_EQ(message.md5_of_message_attributes, "");
}

// --- System attributes ---

TEST_F(BrokerMessageAttributesTest, SentTimestampIsEpochMillisOfTheSend) {
  Advance(absl::Milliseconds(1234));
  ASSERT_OK(Send("orders", "m"));
  Advance(absl::Seconds(5));
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].attributes.at("SentTimestamp"),
            absl::StrCat(kStartMillis + 1234));
}

TEST_F(BrokerMessageAttributesTest,
       ReceiveCountAndFirstReceiveTimestampTrackReceives) {
  ASSERT_OK(Send("orders", "m"));
  Advance(absl::Milliseconds(500));
  for (int receive = 1; receive <= 3; ++receive) {
    absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
    ASSERT_OK(got);
    ASSERT_EQ(got->messages.size(), 1u) << "receive " << receive;
    const auto& attributes = got->messages[0].attributes;
    EXPECT_EQ(attributes.at("ApproximateReceiveCount"), absl::StrCat(receive));
    // Set by the first receive, never changed afterwards.
    EXPECT_EQ(attributes.at("ApproximateFirstReceiveTimestamp"),
              absl::StrCat(kStartMillis + 500));
    EXPECT_EQ(attributes.at("SentTimestamp"), absl::StrCat(kStartMillis));
    Advance(absl::Seconds(30));  // the visibility timeout ends
  }
}

TEST_F(BrokerMessageAttributesTest, SenderIdIsTheSenderOrTheAccount) {
  SendMessageEntry entry = Entry("from a key");
  entry.sender_id = "AKIDEXAMPLE";
  absl::StatusOr<ReceivedMessage> got = RoundTrip(entry);
  ASSERT_OK(got);
  EXPECT_EQ(got->attributes.at("SenderId"), "AKIDEXAMPLE");
  ASSERT_OK(Delete("orders", got->receipt_handle));

  got = RoundTrip(Entry("anonymous"));
  ASSERT_OK(got);
  EXPECT_EQ(got->attributes.at("SenderId"), "000000000000");
}

TEST_F(BrokerMessageAttributesTest, TraceHeaderIsReturnedWhenSentWithItsMd5) {
  SendMessageEntry entry = Entry("traced");
  entry.system_attributes["AWSTraceHeader"] = StringAttribute(
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;"
      "Sampled=1");
  absl::StatusOr<SendMessageResult> sent = Send("orders", entry);
  ASSERT_OK(sent);
  EXPECT_EQ(sent->md5_of_message_system_attributes,
            "5ae4d5d7636402d80f4eb6d213245a88");
  EXPECT_EQ(sent->md5_of_message_attributes, "");
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].attributes.at("AWSTraceHeader"),
            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;"
            "Sampled=1");
  // The trace header is not a message attribute.
  EXPECT_THAT(got->messages[0].message_attributes, IsEmpty());
}

TEST_F(BrokerMessageAttributesTest, ShortTraceHeaderMatchesItsVector) {
  SendMessageEntry entry = Entry("traced");
  entry.system_attributes["AWSTraceHeader"] =
      StringAttribute("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
  absl::StatusOr<SendMessageResult> sent = Send("orders", entry);
  ASSERT_OK(sent);
  EXPECT_EQ(sent->md5_of_message_system_attributes,
            "5f48eef650c1d0207456969c85af2fdd");
}

TEST_F(BrokerMessageAttributesTest, TraceHeaderIsAbsentWhenNotSent) {
  absl::StatusOr<ReceivedMessage> got = RoundTrip(Entry("untraced"));
  ASSERT_OK(got);
  EXPECT_FALSE(got->attributes.contains("AWSTraceHeader"));
  EXPECT_FALSE(got->attributes.contains("SequenceNumber"));
  EXPECT_FALSE(got->attributes.contains("MessageGroupId"));
}

TEST_F(BrokerMessageAttributesTest, AllSystemAttributesOfAPlainMessage) {
  absl::StatusOr<ReceivedMessage> got = RoundTrip(Entry("plain"));
  ASSERT_OK(got);
  EXPECT_THAT(
      got->attributes,
      ::testing::ElementsAre(
          ::testing::Pair("ApproximateFirstReceiveTimestamp",
                          absl::StrCat(kStartMillis)),
          ::testing::Pair("ApproximateReceiveCount", "1"),
          ::testing::Pair("SenderId", "000000000000"),
          ::testing::Pair("SentTimestamp", absl::StrCat(kStartMillis))));
  EXPECT_EQ(got->md5_of_message_attributes, "");
}

TEST_F(BrokerMessageAttributesTest, MessageGroupIdOnAStandardQueueIsReturned) {
  SendMessageEntry entry = Entry("fair");
  entry.message_group_id = "tenant-1";
  absl::StatusOr<ReceivedMessage> got = RoundTrip(entry);
  ASSERT_OK(got);
  EXPECT_EQ(got->attributes["MessageGroupId"], "tenant-1");
}

TEST_F(BrokerMessageAttributesTest,
       InvalidMessageGroupIdIsInvalidParameterValue) {
  for (const std::string& bad : {std::string("has space"),
                                 std::string(129, 'g'), std::string("tab\t")}) {
    SendMessageEntry entry = Entry("x");
    entry.message_group_id = bad;
    EXPECT_EQ(GetErrorKind(Send("orders", entry).status()),
              ErrorKind::kInvalidParameterValue)
        << bad;
  }
}

TEST_F(BrokerMessageAttributesTest, DeduplicationIdOnAStandardQueueIsInvalid) {
  SendMessageEntry entry = Entry("x");
  entry.message_deduplication_id = "dedup-1";
  EXPECT_EQ(GetErrorKind(Send("orders", entry).status()),
            ErrorKind::kInvalidParameterValue);
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "0");
}

TEST_F(BrokerMessageAttributesTest,
       OnlyTheTraceHeaderIsASendableSystemAttribute) {
  SendMessageEntry other = Entry("x");
  other.system_attributes["SenderId"] = StringAttribute("me");
  EXPECT_EQ(GetErrorKind(Send("orders", other).status()),
            ErrorKind::kInvalidParameterValue);
  SendMessageEntry binary = Entry("x");
  binary.system_attributes["AWSTraceHeader"] = BinaryAttribute("abc");
  EXPECT_EQ(GetErrorKind(Send("orders", binary).status()),
            ErrorKind::kInvalidParameterValue);
}

TEST_F(BrokerMessageAttributesTest,
       ReceiveReturnsOnlyTheNamedSystemAttributes) {
  ASSERT_OK(Send("orders", "m"));
  ReceiveMessageRequest request;
  request.queue_name = "orders";
  request.system_attribute_names = {"SentTimestamp", "ApproximateReceiveCount"};
  absl::StatusOr<ReceiveMessageResult> got = Receive(request);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].attributes,
            (std::map<std::string, std::string>{
                {"ApproximateReceiveCount", "1"},
                {"SentTimestamp", absl::StrCat(kStartMillis)}}));
}

TEST_F(BrokerMessageAttributesTest, NoSystemAttributesUnlessAsked) {
  ASSERT_OK(Send("orders", "m"));
  ReceiveMessageRequest request;
  request.queue_name = "orders";
  absl::StatusOr<ReceiveMessageResult> got = Receive(request);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_THAT(got->messages[0].attributes, IsEmpty());
}

}  // namespace
}  // namespace cortado::testing
