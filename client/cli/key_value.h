// Parses the CLI's KEY=VALUE words: queue attributes and tags
// ("VisibilityTimeout=40"), and message attributes with an optional SQS
// data type ("color=red", "price:Number=4.5", "thumb:Binary=iVBORw0K" with
// base64 text for binary values).
// Thread-safety: pure functions.
#ifndef CORTADO_CLIENT_CLI_KEY_VALUE_H_
#define CORTADO_CLIENT_CLI_KEY_VALUE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cortado/types.h"

namespace cortado::cli {

// Splits at the first '='; the value may be empty (and contain '='). `what`
// names the word in errors ("attribute", "tag").
absl::StatusOr<std::pair<std::string, std::string>> ParseKeyValue(
    absl::string_view word, absl::string_view what);

// Every word as KEY=VALUE; a repeated key keeps its last value.
absl::StatusOr<client::StringMap> ParseKeyValues(
    const std::vector<std::string>& words, absl::string_view what);

// NAME[:TYPE]=VALUE, TYPE defaulting to String. TYPE is String, Number or
// Binary with an optional ".label"; Binary values are given in base64.
absl::StatusOr<std::pair<std::string, client::MessageAttributeValue>>
ParseMessageAttribute(absl::string_view word);

}  // namespace cortado::cli

#endif  // CORTADO_CLIENT_CLI_KEY_VALUE_H_
