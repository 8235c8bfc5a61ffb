// MetricsText writes the Prometheus text exposition format (version 0.0.4):
// for each family a `# HELP` and a `# TYPE` line, then its samples
// `name{label="value",...} value`, with label values and help text escaped
// as the format requires (backslash, double quote, newline).
// Thread-safety: not thread-safe; one writer per response.
#ifndef CORTADO_GATEWAY_METRICS_METRICS_TEXT_H_
#define CORTADO_GATEWAY_METRICS_METRICS_TEXT_H_

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace cortado::gateway {

inline constexpr absl::string_view kMetricsContentType =
    "text/plain; version=0.0.4; charset=utf-8";

// One label of a sample: name="value". The value is escaped on output.
using MetricLabel = std::pair<absl::string_view, absl::string_view>;

class MetricsText {
 public:
  // Starts a family. `type` is "counter", "gauge" or "histogram". Every
  // sample written until the next Family() must belong to it (for a
  // histogram: `name`_bucket, _sum and _count).
  void Family(absl::string_view name, absl::string_view type,
              absl::string_view help);

  // A sample of the current family. `name` is the full sample name.
  void Sample(absl::string_view name, std::initializer_list<MetricLabel> labels,
              double value);
  void Sample(absl::string_view name, std::initializer_list<MetricLabel> labels,
              uint64_t value);
  void Sample(absl::string_view name, std::initializer_list<MetricLabel> labels,
              int64_t value);

  // A single-sample family, the common case of process and broker gauges.
  void Gauge(absl::string_view name, absl::string_view help, double value);
  void Counter(absl::string_view name, absl::string_view help, uint64_t value);

  // A whole histogram family from cumulative-ready bucket counts:
  // `counts[i]` observations in (bounds[i-1], bounds[i]], and one more slot
  // for those above the last bound.
  template <typename Bounds, typename Counts>
  void Histogram(absl::string_view name, absl::string_view help,
                 const Bounds& bounds, const Counts& counts, double sum,
                 uint64_t count);

  const std::string& text() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void Labels(std::initializer_list<MetricLabel> labels);
  void HistogramBucket(absl::string_view name, double bound, uint64_t count);

  std::string out_;
};

// Escapes a label value: \ -> \\, " -> \", newline -> \n.
std::string EscapeLabelValue(absl::string_view value);
// Formats a sample value: integers without a fraction, +Inf/-Inf/NaN as
// the format spells them, other numbers in the shortest exact form.
std::string FormatMetricValue(double value);

template <typename Bounds, typename Counts>
void MetricsText::Histogram(absl::string_view name, absl::string_view help,
                            const Bounds& bounds, const Counts& counts,
                            double sum, uint64_t count) {
  Family(name, "histogram", help);
  uint64_t cumulative = 0;
  size_t i = 0;
  for (; i < bounds.size(); ++i) {
    cumulative += counts[i];
    HistogramBucket(name, bounds[i], cumulative);
  }
  HistogramBucket(name, std::numeric_limits<double>::infinity(), count);
  Sample(std::string(name) + "_sum", {}, sum);
  Sample(std::string(name) + "_count", {}, count);
}

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_METRICS_METRICS_TEXT_H_
