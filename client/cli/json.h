// Just enough JSON for the CLI's --json output: builders for string arrays,
// string maps and flat objects, whose strings are quoted by common/json.h's
// AppendJsonString (the escaping every JSON writer of the project shares).
// Output is one compact line per value, so that `cortado receive --json | jq`
// and line-oriented tools both work.
// Thread-safety: plain values and pure functions.
#ifndef CORTADO_CLIENT_CLI_JSON_H_
#define CORTADO_CLIENT_CLI_JSON_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cortado::cli {

std::string JsonStringArray(const std::vector<std::string>& values);
std::string JsonStringMap(const std::map<std::string, std::string>& values);

// Builds {"key": value, ...} with keys in insertion order.
class JsonObject {
 public:
  // A string member.
  JsonObject& Add(absl::string_view key, absl::string_view value);
  // A member whose value is already JSON (an object, array, number...).
  JsonObject& AddRaw(absl::string_view key, absl::string_view json);
  std::string Build() const;

 private:
  std::string members_;
};

}  // namespace cortado::cli

#endif  // CORTADO_CLIENT_CLI_JSON_H_
