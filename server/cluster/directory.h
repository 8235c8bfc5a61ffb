// Directory answers what spans partitions in cluster mode from what
// PostgreSQL has committed, whichever node serves each partition: the
// listings (ListQueues, ListTopics, ListSubscriptions) over every
// partition's schema, and, for a partition's broker, what a queue of
// another partition is (OtherPartitions: a RedrivePolicy or a move task
// naming it). Only acknowledged changes are committed, so the directory
// never shows a queue that a client was not told exists.
// It connects on first use (a node creates it before it joins; the
// partition count is the cluster's, read then) and reconnects when the
// connection is lost.
// Thread-safety: thread-safe (one connection behind a mutex).
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
#include "server/core/other_partitions.h"
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
  Directory(std::string url, std::string control_schema,
            std::string application_name = "cortado-server directory")
      : url_(std::move(url)),
        control_schema_(std::move(control_schema)),
        application_name_(std::move(application_name)) {}

  // The cluster's partition count (read once).
  absl::StatusOr<int32_t> Partitions() ABSL_LOCKS_EXCLUDED(mu_);

  absl::StatusOr<std::vector<std::string>> QueueNames()
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::vector<std::string>> TopicNames()
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::vector<SubscriptionRow>> Subscriptions()
      ABSL_LOCKS_EXCLUDED(mu_);

  // The queue `queue_name` as committed in its partition; NotFound when
  // there is none.
  absl::StatusOr<PeerQueue> Queue(const std::string& queue_name)
      ABSL_LOCKS_EXCLUDED(mu_);
  // The queues, in any partition, whose RedrivePolicy targets `queue_arn`.
  absl::StatusOr<std::vector<std::string>> DeadLetterSources(
      const std::string& queue_arn) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // Connects (or reconnects) and reads the partition count if not yet.
  absl::Status EnsureConnected() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
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

  const std::string url_;
  const std::string control_schema_;
  const std::string application_name_;
  absl::Mutex mu_;
  store::PgConnection connection_ ABSL_GUARDED_BY(mu_);
  int32_t partitions_ ABSL_GUARDED_BY(mu_) = 0;  // 0: not read yet
};

}  // namespace cortado::cluster

#endif  // CORTADO_SERVER_CLUSTER_DIRECTORY_H_
