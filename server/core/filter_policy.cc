// Parsing and validation of SNS filter policies. The error texts follow what
// SNS answers (as recorded by moto/LocalStack against AWS), minus AWS's
// trailing Jackson "at [Source: ...]" location, which no client parses.
#include "server/core/filter_policy.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/json.h"
#include "server/core/errors.h"

namespace cortado {
namespace {

using Kind = FilterCondition::Kind;

// AWS counts value combinations and rejects more than this.
constexpr int kMaxCombinations = 150;
constexpr int kMaxKeys = 5;

absl::Status PolicyError(absl::string_view reason) {
  return MakeError(ErrorKind::kInvalidParameter,
                   absl::StrCat("Invalid parameter: FilterPolicy: ", reason));
}

absl::StatusOr<double> ToNumber(const JsonValue& value) {
  double number = 0;
  if (!absl::SimpleAtod(value.text, &number)) {
    return PolicyError(
        "Match value must be String, number, true, false, or null");
  }
  return number;
}

// Parses "a.b.c.d/n" into network and prefix length.
bool ParseCidr(absl::string_view text, uint32_t& network, int& bits) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
  if (parts.size() != 2) return false;
  if (!absl::SimpleAtoi(parts[1], &bits) || bits < 0 || bits > 32) {
    return false;
  }
  std::vector<absl::string_view> octets = absl::StrSplit(parts[0], '.');
  if (octets.size() != 4) return false;
  uint32_t address = 0;
  for (absl::string_view octet : octets) {
    int value = 0;
    if (octet.empty() || !absl::SimpleAtoi(octet, &value) || value < 0 ||
        value > 255) {
      return false;
    }
    address = (address << 8) | static_cast<uint32_t>(value);
  }
  const uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  network = address & mask;
  return true;
}

// {"numeric": [op, n] | [">"|">=", n, "<"|"<=", m]}.
absl::Status ParseNumeric(const JsonValue& spec, FilterCondition& condition) {
  if (!spec.is_array()) {
    return PolicyError("Value of numeric must be an array.");
  }
  const std::vector<JsonValue>& items = spec.elements;
  if (items.empty()) return PolicyError("Invalid member in numeric match: ]");
  size_t i = 0;
  auto read_bound = [&](const std::string& op) -> absl::StatusOr<double> {
    if (i >= items.size() || !items[i].is_number()) {
      return PolicyError(absl::StrCat("Value of ", op, " must be numeric"));
    }
    return ToNumber(items[i++]);
  };
  if (!items[0].is_string()) {
    return PolicyError(
        absl::StrCat("Invalid member in numeric match: ",
                     items[0].is_number() ? items[0].text : "?"));
  }
  const std::string op = items[i++].text;
  if (op != "=" && op != "<" && op != "<=" && op != ">" && op != ">=") {
    return PolicyError(
        absl::StrCat("Unrecognized numeric range operator: ", op));
  }
  absl::StatusOr<double> first = read_bound(op);
  if (!first.ok()) return first.status();
  condition.kind = Kind::kNumeric;
  if (op == "=") {
    condition.has_lower = condition.has_upper = true;
    condition.lower_inclusive = condition.upper_inclusive = true;
    condition.lower = condition.upper = *first;
  } else if (op[0] == '>') {
    condition.has_lower = true;
    condition.lower_inclusive = op == ">=";
    condition.lower = *first;
  } else {
    condition.has_upper = true;
    condition.upper_inclusive = op == "<=";
    condition.upper = *first;
  }
  if (i == items.size()) return absl::OkStatus();
  if (op[0] != '>') {
    return PolicyError("Too many elements in numeric expression");
  }
  const std::string second_op = items[i].is_string() ? items[i].text : "";
  ++i;
  if (second_op != "<" && second_op != "<=") {
    return PolicyError(absl::StrCat("Bad numeric range operator: ", second_op));
  }
  absl::StatusOr<double> second = read_bound(second_op);
  if (!second.ok()) return second.status();
  if (*second <= *first) return PolicyError("Bottom must be less than top");
  if (i != items.size()) {
    return PolicyError("Too many elements in numeric expression");
  }
  condition.has_upper = true;
  condition.upper_inclusive = second_op == "<=";
  condition.upper = *second;
  return absl::OkStatus();
}

// {"anything-but": "x" | 5 | ["x", 5] | {"prefix": "x"} | {"suffix": "x"}}.
absl::Status ParseAnythingBut(const JsonValue& spec,
                              FilterCondition& condition) {
  condition.kind = Kind::kAnythingBut;
  auto add = [&](const JsonValue& value) -> absl::Status {
    if (value.is_string()) {
      condition.strings.push_back(value.text);
    } else if (value.is_number()) {
      absl::StatusOr<double> number = ToNumber(value);
      if (!number.ok()) return number.status();
      condition.numbers.push_back(*number);
    } else {
      return PolicyError(
          "Value of anything-but must be an array or single string/number "
          "value.");
    }
    return absl::OkStatus();
  };
  if (spec.is_array()) {
    if (spec.elements.empty()) {
      return PolicyError("Empty arrays are not allowed");
    }
    for (const JsonValue& value : spec.elements) {
      if (absl::Status status = add(value); !status.ok()) return status;
    }
    return absl::OkStatus();
  }
  if (spec.is_object()) {
    if (spec.members.size() != 1) {
      return PolicyError("Only one key allowed in match expression");
    }
    const JsonValue& inner = spec.members[0];
    if (inner.key != "prefix" && inner.key != "suffix") {
      return PolicyError(
          absl::StrCat("Unsupported anything-but pattern: ", inner.key));
    }
    if (!inner.is_string()) {
      return PolicyError(
          absl::StrCat(inner.key, " match pattern must be a string"));
    }
    condition.kind = inner.key == "prefix" ? Kind::kAnythingButPrefix
                                           : Kind::kAnythingButSuffix;
    condition.strings.push_back(inner.text);
    return absl::OkStatus();
  }
  return add(spec);
}

absl::StatusOr<FilterCondition> ParseCondition(const JsonValue& value) {
  FilterCondition condition;
  switch (value.type) {
    case JsonValue::Type::kString:
      condition.kind = Kind::kExactString;
      condition.strings.push_back(value.text);
      return condition;
    case JsonValue::Type::kNumber: {
      absl::StatusOr<double> number = ToNumber(value);
      if (!number.ok()) return number.status();
      condition.kind = Kind::kExactNumber;
      condition.numbers.push_back(*number);
      return condition;
    }
    case JsonValue::Type::kNull:
      condition.kind = Kind::kNull;
      return condition;
    case JsonValue::Type::kBool:
      condition.kind = Kind::kBool;
      condition.exists = value.boolean;
      return condition;
    case JsonValue::Type::kArray:
      return PolicyError(
          "Match value must be String, number, true, false, or null");
    case JsonValue::Type::kObject:
      break;
  }
  if (value.members.size() != 1) {
    return PolicyError("Only one key allowed in match expression");
  }
  const JsonValue& spec = value.members[0];
  const std::string& type = spec.key;
  if (type == "prefix" || type == "suffix" || type == "equals-ignore-case") {
    if (!spec.is_string()) {
      return PolicyError(absl::StrCat(type, " match pattern must be a string"));
    }
    condition.kind = type == "prefix"   ? Kind::kPrefix
                     : type == "suffix" ? Kind::kSuffix
                                        : Kind::kEqualsIgnoreCase;
    condition.strings.push_back(spec.text);
    return condition;
  }
  if (type == "exists") {
    if (spec.type != JsonValue::Type::kBool) {
      return PolicyError("exists match pattern must be either true or false.");
    }
    condition.kind = Kind::kExists;
    condition.exists = spec.boolean;
    return condition;
  }
  if (type == "anything-but") {
    if (absl::Status status = ParseAnythingBut(spec, condition); !status.ok()) {
      return status;
    }
    return condition;
  }
  if (type == "numeric") {
    if (absl::Status status = ParseNumeric(spec, condition); !status.ok()) {
      return status;
    }
    return condition;
  }
  if (type == "cidr") {
    if (!spec.is_string() ||
        !ParseCidr(spec.text, condition.cidr_network, condition.cidr_bits)) {
      return PolicyError("Malformed CIDR, one '/' required");
    }
    condition.kind = Kind::kCidr;
    return condition;
  }
  return PolicyError(absl::StrCat("Unrecognized match type ", type));
}

// Every branch of `left` AND-ed with every branch of `right`.
std::vector<FilterBranch> CrossProduct(const std::vector<FilterBranch>& left,
                                       const std::vector<FilterBranch>& right) {
  std::vector<FilterBranch> out;
  for (const FilterBranch& a : left) {
    for (const FilterBranch& b : right) {
      FilterBranch both = a;
      both.rules.insert(both.rules.end(), b.rules.begin(), b.rules.end());
      out.push_back(std::move(both));
    }
  }
  return out;
}

// Turns one policy object (at `path`) into an OR of AND-branches, counting
// the value combinations SNS limits.
absl::StatusOr<std::vector<FilterBranch>> ParseObject(
    const JsonValue& object, const std::vector<std::string>& path,
    FilterPolicyScope scope, int& combinations) {
  std::vector<FilterBranch> branches(1);
  for (const JsonValue& member : object.members) {
    if (member.key == "$or") {
      if (!member.is_array() || member.elements.size() < 2) {
        return PolicyError("$or must be an array of at least two objects");
      }
      std::vector<FilterBranch> alternatives;
      for (const JsonValue& alternative : member.elements) {
        if (!alternative.is_object() || alternative.members.empty()) {
          return PolicyError("$or must be an array of at least two objects");
        }
        absl::StatusOr<std::vector<FilterBranch>> sub =
            ParseObject(alternative, path, scope, combinations);
        if (!sub.ok()) return sub.status();
        alternatives.insert(alternatives.end(), sub->begin(), sub->end());
      }
      branches = CrossProduct(branches, alternatives);
      continue;
    }
    std::vector<std::string> key_path = path;
    key_path.push_back(member.key);
    if (member.is_object()) {
      if (scope == FilterPolicyScope::kMessageAttributes) {
        return MakeError(ErrorKind::kInvalidParameter,
                         "Invalid parameter: Filter policy scope "
                         "MessageAttributes does not support nested filter "
                         "policy");
      }
      absl::StatusOr<std::vector<FilterBranch>> sub =
          ParseObject(member, key_path, scope, combinations);
      if (!sub.ok()) return sub.status();
      branches = CrossProduct(branches, *sub);
      continue;
    }
    if (!member.is_array()) {
      return PolicyError(
          absl::StrCat("\"", member.key, "\" must be an object or an array"));
    }
    if (member.elements.empty()) {
      return PolicyError("Empty arrays are not allowed");
    }
    FilterKeyRule rule;
    rule.path = std::move(key_path);
    for (const JsonValue& value : member.elements) {
      absl::StatusOr<FilterCondition> condition = ParseCondition(value);
      if (!condition.ok()) return condition.status();
      rule.conditions.push_back(*std::move(condition));
    }
    combinations *= static_cast<int>(rule.conditions.size());
    if (combinations > kMaxCombinations) {
      return PolicyError("Filter policy is too complex");
    }
    for (FilterBranch& branch : branches) branch.rules.push_back(rule);
  }
  return branches;
}

}  // namespace

