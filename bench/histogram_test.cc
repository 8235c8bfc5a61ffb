// Histogram: percentiles within the promised 1.6 % of the exact values.
#include "bench/histogram.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace cortado::bench {
namespace {

TEST(HistogramTest, EmptyReportsZero) {
  Histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Percentile(0.99), 0u);
}

TEST(HistogramTest, SmallValuesAreExact) {
  Histogram h;
  for (int v = 0; v < 64; ++v) h.Record(v);
  EXPECT_EQ(h.Percentile(0.0), 0u);
  EXPECT_EQ(h.Percentile(0.5), 32u);
  EXPECT_EQ(h.Percentile(1.0), 63u);
  EXPECT_EQ(h.max(), 63u);
}

TEST(HistogramTest, PercentilesWithinBucketPrecision) {
  std::mt19937_64 random(42);
  // Latencies from 1 µs to 10 s, log-uniform.
  std::uniform_real_distribution<double> exponent(3, 10);
  std::vector<int64_t> values;
  Histogram h;
  for (int i = 0; i < 100000; ++i) {
    const int64_t v = static_cast<int64_t>(std::pow(10.0, exponent(random)));
    values.push_back(v);
    h.Record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const double exact = values[static_cast<size_t>(q * values.size())];
    const double got = h.Percentile(q);
    EXPECT_GE(got, exact * 0.999) << q;  // bucket upper bound: never below
    EXPECT_LE(got, exact * 1.016) << q;
  }
}

TEST(HistogramTest, MergeAddsCountsAndKeepsMax) {
  Histogram a, b;
  a.Record(1000);
  b.Record(5000000);
  b.Record(-5);  // clamped to 0, never a crash
  a.Merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.max(), 5000000u);
  EXPECT_EQ(a.Percentile(0.0), 0u);
}

}  // namespace
}  // namespace cortado::bench
