#include "client/cli/json.h"

#include "gtest/gtest.h"

namespace cortado::cli {
namespace {

// The escaping itself is common/json.h's, tested in tests/common/.
TEST(JsonObjectTest, QuotesKeysAndStringValues) {
  EXPECT_EQ(JsonObject().Add("k\"", "l1\nl2\b").Build(),
            R"({"k\"":"l1\nl2\b"})");
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
