// ListQueues: prefix selection, sorting, and paging with MaxResults and
// NextToken (never repeated, none without MaxResults).
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

class BrokerListQueuesTest : public BrokerTest {
 protected:
  void CreateAll(const std::vector<std::string>& names) {
    for (const std::string& name : names) ASSERT_OK(Create(name));
  }
  absl::StatusOr<ListQueuesResult> List(std::string prefix,
                                        int32_t max_results = 0,
                                        std::string next_token = "") {
    ListQueuesRequest request;
    request.prefix = std::move(prefix);
    request.max_results = max_results;
    request.next_token = std::move(next_token);
    return broker_->ListQueues(request);
  }
  // Follows NextToken to the end; fails the test on a repeated token.
  std::vector<std::string> ListAllPages(const std::string& prefix,
                                        int32_t max_results, int* pages) {
    std::vector<std::string> names;
    std::set<std::string> tokens;
    std::string token;
    *pages = 0;
    do {
      absl::StatusOr<ListQueuesResult> page = List(prefix, max_results, token);
      EXPECT_OK(page);
      if (!page.ok()) break;
      ++*pages;
      EXPECT_LE(page->queue_names.size(), static_cast<size_t>(max_results));
      names.insert(names.end(), page->queue_names.begin(),
                   page->queue_names.end());
      token = page->next_token;
      EXPECT_TRUE(token.empty() || tokens.insert(token).second)
          << "NextToken repeated: " << token;
      if (*pages > 100) break;
    } while (!token.empty());
    return names;
  }
};

TEST_F(BrokerListQueuesTest, ListsEveryQueueSortedWithoutToken) {
  CreateAll({"b", "c", "a"});
  absl::StatusOr<ListQueuesResult> listed = List("");
  ASSERT_OK(listed);
  EXPECT_THAT(listed->queue_names, ElementsAre("a", "b", "c"));
  EXPECT_EQ(listed->next_token, "");
}

TEST_F(BrokerListQueuesTest, NoQueuesListsNothing) {
  absl::StatusOr<ListQueuesResult> listed = List("");
  ASSERT_OK(listed);
  EXPECT_THAT(listed->queue_names, IsEmpty());
  EXPECT_EQ(listed->next_token, "");
}

TEST_F(BrokerListQueuesTest, PrefixSelectsCaseSensitively) {
  CreateAll({"orders-1", "orders-2", "Orders-3", "payments", "order"});
  absl::StatusOr<ListQueuesResult> listed = List("orders");
  ASSERT_OK(listed);
  EXPECT_THAT(listed->queue_names, ElementsAre("orders-1", "orders-2"));
  listed = List("zzz");
  ASSERT_OK(listed);
  EXPECT_THAT(listed->queue_names, IsEmpty());
}

TEST_F(BrokerListQueuesTest, MaxResultsPagesWithDistinctTokens) {
  std::vector<std::string> names;
  for (int i = 0; i < 7; ++i) names.push_back(absl::StrCat("q", i));
  CreateAll(names);
  int pages = 0;
  EXPECT_THAT(ListAllPages("", 3, &pages), ::testing::ElementsAreArray(names));
  EXPECT_EQ(pages, 3);
}

TEST_F(BrokerListQueuesTest, LastFullPageHasNoToken) {
  CreateAll({"a", "b", "c", "d"});
  absl::StatusOr<ListQueuesResult> first = List("", 2);
  ASSERT_OK(first);
  EXPECT_THAT(first->queue_names, ElementsAre("a", "b"));
  ASSERT_NE(first->next_token, "");
  absl::StatusOr<ListQueuesResult> second = List("", 2, first->next_token);
  ASSERT_OK(second);
  EXPECT_THAT(second->queue_names, ElementsAre("c", "d"));
  EXPECT_EQ(second->next_token, "");
  absl::StatusOr<ListQueuesResult> all = List("", 4);
  ASSERT_OK(all);
  EXPECT_EQ(all->next_token, "");
}

TEST_F(BrokerListQueuesTest, PagingWithPrefixOnlyListsMatchingQueues) {
  CreateAll({"a1", "b1", "a2", "b2", "a3", "b3"});
  int pages = 0;
  EXPECT_THAT(ListAllPages("b", 1, &pages), ElementsAre("b1", "b2", "b3"));
  EXPECT_EQ(pages, 3);
}

TEST_F(BrokerListQueuesTest, QueuesChangedBetweenPagesAreNeverRepeated) {
  CreateAll({"a", "b", "c", "d"});
  absl::StatusOr<ListQueuesResult> first = List("", 2);
  ASSERT_OK(first);
  EXPECT_THAT(first->queue_names, ElementsAre("a", "b"));
  ASSERT_OK(DeleteQueue("b"));
  ASSERT_OK(Create("aa"));  // sorts before the token: not listed again
  ASSERT_OK(Create("e"));
  absl::StatusOr<ListQueuesResult> second = List("", 2, first->next_token);
  ASSERT_OK(second);
  EXPECT_THAT(second->queue_names, ElementsAre("c", "d"));
  absl::StatusOr<ListQueuesResult> third = List("", 2, second->next_token);
  ASSERT_OK(third);
  EXPECT_THAT(third->queue_names, ElementsAre("e"));
  EXPECT_EQ(third->next_token, "");
}

TEST_F(BrokerListQueuesTest, WithoutMaxResultsAtMostAThousandAndNoToken) {
  std::vector<std::string> names;
  for (int i = 0; i < 1001; ++i) names.push_back(absl::StrCat("q", 10000 + i));
  CreateAll(names);
  absl::StatusOr<ListQueuesResult> listed = List("");
  ASSERT_OK(listed);
  EXPECT_EQ(listed->queue_names.size(), 1000u);
  EXPECT_EQ(listed->next_token, "");
  absl::StatusOr<ListQueuesResult> paged = List("", 1000);
  ASSERT_OK(paged);
  EXPECT_EQ(paged->queue_names.size(), 1000u);
  EXPECT_NE(paged->next_token, "");
  absl::StatusOr<ListQueuesResult> rest = List("", 1000, paged->next_token);
  ASSERT_OK(rest);
  EXPECT_THAT(rest->queue_names, ElementsAre("q11000"));
  EXPECT_EQ(rest->next_token, "");
}

TEST_F(BrokerListQueuesTest, MaxResultsOutOfRangeIsInvalidParameterValue) {
  CreateAll({"a"});
  EXPECT_EQ(GetErrorKind(List("", 1001).status()),
            ErrorKind::kInvalidParameterValue);
  EXPECT_EQ(GetErrorKind(List("", -1).status()),
            ErrorKind::kInvalidParameterValue);
}

TEST_F(BrokerListQueuesTest, GarbageTokenIsInvalidParameterValue) {
  CreateAll({"a"});
  EXPECT_EQ(GetErrorKind(List("", 1, "!!not a token!!").status()),
            ErrorKind::kInvalidParameterValue);
}

}  // namespace
}  // namespace cortado::testing
