#include "client/cli/key_value.h"

#include "client/cli/args.h"
#include "gtest/gtest.h"

namespace cortado::cli {
namespace {

TEST(KeyValueTest, SplitsAtTheFirstEquals) {
  auto pair = ParseKeyValue("RedrivePolicy={\"a\":1}=x", "attribute");
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(pair->first, "RedrivePolicy");
  EXPECT_EQ(pair->second, "{\"a\":1}=x");
  pair = ParseKeyValue("Policy=", "attribute");
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(pair->second, "");
  EXPECT_TRUE(IsUsageError(ParseKeyValue("novalue", "tag").status()));
  EXPECT_TRUE(IsUsageError(ParseKeyValue("=v", "tag").status()));
}

TEST(KeyValueTest, MessageAttributesDefaultToString) {
  auto attribute = ParseMessageAttribute("color=red");
  ASSERT_TRUE(attribute.ok());
  EXPECT_EQ(attribute->first, "color");
  EXPECT_EQ(attribute->second, client::MessageAttributeValue::String("red"));
}

TEST(KeyValueTest, MessageAttributesTakeATypeAndLabel) {
  auto number = ParseMessageAttribute("price:Number=42");
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(number->second, client::MessageAttributeValue::Number("42"));
  auto labelled = ParseMessageAttribute("w:Number.kg=1.5");
  ASSERT_TRUE(labelled.ok());
  EXPECT_EQ(labelled->second.data_type, "Number.kg");
  auto binary = ParseMessageAttribute("b:Binary=AP8B");
  ASSERT_TRUE(binary.ok());
  EXPECT_EQ(binary->second, client::MessageAttributeValue::Binary(
                                std::string("\x00\xff\x01", 3)));
}

TEST(KeyValueTest, BadMessageAttributesAreUsageErrors) {
  EXPECT_TRUE(IsUsageError(ParseMessageAttribute("b:Binary=***").status()));
  EXPECT_TRUE(IsUsageError(ParseMessageAttribute("x:Date=1").status()));
  EXPECT_TRUE(IsUsageError(ParseMessageAttribute("x:Number.=1").status()));
  EXPECT_TRUE(IsUsageError(ParseMessageAttribute(":String=1").status()));
}

}  // namespace
}  // namespace cortado::cli
