#include "server/core/prepared_send.h"

#include <string>

#include "common/uuid.h"
#include "gtest/gtest.h"
#include "server/core/errors.h"
#include "server/core/message_attributes.h"
#include "tests/testing/status_matchers.h"

namespace cortado {
namespace {

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
  uint8_t id[16];
  ASSERT_TRUE(ParseUuid(prepared.message_id, id)) << prepared.message_id;
  EXPECT_EQ(id[6] >> 4, 4) << prepared.message_id;  // version 4
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
