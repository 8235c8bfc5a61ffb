// Histogram records latencies in nanoseconds into log-linear buckets (64
// sub-buckets per power of two, so every percentile is within 1.6% of the
// true value) and reports percentiles. Fixed size, no allocation per sample,
// so recording never disturbs the load it measures.
// Thread-safety: none; give each thread its own and Merge() at the end.
#ifndef CORTADO_BENCH_HISTOGRAM_H_
#define CORTADO_BENCH_HISTOGRAM_H_

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace cortado::bench {

class Histogram {
 public:
  void Record(int64_t ns) {
    if (ns < 0) ns = 0;
    ++counts_[Index(static_cast<uint64_t>(ns))];
    ++count_;
    if (static_cast<uint64_t>(ns) > max_) max_ = ns;
  }
  void Merge(const Histogram& other) {
    for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
    count_ += other.count_;
    if (other.max_ > max_) max_ = other.max_;
  }
  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }

  // The value (ns, the upper bound of its bucket) at or below which a
  // fraction `q` (0..1) of the samples lie; 0 when empty.
  uint64_t Percentile(double q) const {
    if (count_ == 0) return 0;
    uint64_t rank = static_cast<uint64_t>(q * static_cast<double>(count_));
    if (rank >= count_) rank = count_ - 1;
    uint64_t seen = 0;
    for (size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen > rank) {
        const uint64_t upper = UpperBound(i);
        return upper < max_ ? upper : max_;
      }
    }
    return max_;
  }

 private:
  static constexpr int kSubBits = 6;  // 64 sub-buckets per power of two
  static constexpr uint64_t kSub = uint64_t{1} << kSubBits;

  static size_t Index(uint64_t v) {
    if (v < kSub) return static_cast<size_t>(v);
    const int exponent = std::bit_width(v) - 1 - kSubBits;  // >= 0
    const uint64_t mantissa = (v >> exponent) - kSub;       // 0..kSub-1
    return static_cast<size_t>(kSub * (exponent + 1) + mantissa);
  }
  static uint64_t UpperBound(size_t index) {
    if (index < kSub) return index;
    const uint64_t exponent = index / kSub - 1;
    const uint64_t mantissa = index % kSub;
    return ((kSub + mantissa + 1) << exponent) - 1;
  }

  std::array<uint64_t, kSub*(64 - kSubBits + 1)> counts_{};
  uint64_t count_ = 0;
  uint64_t max_ = 0;
};

}  // namespace cortado::bench

#endif  // CORTADO_BENCH_HISTOGRAM_H_
