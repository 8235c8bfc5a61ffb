#include "server/cluster/transfer_pump.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/core/status_macros.h"
#include "server/store/postgres_transfers.h"

namespace cortado::cluster {

TransferPump::TransferPump(TransferPumpOptions options, BrokerOf broker_of)
    : options_(std::move(options)), broker_of_(std::move(broker_of)) {}

TransferPump::~TransferPump() {
  Stop();
  if (wake_fd_ >= 0) close(wake_fd_);
}

void TransferPump::Log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

absl::Status TransferPump::Start() {
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    return absl::InternalError(absl::StrCat("eventfd: errno ", errno));
  }
  thread_ = std::thread([this] { Loop(); });
  return absl::OkStatus();
}

void TransferPump::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stop_) return;
    stop_ = true;
  }
  Wake();
  if (thread_.joinable()) thread_.join();
}

void TransferPump::Wake() {
  const uint64_t one = 1;
  if (wake_fd_ >= 0) (void)!write(wake_fd_, &one, sizeof(one));
}

void TransferPump::Nudge(int32_t partition) {
  {
    absl::MutexLock lock(&mu_);
    dirty_.insert(partition);
  }
  Wake();
}

TransferPumpCounters TransferPump::Counters() const {
  absl::MutexLock lock(&mu_);
  return counters_;
}

absl::Status TransferPump::Connect() {
  CORTADO_ASSIGN_OR_RETURN(
      connection_, store::PgConnect(options_.url, options_.application_name));
  // The channel the outbox's trigger notifies: "<schema>.transfers".
  const absl::Status listening = store::PgExec(
      connection_.get(),
      absl::StrCat("LISTEN ",
                   store::PgQuoteIdentifier(
                       connection_.get(),
                       absl::StrCat(options_.control_schema, ".transfers"))));
  if (!listening.ok()) connection_.reset();
  return listening;
}

absl::Status TransferPump::Sweep() {
  CORTADO_ASSIGN_OR_RETURN(const std::vector<int32_t> partitions,
                           store::PartitionsWithTransfers(
                               connection_.get(), options_.control_schema));
  absl::MutexLock lock(&mu_);
  dirty_.insert(partitions.begin(), partitions.end());
  return absl::OkStatus();
}

absl::Status TransferPump::Dispatch() {
  std::vector<int32_t> ready;
  {
    absl::MutexLock lock(&mu_);
    for (auto it = dirty_.begin(); it != dirty_.end();) {
      if (in_flight_.contains(*it)) {
        ++it;  // looked at again once its batch is committed
      } else {
        ready.push_back(*it);
        it = dirty_.erase(it);
      }
    }
  }
  for (size_t i = 0; i < ready.size(); ++i) {
    const int32_t partition = ready[i];
    std::shared_ptr<Broker> broker = broker_of_(partition);
    if (broker == nullptr) continue;  // not ours: its owner takes them
    absl::StatusOr<std::vector<TransferRecord>> transfers =
        store::ReadTransfers(connection_.get(), options_.control_schema,
                             partition, options_.batch);
    if (!transfers.ok()) {
      absl::MutexLock lock(&mu_);
      dirty_.insert(ready.begin() + i, ready.end());
      return transfers.status();
    }
    if (transfers->empty()) continue;
    const bool full = static_cast<int>(transfers->size()) >= options_.batch;
    {
      absl::MutexLock lock(&mu_);
      in_flight_.insert(partition);
      ++counters_.batches;
    }
    broker->AcceptTransfers(
        *std::move(transfers),
        [this, partition, full](absl::StatusOr<size_t> taken) {
          {
            absl::MutexLock lock(&mu_);
            in_flight_.erase(partition);
            if (taken.ok()) {
              counters_.transfers += *taken;
              // More may wait behind a full batch. After a failure the
              // sweep comes back to it (the partition may be moving).
              if (full) dirty_.insert(partition);
            } else {
              ++counters_.failed;
            }
          }
          Wake();
        });
  }
  return absl::OkStatus();
}

bool TransferPump::TakeNotifications() {
  bool any = false;
  absl::MutexLock lock(&mu_);
  while (PGnotify* notify = PQnotifies(connection_.get())) {
    int32_t partition = 0;
    if (absl::SimpleAtoi(notify->extra, &partition)) dirty_.insert(partition);
    PQfreemem(notify);
    any = true;
  }
  return any;
}

absl::Status TransferPump::Wait(absl::Duration timeout) {
  // Notifications that arrived during the last queries are in libpq's
  // buffer already, and the socket will not wake us for them.
  if (connection_ != nullptr && TakeNotifications()) return absl::OkStatus();
  pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {-1, POLLIN, 0}};
  if (connection_ != nullptr) fds[1].fd = PQsocket(connection_.get());
  const int millis = static_cast<int>(
      std::max<int64_t>(0, absl::ToInt64Milliseconds(timeout)));
  if (poll(fds, 2, millis) < 0 && errno != EINTR) {
    return absl::InternalError(absl::StrCat("poll: errno ", errno));
  }
  uint64_t drained = 0;
  (void)!read(wake_fd_, &drained, sizeof(drained));
  if (connection_ == nullptr || (fds[1].revents & (POLLIN | POLLERR)) == 0) {
    return absl::OkStatus();
  }
  if (PQconsumeInput(connection_.get()) == 0) {
    return store::PgError(connection_.get(), "reading notifications");
  }
  TakeNotifications();
  return absl::OkStatus();
}

void TransferPump::Loop() {
  absl::Time next_sweep = absl::InfinitePast();
  bool reported = false;  // a connection failure, logged once per outage
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (stop_) return;
    }
    absl::Status status = absl::OkStatus();
    if (connection_ == nullptr) {
      status = Connect();
      // Notifications sent while disconnected are lost: sweep at once.
      next_sweep = absl::InfinitePast();
    }
    if (status.ok() && absl::Now() >= next_sweep) {
      status = Sweep();
      next_sweep = absl::Now() + options_.sweep;
    }
    if (status.ok()) status = Dispatch();
    if (status.ok()) {
      if (reported) Log("cluster: outbox reader connected again");
      reported = false;
      status = Wait(next_sweep - absl::Now());
    }
    if (!status.ok()) {
      connection_.reset();
      if (!reported) {
        Log(absl::StrCat("cluster: outbox reader (retrying): ",
                         status.message()));
      }
      reported = true;
      (void)Wait(options_.sweep);  // a nudge or Stop ends it early
    }
  }
}

}  // namespace cortado::cluster
