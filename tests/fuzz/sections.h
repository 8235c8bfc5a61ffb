// Cuts a fuzz input into the parts a target needs ("policy", "attributes",
// "body", ...), separated by lines "%%", so that seed files stay readable
// text that a person can write and the fuzzer can still mutate freely.
// Thread-safety: pure function.
#ifndef CORTADO_TESTS_FUZZ_SECTIONS_H_
#define CORTADO_TESTS_FUZZ_SECTIONS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace cortado::fuzz {

// Exactly `count` parts: missing ones are empty, extra separators stay in
// the last part.
inline std::vector<std::string> Sections(const uint8_t* data, size_t size,
                                         size_t count) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  while (parts.size() + 1 < count) {
    const size_t cut = text.find("\n%%\n");
    if (cut == absl::string_view::npos) break;
    parts.emplace_back(text.substr(0, cut));
    text.remove_prefix(cut + 4);
  }
  parts.emplace_back(text);
  parts.resize(count);
  return parts;
}

// "name value" lines (the value may hold spaces) as ordered pairs.
inline std::vector<std::pair<std::string, std::string>> NameValueLines(
    absl::string_view text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::pair<std::string, std::string> pair =
        absl::StrSplit(line, absl::MaxSplits(' ', 1));
    pairs.push_back(std::move(pair));
  }
  return pairs;
}

}  // namespace cortado::fuzz

#endif  // CORTADO_TESTS_FUZZ_SECTIONS_H_
