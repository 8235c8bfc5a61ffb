// MetricsText: the exact bytes of the Prometheus text format, escaping
// included, and that the test parser reads them back.
#include "gateway/metrics/metrics_text.h"

#include <array>
#include <cstdint>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/prometheus_text.h"
#include "tests/testing/status_matchers.h"

namespace cortado::gateway::testing {
namespace {

TEST(MetricsTextTest, LabelValuesEscapeBackslashQuoteAndNewline) {
  EXPECT_EQ(EscapeLabelValue("plain-name_1"), "plain-name_1");
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

TEST(MetricsTextTest, ValuesAreIntegersDecimalsOrTheSpecialWords) {
  EXPECT_EQ(FormatMetricValue(3), "3");
  EXPECT_EQ(FormatMetricValue(0.00025), "0.00025");
  EXPECT_EQ(FormatMetricValue(1.5), "1.5");
  EXPECT_EQ(FormatMetricValue(1234567890123.0), "1234567890123");
  EXPECT_EQ(FormatMetricValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatMetricValue(-std::numeric_limits<double>::infinity()),
            "-Inf");
  EXPECT_EQ(FormatMetricValue(std::nan("")), "NaN");
}

TEST(MetricsTextTest, FamiliesAndSamplesAreWrittenExactly) {
  MetricsText out;
  out.Family("cortado_x_total", "counter", "Things.\nWith a \\ newline.");
  out.Sample("cortado_x_total", {{"queue", "we\"ird"}, {"kind", "a"}},
             uint64_t{7});
  out.Sample("cortado_x_total", {}, int64_t{-2});
  out.Gauge("cortado_g", "A gauge.", 0.5);
  EXPECT_EQ(out.text(),
            "# HELP cortado_x_total Things.\\nWith a \\\\ newline.\n"
            "# TYPE cortado_x_total counter\n"
            "cortado_x_total{queue=\"we\\\"ird\",kind=\"a\"} 7\n"
            "cortado_x_total -2\n"
            "# HELP cortado_g A gauge.\n"
            "# TYPE cortado_g gauge\n"
            "cortado_g 0.5\n");
}

TEST(MetricsTextTest, HistogramBucketsAreCumulative) {
  MetricsText out;
  const std::array<double, 2> bounds = {0.001, 0.1};
  const std::array<uint64_t, 3> counts = {2, 0, 1};  // 1 above 0.1
  out.Histogram("cortado_h_seconds", "Latency.", bounds, counts, 0.25, 3);
  EXPECT_EQ(out.text(),
            "# HELP cortado_h_seconds Latency.\n"
            "# TYPE cortado_h_seconds histogram\n"
            "cortado_h_seconds_bucket{le=\"0.001\"} 2\n"
            "cortado_h_seconds_bucket{le=\"0.1\"} 2\n"
            "cortado_h_seconds_bucket{le=\"+Inf\"} 3\n"
            "cortado_h_seconds_sum 0.25\n"
            "cortado_h_seconds_count 3\n");
}

TEST(MetricsTextTest, ParserReadsEscapedLabelsBack) {
  MetricsText out;
  out.Family("cortado_q", "gauge", "Q.");
  out.Sample("cortado_q", {{"queue", "a\"b\\c\nd"}}, int64_t{4});
  absl::StatusOr<PrometheusPage> page = ParsePrometheusText(out.text());
  ASSERT_OK(page.status());
  EXPECT_EQ(page->Value("cortado_q{queue=\"a\"b\\c\nd\"}"), 4);
}

TEST(MetricsTextTest, ParserRejectsASampleOutsideItsFamily) {
  EXPECT_FALSE(ParsePrometheusText("# HELP a A.\n# TYPE a gauge\nb 1\n").ok());
  EXPECT_FALSE(ParsePrometheusText("a 1\n").ok());
  EXPECT_FALSE(
      ParsePrometheusText("# HELP a A.\n# TYPE a gauge\na{x=\"1} 1\n").ok());
  EXPECT_OK(ParsePrometheusText("# HELP a A.\n# TYPE a gauge\na 1\n").status());
}

}  // namespace
}  // namespace cortado::gateway::testing
