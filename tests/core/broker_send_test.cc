// SendMessage: what a send returns, the body rules (§3.3) and
// MaximumMessageSize (body plus attribute names, types and values).
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

class BrokerSendTest : public BrokerTest {
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
  static bool LooksLikeUuid4(const std::string& id) {
    if (id.size() != 36) return false;
    for (size_t i = 0; i < id.size(); ++i) {
      const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash != (id[i] == '-')) return false;
      if (!dash && !absl::ascii_isxdigit(static_cast<unsigned char>(id[i]))) {
        return false;
      }
    }
    return id[14] == '4' &&
           std::string("89ab").find(id[19]) != std::string::npos;
  }
};

// --- The result of a send ---

TEST_F(BrokerSendTest, SendReturnsAUuidMessageIdAndTheBodyMd5) {
  absl::StatusOr<SendMessageResult> sent = Send("orders", "msg");
  ASSERT_OK(sent);
  EXPECT_TRUE(LooksLikeUuid4(sent->message_id)) << sent->message_id;
  EXPECT_EQ(sent->md5_of_message_body, "6e2baaf3b97dbeef01c0043275f9a0e7");
  EXPECT_EQ(sent->md5_of_message_attributes, "");
  EXPECT_EQ(sent->md5_of_message_system_attributes, "");
  EXPECT_EQ(sent->sequence_number, "");
}

TEST_F(BrokerSendTest, BodyMd5MatchesTheVectors) {
  absl::StatusOr<SendMessageResult> sent =
      Send("orders", "{\"message_index\":1}");
  ASSERT_OK(sent);
  EXPECT_EQ(sent->md5_of_message_body, "4504dd781f625d681c31cda87e260702");
  sent = Send("orders", "hello \"world\" & <x>");
  ASSERT_OK(sent);
  EXPECT_EQ(sent->md5_of_message_body, "e6ca7313bb7dcbf8fe6b0edbd2f029bf");
}

TEST_F(BrokerSendTest, EveryMessageGetsItsOwnId) {
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    absl::StatusOr<SendMessageResult> sent = Send("orders", "same body");
    ASSERT_OK(sent);
    ids.insert(sent->message_id);
  }
  EXPECT_EQ(ids.size(), 100u);
}

TEST_F(BrokerSendTest, SendToMissingQueueIsQueueDoesNotExist) {
  EXPECT_EQ(GetErrorKind(Send("nope", "x").status()),
            ErrorKind::kQueueDoesNotExist);
}

TEST_F(BrokerSendTest, ReceivedMessageCarriesBodyIdAndBodyMd5) {
  absl::StatusOr<SendMessageResult> sent = Send("orders", "msg");
  ASSERT_OK(sent);
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].message_id, sent->message_id);
  EXPECT_EQ(got->messages[0].body, "msg");
  EXPECT_EQ(got->messages[0].md5_of_body, "6e2baaf3b97dbeef01c0043275f9a0e7");
}

// --- Body rules ---

TEST_F(BrokerSendTest, EmptyBodyIsMissingParameter) {
  absl::StatusOr<SendMessageResult> sent = Send("orders", "");
  EXPECT_EQ(GetErrorKind(sent.status()), ErrorKind::kMissingParameter);
  EXPECT_EQ(sent.status().message(),
            "The request must contain the parameter MessageBody.");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "0");
}

TEST_F(BrokerSendTest, ControlCharactersAreInvalidMessageContents) {
  for (const std::string& body :
       {std::string("a\x01z"), std::string("\x1f"), std::string(1, '\0'),
        std::string("bad \xff utf-8"), std::string("\xed\xa0\x80"),  // D800
        std::string("\xef\xbf\xbe")}) {                              // FFFE
    EXPECT_EQ(GetErrorKind(Send("orders", body).status()),
              ErrorKind::kInvalidMessageContents)
        << absl::CEscape(body);
  }
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "0");
}

TEST_F(BrokerSendTest, AllowedCharactersAreKeptExactly) {
  const std::string body =
      "tab\tnewline\nreturn\r end \xe2\x82\xac \xf0\x9f\x98\x80 "
      "\xef\xbf\xbd <&>\"'";
  absl::StatusOr<ReceivedMessage> got = RoundTrip(Entry(body));
  ASSERT_OK(got);
  EXPECT_EQ(got->body, body);
  EXPECT_EQ(got->md5_of_body, Md5Hex(body));
}

