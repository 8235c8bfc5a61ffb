#include "client/coffee/order.h"

#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace cortado::coffee {
namespace {

absl::Status ParseError(const std::string& body) {
  return ParseOrder("id", body).status();
}

TEST(ParseOrderTest, SeedDocumentBodyGivesTypeAndTimestamp) {
  absl::StatusOr<Order> order = ParseOrder("m-1", "Latte|2025-02-26 10:30:00");
  ASSERT_TRUE(order.ok()) << order.status();
  EXPECT_EQ(order->message_id, "m-1");
  EXPECT_EQ(order->coffee_type, "Latte");
  EXPECT_EQ(order->timestamp, "2025-02-26 10:30:00");
}

TEST(ParseOrderTest, BodyAndFieldsAreTrimmed) {
  absl::StatusOr<Order> order =
      ParseOrder("m", " \t Flat White | 2025-02-26 10:30:00 \r\n");
  ASSERT_TRUE(order.ok()) << order.status();
  EXPECT_EQ(order->coffee_type, "Flat White");
  EXPECT_EQ(order->timestamp, "2025-02-26 10:30:00");
}

TEST(ParseOrderTest, AccentedCoffeeTypesAreCountedInCharacters) {
  absl::StatusOr<Order> order =
      ParseOrder("m", "Café con leche|2025-02-26 10:30:00");
  ASSERT_TRUE(order.ok()) << order.status();
  EXPECT_EQ(order->coffee_type, "Café con leche");
  // 50 two-byte characters fit VARCHAR(50); 51 do not.
  std::string fifty;
  for (int i = 0; i < 50; ++i) fifty += "é";
  EXPECT_TRUE(ParseOrder("m", fifty + "|2025-02-26 10:30:00").ok());
  EXPECT_EQ(ParseError(fifty + "é|2025-02-26 10:30:00").code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParseOrderTest, MalformedShapesAreInvalidArgument) {
  for (const std::string& body : {
           std::string(""),
           std::string("Latte"),
           std::string("Latte 2025-02-26 10:30:00"),
           std::string("|2025-02-26 10:30:00"),
           std::string("   |2025-02-26 10:30:00"),
           std::string("Latte|"),
           std::string("Latte|Mocha|2025-02-26 10:30:00"),
           std::string("Latte|2025-02-26T10:30:00"),
           std::string("Latte|2025-2-26 10:30:00"),
           std::string("Latte|2025-02-26 10:30"),
           std::string("Latte|2025-02-26 10:30:00.5"),
           std::string("Latte|yesterday"),
           std::string(51, 'x') + "|2025-02-26 10:30:00",
       }) {
    EXPECT_EQ(ParseError(body).code(), absl::StatusCode::kInvalidArgument)
        << body;
  }
}

TEST(ParseOrderTest, DatesAndTimesMustExist) {
  EXPECT_TRUE(ParseOrder("m", "Latte|2024-02-29 23:59:59").ok());  // leap
  EXPECT_TRUE(ParseOrder("m", "Latte|0001-01-01 00:00:00").ok());
  EXPECT_TRUE(ParseOrder("m", "Latte|9999-12-31 23:59:59").ok());
  for (const char* timestamp :
       {"2023-02-29 10:00:00", "2025-02-30 10:00:00", "2025-13-01 10:00:00",
        "2025-00-10 10:00:00", "2025-04-31 10:00:00", "2025-02-26 24:00:00",
        "2025-02-26 10:60:00", "2025-02-26 10:30:60", "0000-01-01 00:00:00"}) {
    EXPECT_EQ(ParseError(std::string("Latte|") + timestamp).code(),
              absl::StatusCode::kInvalidArgument)
        << timestamp;
  }
}

TEST(ParseOrderTest, InvalidUtf8AndControlCharactersAreRefused) {
  for (const std::string& coffee_type : {
           std::string("Caf\xe9"),        // Latin-1, not UTF-8
           std::string("Caf\xc3"),        // truncated sequence
           std::string("\xc0\xafLatte"),  // overlong '/'
           std::string("\xed\xa0\x80x"),  // UTF-16 surrogate
           std::string("La\0tte", 6),     // NUL: PostgreSQL cannot store it
           std::string("La\ttte"),        // control character
       }) {
    EXPECT_EQ(ParseError(coffee_type + "|2025-02-26 10:30:00").code(),
              absl::StatusCode::kInvalidArgument)
        << coffee_type;
  }
}

}  // namespace
}  // namespace cortado::coffee
