#include "common/config/dead_letter.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/json.h"

namespace cortado::config {

std::optional<DeadLetter> ParseRedrivePolicy(absl::string_view policy) {
  std::optional<JsonValue> parsed = ParseJson(policy);
  if (!parsed.has_value() || !parsed->is_object()) return std::nullopt;
  const JsonValue* arn = parsed->Find("deadLetterTargetArn");
  const JsonValue* count = parsed->Find("maxReceiveCount");
  if (arn == nullptr || !arn->is_string() || count == nullptr ||
      !(count->is_string() || count->is_number())) {
    return std::nullopt;
  }
  DeadLetter dead_letter;
  dead_letter.queue = NameFromArn(arn->text);
  if (!absl::SimpleAtoi(count->text, &dead_letter.max_receive_count)) {
    return std::nullopt;
  }
  return dead_letter;
}

std::string RedrivePolicyJson(absl::string_view dead_letter_arn,
                              int max_receive_count) {
  return absl::StrCat("{\"deadLetterTargetArn\":", JsonQuote(dead_letter_arn),
                      ",\"maxReceiveCount\":", max_receive_count, "}");
}

std::string NameFromArn(absl::string_view arn) {
  const size_t colon = arn.rfind(':');
  return std::string(colon == absl::string_view::npos ? arn
                                                      : arn.substr(colon + 1));
}

}  // namespace cortado::config
