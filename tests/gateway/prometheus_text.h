// A strict reader of the Prometheus text format (0.0.4) for tests: parses
// `# HELP` / `# TYPE` lines and samples `name{l="v",...} value`, unescaping
// label values, and checks that every sample belongs to the family declared
// last (histograms: <name>_bucket, _sum, _count), that no family is declared
// twice and that no series repeats.
// Thread-safety: value types and pure functions.
#ifndef CORTADO_TESTS_GATEWAY_PROMETHEUS_TEXT_H_
#define CORTADO_TESTS_GATEWAY_PROMETHEUS_TEXT_H_

#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace cortado::gateway::testing {

struct PrometheusPage {
  std::map<std::string, std::string> types;  // family -> "counter", ...
  std::map<std::string, std::string> helps;  // family -> help text
  // Series key -> value. The key is the sample name plus its labels sorted
  // by name, unescaped: `name{a="x",b="y"}` (just `name` without labels).
  std::map<std::string, double> samples;

  // The value of a series, or NaN (so a missing series fails an EXPECT_EQ).
  double Value(const std::string& key) const {
    auto it = samples.find(key);
    return it == samples.end() ? std::nan("") : it->second;
  }
  bool Has(const std::string& key) const { return samples.contains(key); }
  // The series of `name` (any labels).
  std::vector<std::string> SeriesOf(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& [key, value] : samples) {
      if (key == name || absl::StartsWith(key, name + "{")) out.push_back(key);
    }
    return out;
  }
};

inline bool IsMetricName(absl::string_view name) {
  if (name.empty() || absl::ascii_isdigit(name[0])) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_' && c != ':') return false;
  }
  return true;
}

inline absl::StatusOr<PrometheusPage> ParsePrometheusText(
    absl::string_view text) {
  PrometheusPage page;
  std::string family;  // the family declared last
  std::string type;
  if (!text.empty() && text.back() != '\n') {
    return absl::InvalidArgumentError("the page must end with a newline");
  }
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty()) continue;
    auto error = [&](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat(why, ": ", line));
    };
    if (absl::ConsumePrefix(&line, "# HELP ")) {
      std::vector<std::string> parts =
          absl::StrSplit(line, absl::MaxSplits(' ', 1));
      if (parts.size() != 2 || !IsMetricName(parts[0]))
        return error("bad HELP");
      if (page.helps.contains(parts[0])) return error("HELP declared twice");
      page.helps[parts[0]] = parts[1];
      continue;
    }
    if (absl::ConsumePrefix(&line, "# TYPE ")) {
      std::vector<std::string> parts = absl::StrSplit(line, ' ');
      if (parts.size() != 2 || !IsMetricName(parts[0]))
        return error("bad TYPE");
      static const std::set<std::string> kTypes = {
          "counter", "gauge", "histogram", "summary", "untyped"};
      if (!kTypes.contains(parts[1])) return error("unknown type");
      if (page.types.contains(parts[0])) return error("TYPE declared twice");
      if (!page.helps.contains(parts[0])) return error("TYPE without HELP");
      family = parts[0];
      type = parts[1];
      page.types[family] = type;
      continue;
    }
    if (line[0] == '#') return error("unexpected comment");
    // name{labels} value
    size_t at = 0;
    while (at < line.size() && line[at] != '{' && line[at] != ' ') ++at;
    const std::string name(line.substr(0, at));
    if (!IsMetricName(name)) return error("bad sample name");
    std::map<std::string, std::string> labels;
    if (at < line.size() && line[at] == '{') {
      ++at;
      while (at < line.size() && line[at] != '}') {
        const size_t eq = line.find('=', at);
        if (eq == absl::string_view::npos || eq + 1 >= line.size() ||
            line[eq + 1] != '"') {
          return error("bad label");
        }
        const std::string label(line.substr(at, eq - at));
        if (!IsMetricName(label)) return error("bad label name");
        std::string value;
        at = eq + 2;
        for (; at < line.size() && line[at] != '"'; ++at) {
          if (line[at] == '\\') {
            if (++at >= line.size()) return error("dangling escape");
            const char c = line[at];
            if (c == 'n') {
              value += '\n';
            } else if (c == '\\' || c == '"') {
              value += c;
            } else {
              return error("bad escape");
            }
          } else {
            value += line[at];
          }
        }
        if (at >= line.size()) return error("unterminated label value");
        ++at;  // the closing quote
        if (!labels.emplace(label, value).second) return error("label twice");
        if (at < line.size() && line[at] == ',') ++at;
      }
      if (at >= line.size()) return error("unterminated labels");
      ++at;  // '}'
    }
    if (at >= line.size() || line[at] != ' ') return error("no value");
    const std::string value_text(line.substr(at + 1));
    double value = 0;
    if (value_text == "+Inf") {
      value = std::numeric_limits<double>::infinity();
    } else if (value_text == "-Inf") {
      value = -std::numeric_limits<double>::infinity();
    } else if (value_text == "NaN") {
      value = std::nan("");
    } else {
      char* end = nullptr;
      value = std::strtod(value_text.c_str(), &end);
      if (value_text.empty() || *end != '\0') return error("bad value");
    }
    // The sample must belong to the family declared last.
    bool belongs = name == family;
    if (type == "histogram") {
      belongs = name == family + "_bucket" || name == family + "_sum" ||
                name == family + "_count";
      if (name == family + "_bucket" && !labels.contains("le")) {
        return error("bucket without le");
      }
    }
    if (family.empty() || !belongs) return error("sample outside its family");
    std::string key = name;
    if (!labels.empty()) {
      std::vector<std::string> parts;
      for (const auto& [label, label_value] : labels) {
        parts.push_back(absl::StrCat(label, "=\"", label_value, "\""));
      }
      absl::StrAppend(&key, "{", absl::StrJoin(parts, ","), "}");
    }
    if (!page.samples.emplace(key, value).second) {
      return error("series repeated");
    }
  }
  return page;
}

}  // namespace cortado::gateway::testing

#endif  // CORTADO_TESTS_GATEWAY_PROMETHEUS_TEXT_H_
