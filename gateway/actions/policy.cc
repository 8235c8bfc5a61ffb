#include "gateway/actions/policy.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "server/core/errors.h"

namespace cortado::gateway {
namespace {

JsonValue StringValue(std::string text, std::string key = "") {
  JsonValue value;
  value.type = JsonValue::Type::kString;
  value.text = std::move(text);
  value.key = std::move(key);
  return value;
}

// One string, or an array of them when there are several.
JsonValue OneOrMany(const std::vector<std::string>& items, std::string key) {
  if (items.size() == 1) return StringValue(items.front(), std::move(key));
  JsonValue array;
  array.type = JsonValue::Type::kArray;
  array.key = std::move(key);
  for (const std::string& item : items)
    array.elements.push_back(StringValue(item));
  return array;
}

}  // namespace

absl::StatusOr<JsonValue> ParsePolicy(const std::string& policy,
                                      const std::string& queue_arn) {
  if (policy.empty()) {
    JsonValue out;
    out.type = JsonValue::Type::kObject;
    out.members.push_back(StringValue("2008-10-17", "Version"));
    out.members.push_back(
        StringValue(absl::StrCat(queue_arn, "/SQSDefaultPolicy"), "Id"));
    return out;
  }
  std::optional<JsonValue> parsed = ParseJson(policy);
  if (!parsed.has_value() || !parsed->is_object()) {
    return InvalidParameterValueError(
        "The queue's Policy attribute is not a JSON object.");
  }
  return *std::move(parsed);
}

JsonValue& Statements(JsonValue& policy) {
  for (JsonValue& member : policy.members) {
    if (member.key == "Statement") {
      if (!member.is_array()) {
        JsonValue single = member;
        single.key.clear();
        member = JsonValue();
        member.type = JsonValue::Type::kArray;
        member.key = "Statement";
        member.elements.push_back(std::move(single));
      }
      return member;
    }
  }
  JsonValue array;
  array.type = JsonValue::Type::kArray;
  array.key = "Statement";
  policy.members.push_back(std::move(array));
  return policy.members.back();
}

JsonValue MakeStatement(const std::string& label,
                        const std::vector<std::string>& account_ids,
                        const std::vector<std::string>& actions,
                        const std::string& resource_arn,
                        absl::string_view service) {
  JsonValue statement;
  statement.type = JsonValue::Type::kObject;
  statement.members.push_back(StringValue(label, "Sid"));
  statement.members.push_back(StringValue("Allow", "Effect"));
  JsonValue principal;
  principal.type = JsonValue::Type::kObject;
  principal.key = "Principal";
  std::vector<std::string> principals;
  for (const std::string& account : account_ids) {
    principals.push_back(absl::StrCat("arn:aws:iam::", account, ":root"));
  }
  principal.members.push_back(OneOrMany(principals, "AWS"));
  statement.members.push_back(std::move(principal));
  std::vector<std::string> service_actions;
  for (const std::string& action : actions) {
    service_actions.push_back(absl::StrCat(service, ":", action));
  }
  statement.members.push_back(OneOrMany(service_actions, "Action"));
  statement.members.push_back(StringValue(resource_arn, "Resource"));
  return statement;
}

bool HasStatement(JsonValue& policy, const std::string& label) {
  for (const JsonValue& statement : Statements(policy).elements) {
    const JsonValue* sid = statement.Find("Sid");
    if (sid != nullptr && sid->text == label) return true;
  }
  return false;
}

bool RemoveStatement(JsonValue& policy, const std::string& label) {
  std::vector<JsonValue>& statements = Statements(policy).elements;
  bool removed = false;
  for (auto it = statements.begin(); it != statements.end();) {
    const JsonValue* sid = it->Find("Sid");
    if (sid != nullptr && sid->text == label) {
      it = statements.erase(it);
      removed = true;
    } else {
      ++it;
    }
  }
  return removed;
}

std::string SerializeJson(const JsonValue& value) {
  std::string out;
  AppendJson(value, out);
  return out;
}

}  // namespace cortado::gateway
