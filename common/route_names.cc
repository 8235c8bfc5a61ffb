#include "common/route_names.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"

namespace cortado {

std::string NameInArn(absl::string_view arn) {
  std::vector<absl::string_view> fields = absl::StrSplit(arn, ':');
  if (fields.size() < 6 || fields[0] != "arn") return "";
  return std::string(fields[5]);
}

std::string NameInTaskHandle(absl::string_view handle) {
  std::string json;
  if (!absl::Base64Unescape(handle, &json)) return "";
  const std::string kField = "\"sourceArn\":\"";
  const size_t start = json.find(kField);
  if (start == std::string::npos) return "";
  const size_t from = start + kField.size();
  const size_t end = json.find('"', from);
  if (end == std::string::npos) return "";
  return NameInArn(absl::string_view(json).substr(from, end - from));
}

}  // namespace cortado
