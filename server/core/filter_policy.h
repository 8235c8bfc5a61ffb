// SNS subscription filter policies (sqs-protocol.md §6.6): parsing with
// SNS's validation rules and error wording, and matching against a
// message's attributes or its JSON body.
// Thread-safety: a parsed FilterPolicy is immutable; Matches is const and
// safe to call concurrently.
#ifndef CORTADO_SERVER_CORE_FILTER_POLICY_H_
#define CORTADO_SERVER_CORE_FILTER_POLICY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/core/message_attributes.h"

namespace cortado {

enum class FilterPolicyScope { kMessageAttributes, kMessageBody };

// Parses "MessageAttributes" / "MessageBody"; InvalidParameter otherwise
// with SNS's wording ("Invalid parameter: FilterPolicyScope: Invalid value
// [x]. Please use either MessageBody or MessageAttributes").
absl::StatusOr<FilterPolicyScope> ParseFilterPolicyScope(
    absl::string_view value);
absl::string_view FilterPolicyScopeName(FilterPolicyScope scope);

// One condition on one value ("red", 5, {"prefix":"bl"}, {"numeric":[...]},
// {"anything-but":[...]}, {"exists":true}, ...).
struct FilterCondition {
  enum class Kind {
    kExactString,        // strings[0]
    kExactNumber,        // numbers[0]
    kNull,               // JSON null: matches a body null
    kBool,               // `exists` holds the value; matches a body boolean
    kPrefix,             // strings[0]
    kSuffix,             // strings[0]
    kEqualsIgnoreCase,   // strings[0]
    kAnythingBut,        // none of strings / numbers
    kAnythingButPrefix,  // strings[0]
    kAnythingButSuffix,  // strings[0]
    kNumeric,            // lower/upper bounds below
    kExists,             // exists
    kCidr,               // cidr_* below
  };
  Kind kind = Kind::kExactString;
  std::vector<std::string> strings;
  std::vector<double> numbers;
  bool exists = true;
  // kNumeric: an optional lower and upper bound (or "=" via both inclusive).
  bool has_lower = false, lower_inclusive = false;
  double lower = 0;
  bool has_upper = false, upper_inclusive = false;
  double upper = 0;
  // kCidr: IPv4 network and prefix length.
  uint32_t cidr_network = 0;
  int cidr_bits = 0;
};

// The conditions on one key path (OR-ed).
struct FilterKeyRule {
  std::vector<std::string> path;  // one element for attribute scope
  std::vector<FilterCondition> conditions;
};

// A conjunction of key rules; a policy is an OR of such branches ($or
// expands into several branches).
struct FilterBranch {
  std::vector<FilterKeyRule> rules;
};

class FilterPolicy {
 public:
  // Validates `json` as SNS does. An empty string or "{}" is a policy that
  // matches everything. Errors are MakeError(ErrorKind::kInvalidParameter,
  // "Invalid parameter: FilterPolicy: ...") with SNS's wording.
  static absl::StatusOr<FilterPolicy> Parse(absl::string_view json,
                                            FilterPolicyScope scope);

  // True if a message with these attributes / this body passes. Body scope:
  // the body is parsed as JSON; a body that is not a JSON object never
  // matches (unless the policy is empty).
  bool Matches(const MessageAttributes& attributes,
               absl::string_view body) const;

  FilterPolicyScope scope() const { return scope_; }
  bool empty() const { return branches_.empty(); }

  FilterPolicy() = default;  // matches everything

 private:
  FilterPolicyScope scope_ = FilterPolicyScope::kMessageAttributes;
  std::vector<FilterBranch> branches_;  // OR of branches; empty = match all
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_FILTER_POLICY_H_
