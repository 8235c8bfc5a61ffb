#include "common/json.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace cortado {
namespace {

TEST(ParseJsonTest, ParsesEveryKindOfValue) {
  std::optional<JsonValue> value = ParseJson(
      " {\"s\":\"a\\\"b\\u00e9\\ud83d\\ude00\", \"n\": -1.5e+3, \"t\": true,"
      " \"f\": false, \"z\": null, \"a\": [1, [], {}]} ");
  ASSERT_TRUE(value.has_value());
  ASSERT_TRUE(value->is_object());
  ASSERT_EQ(value->members.size(), 6u);
  EXPECT_EQ(value->members[0].key, "s");
  EXPECT_EQ(value->members[5].key, "a");
  EXPECT_EQ(value->Find("s")->text, "a\"b\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_TRUE(value->Find("n")->is_number());
  EXPECT_EQ(value->Find("n")->text, "-1.5e+3");
  EXPECT_TRUE(value->Find("t")->boolean);
  EXPECT_EQ(value->Find("f")->type, JsonValue::Type::kBool);
  EXPECT_FALSE(value->Find("f")->boolean);
  EXPECT_EQ(value->Find("z")->type, JsonValue::Type::kNull);
  ASSERT_TRUE(value->Find("a")->is_array());
  EXPECT_EQ(value->Find("a")->elements.size(), 3u);
  EXPECT_EQ(value->Find("missing"), nullptr);
}

TEST(ParseJsonTest, RepeatedKeyFindsTheLast) {
  std::optional<JsonValue> value = ParseJson("{\"k\":1,\"k\":2}");
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(value->Find("k")->text, "2");
}

TEST(ParseJsonTest, RejectsInvalidSyntax) {
  for (const char* text : {"",
                           " ",
                           "{",
                           "}",
                           "{\"a\"}",
                           "{\"a\":}",
                           "{\"a\":1,}",
                           "[1,]",
                           "[1 2]",
                           "{a:1}",
                           "{'a':1}",
                           "\"unterminated",
                           "01",
                           "1.",
                           ".5",
                           "-",
                           "1e",
                           "+1",
                           "tru",
                           "nul",
                           "True",
                           "{} {}",
                           "\"\\x\"",
                           "\"\\u12\"",
                           "\"\\ud83d\"",
                           "\"\\ude00\"",
                           "\"tab\there\"",
                           "NaN"}) {
    EXPECT_FALSE(ParseJson(text).has_value()) << text;
  }
}

TEST(ParseJsonTest, StringsMixRunsOfPlainTextAndEscapes) {
  std::optional<JsonValue> value =
      ParseJson("{\"k\":\"run one\\nrun two\\\\\\u0041\\/tail\",\"e\":\"\"}");
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(value->Find("k")->text, "run one\nrun two\\A/tail");
  EXPECT_EQ(value->Find("e")->text, "");
  const std::string long_text(5000, 'x');
  std::optional<JsonValue> long_value =
      ParseJson("[\"" + long_text + "\\t" + long_text + "\"]");
  ASSERT_TRUE(long_value.has_value());
  EXPECT_EQ(long_value->elements.at(0).text, long_text + "\t" + long_text);
  // A control character or the end of input right after a run of text.
  EXPECT_FALSE(ParseJson("\"plain\x01text\"").has_value());
  EXPECT_FALSE(ParseJson("\"unterminated plain text").has_value());
  EXPECT_FALSE(ParseJson("\"ends in an escape\\").has_value());
}

TEST(ParseJsonTest, LimitsNesting) {
  std::string ok =
      std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(ParseJson(ok).has_value());
  std::string deep =
      std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']');
  EXPECT_FALSE(ParseJson(deep).has_value());
}

TEST(IsJsonObjectTest, OnlyObjectsAtTopLevel) {
  EXPECT_TRUE(IsJsonObject("{}"));
  EXPECT_TRUE(IsJsonObject(" {\"a\": [1]}\n"));
  EXPECT_FALSE(IsJsonObject("[]"));
  EXPECT_FALSE(IsJsonObject("\"{}\""));
  EXPECT_FALSE(IsJsonObject("1"));
  EXPECT_FALSE(IsJsonObject("{"));
}

// One escaper for every JSON the project writes (the gateway's responses,
// the SNS envelope, the CLI's --json): these are its exact bytes.
TEST(JsonQuoteTest, EscapesQuotesBackslashesAndShortFormControls) {
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote(""), "\"\"");
  EXPECT_EQ(JsonQuote("say \"hi\""), R"("say \"hi\"")");
  EXPECT_EQ(JsonQuote("a\\b"), R"("a\\b")");
  EXPECT_EQ(JsonQuote("l1\nl2\r\t\b\f"), R"("l1\nl2\r\t\b\f")");
  EXPECT_EQ(JsonQuote("/"), "\"/\"");  // allowed unescaped
}

TEST(JsonQuoteTest, EscapesOtherControlCharactersAsLowerCaseU00XX) {
  EXPECT_EQ(JsonQuote(std::string("\x00\x01\x07\x0b\x0e\x1a\x1f", 7)),
            R"("\u0000\u0001\u0007\u000b\u000e\u001a\u001f")");
  EXPECT_EQ(JsonQuote("\x7f"), "\"\x7f\"");  // DEL is not a JSON control
}

TEST(JsonQuoteTest, PassesUtf8Through) {
  EXPECT_EQ(JsonQuote("caf\xc3\xa9 \xe2\x98\x95 \xf0\x9f\x98\x80"),
            "\"caf\xc3\xa9 \xe2\x98\x95 \xf0\x9f\x98\x80\"");
}

TEST(JsonQuoteTest, EveryByteRoundTripsThroughTheParser) {
  std::string all;
  for (int c = 1; c < 0x80; ++c) all.push_back(static_cast<char>(c));
  all.push_back('\0');
  all += "\xc3\xa9\xf0\x9f\x98\x80";
  std::optional<JsonValue> round_trip = ParseJson(JsonQuote(all));
  ASSERT_TRUE(round_trip.has_value());
  EXPECT_EQ(round_trip->text, all);
}

TEST(AppendJsonStringTest, AppendsAfterWhatIsThere) {
  std::string out = "{\"k\":";
  AppendJsonString("a\bb\x01", out);
  out.push_back('}');
  EXPECT_EQ(out, R"({"k":"a\bb\u0001"})");
}

TEST(AppendJsonTest, WritesParsedJsonCompactlyKeepingOrderAndNumbers) {
  std::optional<JsonValue> parsed = ParseJson(
      " { \"b\" : [ 1.50, true, null, \"x\\n\" ], \"a\" : { } , \"c\":[]}");
  ASSERT_TRUE(parsed.has_value());
  std::string out;
  AppendJson(*parsed, out);
  EXPECT_EQ(out, R"({"b":[1.50,true,null,"x\n"],"a":{},"c":[]})");
}

}  // namespace
}  // namespace cortado
