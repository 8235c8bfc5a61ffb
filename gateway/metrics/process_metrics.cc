#include "gateway/metrics/process_metrics.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace cortado::gateway {
namespace {

std::optional<std::string> ReadFile(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The system's boot time (Unix seconds), the "btime" line of /proc/stat.
std::optional<int64_t> BootTime() {
  std::optional<std::string> stat = ReadFile("/proc/stat");
  if (!stat.has_value()) return std::nullopt;
  for (absl::string_view line : absl::StrSplit(*stat, '\n')) {
    if (absl::ConsumePrefix(&line, "btime ")) {
      int64_t seconds = 0;
      if (absl::SimpleAtoi(line, &seconds)) return seconds;
    }
  }
  return std::nullopt;
}

}  // namespace

ProcessMetrics ReadProcessMetrics() {
  ProcessMetrics metrics;
  const long page_size = sysconf(_SC_PAGESIZE);
  const long ticks = sysconf(_SC_CLK_TCK);
  // statm: size resident shared text lib data dt, in pages.
  if (std::optional<std::string> statm = ReadFile("/proc/self/statm")) {
    std::vector<absl::string_view> fields =
        absl::StrSplit(*statm, ' ', absl::SkipWhitespace());
    int64_t pages = 0;
    if (fields.size() > 1 && absl::SimpleAtoi(fields[1], &pages) &&
        page_size > 0) {
      metrics.resident_memory_bytes = pages * page_size;
    }
  }
  // stat: "pid (comm) state ..."; comm may hold spaces and parentheses, so
  // the fields are counted from the last ')': utime and stime are fields 14
  // and 15, starttime (ticks after boot) field 22 of proc(5).
  std::optional<std::string> stat = ReadFile("/proc/self/stat");
  const size_t close = stat.has_value() ? stat->rfind(')') : std::string::npos;
  if (close != std::string::npos && ticks > 0) {
    std::vector<absl::string_view> fields =
        absl::StrSplit(absl::string_view(*stat).substr(close + 1), ' ',
                       absl::SkipWhitespace());
    // fields[0] is field 3 (state).
    auto field = [&](int number) -> std::optional<int64_t> {
      const size_t index = number - 3;
      int64_t value = 0;
      if (index >= fields.size() || !absl::SimpleAtoi(fields[index], &value)) {
        return std::nullopt;
      }
      return value;
    };
    std::optional<int64_t> utime = field(14), stime = field(15),
                           start = field(22);
    if (utime.has_value() && stime.has_value()) {
      metrics.cpu_seconds = static_cast<double>(*utime + *stime) / ticks;
    }
    std::optional<int64_t> boot = BootTime();
    if (start.has_value() && boot.has_value()) {
      metrics.start_time_seconds =
          static_cast<double>(*boot) + static_cast<double>(*start) / ticks;
    }
  }
  return metrics;
}

}  // namespace cortado::gateway