absl::StatusOr<FilterPolicyScope> ParseFilterPolicyScope(
    absl::string_view value) {
  if (value == "MessageAttributes")
    return FilterPolicyScope::kMessageAttributes;
  if (value == "MessageBody") return FilterPolicyScope::kMessageBody;
  return MakeError(ErrorKind::kInvalidParameter,
                   absl::StrCat("Invalid parameter: FilterPolicyScope: Invalid "
                                "value [",
                                value,
                                "]. Please use either MessageBody or "
                                "MessageAttributes"));
}

absl::string_view FilterPolicyScopeName(FilterPolicyScope scope) {
  return scope == FilterPolicyScope::kMessageBody ? "MessageBody"
                                                  : "MessageAttributes";
}

absl::StatusOr<FilterPolicy> FilterPolicy::Parse(absl::string_view json,
                                                 FilterPolicyScope scope) {
  FilterPolicy policy;
  policy.scope_ = scope;
  if (absl::StripAsciiWhitespace(json).empty()) return policy;
  std::optional<JsonValue> root = ParseJson(json);
  if (!root.has_value()) {
    return PolicyError("failed to parse JSON.");
  }
  if (!root->is_object()) {
    return PolicyError("Filter policy must be a JSON object");
  }
  if (root->members.empty()) return policy;
  if (root->members.size() > kMaxKeys) {
    return PolicyError("Filter policy can not have more than 5 keys");
  }
  int combinations = 1;
  absl::StatusOr<std::vector<FilterBranch>> branches =
      ParseObject(*root, {}, scope, combinations);
  if (!branches.ok()) return branches.status();
  if (branches->size() > kMaxCombinations) {
    return PolicyError("Filter policy is too complex");
  }
  policy.branches_ = *std::move(branches);
  return policy;
}

}  // namespace cortado
