// The project's one JSON reader and string escaper, shared by the server
// (SQS JSON requests, queue and topic attributes, filter policies, the SNS
// envelope) and the clients (the CLI's --json output).
//
// The reader is strict RFC 8259: it parses into a small tree, keeps numbers
// as the literal text, and rejects anything nested deeper than
// kMaxJsonDepth. The writer is just string escaping: every producer of JSON
// here builds its documents itself and quotes strings with
// AppendJsonString, so every copy escapes the same way.
// Thread-safety: value types and pure functions.
#ifndef CORTADO_COMMON_JSON_H_
#define CORTADO_COMMON_JSON_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cortado {

inline constexpr int kMaxJsonDepth = 64;

struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  Type type = Type::kNull;
  bool boolean = false;  // kBool
  // kNumber: the literal exactly as written (e.g. "5", "-1.5e3");
  // kString: the decoded UTF-8 text.
  std::string text;
  std::vector<JsonValue> elements;  // kArray
  // kObject: the members in order, each carrying its name in `key`. (A
  // vector of pairs would need JsonValue complete inside its own definition.)
  std::vector<JsonValue> members;
  std::string key;  // set on the members of an object

  bool is_object() const { return type == Type::kObject; }
  bool is_string() const { return type == Type::kString; }
  bool is_number() const { return type == Type::kNumber; }
  bool is_array() const { return type == Type::kArray; }

  // The member named `key` of an object (the last one if repeated), or null.
  const JsonValue* Find(absl::string_view key) const;
};

// Parses one JSON value, surrounded by optional whitespace. nullopt if `text`
// is not valid JSON (or nests deeper than kMaxJsonDepth).
std::optional<JsonValue> ParseJson(absl::string_view text);

// True if `text` is valid JSON whose top-level value is an object.
bool IsJsonObject(absl::string_view text);

// Appends `text` to `out` as a JSON string literal, quotes included.
// Escapes the quote, the backslash, \b \f \n \r \t by their short forms
// and every other control character (below 0x20) as \u00XX; every other
// byte, UTF-8 sequences included, is copied as is (JSON text is UTF-8).
// Runs of plain characters are copied in one append: the gateway quotes
// every string of every JSON response with it (docs/PERFORMANCE.md).
void AppendJsonString(absl::string_view text, std::string& out);

// `text` as a JSON string literal, quotes included (AppendJsonString into
// a new string).
std::string JsonQuote(absl::string_view text);

// Appends `value` as compact JSON: no whitespace, members in their order,
// numbers as their literal text (so parsing and appending again gives the
// same text).
void AppendJson(const JsonValue& value, std::string& out);

}  // namespace cortado

#endif  // CORTADO_COMMON_JSON_H_
