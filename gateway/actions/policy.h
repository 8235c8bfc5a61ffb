// A queue's or topic's Policy document as AddPermission / RemovePermission
// (SQS and SNS) edit it: statements keyed by Sid (the permission's Label).
// Thread-safety: pure functions.
#ifndef CORTADO_GATEWAY_ACTIONS_POLICY_H_
#define CORTADO_GATEWAY_ACTIONS_POLICY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/json.h"

namespace cortado::gateway {

// Parses a Policy attribute ("" = a new, empty policy for `queue_arn`).
absl::StatusOr<JsonValue> ParsePolicy(const std::string& policy,
                                      const std::string& queue_arn);

// The Statement array of `policy` (created if missing).
JsonValue& Statements(JsonValue& policy);

// A statement {"Sid","Effect":"Allow","Principal":{"AWS":..},"Action":..,
// "Resource"}; each action is written "<service>:<action>" ("SQS:SendMessage",
// "SNS:Publish").
JsonValue MakeStatement(const std::string& label,
                        const std::vector<std::string>& account_ids,
                        const std::vector<std::string>& actions,
                        const std::string& resource_arn,
                        absl::string_view service);

// True if `policy` has a statement whose Sid is `label`.
bool HasStatement(JsonValue& policy, const std::string& label);

// Removes the statements whose Sid is `label`; false if there was none.
bool RemoveStatement(JsonValue& policy, const std::string& label);

// Serializes a JSON tree (numbers as their literal text).
std::string SerializeJson(const JsonValue& value);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_ACTIONS_POLICY_H_
