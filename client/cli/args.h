// Command-line parsing for the `cortado` CLI. absl flags suit one flat set
// of flags, not git-style subcommands whose flags differ, so this is a small
// hand-written parser: flags may appear anywhere ("--name value" or
// "--name=value"), "--" ends them, and every other word is positional.
// Each command then says which flags it accepts (AllowOnly).
// Thread-safety: plain values.
#ifndef CORTADO_CLIENT_CLI_ARGS_H_
#define CORTADO_CLIENT_CLI_ARGS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cortado::cli {

// A flag the parser knows: whether it takes a value, and whether it may be
// repeated (like --attr).
struct FlagSpec {
  std::string name;  // without the leading "--"
  bool takes_value = false;
  bool repeatable = false;
};

// Usage errors (exit code 2) are InvalidArgument statuses marked with a
// payload, so they stay distinct from the broker's InvalidArgument errors.
absl::Status UsageError(absl::string_view message);
bool IsUsageError(const absl::Status& status);

class Args {
 public:
  // Parses the words after the program name against `specs`.
  static absl::StatusOr<Args> Parse(const std::vector<std::string>& words,
                                    const std::vector<FlagSpec>& specs);

  const std::vector<std::string>& positional() const { return positional_; }

  bool Has(absl::string_view flag) const;
  // The value of a single-valued flag, if given.
  std::optional<std::string> Get(absl::string_view flag) const;
  // Every value of a repeatable flag, in order.
  std::vector<std::string> GetAll(absl::string_view flag) const;
  // A flag's value as a whole number in [min, max], if given.
  absl::StatusOr<std::optional<int>> GetInt(absl::string_view flag, int min,
                                            int max) const;

  // A usage error naming the first given flag that `command` does not take.
  absl::Status AllowOnly(absl::string_view command,
                         const std::vector<absl::string_view>& allowed) const;

 private:
  std::vector<std::string> positional_;
  // (name, value) in command-line order; value is "" for boolean flags.
  std::vector<std::pair<std::string, std::string>> flags_;
};

}  // namespace cortado::cli

#endif  // CORTADO_CLIENT_CLI_ARGS_H_
