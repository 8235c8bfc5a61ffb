// Order is one cafeteria order as the queue carries it:
//
//   "TipoCafé|YYYY-MM-DD HH:MM:SS"     e.g. "Latte|2025-02-26 10:30:00"
//
// ParseOrder validates a message body before anything touches PostgreSQL,
// so that a malformed body is rejected with a reason (and, left undeleted,
// ends in the dead-letter queue) instead of failing an INSERT: a database
// error must only ever mean "the database is unwell, try again".
// Thread-safety: plain functions and values.
#ifndef CORTADO_CLIENT_COFFEE_ORDER_H_
#define CORTADO_CLIENT_COFFEE_ORDER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cortado::coffee {

// The longest coffee_type, in characters (the column is VARCHAR(50), which
// PostgreSQL counts in characters, not bytes).
inline constexpr int kMaxCoffeeTypeChars = 50;

struct Order {
  // The queue message the order came from (the idempotency key).
  std::string message_id;
  // Valid UTF-8, 1-50 characters, no control characters, trimmed.
  std::string coffee_type;
  // "YYYY-MM-DD HH:MM:SS", a real date and time (years 0001-9999).
  std::string timestamp;
};

// Parses `body` (surrounding ASCII whitespace ignored; blanks around the '|'
// too). InvalidArgument says what is wrong.
absl::StatusOr<Order> ParseOrder(absl::string_view message_id,
                                 absl::string_view body);

}  // namespace cortado::coffee

#endif  // CORTADO_CLIENT_COFFEE_ORDER_H_
