// The README's code is taken from examples/, which `make test` builds and
// runs: a block preceded by
//
//   <!-- snippet: examples/quickstart.cc readme_cpp -->
//
// must equal the lines between "// [START readme_cpp]" and
// "// [END readme_cpp]" of that file (less their common indentation).
// After changing an example, `CORTADO_UPDATE_README=1 ctest -R
// ReadmeSnippets` rewrites the README's blocks from the examples.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"

namespace cortado::examples {
namespace {

constexpr absl::string_view kMarker = "<!-- snippet: ";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n');
}

// The lines of `region` in the source file, dedented; empty if not found.
std::vector<std::string> Region(const std::string& path,
                                const std::string& region) {
  std::vector<std::string> lines;
  bool inside = false;
  for (const std::string& line : Lines(ReadFile(path))) {
    const std::string trimmed(absl::StripAsciiWhitespace(line));
    if (trimmed == absl::StrCat("// [START ", region, "]")) {
      inside = true;
    } else if (trimmed == absl::StrCat("// [END ", region, "]")) {
      break;
    } else if (inside) {
      lines.push_back(line);
    }
  }
  size_t indent = std::string::npos;
  for (const std::string& line : lines) {
    const size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos) indent = std::min(indent, first);
  }
  for (std::string& line : lines) {
    line = line.size() > indent ? line.substr(indent) : "";
  }
  return lines;
}

TEST(ReadmeSnippetsTest, ReadmeCodeIsTheExamplesCode) {
  const std::string readme_path = CORTADO_SOURCE_DIR "/README.md";
  std::vector<std::string> readme = Lines(ReadFile(readme_path));
  ASSERT_GT(readme.size(), 1u) << "cannot read " << readme_path;
  int snippets = 0;
  bool changed = false;
  for (size_t i = 0; i < readme.size(); ++i) {
    if (!absl::StartsWith(readme[i], kMarker)) continue;
    ++snippets;
    // "<!-- snippet: FILE REGION -->"
    std::vector<std::string> words = absl::StrSplit(
        absl::StripSuffix(absl::StripPrefix(readme[i], kMarker), " -->"), ' ');
    ASSERT_EQ(words.size(), 2u) << "malformed marker: " << readme[i];
    const std::vector<std::string> expected =
        Region(absl::StrCat(CORTADO_SOURCE_DIR, "/", words[0]), words[1]);
    ASSERT_FALSE(expected.empty())
        << "no region " << words[1] << " in " << words[0];
    // The fenced block right after the marker.
    ASSERT_LT(i + 1, readme.size());
    ASSERT_TRUE(absl::StartsWith(readme[i + 1], "```")) << readme[i + 1];
    size_t end = i + 2;
    while (end < readme.size() && readme[end] != "```") ++end;
    ASSERT_LT(end, readme.size()) << "unclosed block after " << readme[i];
    const std::vector<std::string> actual(readme.begin() + i + 2,
                                          readme.begin() + end);
    if (actual == expected) continue;
    if (std::getenv("CORTADO_UPDATE_README") != nullptr) {
      readme.erase(readme.begin() + i + 2, readme.begin() + end);
      readme.insert(readme.begin() + i + 2, expected.begin(), expected.end());
      changed = true;
      continue;
    }
    ADD_FAILURE() << "README.md's block after \"" << readme[i]
                  << "\" differs from " << words[0] << " (run with "
                  << "CORTADO_UPDATE_README=1 to rewrite it); expected:\n"
                  << absl::StrJoin(expected, "\n");
  }
  EXPECT_GT(snippets, 0) << "README.md has no snippet markers";
  if (changed) {
    std::ofstream(readme_path) << absl::StrJoin(readme, "\n");
  }
}

}  // namespace
}  // namespace cortado::examples
