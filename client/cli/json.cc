#include "client/cli/json.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cortado::cli {

std::string JsonString(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
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
      default:
        // Bytes >= 0x80 are parts of UTF-8 sequences: copied untouched.
        if (static_cast<unsigned char>(c) < 0x20) {
          out += absl::StrFormat("\\u%04x", static_cast<unsigned char>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string JsonStringArray(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += JsonString(values[i]);
  }
  out.push_back(']');
  return out;
}

std::string JsonStringMap(const std::map<std::string, std::string>& values) {
  JsonObject object;
  for (const auto& [key, value] : values) object.Add(key, value);
  return object.Build();
}

JsonObject& JsonObject::Add(absl::string_view key, absl::string_view value) {
  return AddRaw(key, JsonString(value));
}

JsonObject& JsonObject::AddRaw(absl::string_view key, absl::string_view json) {
  if (!members_.empty()) members_.push_back(',');
  absl::StrAppend(&members_, JsonString(key), ":", json);
  return *this;
}

std::string JsonObject::Build() const {
  return absl::StrCat("{", members_, "}");
}

}  // namespace cortado::cli
