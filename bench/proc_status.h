// Reads a process's memory figures from /proc/<pid>/status (Linux).
// Thread-safety: stateless.
#ifndef CORTADO_BENCH_PROC_STATUS_H_
#define CORTADO_BENCH_PROC_STATUS_H_

#include <cstdint>
#include <fstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace cortado::bench {

// The value in kB of `field` ("VmRSS", "VmHWM") of process `pid`, or -1 when
// the process or the field is not there.
inline int64_t ProcStatusKb(int pid, absl::string_view field) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view rest = line;
    if (!absl::ConsumePrefix(&rest, field) || !absl::ConsumePrefix(&rest, ":"))
      continue;
    rest = absl::StripAsciiWhitespace(rest);
    absl::ConsumeSuffix(&rest, " kB");
    int64_t kb = 0;
    return absl::SimpleAtoi(rest, &kb) ? kb : -1;
  }
  return -1;
}

}  // namespace cortado::bench

#endif  // CORTADO_BENCH_PROC_STATUS_H_
