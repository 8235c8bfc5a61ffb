// Receipt handles: what EncodeReceiptHandle writes decodes to the same
// fields, and nothing else decodes (server/core/receipt_handle.h).
#include "server/core/receipt_handle.h"

#include <cstdint>
#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace cortado {
namespace {

TEST(ReceiptHandleTest, RoundTrips) {
  const ReceiptHandle handle{3, 17, 2};
  const std::string text = EncodeReceiptHandle(handle);
  EXPECT_EQ(text.size(), 32u);
  std::optional<ReceiptHandle> decoded = DecodeReceiptHandle(text);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->queue_id, 3u);
  EXPECT_EQ(decoded->sequence, 17u);
  EXPECT_EQ(decoded->receive_count, 2);
}

TEST(ReceiptHandleTest, RejectsGarbageAndAFlippedCharacter) {
  EXPECT_FALSE(DecodeReceiptHandle("").has_value());
  EXPECT_FALSE(DecodeReceiptHandle("not-a-handle").has_value());
  std::string text = EncodeReceiptHandle({3, 17, 1});
  text[5] = text[5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(DecodeReceiptHandle(text).has_value());
}

// Bug receipt-handle-whitespace (tests/fuzz/receipt_handle_fuzzer, input
// tests/fuzz/corpus/receipt_handle_fuzzer/crash-receipt-handle-whitespace):
// the base64 decoder skipped whitespace and accepted padding, so a valid
// handle with a space or a newline inside, or "=" after it, was taken for
// the handle itself.
TEST(ReceiptHandleTest, ReceiptHandleWhitespaceOrPaddingIsRejected) {
  const std::string text = EncodeReceiptHandle({3, 17, 1});
  ASSERT_TRUE(DecodeReceiptHandle(text).has_value());
  for (const std::string& variant :
       {text.substr(0, 10) + " " + text.substr(10),
        text.substr(0, 10) + "\n" + text.substr(10), " " + text, text + "\t",
        text + "=", text + "==", text + "===="}) {
    EXPECT_FALSE(DecodeReceiptHandle(variant).has_value()) << variant;
  }
}

}  // namespace
}  // namespace cortado
