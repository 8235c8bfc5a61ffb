#include "common/config/yaml_json.h"

#include <optional>

#include "common/json.h"

namespace cortado::config {
namespace {

void AppendYaml(const YAML::Node& node, std::string& out) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      out += '{';
      bool first = true;
      for (const auto& entry : node) {
        if (!first) out += ',';
        first = false;
        AppendJsonString(entry.first.Scalar(), out);
        out += ':';
        AppendYaml(entry.second, out);
      }
      out += '}';
      return;
    }
    case YAML::NodeType::Sequence: {
      out += '[';
      bool first = true;
      for (const auto& element : node) {
        if (!first) out += ',';
        first = false;
        AppendYaml(element, out);
      }
      out += ']';
      return;
    }
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      // yaml-cpp tags quoted scalars "!": those stay strings.
      if (node.Tag() != "!") {
        std::optional<JsonValue> parsed = ParseJson(text);
        if (parsed.has_value() &&
            (parsed->is_number() || parsed->type == JsonValue::Type::kBool ||
             parsed->type == JsonValue::Type::kNull)) {
          out += text;
          return;
        }
      }
      AppendJsonString(text, out);
      return;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out += "null";
      return;
  }
}

}  // namespace

std::string YamlToJson(const YAML::Node& node) {
  std::string out;
  AppendYaml(node, out);
  return out;
}

std::string CanonicalJson(absl::string_view text) {
  std::optional<JsonValue> parsed = ParseJson(text);
  if (!parsed.has_value()) return std::string(text);
  std::string out;
  AppendJson(*parsed, out);
  return out;
}

}  // namespace cortado::config
