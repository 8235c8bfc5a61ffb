#include "server/cluster/partition_host.h"

namespace cortado::cluster {

PartitionHost::~PartitionHost() { DropAll(); }

absl::StatusOr<std::pair<absl::Duration, absl::Duration>>
PartitionHost::Acquire(int32_t partition, int64_t epoch) {
  Drop(partition);
  absl::StatusOr<std::unique_ptr<HostedPartition>> built = factory_(
      partition, epoch, [this, partition, epoch](const absl::Status& status) {
        NoteFailure(partition, epoch, status);
      });
  if (!built.ok()) return built.status();
  std::shared_ptr<HostedPartition> hosted = *std::move(built);
  const std::pair<absl::Duration, absl::Duration> times{hosted->open_time,
                                                        hosted->start_time};
  absl::MutexLock lock(&mu_);
  hosted_[partition] = std::move(hosted);
  return times;
}

void PartitionHost::Drop(int32_t partition) {
  std::shared_ptr<HostedPartition> dropped;
  {
    absl::MutexLock lock(&mu_);
    auto it = hosted_.find(partition);
    if (it == hosted_.end()) return;
    dropped = std::move(it->second);
    hosted_.erase(it);
  }
  // Outside the lock: the shutdown waits for the broker's writer.
  dropped->broker->Shutdown();
}

void PartitionHost::DropAll() {
  absl::flat_hash_map<int32_t, std::shared_ptr<HostedPartition>> all;
  {
    absl::MutexLock lock(&mu_);
    all.swap(hosted_);
  }
  for (auto& [partition, hosted] : all) hosted->broker->Shutdown();
}

std::shared_ptr<Broker> PartitionHost::BrokerOf(int32_t partition) const {
  absl::MutexLock lock(&mu_);
  auto it = hosted_.find(partition);
  if (it == hosted_.end()) return nullptr;
  for (const PartitionFailure& failure : failures_) {
    if (failure.partition == partition && failure.epoch == it->second->epoch) {
      return nullptr;
    }
  }
  // Aliasing: the caller's pointer keeps the whole partition alive.
  return std::shared_ptr<Broker>(it->second, it->second->broker.get());
}

std::map<int32_t, int64_t> PartitionHost::Hosted() const {
  absl::MutexLock lock(&mu_);
  std::map<int32_t, int64_t> out;
  for (const auto& [partition, hosted] : hosted_) {
    out[partition] = hosted->epoch;
  }
  return out;
}

std::vector<PartitionFailure> PartitionHost::TakeFailures() {
  absl::MutexLock lock(&mu_);
  return std::exchange(failures_, {});
}

void PartitionHost::NoteFailure(int32_t partition, int64_t epoch,
                                const absl::Status& status) {
  absl::MutexLock lock(&mu_);
  failures_.push_back(PartitionFailure{partition, epoch, status});
}

}  // namespace cortado::cluster
