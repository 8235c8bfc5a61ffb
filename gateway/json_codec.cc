#include "gateway/json_codec.h"

#include <optional>

#include "absl/strings/str_cat.h"

namespace cortado::gateway {
namespace {

void Render(const Output& output, std::string& out) {
  switch (output.kind()) {
    case Output::Kind::kString:
      AppendJsonString(output.text(), out);
      return;
    case Output::Kind::kNumber:
    case Output::Kind::kBool:
      out += output.text();
      return;
    case Output::Kind::kObject: {
      out.push_back('{');
      bool first = true;
      for (const Output::Member& member : output.members()) {
        if (!first) out.push_back(',');
        first = false;
        AppendJsonString(member.json_name, out);
        out.push_back(':');
        Render(member.value, out);
      }
      out.push_back('}');
      return;
    }
    case Output::Kind::kList: {
      out.push_back('[');
      bool first = true;
      for (const Output& element : output.elements()) {
        if (!first) out.push_back(',');
        first = false;
        Render(element, out);
      }
      out.push_back(']');
      return;
    }
    case Output::Kind::kMap: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, value] : output.entries()) {
        if (!first) out.push_back(',');
        first = false;
        AppendJsonString(key, out);
        out.push_back(':');
        Render(value, out);
      }
      out.push_back('}');
      return;
    }
  }
}

}  // namespace

absl::StatusOr<JsonValue> ParseJsonRequest(absl::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == absl::string_view::npos) {
    JsonValue empty;
    empty.type = JsonValue::Type::kObject;
    return empty;
  }
  std::optional<JsonValue> value = ParseJson(body);
  if (!value.has_value()) {
    return MakeGatewayError(GatewayError::kSerializationException,
                            "The request body is not valid JSON.");
  }
  if (!value->is_object()) {
    return MakeGatewayError(GatewayError::kSerializationException,
                            "The request body must be a JSON object.");
  }
  return *std::move(value);
}

std::string RenderJson(const Output& output) {
  std::string out;
  out.reserve(512);  // most responses fit: one allocation instead of several
  Render(output, out);
  return out;
}

std::string RenderJsonError(const WireError& error) {
  return absl::StrCat("{\"__type\":", JsonQuote(error.json_type),
                      ",\"message\":", JsonQuote(error.message), "}");
}

}  // namespace cortado::gateway
