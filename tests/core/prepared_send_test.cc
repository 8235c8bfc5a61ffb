#include "server/core/prepared_send.h"

#include <string>
#include <thread>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"
#include "server/core/errors.h"
#include "server/core/message_attributes.h"
#include "tests/testing/status_matchers.h"

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

TEST(PreparedSendTest, MessageIdsAreDistinctCanonicalVersion4Uuids) {
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = RandomMessageId();
    EXPECT_TRUE(IsCanonicalUuidV4(id)) << id;
    EXPECT_TRUE(seen.insert(id).second) << "repeated " << id;
  }
}

// Each I/O thread has its own generator: ids made on different threads at
// the same time still never repeat.
TEST(PreparedSendTest, MessageIdsFromTwoThreadsNeverRepeat) {
  std::vector<std::string> a, b;
  std::thread first([&] {
    for (int i = 0; i < 1000; ++i) a.push_back(RandomMessageId());
  });
  std::thread second([&] {
    for (int i = 0; i < 1000; ++i) b.push_back(RandomMessageId());
  });
  first.join();
  second.join();
  absl::flat_hash_set<std::string> seen(a.begin(), a.end());
  for (const std::string& id : b) EXPECT_FALSE(seen.contains(id)) << id;
}

TEST(PreparedSendTest, CarriesTheDigestsSqsAnswersWith) {
  SendMessageEntry entry;
  entry.body = "Latte|2025-02-26 10:30:00";
  entry.attributes["n"] = {"Number", "4.20", "", false};
  const PreparedSend prepared = PrepareSend(entry);
  ASSERT_OK(prepared.body_check);
  EXPECT_EQ(prepared.md5_of_message_body, Md5Hex(entry.body));
  EXPECT_EQ(prepared.md5_of_message_attributes,
            Md5OfAttributes(entry.attributes));
  EXPECT_EQ(prepared.md5_of_message_system_attributes, "");
  EXPECT_TRUE(IsCanonicalUuidV4(prepared.message_id));
}

TEST(PreparedSendTest, RefusesEmptyBodiesAndCharactersSqsDoesNotAllow) {
  SendMessageEntry empty;
  EXPECT_EQ(GetErrorKind(PrepareSend(empty).body_check),
            ErrorKind::kMissingParameter);
  SendMessageEntry control;
  control.body = std::string("a\x01", 2);
  EXPECT_EQ(GetErrorKind(PrepareSend(control).body_check),
            ErrorKind::kInvalidMessageContents);
}

}  // namespace
}  // namespace cortado
