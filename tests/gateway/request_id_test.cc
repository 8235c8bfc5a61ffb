// NewRequestId: the x-amzn-RequestId of every response, a random UUID v4.
#include "gateway/request_id.h"

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace cortado::gateway {
namespace {

TEST(NewRequestIdTest, IsALowerCaseVersion4Uuid) {
  for (int i = 0; i < 200; ++i) {
    const std::string id = NewRequestId();
    ASSERT_EQ(id.size(), 36u) << id;
    for (size_t at = 0; at < id.size(); ++at) {
      if (at == 8 || at == 13 || at == 18 || at == 23) {
        EXPECT_EQ(id[at], '-') << id;
      } else {
        EXPECT_NE(std::string("0123456789abcdef").find(id[at]),
                  std::string::npos)
            << id;
      }
    }
    EXPECT_EQ(id[14], '4') << id;  // version
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
  }
}

TEST(NewRequestIdTest, DiffersEveryTime) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(NewRequestId());
  EXPECT_EQ(ids.size(), 1000u);
}

}  // namespace
}  // namespace cortado::gateway
