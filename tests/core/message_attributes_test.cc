#include "server/core/message_attributes.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/errors.h"
#include "tests/testing/status_matchers.h"

namespace cortado {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Key;

MessageAttributeValue StringValue(std::string value,
                                  std::string data_type = "String") {
  MessageAttributeValue attribute;
  attribute.data_type = std::move(data_type);
  attribute.string_value = std::move(value);
  return attribute;
}

MessageAttributeValue NumberValue(std::string value,
                                  std::string data_type = "Number") {
  return StringValue(std::move(value), std::move(data_type));
}

MessageAttributeValue BinaryValue(std::string bytes,
                                  std::string data_type = "Binary") {
  MessageAttributeValue attribute;
  attribute.data_type = std::move(data_type);
  attribute.binary_value = std::move(bytes);
  attribute.binary = true;
  return attribute;
}

MessageAttributes OneAttribute(std::string name, MessageAttributeValue value) {
  MessageAttributes attributes;
  attributes[std::move(name)] = std::move(value);
  return attributes;
}

// Expects InvalidParameterValue with exactly `message`.
void ExpectInvalid(const absl::Status& status, const std::string& message) {
  EXPECT_EQ(GetErrorKind(status), ErrorKind::kInvalidParameterValue) << status;
  EXPECT_EQ(status.message(), message);
}

// The three attributes of the real-AWS vectors (LocalStack snapshot).
MessageAttributes KenobiAttributes() {
  MessageAttributes attributes;
  attributes["Help.Me"] = StringValue("Me");
  attributes["Hello"] = StringValue("There");
  attributes["General"] = StringValue("Kenobi");
  return attributes;
}

// --- Digests: the vectors of sqs-protocol.md section 4.4 ---

TEST(Md5HexTest, BodyVectors) {
  EXPECT_EQ(Md5Hex("{\"message_index\":1}"),
            "4504dd781f625d681c31cda87e260702");
  EXPECT_EQ(Md5Hex("hello \"world\" & <x>"),
            "e6ca7313bb7dcbf8fe6b0edbd2f029bf");
  EXPECT_EQ(Md5Hex("msg"), "6e2baaf3b97dbeef01c0043275f9a0e7");  // real AWS
  EXPECT_EQ(Md5Hex("m1"), "ae7be26cdaa742ca148068d5ac90eaca");
  EXPECT_EQ(Md5Hex("fifo1"), "12001e07b480015710f4eefc8c6a16f8");
}

// Each thread reuses one digest context for every algorithm.
TEST(Md5HexTest, InterleavedWithSha256AndOnOtherThreads) {
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(Md5Hex("msg"), "6e2baaf3b97dbeef01c0043275f9a0e7");
    EXPECT_EQ(Sha256Hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223"
              "b00361a396177a9cb410ff61f20015ad");
  }
  std::string from_thread;
  std::thread([&from_thread] { from_thread = Md5Hex("m1"); }).join();
  EXPECT_EQ(from_thread, "ae7be26cdaa742ca148068d5ac90eaca");
}

TEST(Md5HexTest, EmptyInputAndBinaryBytes) {
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex(std::string("\0\1\2", 3)),
            "b95f67f61ebb03619622d798f45fc2d3");
}

TEST(Sha256HexTest, LowerCaseHexOfBody) {
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("fifo1"),
            "c4bb02005d92c5e1a00bcd89f4d4b7f8ed8b44878ddcc2145e3e926ea6b1c597");
}

TEST(Md5OfAttributesTest, NoAttributesGiveEmptyDigest) {
  EXPECT_EQ(Md5OfAttributes({}), "");
}

TEST(Md5OfAttributesTest, SingleStringAttributeVector) {
  EXPECT_EQ(
      Md5OfAttributes(OneAttribute("test-key", StringValue("test-value"))),
      "befa18540a897f7d022bf07057754a03");
  EXPECT_EQ(Md5OfAttributes(OneAttribute("k", StringValue("x"))),
            "a45daa70926828a2f0a1db3418e6feb4");
}

TEST(Md5OfAttributesTest, StringNumberAndBinaryVector) {
  MessageAttributes attributes;
  attributes["s"] = StringValue("v1");
  attributes["n"] = NumberValue("42");
  attributes["b"] = BinaryValue(std::string("\0\1\2", 3));
  EXPECT_EQ(Md5OfAttributes(attributes), "94c1f82a132b049cf75fad3ec912d79c");
}

