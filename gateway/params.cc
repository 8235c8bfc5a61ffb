#include "gateway/params.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/core/errors.h"

namespace cortado::gateway {
namespace {

std::optional<std::string> ScalarText(const JsonValue* value) {
  if (value == nullptr) return std::nullopt;
  switch (value->type) {
    case JsonValue::Type::kString:
    case JsonValue::Type::kNumber:
      return value->text;
    case JsonValue::Type::kBool:
      return std::string(value->boolean ? "true" : "false");
    default:
      return std::nullopt;
  }
}

absl::StatusOr<MessageAttributeValue> MakeValue(
    absl::string_view name, std::string data_type,
    std::optional<std::string> string_value,
    std::optional<std::string> binary_base64) {
  MessageAttributeValue value;
  value.data_type = std::move(data_type);
  value.binary = absl::StartsWith(value.data_type, "Binary");
  if (value.binary) {
    if (binary_base64.has_value() &&
        !absl::Base64Unescape(*binary_base64, &value.binary_value)) {
      return InvalidParameterValueError(
          absl::StrCat("The message attribute '", name,
                       "' has an invalid base64 BinaryValue."));
    }
  } else if (string_value.has_value()) {
    value.string_value = *std::move(string_value);
  }
  return value;
}

}  // namespace

const JsonValue* Params::Member(absl::string_view name) const {
  return json_ == nullptr ? nullptr : json_->Find(name);
}

std::optional<std::string> Params::String(absl::string_view name) const {
  if (json_ != nullptr) return ScalarText(Member(name));
  auto it = query_->find(absl::StrCat(prefix_, name));
  if (it == query_->end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<std::string> Params::RequiredString(
    absl::string_view name) const {
  std::optional<std::string> value = String(name);
  if (!value.has_value() || value->empty()) return MissingParameterError(name);
  return *std::move(value);
}

absl::StatusOr<std::optional<int32_t>> Params::Int(
    absl::string_view name) const {
  std::optional<std::string> text = String(name);
  if (!text.has_value()) return std::optional<int32_t>();
  int32_t value = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &value)) {
    return InvalidParameterValueError(
        absl::StrCat("Value ", *text, " for parameter ", name,
                     " is invalid. Reason: Must be an integer."));
  }
  return std::optional<int32_t>(value);
}

std::map<int, std::map<std::string, std::string>> Params::Indexed(
    absl::string_view name) const {
  std::map<int, std::map<std::string, std::string>> out;
  // The unnumbered form ("AttributeName=All", "Attribute.Name=...") is one
  // more element, index 0, before the numbered ones: AWS has always accepted
  // it and boto2 and kombu's asynchronous client send it.
  const std::string bare = absl::StrCat(prefix_, name);
  if (auto it = query_->find(bare);
      it != query_->end() && !it->second.empty()) {
    out[0][""] = it->second;
  }
  const std::string start = absl::StrCat(bare, ".");
  for (auto it = query_->lower_bound(start);
       it != query_->end() && absl::StartsWith(it->first, start); ++it) {
    absl::string_view rest = absl::string_view(it->first).substr(start.size());
    const size_t dot = rest.find('.');
    const absl::string_view head = rest.substr(0, dot);
    int index = 0;
    std::string field;
    if (absl::SimpleAtoi(head, &index)) {
      if (index < 1) continue;
      if (dot != absl::string_view::npos)
        field = std::string(rest.substr(dot + 1));
    } else if (!head.empty() && absl::ascii_isalpha(head.front())) {
      index = 0;  // "<name>.Value.DataType": the unnumbered element's field
      field = std::string(rest);
    } else {
      continue;
    }
    out[index][field] = it->second;
  }
  return out;
}

std::vector<std::string> Params::List(absl::string_view json_name,
                                      absl::string_view query_name) const {
  std::vector<std::string> out;
  if (json_ != nullptr) {
    const JsonValue* list = Member(json_name);
    if (list == nullptr || !list->is_array()) return out;
    for (const JsonValue& element : list->elements) {
      if (std::optional<std::string> text = ScalarText(&element)) {
        out.push_back(*std::move(text));
      }
    }
    return out;
  }
  for (auto& [index, fields] : Indexed(query_name)) {
    auto it = fields.find("");
    if (it != fields.end()) out.push_back(it->second);
  }
  return out;
}

std::map<std::string, std::string> Params::Map(
    absl::string_view json_name, absl::string_view query_name,
    absl::string_view key_field, absl::string_view value_field) const {
  std::map<std::string, std::string> out;
  if (json_ != nullptr) {
    const JsonValue* map = Member(json_name);
    if (map == nullptr || !map->is_object()) return out;
    for (const JsonValue& member : map->members) {
      if (std::optional<std::string> text = ScalarText(&member)) {
        out[member.key] = *std::move(text);
      }
    }
    return out;
  }
  for (auto& [index, fields] : Indexed(query_name)) {
    auto key = fields.find(std::string(key_field));
    if (key == fields.end()) continue;
    auto value = fields.find(std::string(value_field));
    out[key->second] = value == fields.end() ? "" : value->second;
  }
  return out;
}

absl::StatusOr<MessageAttributes> Params::Attributes(
    absl::string_view json_name, absl::string_view query_name) const {
  MessageAttributes out;
  if (json_ != nullptr) {
    const JsonValue* map = Member(json_name);
    if (map == nullptr || !map->is_object()) return out;
    for (const JsonValue& member : map->members) {
      if (!member.is_object()) {
        return InvalidParameterValueError(absl::StrCat(
            "The message attribute '", member.key, "' must be an object."));
      }
      absl::StatusOr<MessageAttributeValue> value = MakeValue(
          member.key, ScalarText(member.Find("DataType")).value_or(""),
          ScalarText(member.Find("StringValue")),
          ScalarText(member.Find("BinaryValue")));
      if (!value.ok()) return value.status();
      out[member.key] = *std::move(value);
    }
    return out;
  }
  for (auto& entry : Indexed(query_name)) {
    // Not a structured binding: clang 14 cannot capture one in the lambda.
    const auto& fields = entry.second;
    auto name = fields.find("Name");
    if (name == fields.end()) continue;
    auto field = [&fields](const char* key) -> std::optional<std::string> {
      auto it = fields.find(key);
      if (it == fields.end()) return std::nullopt;
      return it->second;
    };
    absl::StatusOr<MessageAttributeValue> value =
        MakeValue(name->second, field("Value.DataType").value_or(""),
                  field("Value.StringValue"), field("Value.BinaryValue"));
    if (!value.ok()) return value.status();
    out[name->second] = *std::move(value);
  }
  return out;
}

std::vector<Params> Params::Entries(absl::string_view json_name,
                                    absl::string_view query_name) const {
  std::vector<Params> out;
  if (json_ != nullptr) {
    const JsonValue* list = Member(json_name);
    if (list == nullptr || !list->is_array()) return out;
    for (const JsonValue& element : list->elements) {
      if (element.is_object()) out.push_back(Params(&element));
    }
    return out;
  }
  for (auto& [index, fields] : Indexed(query_name)) {
    out.push_back(Params(
        query_, index == 0
                    ? absl::StrCat(prefix_, query_name, ".")
                    : absl::StrCat(prefix_, query_name, ".", index, ".")));
  }
  return out;
}

}  // namespace cortado::gateway
