// Directory answers the listings that span every partition (ListQueues,
// ListTopics, ListSubscriptions) in cluster mode from what PostgreSQL has
// committed: the names in every partition's schema, whichever node serves
// it. Only acknowledged creates are committed, so a listing never shows a
// queue that a client was not told exists.
// Thread-safety: thread-safe (one connection behind a mutex, reopened when
// lost).
#ifndef CORTADO_SERVER_CLUSTER_DIRECTORY_H_
#define CORTADO_SERVER_CLUSTER_DIRECTORY_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/store/postgres_helpers.h"

namespace cortado::cluster {

struct SubscriptionRow {
  std::string topic;  // the topic's name
  std::string id;     // the subscription's id (the ARN's last field)
  std::string protocol;
  std::string endpoint;
};

class Directory {
 public:
  static absl::StatusOr<std::unique_ptr<Directory>> Open(
      const std::string& url, const std::string& control_schema,
      int32_t partitions);

  absl::StatusOr<std::vector<std::string>> QueueNames()
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::vector<std::string>> TopicNames()
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::vector<SubscriptionRow>> Subscriptions()
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  Directory(store::PgConnection connection, std::string control_schema,
            int32_t partitions)
      : control_schema_(std::move(control_schema)),
        partitions_(partitions),
        connection_(std::move(connection)) {}

  // select_from(<p's quoted schema>) joined by UNION ALL, over the
  // partitions whose schema has `table` (a partition never served has none
  // yet); "" when none has.
  absl::StatusOr<std::string> UnionOver(
      const std::string& table,
      const std::function<std::string(const std::string&)>& select_from)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Runs a UnionOver of one text column per row.
  absl::StatusOr<std::vector<std::string>> Names(const std::string& table)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status EnsureConnected() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string control_schema_;
  const int32_t partitions_;
  absl::Mutex mu_;
  store::PgConnection connection_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cortado::cluster

#endif  // CORTADO_SERVER_CLUSTER_DIRECTORY_H_