TEST(Md5OfAttributesTest, CapturedCliV1SendVector) {
  // CLI v1 sent the blob "AAEC" raw: bytes 41 41 45 43 (sqs-protocol.md A).
  MessageAttributes attributes;
  attributes["s"] = StringValue("v1");
  attributes["n"] = NumberValue("42");
  attributes["b"] = BinaryValue("AAEC");
  EXPECT_EQ(Md5OfAttributes(attributes), "604917bc8bf1dfa715d3718a2bd06d6f");
}

TEST(Md5OfAttributesTest, TransportByteFollowsBinaryFlagNotDataType) {
  MessageAttributeValue as_string = StringValue("AAEC", "Binary");
  MessageAttributeValue as_binary = BinaryValue("AAEC", "Binary");
  EXPECT_NE(Md5OfAttributes(OneAttribute("b", as_string)),
            Md5OfAttributes(OneAttribute("b", as_binary)));
}

TEST(Md5OfAttributesTest, SystemAttributeVectors) {
  EXPECT_EQ(Md5OfAttributes(OneAttribute(
                "AWSTraceHeader",
                StringValue("Root=1-5759e988-bd862e3fe1be46a994272793;Parent="
                            "53995c3f42cd8ad8;Sampled=1"))),
            "5ae4d5d7636402d80f4eb6d213245a88");
  EXPECT_EQ(Md5OfAttributes(OneAttribute(
                "AWSTraceHeader",
                StringValue("Root=1-5759e988-bd862e3fe1be46a994272793;"
                            "Sampled=1"))),
            "5f48eef650c1d0207456969c85af2fdd");
}

TEST(Md5OfAttributesTest, RealAwsSendVector) {
  EXPECT_EQ(Md5OfAttributes(KenobiAttributes()),
            "4c360f3fdafd970e05fae2f149d997f5");
}

// --- Receive-side selection, checked against real AWS digests ---

TEST(SelectAttributesTest, AllStarAndDotStarSelectEverything) {
  for (const char* all : {"All", "*", ".*"}) {
    MessageAttributes selected = SelectAttributes(KenobiAttributes(), {all});
    EXPECT_EQ(selected, KenobiAttributes()) << all;
    EXPECT_EQ(Md5OfAttributes(selected), "4c360f3fdafd970e05fae2f149d997f5")
        << all;
  }
}

TEST(SelectAttributesTest, ExactNamesSelectTheirSubset) {
  MessageAttributes selected =
      SelectAttributes(KenobiAttributes(), {"Hello", "General"});
  EXPECT_THAT(selected, ElementsAre(Key("General"), Key("Hello")));
  EXPECT_EQ(Md5OfAttributes(selected), "fca026605781cb4126a1e9044df24232");
}

TEST(SelectAttributesTest, UnknownNamesSelectNothing) {
  MessageAttributes selected =
      SelectAttributes(KenobiAttributes(), {"Foo", "Hello"});
  EXPECT_THAT(selected, ElementsAre(Key("Hello")));
  EXPECT_EQ(Md5OfAttributes(selected), "a311262e065454b75da111d535b8dacd");
}

TEST(SelectAttributesTest, PrefixPatternIsARegexWildcard) {
  // AWS answers [Hel.*] with {Hello, Help.Me}: ".*" is a regex wildcard.
  MessageAttributes selected = SelectAttributes(KenobiAttributes(), {"Hel.*"});
  EXPECT_THAT(selected, ElementsAre(Key("Hello"), Key("Help.Me")));
  EXPECT_EQ(Md5OfAttributes(selected), "83fee93c1bcd8b9a5a923ffacdc636c7");
}

TEST(SelectAttributesTest, PrefixPatternMatchesTheBareNameAndDottedNames) {
  MessageAttributes attributes;
  attributes["Help"] = StringValue("a");
  attributes["Help.Me"] = StringValue("b");
  attributes["Helper"] = StringValue("c");
  attributes["Other"] = StringValue("d");
  EXPECT_THAT(SelectAttributes(attributes, {"Help.*"}),
              ElementsAre(Key("Help"), Key("Help.Me"), Key("Helper")));
}

TEST(SelectAttributesTest, NoNamesOrIllegalNamesSelectNothing) {
  EXPECT_THAT(SelectAttributes(KenobiAttributes(), {}), IsEmpty());
  EXPECT_THAT(SelectAttributes(KenobiAttributes(), {"AWS.", "..foo", "all"}),
              IsEmpty());
  EXPECT_THAT(SelectAttributes({}, {"All"}), IsEmpty());
}

