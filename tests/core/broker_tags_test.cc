// TagQueue, UntagQueue and ListQueueTags.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Key;

using BrokerTagsTest = BrokerTest;

TEST_F(BrokerTagsTest, NewQueueHasNoTags) {
  ASSERT_OK(Create("orders"));
  absl::StatusOr<TagMap> tags = broker_->ListQueueTags("orders");
  ASSERT_OK(tags);
  EXPECT_THAT(*tags, IsEmpty());
}

TEST_F(BrokerTagsTest, TagQueueAddsAndOverwritesTags) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(Tag("orders", {{"team", "billing"}, {"env", "prod"}}));
  ASSERT_OK(Tag("orders", {{"team", "payments"}, {"Env", "dev"}}));
  absl::StatusOr<TagMap> tags = broker_->ListQueueTags("orders");
  ASSERT_OK(tags);
  EXPECT_EQ(*tags, (TagMap{{"Env", "dev"},
                           {"env", "prod"},
                           {"team", "payments"}}));  // keys are case-sensitive
}

TEST_F(BrokerTagsTest, UntagQueueRemovesOnlyTheNamedKeys) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(Tag("orders", {{"a", "1"}, {"b", "2"}, {"c", "3"}}));
  ASSERT_OK(Untag("orders", {"a", "c", "missing"}));
  absl::StatusOr<TagMap> tags = broker_->ListQueueTags("orders");
  ASSERT_OK(tags);
  EXPECT_THAT(*tags, ElementsAre(Key("b")));
}

TEST_F(BrokerTagsTest, TagLimitsAreEnforced) {
  ASSERT_OK(Create("orders"));
  EXPECT_OK(Tag("orders", {{std::string(128, 'k'), std::string(256, 'v')}}));
  EXPECT_EQ(GetErrorKind(Tag("orders", {{"", "v"}})),
            ErrorKind::kInvalidParameterValue);
  EXPECT_EQ(GetErrorKind(Tag("orders", {{std::string(129, 'k'), "v"}})),
            ErrorKind::kInvalidParameterValue);
  EXPECT_EQ(GetErrorKind(Tag("orders", {{"k", std::string(257, 'v')}})),
            ErrorKind::kInvalidParameterValue);
  absl::StatusOr<TagMap> tags = broker_->ListQueueTags("orders");
  ASSERT_OK(tags);
  EXPECT_EQ(tags->size(), 1u);
}

TEST_F(BrokerTagsTest, AtMostFiftyTags) {
  ASSERT_OK(Create("orders"));
  TagMap fifty;
  for (int i = 0; i < 50; ++i) fifty[absl::StrCat("k", i)] = "v";
  ASSERT_OK(Tag("orders", fifty));
  EXPECT_OK(Tag("orders", {{"k0", "overwritten"}}));
  EXPECT_EQ(GetErrorKind(Tag("orders", {{"one-too-many", "v"}})),
            ErrorKind::kInvalidParameterValue);
  absl::StatusOr<TagMap> tags = broker_->ListQueueTags("orders");
  ASSERT_OK(tags);
  EXPECT_EQ(tags->size(), 50u);
  EXPECT_EQ(tags->at("k0"), "overwritten");
}

}  // namespace
}  // namespace cortado::testing
