// Turns a YAML value into the JSON text SQS/SNS attributes hold, so that a
// file can write a filter policy or a Policy as YAML:
// `{ event: [order_placed] }` -> `{"event":["order_placed"]}`. Plain scalars
// that read as JSON numbers, booleans or null keep their type; quoted ones
// are strings.
// Thread-safety: pure functions.
#ifndef CORTADO_COMMON_CONFIG_YAML_JSON_H_
#define CORTADO_COMMON_CONFIG_YAML_JSON_H_

#include <string>

#include "absl/strings/string_view.h"
#include "yaml-cpp/yaml.h"

namespace cortado::config {

std::string YamlToJson(const YAML::Node& node);

// `text` re-serialised without insignificant whitespace, or `text` itself
// when it is not JSON: two attribute values mean the same iff these agree.
std::string CanonicalJson(absl::string_view text);

}  // namespace cortado::config

#endif  // CORTADO_COMMON_CONFIG_YAML_JSON_H_