TEST(SelectAttributesTest, OverlappingPatternsSelectEachAttributeOnce) {
  MessageAttributes selected =
      SelectAttributes(KenobiAttributes(), {"Hello", "Hel.*", "Hello"});
  EXPECT_THAT(selected, ElementsAre(Key("Hello"), Key("Help.Me")));
}

// --- ValidateMessageAttributes ---

TEST(ValidateMessageAttributesTest, AcceptsTheThreeTypesAndLabels) {
  MessageAttributes attributes;
  attributes["s"] = StringValue("v1");
  attributes["s2"] = StringValue("{\"a\":1}", "String.json");
  attributes["n"] = NumberValue("42");
  attributes["n2"] = NumberValue("-1.5e10", "Number.float");
  attributes["b"] = BinaryValue(std::string("\0\1\2", 3));
  attributes["b2"] = BinaryValue("png", "Binary.png");
  EXPECT_OK(ValidateMessageAttributes(attributes));
  EXPECT_OK(ValidateMessageAttributes({}));
}

TEST(ValidateMessageAttributesTest, TenAttributesAcceptedElevenRejected) {
  MessageAttributes attributes;
  for (int i = 0; i < 10; ++i) {
    attributes[absl::StrCat("a", i)] = StringValue("v");
  }
  EXPECT_OK(ValidateMessageAttributes(attributes));
  attributes["a10"] = StringValue("v");
  ExpectInvalid(ValidateMessageAttributes(attributes),
                "Number of message attributes [11] exceeds the allowed "
                "maximum [10].");
}

TEST(ValidateMessageAttributesTest, NameOf256CharactersAcceptedLongerRejected) {
  EXPECT_OK(ValidateMessageAttributes(
      OneAttribute(std::string(256, 'n'), StringValue("v"))));
  absl::Status status = ValidateMessageAttributes(
      OneAttribute(std::string(257, 'n'), StringValue("v")));
  EXPECT_EQ(GetErrorKind(status), ErrorKind::kInvalidParameterValue);
}

TEST(ValidateMessageAttributesTest, NameCharacters) {
  EXPECT_OK(
      ValidateMessageAttributes(OneAttribute("Az09_.-x", StringValue("v"))));
  for (const char* name :
       {"a b", "a!", "a\"", "a(", "a?", "a/b", "a:b", "a*"}) {
    ExpectInvalid(
        ValidateMessageAttributes(OneAttribute(name, StringValue("v"))),
        "Message (user) attributes name can only contain upper and lower "
        "score characters, digits, periods, hyphens and underscores. ");
  }
  EXPECT_EQ(GetErrorKind(
                ValidateMessageAttributes(OneAttribute("", StringValue("v")))),
            ErrorKind::kInvalidParameterValue);
}

// SQS takes the Latin letters U+00C0-U+017F too (issue 14, item 4).
TEST(ValidateMessageAttributesTest, LatinLettersBeyondAsciiAccepted) {
  for (const char* name : {"attr.1\u00f8\u00df\u00e4", "\u00f6ther_encodings",
                           "\u00c0", "\u017f", "\u0141\u00f3d\u017a"}) {
    EXPECT_OK(ValidateMessageAttributes(OneAttribute(name, StringValue("v"))))
        << name;
  }
  for (const char* name : {"\u00bf", "\u0180", "\u03b1", "\u65e5", "\U0001F600",
                           "a\xff", "a\xc3"}) {
    ExpectInvalid(
        ValidateMessageAttributes(OneAttribute(name, StringValue("v"))),
        "Message (user) attributes name can only contain upper and lower "
        "score characters, digits, periods, hyphens and underscores. ");
  }
  // 256 characters (512 bytes) is the limit, counted in characters.
  std::string long_name;
  for (int i = 0; i < 256; ++i) long_name += "\u00e4";
  EXPECT_OK(
      ValidateMessageAttributes(OneAttribute(long_name, StringValue("v"))));
  EXPECT_EQ(GetErrorKind(ValidateMessageAttributes(
                OneAttribute(long_name + "a", StringValue("v")))),
            ErrorKind::kInvalidParameterValue);
}

