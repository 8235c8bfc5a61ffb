#include "common/flag_names.h"

#include <algorithm>

namespace cortado {

std::vector<std::string> NormalizeFlagNames(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  for (size_t i = 1; i < args.size(); ++i) {
    std::string& arg = args[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    const size_t start = arg.find_first_not_of('-');
    const size_t end = std::min(arg.find('='), arg.size());
    if (start == std::string::npos || start >= end) continue;
    std::replace(arg.begin() + start, arg.begin() + end, '-', '_');
  }
  return args;
}

}  // namespace cortado
