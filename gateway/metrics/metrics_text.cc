#include "gateway/metrics/metrics_text.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cortado::gateway {
namespace {

// HELP text escapes only backslash and newline (the format's rule).
std::string EscapeHelp(absl::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// Appends `value` escaped; the common case (nothing to escape) is one copy.
void AppendEscaped(absl::string_view value, std::string& out) {
  if (value.find_first_of("\\\"\n") == absl::string_view::npos) {
    out.append(value.data(), value.size());
    return;
  }
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

}  // namespace

std::string EscapeLabelValue(absl::string_view value) {
  std::string out;
  AppendEscaped(value, out);
  return out;
}

std::string FormatMetricValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // 15 digits: exact for every integer a double holds exactly up to 1e15
  // and round-trips decimal bounds such as 0.00025.
  return absl::StrFormat("%.15g", value);
}

void MetricsText::Family(absl::string_view name, absl::string_view type,
                         absl::string_view help) {
  absl::StrAppend(&out_, "# HELP ", name, " ", EscapeHelp(help), "\n",
                  "# TYPE ", name, " ", type, "\n");
}

void MetricsText::Labels(std::initializer_list<MetricLabel> labels) {
  if (labels.size() == 0) return;
  out_ += '{';
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) out_ += ',';
    first = false;
    absl::StrAppend(&out_, name, "=\"");
    AppendEscaped(value, out_);
    out_ += '"';
  }
  out_ += '}';
}

void MetricsText::Sample(absl::string_view name,
                         std::initializer_list<MetricLabel> labels,
                         double value) {
  out_.append(name.data(), name.size());
  Labels(labels);
  absl::StrAppend(&out_, " ", FormatMetricValue(value), "\n");
}

void MetricsText::Sample(absl::string_view name,
                         std::initializer_list<MetricLabel> labels,
                         uint64_t value) {
  out_.append(name.data(), name.size());
  Labels(labels);
  absl::StrAppend(&out_, " ", value, "\n");
}

void MetricsText::Sample(absl::string_view name,
                         std::initializer_list<MetricLabel> labels,
                         int64_t value) {
  out_.append(name.data(), name.size());
  Labels(labels);
  absl::StrAppend(&out_, " ", value, "\n");
}

void MetricsText::Gauge(absl::string_view name, absl::string_view help,
                        double value) {
  Family(name, "gauge", help);
  Sample(name, {}, value);
}

void MetricsText::Counter(absl::string_view name, absl::string_view help,
                          uint64_t value) {
  Family(name, "counter", help);
  Sample(name, {}, value);
}

void MetricsText::HistogramBucket(absl::string_view name, double bound,
                                  uint64_t count) {
  const std::string le = FormatMetricValue(bound);
  Sample(absl::StrCat(name, "_bucket"), {{"le", le}}, count);
}

}  // namespace cortado::gateway