TEST(ValidateMessageAttributesTest, ReservedPrefixesInAnyCaseRejected) {
  for (const char* name :
       {"AWS.x", "aws.x", "aWs.x", "Amazon.x", "AMAZON.x", "amazon.x"}) {
    ExpectInvalid(
        ValidateMessageAttributes(OneAttribute(name, StringValue("v"))),
        "You can't use message attribute names beginning with 'AWS.' or "
        "'Amazon.'. These strings are reserved for internal use. "
        "Additionally, they cannot start or end with '.'.");
  }
  // Only the dotted prefixes are reserved.
  EXPECT_OK(ValidateMessageAttributes(OneAttribute("AWSx", StringValue("v"))));
  EXPECT_OK(
      ValidateMessageAttributes(OneAttribute("Amazonian", StringValue("v"))));
}

TEST(ValidateMessageAttributesTest, DotsAtEitherEndOrDoubledRejected) {
  for (const char* name : {".a", "a.", "a..b"}) {
    EXPECT_EQ(GetErrorKind(ValidateMessageAttributes(
                  OneAttribute(name, StringValue("v")))),
              ErrorKind::kInvalidParameterValue)
        << name;
  }
  EXPECT_OK(ValidateMessageAttributes(OneAttribute("a.b.c", StringValue("v"))));
}

TEST(ValidateMessageAttributesTest, UnsupportedTypesRejected) {
  for (const char* type :
       {"Invalid", "string", "STRING", "Strings", "Str", "String.", "Number.",
        "Binary.", "StringList", "Number_x", ".String"}) {
    ExpectInvalid(
        ValidateMessageAttributes(OneAttribute("attr", StringValue("v", type))),
        "The message attribute 'attr' has an invalid message attribute type, "
        "the set of supported type prefixes is Binary, Number, and String.");
  }
}

TEST(ValidateMessageAttributesTest, EmptyTypeRejected) {
  ExpectInvalid(
      ValidateMessageAttributes(OneAttribute("attr", StringValue("v", ""))),
      "Message (user) attribute 'attr' must contain a non-empty message "
      "attribute type.");
}

TEST(ValidateMessageAttributesTest, TypeOf256CharactersAcceptedLongerRejected) {
  const std::string at_limit = "String." + std::string(249, 'L');
  ASSERT_EQ(at_limit.size(), 256u);
  EXPECT_OK(
      ValidateMessageAttributes(OneAttribute("a", StringValue("v", at_limit))));
  absl::Status status = ValidateMessageAttributes(
      OneAttribute("a", StringValue("v", at_limit + "L")));
  EXPECT_EQ(GetErrorKind(status), ErrorKind::kInvalidParameterValue);
  EXPECT_THAT(status.message(), HasSubstr("256"));
}

TEST(ValidateMessageAttributesTest, BinaryFlagMustAgreeWithType) {
  ExpectInvalid(ValidateMessageAttributes(
                    OneAttribute("b", StringValue("AAEC", "Binary"))),
                "The message attribute 'b' with type 'Binary' must use field "
                "'Binary'.");
  ExpectInvalid(ValidateMessageAttributes(
                    OneAttribute("s", BinaryValue("AAEC", "String"))),
                "The message attribute 's' with type 'String' must use field "
                "'String'.");
  ExpectInvalid(ValidateMessageAttributes(
                    OneAttribute("n", BinaryValue("1", "Number.int"))),
                "The message attribute 'n' with type 'Number' must use field "
                "'String'.");
}

TEST(ValidateMessageAttributesTest, EmptyValuesRejected) {
  ExpectInvalid(
      ValidateMessageAttributes(OneAttribute("ErrorDetails", StringValue(""))),
      "Message (user) attribute 'ErrorDetails' must contain a non-empty value "
      "of type 'String'.");
  ExpectInvalid(
      ValidateMessageAttributes(OneAttribute("n", NumberValue(""))),
      "Message (user) attribute 'n' must contain a non-empty value of type "
      "'String'.");
  ExpectInvalid(ValidateMessageAttributes(OneAttribute("b", BinaryValue(""))),
                "Message (user) attribute 'b' must contain a non-empty value "
                "of type 'Binary'.");
}

TEST(ValidateMessageAttributesTest, StringValuesUseTheBodyCharacterSet) {
  EXPECT_OK(ValidateMessageAttributes(
      OneAttribute("s", StringValue("tab\tcr\rlf\n \xE2\x82\xAC"))));
  for (const std::string& value :
       {std::string("Invalid-\x08"), std::string("Invalid-\x0B"),
        std::string("nul\0", 4), std::string("\xEF\xBF\xBF"),
        std::string("\xFF")}) {
    absl::Status status =
        ValidateMessageAttributes(OneAttribute("s", StringValue(value)));
    EXPECT_EQ(GetErrorKind(status), ErrorKind::kInvalidParameterValue);
    EXPECT_THAT(status.message(), HasSubstr("'s'"));
  }
}

