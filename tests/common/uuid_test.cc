// common/uuid.h: random v4 UUIDs, and the 16-byte form the core keeps
// message ids in.
#include "common/uuid.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"

namespace cortado {
namespace {

bool IsCanonicalUuidV4(const std::string& id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return id[14] == '4' && std::string("89ab").find(id[19]) != std::string::npos;
}

TEST(RandomUuidTest, IdsAreDistinctCanonicalVersion4Uuids) {
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = RandomUuid();
    EXPECT_TRUE(IsCanonicalUuidV4(id)) << id;
    EXPECT_TRUE(seen.insert(id).second) << "repeated " << id;
  }
}

// Each thread has its own generator: ids made on different threads at the
// same time still never repeat.
TEST(RandomUuidTest, IdsFromTwoThreadsNeverRepeat) {
  std::vector<std::string> a, b;
  std::thread first([&] {
    for (int i = 0; i < 1000; ++i) a.push_back(RandomUuid());
  });
  std::thread second([&] {
    for (int i = 0; i < 1000; ++i) b.push_back(RandomUuid());
  });
  first.join();
  second.join();
  absl::flat_hash_set<std::string> seen(a.begin(), a.end());
  for (const std::string& id : b) EXPECT_FALSE(seen.contains(id)) << id;
}

TEST(RandomUuidTest, ParsesAndFormatsBackUnchanged) {
  for (int i = 0; i < 100; ++i) {
    const std::string id = RandomUuid();
    uint8_t bytes[16];
    ASSERT_TRUE(ParseUuid(id, bytes)) << id;
    EXPECT_EQ(FormatUuid(bytes), id);
  }
}

TEST(UuidTest, CanonicalLowerCaseIdsRoundTrip) {
  uint8_t bytes[16];
  const std::string id = "0f8fad5b-d9cb-469f-a165-70867728950e";
  ASSERT_TRUE(ParseUuid(id, bytes));
  EXPECT_EQ(bytes[0], 0x0f);
  EXPECT_EQ(bytes[1], 0x8f);
  EXPECT_EQ(bytes[4], 0xd9);  // after the first dash
  EXPECT_EQ(bytes[15], 0x0e);
  EXPECT_EQ(FormatUuid(bytes), id);
}

TEST(UuidTest, FormatsEveryByteAsTwoLowerCaseDigits) {
  uint8_t bytes[16];
  for (int i = 0; i < 16; ++i) bytes[i] = static_cast<uint8_t>(i * 17);
  EXPECT_EQ(FormatUuid(bytes), "00112233-4455-6677-8899-aabbccddeeff");
}

TEST(UuidTest, OtherStringsAreNotUuids) {
  uint8_t bytes[16];
  // Upper case would format back in lower case: not the same id.
  EXPECT_FALSE(ParseUuid("0F8FAD5B-D9CB-469F-A165-70867728950E", bytes));
  EXPECT_FALSE(ParseUuid("0f8fad5bd9cb469fa16570867728950e", bytes));
  EXPECT_FALSE(ParseUuid("0f8fad5b-d9cb-469f-a165-70867728950", bytes));
  EXPECT_FALSE(ParseUuid("0f8fad5b-d9cb-469f-a165-70867728950e0", bytes));
  EXPECT_FALSE(ParseUuid("0f8fad5bd-9cb-469f-a165-70867728950e", bytes));
  EXPECT_FALSE(ParseUuid("0f8fad5b-d9cb-469f-a165-70867728950g", bytes));
  EXPECT_FALSE(ParseUuid("", bytes));
}

}  // namespace
}  // namespace cortado
