// DataDirLock makes a data directory exclusive to one process: it creates
// the directory if needed and holds an flock on DIR/LOCK for its lifetime.
// The kernel drops the lock when the process dies, even by kill -9.
// Thread-safety: not shared.
#ifndef CORTADO_SERVER_STORE_DATA_DIR_LOCK_H_
#define CORTADO_SERVER_STORE_DATA_DIR_LOCK_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace cortado::store {

class DataDirLock {
 public:
  // Fails with FailedPrecondition if another process holds the directory.
  static absl::StatusOr<std::unique_ptr<DataDirLock>> Acquire(
      const std::string& dir);
  ~DataDirLock();

  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_DATA_DIR_LOCK_H_
