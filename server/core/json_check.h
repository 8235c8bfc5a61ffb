// A minimal, strict JSON (RFC 8259) parser for the few JSON documents SQS
// keeps as queue attributes (Policy, RedrivePolicy, RedriveAllowPolicy).
// Not a general-purpose JSON library: it parses into a small tree, keeps
// numbers as the literal text, and rejects anything nested deeper than
// kMaxJsonDepth.
// Thread-safety: value types and pure functions.
#ifndef CORTADO_SERVER_CORE_JSON_CHECK_H_
#define CORTADO_SERVER_CORE_JSON_CHECK_H_

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

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(absl::string_view text);

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_JSON_CHECK_H_
