// Params: a protocol-neutral view of one request's parameters, so the action
// files read "QueueUrl", "Attributes" or "Entries" the same way whether the
// request came as a JSON object or as flattened query parameters
// (Attribute.1.Name, SendMessageBatchRequestEntry.2.Id, ...).
// A Params does not own its data: the JSON tree or the parameter map must
// outlive it.
// Thread-safety: read-only after construction.
#ifndef CORTADO_GATEWAY_PARAMS_H_
#define CORTADO_GATEWAY_PARAMS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/json.h"
#include "gateway/query_codec.h"
#include "server/core/message_attributes.h"

namespace cortado::gateway {

class Params {
 public:
  static Params Json(const JsonValue* object) { return Params(object); }
  static Params Query(const QueryParams* params, std::string prefix = "") {
    return Params(params, std::move(prefix));
  }

  bool is_json() const { return json_ != nullptr; }

  // A scalar (same name in both protocols). JSON numbers and booleans are
  // returned as their text.
  std::optional<std::string> String(absl::string_view name) const;
  // A required scalar: MissingParameter if absent.
  absl::StatusOr<std::string> RequiredString(absl::string_view name) const;
  // An integer (JSON number or numeric string): InvalidParameterValue if not
  // an integer.
  absl::StatusOr<std::optional<int32_t>> Int(absl::string_view name) const;

  // A list of strings: JSON array `json_name`, query `query_name.N`.
  std::vector<std::string> List(absl::string_view json_name,
                                absl::string_view query_name) const;
  // A string map: JSON object `json_name`, query `query_name.N.<key_field>`
  // and `query_name.N.<value_field>`.
  std::map<std::string, std::string> Map(absl::string_view json_name,
                                         absl::string_view query_name,
                                         absl::string_view key_field,
                                         absl::string_view value_field) const;
  // Message attributes: JSON {"n": {"DataType", "StringValue" |
  // "BinaryValue"}}, query `query_name.N.Name`, `.Value.DataType`,
  // `.Value.StringValue`, `.Value.BinaryValue` (base64).
  absl::StatusOr<MessageAttributes> Attributes(
      absl::string_view json_name, absl::string_view query_name) const;
  // Batch entries: JSON array of objects `json_name`, query
  // `query_name.N.*`, ordered by N.
  std::vector<Params> Entries(absl::string_view json_name,
                              absl::string_view query_name) const;

 private:
  explicit Params(const JsonValue* json) : json_(json) {}
  Params(const QueryParams* query, std::string prefix)
      : query_(query), prefix_(std::move(prefix)) {}

  // Query: for keys "<prefix><name>.<N>[.<rest>]", N -> rest -> value; the
  // unnumbered "<prefix><name>[.<rest>]" is N = 0.
  std::map<int, std::map<std::string, std::string>> Indexed(
      absl::string_view name) const;
  const JsonValue* Member(absl::string_view name) const;

  const JsonValue* json_ = nullptr;
  const QueryParams* query_ = nullptr;
  std::string prefix_;
};

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_PARAMS_H_
