// SetThreadName: names the calling thread (as `top -H`, `perf` and
// /proc/<pid>/task/<tid>/comm show it), so per-thread profiles can tell the
// broker's writer from the HTTP I/O threads (docs/PERFORMANCE.md).
// Thread-safety: names only the calling thread.
#ifndef CORTADO_COMMON_THREAD_NAME_H_
#define CORTADO_COMMON_THREAD_NAME_H_

#include <pthread.h>

#include <string>

namespace cortado {

// Linux keeps at most 15 characters; longer names are cut there.
inline void SetThreadName(const std::string& name) {
  ::pthread_setname_np(::pthread_self(), name.substr(0, 15).c_str());
}

}  // namespace cortado

#endif  // CORTADO_COMMON_THREAD_NAME_H_
