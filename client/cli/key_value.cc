#include "client/cli/key_value.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/cli/args.h"

namespace cortado::cli {
namespace {

// "String", "Number", "Binary", each optionally followed by ".label".
bool IsDataType(absl::string_view type) {
  for (absl::string_view base : {"String", "Number", "Binary"}) {
    if (type == base) return true;
    if (absl::StartsWith(type, absl::StrCat(base, ".")) &&
        type.size() > base.size() + 1) {
      return true;
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<std::pair<std::string, std::string>> ParseKeyValue(
    absl::string_view word, absl::string_view what) {
  size_t eq = word.find('=');
  if (eq == absl::string_view::npos || eq == 0) {
    return UsageError(
        absl::StrCat("expected ", what, " as KEY=VALUE, not \"", word, "\""));
  }
  return std::make_pair(std::string(word.substr(0, eq)),
                        std::string(word.substr(eq + 1)));
}

absl::StatusOr<client::StringMap> ParseKeyValues(
    const std::vector<std::string>& words, absl::string_view what) {
  client::StringMap values;
  for (const std::string& word : words) {
    absl::StatusOr<std::pair<std::string, std::string>> pair =
        ParseKeyValue(word, what);
    if (!pair.ok()) return pair.status();
    values[pair->first] = pair->second;
  }
  return values;
}

absl::StatusOr<std::pair<std::string, client::MessageAttributeValue>>
ParseMessageAttribute(absl::string_view word) {
  absl::StatusOr<std::pair<std::string, std::string>> pair =
      ParseKeyValue(word, "message attribute");
  if (!pair.ok()) return pair.status();
  auto& [key, text] = *pair;
  client::MessageAttributeValue value;
  std::string name = key;
  // SQS attribute names never contain ':', so the first one starts the type.
  if (size_t colon = key.find(':'); colon != std::string::npos) {
    name = key.substr(0, colon);
    value.data_type = key.substr(colon + 1);
  }
  if (name.empty()) {
    return UsageError(
        absl::StrCat("message attribute \"", word, "\" has no name"));
  }
  if (!IsDataType(value.data_type)) {
    return UsageError(absl::StrCat(
        "message attribute ", name, " has type \"", value.data_type,
        "\"; use String, Number or Binary (optionally with .label)"));
  }
  if (value.is_binary()) {
    if (!absl::Base64Unescape(text, &value.value)) {
      return UsageError(absl::StrCat("message attribute ", name,
                                     " is Binary but its value is not base64"));
    }
  } else {
    value.value = text;
  }
  return std::make_pair(name, value);
}

}  // namespace cortado::cli
