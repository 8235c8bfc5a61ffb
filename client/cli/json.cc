#include "client/cli/json.h"

#include "absl/strings/str_cat.h"
#include "common/json.h"

namespace cortado::cli {

std::string JsonStringArray(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(values[i], out);
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
  return AddRaw(key, JsonQuote(value));
}

JsonObject& JsonObject::AddRaw(absl::string_view key, absl::string_view json) {
  if (!members_.empty()) members_.push_back(',');
  AppendJsonString(key, members_);
  absl::StrAppend(&members_, ":", json);
  return *this;
}

std::string JsonObject::Build() const {
  return absl::StrCat("{", members_, "}");
}

}  // namespace cortado::cli
