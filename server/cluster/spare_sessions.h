// SpareSessions keeps PostgreSQL sessions open before they are needed, for
// partitions about to be loaded here. Opening a session (a backend forked
// and initialised) was the largest part of a partition's open on a busy
// machine: 30-470 ms against 2-40 ms for the migration check and 10-80 ms
// for the load (docs/CLUSTER.md). A node keeps spares only while
// partitions move (a member hands over), so they cost no connection
// otherwise.
// Thread-safety: thread-safe.
#ifndef CORTADO_SERVER_CLUSTER_SPARE_SESSIONS_H_
#define CORTADO_SERVER_CLUSTER_SPARE_SESSIONS_H_

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "server/store/postgres_helpers.h"

namespace cortado::cluster {

class SpareSessions {
 public:
  // Sessions to `url`, named `application_name` until taken.
  SpareSessions(std::string url, std::string application_name);
  ~SpareSessions();  // closes the spares

  SpareSessions(const SpareSessions&) = delete;
  SpareSessions& operator=(const SpareSessions&) = delete;

  // How many to keep open (0: none; extra ones are closed).
  void Want(int count) ABSL_LOCKS_EXCLUDED(mu_);
  // A spare session, if one is open (its connection may have died since:
  // the first statement tells).
  std::optional<store::PgConnection> Take() ABSL_LOCKS_EXCLUDED(mu_);

  const std::string& application_name() const { return application_name_; }

 private:
  void Loop() ABSL_LOCKS_EXCLUDED(mu_);

  const std::string url_;
  const std::string application_name_;
  absl::Mutex mu_;
  int wanted_ ABSL_GUARDED_BY(mu_) = 0;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<store::PgConnection> ready_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace cortado::cluster

#endif  // CORTADO_SERVER_CLUSTER_SPARE_SESSIONS_H_
