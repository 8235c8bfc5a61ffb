#include "client/cli/json.h"

#include "gtest/gtest.h"

namespace cortado::cli {
namespace {

TEST(JsonStringTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonString("plain"), "\"plain\"");
  EXPECT_EQ(JsonString("say \"hi\""), R"("say \"hi\"")");
  EXPECT_EQ(JsonString("a\\b"), R"("a\\b")");
  EXPECT_EQ(JsonString("l1\nl2\r\t\b\f"), R"("l1\nl2\r\t\b\f")");
  EXPECT_EQ(JsonString(std::string("\x00\x01\x1f", 3)),
            R"("\u0000\u0001\u001f")");
  EXPECT_EQ(JsonString("\x7f"), "\"\x7f\"");
  EXPECT_EQ(JsonString("/"), "\"/\"");
}

TEST(JsonStringTest, PassesUtf8Through) {
  EXPECT_EQ(JsonString("caf\xc3\xa9 \xe2\x98\x95 \xf0\x9f\x98\x80"),
            "\"caf\xc3\xa9 \xe2\x98\x95 \xf0\x9f\x98\x80\"");
}

TEST(JsonObjectTest, KeepsInsertionOrderAndNestsRawValues) {
  EXPECT_EQ(JsonObject().Build(), "{}");
  EXPECT_EQ(JsonObject()
                .Add("b", "1")
                .Add("a", "x\"y")
                .AddRaw("list", JsonStringArray({"p", "q"}))
                .AddRaw("map", JsonStringMap({{"k", "v"}}))
                .Build(),
            R"({"b":"1","a":"x\"y","list":["p","q"],"map":{"k":"v"}})");
  EXPECT_EQ(JsonStringArray({}), "[]");
}

}  // namespace
}  // namespace cortado::cli