TEST_F(BrokerSendTest, CarriageReturnAloneIsAValidBody) {
  absl::StatusOr<ReceivedMessage> got = RoundTrip(Entry("\r"));
  ASSERT_OK(got);
  EXPECT_EQ(got->body, "\r");
}

// --- MaximumMessageSize ---

TEST_F(BrokerSendTest, BodyOfExactlyTheDefaultMaximumIsAccepted) {
  EXPECT_OK(Send("orders", std::string(1048576, 'x')));
  absl::StatusOr<SendMessageResult> over =
      Send("orders", std::string(1048577, 'x'));
  EXPECT_EQ(GetErrorKind(over.status()), ErrorKind::kInvalidParameterValue);
  EXPECT_EQ(over.status().message(),
            "One or more parameters are invalid. Reason: Message must be "
            "shorter than 1048576 bytes.");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
}

TEST_F(BrokerSendTest, SizeCountsBodyAndAttributeNamesTypesAndValues) {
  ASSERT_OK(Create("small", {{"MaximumMessageSize", "1024"}}));
  // 1000 (body) + 4 ("attr") + 6 ("String") + 14 (value) = 1024.
  SendMessageEntry exact = Entry(std::string(1000, 'b'));
  exact.attributes["attr"] = StringAttribute(std::string(14, 'v'));
  EXPECT_OK(Send("small", exact));

  SendMessageEntry over = exact;
  over.attributes["attr"] = StringAttribute(std::string(15, 'v'));
  absl::StatusOr<SendMessageResult> rejected = Send("small", over);
  EXPECT_EQ(GetErrorKind(rejected.status()), ErrorKind::kInvalidParameterValue);
  EXPECT_EQ(rejected.status().message(),
            "One or more parameters are invalid. Reason: Message must be "
            "shorter than 1024 bytes.");

  // The type counts with its label; binary values count as raw bytes:
  // 1000 + 3 ("bin") + 8 ("Binary.x") + 13 = 1024.
  SendMessageEntry binary = Entry(std::string(1000, 'b'));
  binary.attributes["bin"] = BinaryAttribute(std::string(13, '\0'), "Binary.x");
  EXPECT_OK(Send("small", binary));
  binary.attributes["bin"] = BinaryAttribute(std::string(14, '\0'), "Binary.x");
  EXPECT_EQ(GetErrorKind(Send("small", binary).status()),
            ErrorKind::kInvalidParameterValue);
}

TEST_F(BrokerSendTest, BodyAloneOverAQueueMaximumIsRejected) {
  ASSERT_OK(Create("small", {{"MaximumMessageSize", "1024"}}));
  EXPECT_OK(Send("small", std::string(1024, 'x')));
  EXPECT_EQ(GetErrorKind(Send("small", std::string(1025, 'x')).status()),
            ErrorKind::kInvalidParameterValue);
}

TEST_F(BrokerSendTest, SizeIsMeasuredInUtf8Bytes) {
  ASSERT_OK(Create("small", {{"MaximumMessageSize", "1024"}}));
  std::string euros;
  for (int i = 0; i < 341; ++i) euros += "\xe2\x82\xac";  // 1023 bytes
  EXPECT_OK(Send("small", euros + "x"));
  EXPECT_EQ(GetErrorKind(Send("small", euros + "xy").status()),
            ErrorKind::kInvalidParameterValue);
}

TEST_F(BrokerSendTest, SystemAttributesDoNotCountTowardTheSize) {
  ASSERT_OK(Create("small", {{"MaximumMessageSize", "1024"}}));
  SendMessageEntry entry = Entry(std::string(1024, 'x'));
  entry.system_attributes["AWSTraceHeader"] =
      StringAttribute("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
  EXPECT_OK(Send("small", entry));
}

TEST_F(BrokerSendTest, LoweredMaximumAppliesToLaterSends) {
  ASSERT_OK(SetAttributes("orders", {{"MaximumMessageSize", "1024"}}));
  EXPECT_EQ(GetErrorKind(Send("orders", std::string(1025, 'x')).status()),
            ErrorKind::kInvalidParameterValue);
}

}  // namespace
}  // namespace cortado::testing
