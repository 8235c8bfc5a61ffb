// Just enough JSON for the CLI's --json output: a correct string escaper and
// a builder for flat objects. Output is one compact line per value, so that
// `cortado receive --json | jq` and line-oriented tools both work.
// Thread-safety: plain values and pure functions.
#ifndef CORTADO_CLIENT_CLI_JSON_H_
#define CORTADO_CLIENT_CLI_JSON_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cortado::cli {

// `text` as a quoted JSON string. Quotes, backslashes and control
// characters are escaped (\n, \t, ... or \u00XX); every other byte, including
// UTF-8 sequences, is copied as is, since JSON text is UTF-8.
std::string JsonString(absl::string_view text);

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
