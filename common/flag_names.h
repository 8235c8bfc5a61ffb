// Command-line flag names with dashes: the binaries declare their flags
// with underscores (absl's ABSL_FLAG names), and accept either spelling
// by rewriting the arguments before absl parses them.
// Thread-safety: a pure function.
#ifndef CORTADO_COMMON_FLAG_NAMES_H_
#define CORTADO_COMMON_FLAG_NAMES_H_

#include <string>
#include <vector>

namespace cortado {

// argv as strings, with the dashes inside each flag name turned into
// underscores: "--data-dir=x" becomes "--data_dir=x". Values (after '='),
// positional arguments and everything after a bare "--" are untouched.
std::vector<std::string> NormalizeFlagNames(int argc, char** argv);

}  // namespace cortado

#endif  // CORTADO_COMMON_FLAG_NAMES_H_
