// Reads a queues-and-topics YAML file (docs/CONFIG.md) into a Config, with
// yaml-cpp. Checks everything that needs no server: the shape of the file,
// known attribute names (SQS's "Unknown Attribute X."), shorthand values and
// duplicate names. Every error names "FILE:LINE: problem".
// Thread-safety: pure functions.
#ifndef CORTADO_COMMON_CONFIG_PARSER_H_
#define CORTADO_COMMON_CONFIG_PARSER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/config/model.h"

namespace cortado::config {

// `file` only names the source in errors and locations.
absl::StatusOr<Config> ParseConfig(absl::string_view text,
                                   const std::string& file);

// Reads and parses `path` (NotFound when it cannot be read).
absl::StatusOr<Config> ParseConfigFile(const std::string& path);

// "FILE:LINE: message" (or "FILE: message" without a line).
std::string AtLocation(const Location& location, absl::string_view message);

}  // namespace cortado::config

#endif  // CORTADO_COMMON_CONFIG_PARSER_H_
