// The queue Policy document as AddPermission / RemovePermission edit it:
// statements keyed by Sid (the permission's Label).
// Thread-safety: pure functions.
#ifndef CORTADO_GATEWAY_ACTIONS_POLICY_H_
#define CORTADO_GATEWAY_ACTIONS_POLICY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/json.h"

namespace cortado::gateway {

// Parses a Policy attribute ("" = a new, empty policy for `queue_arn`).
absl::StatusOr<JsonValue> ParsePolicy(const std::string& policy,
                                      const std::string& queue_arn);

// The Statement array of `policy` (created if missing).
JsonValue& Statements(JsonValue& policy);

// A statement {"Sid","Effect":"Allow","Principal":{"AWS":..},"Action":..,
// "Resource"}.
JsonValue MakeStatement(const std::string& label,
                        const std::vector<std::string>& account_ids,
                        const std::vector<std::string>& actions,
                        const std::string& queue_arn);

// Serializes a JSON tree (numbers as their literal text).
std::string SerializeJson(const JsonValue& value);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_ACTIONS_POLICY_H_
