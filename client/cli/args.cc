#include "client/cli/args.h"

#include <algorithm>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace cortado::cli {
namespace {

constexpr absl::string_view kUsagePayloadUrl = "type.cortado.dev/cli.Usage";

const FlagSpec* FindSpec(const std::vector<FlagSpec>& specs,
                         absl::string_view name) {
  for (const FlagSpec& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace

absl::Status UsageError(absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kUsagePayloadUrl, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayloadUrl).has_value();
}

absl::StatusOr<Args> Args::Parse(const std::vector<std::string>& words,
                                 const std::vector<FlagSpec>& specs) {
  Args args;
  bool flags_ended = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (flags_ended || word.size() < 2 || word.substr(0, 2) != "--") {
      // "-h" is the one short flag anyone types without reading the help.
      if (!flags_ended && word == "-h") {
        args.flags_.emplace_back("help", "");
        continue;
      }
      args.positional_.push_back(word);
      continue;
    }
    if (word == "--") {
      flags_ended = true;
      continue;
    }
    std::string name = word.substr(2);
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    const FlagSpec* spec = FindSpec(specs, name);
    if (spec == nullptr) {
      return UsageError(absl::StrCat("unknown flag --", name));
    }
    if (spec->takes_value && !value) {
      if (i + 1 >= words.size()) {
        return UsageError(absl::StrCat("flag --", name, " needs a value"));
      }
      value = words[++i];
    }
    if (!spec->takes_value && value) {
      return UsageError(absl::StrCat("flag --", name, " takes no value"));
    }
    if (!spec->repeatable && args.Has(name)) {
      return UsageError(absl::StrCat("flag --", name, " given twice"));
    }
    args.flags_.emplace_back(name, value.value_or(""));
  }
  return args;
}

bool Args::Has(absl::string_view flag) const {
  return std::any_of(flags_.begin(), flags_.end(),
                     [&](const auto& entry) { return entry.first == flag; });
}

std::optional<std::string> Args::Get(absl::string_view flag) const {
  std::optional<std::string> value;
  for (const auto& [name, given] : flags_) {
    if (name == flag) value = given;
  }
  return value;
}

std::vector<std::string> Args::GetAll(absl::string_view flag) const {
  std::vector<std::string> values;
  for (const auto& [name, given] : flags_) {
    if (name == flag) values.push_back(given);
  }
  return values;
}

absl::StatusOr<std::optional<int>> Args::GetInt(absl::string_view flag, int min,
                                                int max) const {
  std::optional<std::string> text = Get(flag);
  if (!text) return std::optional<int>();
  int value = 0;
  if (!absl::SimpleAtoi(*text, &value) || value < min || value > max) {
    return UsageError(absl::StrCat("--", flag, " takes a whole number from ",
                                   min, " to ", max, ", not \"", *text, "\""));
  }
  return std::optional<int>(value);
}

absl::Status Args::AllowOnly(
    absl::string_view command,
    const std::vector<absl::string_view>& allowed) const {
  for (const auto& [name, value] : flags_) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return UsageError(absl::StrCat("'", command, "' does not take --", name));
    }
  }
  return absl::OkStatus();
}

}  // namespace cortado::cli
