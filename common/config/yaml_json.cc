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

void AppendCanonical(const JsonValue& value, std::string& out) {
  switch (value.type) {
    case JsonValue::Type::kNull:
      out += "null";
      return;
    case JsonValue::Type::kBool:
      out += value.boolean ? "true" : "false";
      return;
    case JsonValue::Type::kNumber:
      out += value.text;
      return;
    case JsonValue::Type::kString:
      AppendJsonString(value.text, out);
      return;
    case JsonValue::Type::kArray:
    case JsonValue::Type::kObject: {
      const bool object = value.is_object();
      out += object ? '{' : '[';
      const auto& children = object ? value.members : value.elements;
      for (size_t i = 0; i < children.size(); ++i) {
        if (i > 0) out += ',';
        if (object) {
          AppendJsonString(children[i].key, out);
          out += ':';
        }
        AppendCanonical(children[i], out);
      }
      out += object ? '}' : ']';
      return;
    }
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
  AppendCanonical(*parsed, out);
  return out;
}

}  // namespace cortado::config
