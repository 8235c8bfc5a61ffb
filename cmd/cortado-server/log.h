// A tiny level-filtered logger for cortado-server: one line per call on
// stderr, "2026-01-01T12:00:00.123Z INFO message". Library code returns
// errors instead of logging; only the process shell (main) logs.
// Thread-safety: all functions may be called from any thread; each line is
// written with a single write(2), so lines do not interleave.
#ifndef CORTADO_SERVER_LOG_H_
#define CORTADO_SERVER_LOG_H_

#include <optional>

#include "absl/strings/string_view.h"

namespace cortado {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// "debug", "info", "warning", "error"; nullopt for anything else.
std::optional<LogLevel> ParseLogLevel(absl::string_view name);

// Lines below `level` are dropped. Default: kInfo.
void SetLogLevel(LogLevel level);

void Log(LogLevel level, absl::string_view message);

inline void LogDebug(absl::string_view message) {
  Log(LogLevel::kDebug, message);
}
inline void LogInfo(absl::string_view message) {
  Log(LogLevel::kInfo, message);
}
inline void LogWarning(absl::string_view message) {
  Log(LogLevel::kWarning, message);
}
inline void LogError(absl::string_view message) {
  Log(LogLevel::kError, message);
}

}  // namespace cortado

#endif  // CORTADO_SERVER_LOG_H_