TEST(ValidateMessageAttributesTest, NumberValuesAcceptDecimalNumbers) {
  for (const char* number :
       {"0", "42", "-42", "+42", "007", "1.5", "-0.25", ".5", "5.", "1e10",
        "1E10", "1e+10", "-1.5e-300", "123456789012345678901234567890"}) {
    EXPECT_OK(ValidateMessageAttributes(OneAttribute("n", NumberValue(number))))
        << number;
  }
}

TEST(ValidateMessageAttributesTest, NumberValuesRejectNonNumbers) {
  for (const char* text :
       {"abc", "149314735990a", "1 ", " 1", "1,5", "1..5", "1.5.2", "-", "+",
        ".", "e5", "1e", "1e+", "0x1F", "NaN", "Infinity", "--1", "1-"}) {
    ExpectInvalid(
        ValidateMessageAttributes(OneAttribute("Hello", NumberValue(text))),
        "Can't cast the value of message (user) attribute 'Hello' to a "
        "number.");
  }
}

TEST(ValidateMessageAttributesTest, ThirtyEightSignificantDigitsAccepted) {
  const std::string digits38 = "12345678901234567890123456789012345678";
  ASSERT_EQ(digits38.size(), 38u);
  EXPECT_OK(
      ValidateMessageAttributes(OneAttribute("n", NumberValue(digits38))));
  // Leading and trailing zeros are not significant.
  EXPECT_OK(ValidateMessageAttributes(
      OneAttribute("n", NumberValue("000" + digits38 + "000"))));
  EXPECT_OK(ValidateMessageAttributes(
      OneAttribute("n", NumberValue("-0.000" + digits38 + "e5"))));
  EXPECT_OK(ValidateMessageAttributes(
      OneAttribute("n", NumberValue("1" + std::string(60, '0')))));

  absl::Status status =
      ValidateMessageAttributes(OneAttribute("n", NumberValue(digits38 + "9")));
  EXPECT_EQ(GetErrorKind(status), ErrorKind::kInvalidParameterValue);
  EXPECT_THAT(status.message(), HasSubstr("38"));
  EXPECT_FALSE(ValidateMessageAttributes(
                   OneAttribute("n", NumberValue("1234567890123456789."
                                                 "01234567890123456789")))
                   .ok());
}

TEST(ValidateMessageAttributesTest, ErrorsAreInvalidParameterValue) {
  absl::Status status =
      ValidateMessageAttributes(OneAttribute("x", StringValue("")));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetErrorKind(status), ErrorKind::kInvalidParameterValue);
}

// --- ValidateSystemAttributes ---

TEST(ValidateSystemAttributesTest, AcceptsAwsTraceHeader) {
  EXPECT_OK(ValidateSystemAttributes(OneAttribute(
      "AWSTraceHeader",
      StringValue("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"))));
  EXPECT_OK(ValidateSystemAttributes({}));
}

TEST(ValidateSystemAttributesTest, OtherNamesRejected) {
  for (const char* name : {"SenderId", "awstraceheader", "Foo"}) {
    ExpectInvalid(
        ValidateSystemAttributes(OneAttribute(name, StringValue("v"))),
        absl::StrCat("Message system attribute name '", name, "' is invalid."));
  }
}

TEST(ValidateSystemAttributesTest, TraceHeaderMustBeANonEmptyString) {
  for (const MessageAttributeValue& value :
       {StringValue("Root=1", "Number"), StringValue("Root=1", "String.x"),
        BinaryValue("Root=1", "String"), BinaryValue("Root=1")}) {
    EXPECT_EQ(GetErrorKind(ValidateSystemAttributes(
                  OneAttribute("AWSTraceHeader", value))),
              ErrorKind::kInvalidParameterValue);
  }
  ExpectInvalid(
      ValidateSystemAttributes(OneAttribute("AWSTraceHeader", StringValue(""))),
      "Message system attribute 'AWSTraceHeader' must contain a non-empty "
      "value of type 'String'.");
}

// --- IsValidMessageText ---

