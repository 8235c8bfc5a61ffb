// Matching a parsed SNS filter policy against a message: AND across keys, OR
// across a key's conditions, OR across $or branches (sqs-protocol.md §6.6).
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/json.h"
#include "server/core/filter_policy.h"

namespace cortado {
namespace {

using Kind = FilterCondition::Kind;

// One value a condition is tested against: a string, a number, a boolean or
// null. Attributes of type String give strings, Number gives numbers,
// String.Array gives its elements; body values map from JSON types.
struct Value {
  enum class Type { kString, kNumber, kBool, kNull } type = Type::kNull;
  std::string text;  // kString
  double number = 0;
  bool boolean = false;
};

std::optional<Value> FromJson(const JsonValue& json) {
  Value value;
  switch (json.type) {
    case JsonValue::Type::kString:
      value.type = Value::Type::kString;
      value.text = json.text;
      return value;
    case JsonValue::Type::kNumber:
      if (!absl::SimpleAtod(json.text, &value.number)) return std::nullopt;
      value.type = Value::Type::kNumber;
      return value;
    case JsonValue::Type::kBool:
      value.type = Value::Type::kBool;
      value.boolean = json.boolean;
      return value;
    case JsonValue::Type::kNull:
      return value;
    default:
      return std::nullopt;  // objects never match a value condition
  }
}

bool InCidr(const FilterCondition& condition, absl::string_view text) {
  std::vector<absl::string_view> octets = absl::StrSplit(text, '.');
  if (octets.size() != 4) return false;
  uint32_t address = 0;
  for (absl::string_view octet : octets) {
    int value = 0;
    if (!absl::SimpleAtoi(octet, &value) || value < 0 || value > 255) {
      return false;
    }
    address = (address << 8) | static_cast<uint32_t>(value);
  }
  const uint32_t mask =
      condition.cidr_bits == 0 ? 0 : ~uint32_t{0} << (32 - condition.cidr_bits);
  return (address & mask) == condition.cidr_network;
}

// SNS compares numbers with "five digits of accuracy after the decimal
// point" (values from -1e9 to 1e9): a policy's 100.123456789 equals a
// message's 100.1234567. Both sides become integers of 1e-5 units, rounded
// to the nearest (so 4.35, which is 434999.99999999994 units as a double,
// stays 435000); |1e9 * 1e5| is far inside a double's exact integers.
int64_t FiveDecimals(double number) { return std::llround(number * 1e5); }

bool SameNumber(double a, double b) {
  return FiveDecimals(a) == FiveDecimals(b);
}

bool ValueMatches(const FilterCondition& condition, const Value& value) {
  const bool is_string = value.type == Value::Type::kString;
  const bool is_number = value.type == Value::Type::kNumber;
  switch (condition.kind) {
    case Kind::kExactString:
      return is_string && value.text == condition.strings[0];
    case Kind::kExactNumber:
      return is_number && SameNumber(value.number, condition.numbers[0]);
    case Kind::kNull:
      return value.type == Value::Type::kNull;
    case Kind::kBool:
      return value.type == Value::Type::kBool &&
             value.boolean == condition.exists;
    case Kind::kPrefix:
      return is_string && absl::StartsWith(value.text, condition.strings[0]);
    case Kind::kSuffix:
      return is_string && absl::EndsWith(value.text, condition.strings[0]);
    case Kind::kEqualsIgnoreCase:
      return is_string &&
             absl::EqualsIgnoreCase(value.text, condition.strings[0]);
    case Kind::kAnythingBut:
      if (is_string) {
        for (const std::string& s : condition.strings) {
          if (s == value.text) return false;
        }
      } else if (is_number) {
        for (double n : condition.numbers) {
          if (SameNumber(n, value.number)) return false;
        }
      }
      return true;
    case Kind::kAnythingButPrefix:
      return !is_string || !absl::StartsWith(value.text, condition.strings[0]);
    case Kind::kAnythingButSuffix:
      return !is_string || !absl::EndsWith(value.text, condition.strings[0]);
    case Kind::kNumeric: {
      if (!is_number) return false;
      const int64_t number = FiveDecimals(value.number);
      const int64_t lower = FiveDecimals(condition.lower);
      const int64_t upper = FiveDecimals(condition.upper);
      if (condition.has_lower &&
          (condition.lower_inclusive ? number < lower : number <= lower)) {
        return false;
      }
      if (condition.has_upper &&
          (condition.upper_inclusive ? number > upper : number >= upper)) {
        return false;
      }
      return true;
    }
    case Kind::kExists:
      return condition.exists;  // the key is present
    case Kind::kCidr:
      return is_string && InCidr(condition, value.text);
  }
  return false;
}

// Whether a key rule accepts a key whose values are `values` (nullopt: the
// key is absent). A present key with an empty value list (a Binary
// attribute, an object in the body) only satisfies {"exists": true}.
bool RuleMatches(const FilterKeyRule& rule,
                 const std::optional<std::vector<Value>>& values) {
  for (const FilterCondition& condition : rule.conditions) {
    if (!values.has_value()) {
      if (condition.kind == Kind::kExists && !condition.exists) return true;
      continue;
    }
    if (condition.kind == Kind::kExists) {
      if (condition.exists) return true;
      continue;
    }
    for (const Value& value : *values) {
      if (ValueMatches(condition, value)) return true;
    }
  }
  return false;
}

std::optional<std::vector<Value>> AttributeValues(
    const MessageAttributes& attributes, const std::string& name) {
  auto it = attributes.find(name);
  if (it == attributes.end()) return std::nullopt;
  const MessageAttributeValue& attribute = it->second;
  std::vector<Value> values;
  if (attribute.binary) return values;  // Binary attributes never match
  if (absl::StartsWith(attribute.data_type, "Number")) {
    Value value;
    if (absl::SimpleAtod(attribute.string_value, &value.number)) {
      value.type = Value::Type::kNumber;
      values.push_back(value);
    }
  } else if (absl::StartsWith(attribute.data_type, "String.Array")) {
    std::optional<JsonValue> array = ParseJson(attribute.string_value);
    if (array.has_value() && array->is_array()) {
      for (const JsonValue& element : array->elements) {
        if (std::optional<Value> value = FromJson(element)) {
          values.push_back(*value);
        }
      }
    }
  } else {
    Value value;
    value.type = Value::Type::kString;
    value.text = attribute.string_value;
    values.push_back(value);
  }
  return values;
}

// Every node at `path` below `node`. Arrays on the way are looked through
// at any depth, as SNS does: {"Records":{"eventName":[...]}} reaches each
// record of {"Records":[{"eventName":...},...]}, and arrays of arrays too.
void CollectPath(const JsonValue& node, const std::vector<std::string>& path,
                 size_t depth, std::vector<const JsonValue*>& out) {
  if (depth == path.size()) {
    out.push_back(&node);
    return;
  }
  if (node.is_array()) {
    for (const JsonValue& element : node.elements) {
      CollectPath(element, path, depth, out);
    }
    return;
  }
  if (!node.is_object()) return;
  if (const JsonValue* child = node.Find(path[depth])) {
    CollectPath(*child, path, depth + 1, out);
  }
}

// The values of a matched node: itself, or an array's elements at any depth.
void AppendValues(const JsonValue& node, std::vector<Value>& values) {
  if (node.is_array()) {
    for (const JsonValue& element : node.elements) {
      AppendValues(element, values);
    }
  } else if (std::optional<Value> value = FromJson(node)) {
    values.push_back(*value);
  }
}

std::optional<std::vector<Value>> BodyValues(
    const JsonValue& body, const std::vector<std::string>& path) {
  std::vector<const JsonValue*> nodes;
  CollectPath(body, path, 0, nodes);
  if (nodes.empty()) {
    // AWS also matches a dotted policy key ("order.status") against the
    // nested body field it names.
    std::vector<std::string> split;
    for (const std::string& key : path) {
      for (absl::string_view part : absl::StrSplit(key, '.')) {
        split.emplace_back(part);
      }
    }
    if (split.size() != path.size()) CollectPath(body, split, 0, nodes);
  }
  if (nodes.empty()) return std::nullopt;
  std::vector<Value> values;
  for (const JsonValue* node : nodes) AppendValues(*node, values);
  return values;
}

}  // namespace

bool FilterPolicy::Matches(const MessageAttributes& attributes,
                           absl::string_view body) const {
  if (branches_.empty()) return true;
  std::optional<JsonValue> parsed;
  if (scope_ == FilterPolicyScope::kMessageBody) {
    parsed = ParseJson(body);
    if (!parsed.has_value() || !parsed->is_object()) return false;
  }
  for (const FilterBranch& branch : branches_) {
    bool all = true;
    for (const FilterKeyRule& rule : branch.rules) {
      const std::optional<std::vector<Value>> values =
          parsed.has_value() ? BodyValues(*parsed, rule.path)
                             : AttributeValues(attributes, rule.path[0]);
      if (!RuleMatches(rule, values)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

}  // namespace cortado
