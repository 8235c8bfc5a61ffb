#include "gateway/json_codec.h"

#include <optional>

#include "absl/strings/str_cat.h"

namespace cortado::gateway {
namespace {

// Appends `text` as a JSON string, with exactly JsonQuote()'s escapes, but
// in place: runs of plain characters are copied in one append, and no
// temporary string is made per value (the profile of a send -> receive ->
// delete load showed JsonQuote and its allocations among the gateway's top
// costs; docs/PERFORMANCE.md).
void AppendQuoted(absl::string_view text, std::string& out) {
  out.push_back('"');
  size_t plain = 0;  // start of the current run of unescaped characters
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char escaped[] = {'\\', 'u',          '0',
                                '0',  kHex[c >> 4], kHex[c & 15]};
        out.append(escaped, sizeof(escaped));
      }
    }
  }
  out.append(text.data() + plain, text.size() - plain);
  out.push_back('"');
}

void Render(const Output& output, std::string& out) {
  switch (output.kind()) {
    case Output::Kind::kString:
      AppendQuoted(output.text(), out);
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
        AppendQuoted(member.json_name, out);
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
        AppendQuoted(key, out);
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