TEST(IsValidMessageTextTest, AcceptsXmlCharacters) {
  EXPECT_TRUE(IsValidMessageText(""));
  EXPECT_TRUE(IsValidMessageText("\t\n\r plain ASCII ~"));
  EXPECT_TRUE(IsValidMessageText("\xC2\x80"));          // U+0080
  EXPECT_TRUE(IsValidMessageText("\xED\x9F\xBF"));      // U+D7FF
  EXPECT_TRUE(IsValidMessageText("\xEE\x80\x80"));      // U+E000
  EXPECT_TRUE(IsValidMessageText("\xEF\xBF\xBD"));      // U+FFFD
  EXPECT_TRUE(IsValidMessageText("\xF0\x90\x80\x80"));  // U+10000
  EXPECT_TRUE(IsValidMessageText("\xF0\x9F\x98\x80"));  // U+1F600
  EXPECT_TRUE(IsValidMessageText("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(IsValidMessageTextTest, RejectsControlCharacters) {
  EXPECT_FALSE(IsValidMessageText(std::string("\0", 1)));
  for (char c = 0x01; c < 0x20; ++c) {
    EXPECT_EQ(IsValidMessageText(std::string(1, c)),
              c == '\t' || c == '\n' || c == '\r')
        << static_cast<int>(c);
  }
  EXPECT_TRUE(IsValidMessageText("\x7F"));  // DEL is an XML Char
}

TEST(IsValidMessageTextTest, RejectsNonCharacters) {
  EXPECT_FALSE(IsValidMessageText("\xEF\xBF\xBE"));  // U+FFFE
  EXPECT_FALSE(IsValidMessageText("\xEF\xBF\xBF"));  // U+FFFF
}

TEST(IsValidMessageTextTest, RejectsEncodedSurrogates) {
  EXPECT_FALSE(IsValidMessageText("\xED\xA0\x80"));              // U+D800
  EXPECT_FALSE(IsValidMessageText("\xED\xBF\xBF"));              // U+DFFF
  EXPECT_FALSE(IsValidMessageText("\xED\xA0\xBD\xED\xB8\x80"));  // CESU pair
}

TEST(IsValidMessageTextTest, RejectsOverlongEncodings) {
  EXPECT_FALSE(IsValidMessageText("\xC0\x80"));          // NUL
  EXPECT_FALSE(IsValidMessageText("\xC1\xBF"));          // U+007F
  EXPECT_FALSE(IsValidMessageText("\xE0\x80\xA0"));      // U+0020
  EXPECT_FALSE(IsValidMessageText("\xE0\x9F\xBF"));      // U+07FF
  EXPECT_FALSE(IsValidMessageText("\xF0\x80\x80\xA0"));  // U+0020
  EXPECT_FALSE(IsValidMessageText("\xF0\x8F\xBF\xBF"));  // U+FFFF
}

TEST(IsValidMessageTextTest, RejectsMalformedUtf8) {
  EXPECT_FALSE(IsValidMessageText("\x80"));              // lone continuation
  EXPECT_FALSE(IsValidMessageText("a\xC3"));             // truncated
  EXPECT_FALSE(IsValidMessageText("\xE2\x82"));          // truncated
  EXPECT_FALSE(IsValidMessageText("\xE2\x28\xA1"));      // bad continuation
  EXPECT_FALSE(IsValidMessageText("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidMessageText("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValidMessageText("\xF8\x88\x80\x80\x80"));
  EXPECT_FALSE(IsValidMessageText("\xFE"));
  EXPECT_FALSE(IsValidMessageText("\xFF"));
}

// --- AttributesSize ---

TEST(AttributesSizeTest, CountsNameTypeAndValueBytes) {
  EXPECT_EQ(AttributesSize({}), 0);
  MessageAttributes attributes;
  attributes["s"] = StringValue("v1");                      // 1 + 6 + 2
  attributes["n"] = NumberValue("42", "Number.int");        // 1 + 10 + 2
  attributes["b"] = BinaryValue(std::string("\0\1\2", 3));  // 1 + 6 + 3
  EXPECT_EQ(AttributesSize(attributes), 9 + 13 + 10);
}

TEST(AttributesSizeTest, CountsOnlyTheValueTheFlagSelects) {
  MessageAttributeValue value = BinaryValue("abc");
  value.string_value = "ignored";
  EXPECT_EQ(AttributesSize(OneAttribute("b", value)), 1 + 6 + 3);
}

TEST(AttributesSizeTest, CountsUtf8Bytes) {
  EXPECT_EQ(AttributesSize(OneAttribute("s", StringValue("\xE2\x82\xAC"))),
            1 + 6 + 3);
}

}  // namespace
}  // namespace cortado
