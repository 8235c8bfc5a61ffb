// TransferPump takes in the outbox's transfers (migrations/cluster/
// 0002_transfers.sql) for the partitions this node serves. PostgreSQL's
// NOTIFY wakes it when a transfer commits; it also sweeps the table every
// `sweep`, for a notification it missed (while reconnecting, or for a
// partition it took over with transfers waiting). For each partition with
// transfers it reads the oldest and hands them to that partition's broker
// (Broker::AcceptTransfers), which enqueues them and deletes them in one
// fenced commit. One batch per partition is in flight at a time, and the
// next is read only after it committed, so no transfer is handed twice.
// Thread-safety: thread-safe; one thread of its own, plus the brokers'
// completion callbacks.
#ifndef CORTADO_SERVER_CLUSTER_TRANSFER_PUMP_H_
#define CORTADO_SERVER_CLUSTER_TRANSFER_PUMP_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/core/broker.h"
#include "server/store/postgres_helpers.h"

namespace cortado::cluster {

struct TransferPumpOptions {
  std::string url;
  std::string control_schema = "cortado";
  std::string application_name = "cortado-server transfers";
  // How often the whole table is looked at, notifications or not.
  absl::Duration sweep = absl::Seconds(1);
  // Transfers per commit of the receiving broker.
  int batch = 256;
  std::function<void(const std::string&)> log;  // null: silent
};

struct TransferPumpCounters {
  uint64_t batches = 0;    // handed to a broker
  uint64_t transfers = 0;  // in them, committed
  uint64_t failed = 0;     // batches whose commit failed (read again later)
};

class TransferPump {
 public:
  // The broker serving `partition` here, or null when this node does not.
  using BrokerOf = std::function<std::shared_ptr<Broker>(int32_t partition)>;

  TransferPump(TransferPumpOptions options, BrokerOf broker_of);
  ~TransferPump();  // Stop()

  TransferPump(const TransferPump&) = delete;
  TransferPump& operator=(const TransferPump&) = delete;

  // Starts the thread (which connects, and keeps reconnecting).
  absl::Status Start();
  // Joins the thread; batches in flight still complete in their brokers.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

  // Looks at `partition` now (e.g. it was just taken over).
  void Nudge(int32_t partition) ABSL_LOCKS_EXCLUDED(mu_);

  TransferPumpCounters Counters() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Loop();
  // Connects and LISTENs; null connection on failure (logged).
  absl::Status Connect();
  // Marks every partition with transfers waiting.
  absl::Status Sweep() ABSL_LOCKS_EXCLUDED(mu_);
  // Reads and hands out a batch for each marked partition not in flight.
  absl::Status Dispatch() ABSL_LOCKS_EXCLUDED(mu_);
  // Waits for a notification, a nudge or `timeout`; reads notifications.
  absl::Status Wait(absl::Duration timeout) ABSL_LOCKS_EXCLUDED(mu_);
  // Marks the partitions of the notifications libpq has read; whether any.
  bool TakeNotifications() ABSL_LOCKS_EXCLUDED(mu_);
  void Wake();
  void Log(const std::string& line) const;

  const TransferPumpOptions options_;
  const BrokerOf broker_of_;
  int wake_fd_ = -1;  // an eventfd
  std::thread thread_;
  // Used by the thread only.
  store::PgConnection connection_;

  mutable absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::set<int32_t> dirty_ ABSL_GUARDED_BY(mu_);
  std::set<int32_t> in_flight_ ABSL_GUARDED_BY(mu_);
  TransferPumpCounters counters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cortado::cluster

#endif  // CORTADO_SERVER_CLUSTER_TRANSFER_PUMP_H_
