#include "client/coffee/order_writer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "client/coffee/log.h"

namespace cortado::coffee {

OrderWriter::OrderWriter(OrderStore* store, OrderWriterOptions options)
    : store_(store), options_(std::move(options)) {}

OrderWriter::~OrderWriter() { Stop(); }

void OrderWriter::Start() {
  thread_ = std::thread([this] { Loop(); });
}

absl::StatusOr<WriteResult> OrderWriter::Write(const Order& order) {
  Pending pending(&order);
  absl::MutexLock lock(&mu_);
  if (stopped_) return absl::UnavailableError("order writer stopped");
  queue_.push_back(&pending);
  mu_.Await(absl::Condition(&pending.done));
  return std::move(pending.result);
}

void OrderWriter::BeginShutdown() {
  absl::MutexLock lock(&mu_);
  shutting_down_ = true;
}

void OrderWriter::Stop() {
  BeginShutdown();
  if (thread_.joinable()) thread_.join();
}

OrderWriterCounters OrderWriter::counters() const {
  absl::MutexLock lock(&mu_);
  return counters_;
}

void OrderWriter::Loop() {
  while (true) {
    std::vector<Pending*> batch;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](OrderWriter* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return !self->queue_.empty() || self->shutting_down_;
          },
          this));
      if (queue_.empty()) {  // and shutting down
        stopped_ = true;
        return;
      }
      // Everything that queued up during the previous transaction goes
      // into this one: the group commit.
      const size_t take =
          std::min(queue_.size(), static_cast<size_t>(options_.max_batch));
      batch.assign(queue_.begin(), queue_.begin() + take);
      queue_.erase(queue_.begin(), queue_.begin() + take);
    }
    WriteBatch(batch);
  }
}

void OrderWriter::WriteBatch(const std::vector<Pending*>& batch) {
  std::vector<Order> orders;
  orders.reserve(batch.size());
  for (const Pending* pending : batch) orders.push_back(*pending->order);

  absl::Duration backoff = options_.min_backoff;
  bool failing = false;
  while (true) {
    absl::StatusOr<std::vector<std::optional<int64_t>>> ids =
        store_->InsertBatch(orders);
    if (ids.ok()) {
      if (failing) Log("PostgreSQL is back: batch committed");
      std::vector<absl::StatusOr<WriteResult>> results;
      for (const std::optional<int64_t>& id : *ids) {
        results.push_back(WriteResult{id});
      }
      Finish(batch, results);
      return;
    }
    if (absl::IsInvalidArgument(ids.status())) {
      if (batch.size() == 1) {
        Finish(batch, {ids.status()});
        return;
      }
      // Some order's data was refused and the whole transaction with it;
      // write each alone so that the others still land.
      for (Pending* pending : batch) WriteBatch({pending});
      return;
    }
    failing = true;
    bool shutting_down;
    {
      absl::MutexLock lock(&mu_);
      ++counters_.failed_attempts;
      shutting_down = shutting_down_;
    }
    if (shutting_down) {
      Log(absl::StrCat(
          "shutting down; ", batch.size(),
          " order(s) left in the queue: ", ids.status().message()));
      Finish(batch, std::vector<absl::StatusOr<WriteResult>>(batch.size(),
                                                             ids.status()));
      return;
    }
    Log(absl::StrCat(ids.status().message(), "; retrying ", batch.size(),
                     " order(s) in ", absl::FormatDuration(backoff)));
    {
      // The backoff ends early when shutdown begins.
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&shutting_down_), backoff);
    }
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

void OrderWriter::Finish(
    const std::vector<Pending*>& batch,
    const std::vector<absl::StatusOr<WriteResult>>& results) {
  absl::MutexLock lock(&mu_);
  bool committed = false;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (results[i].ok()) {
      committed = true;
      ++(results[i]->row_id.has_value() ? counters_.inserted
                                        : counters_.duplicates);
    }
    batch[i]->result = results[i];
    batch[i]->done = true;  // the writer wakes on mu_'s release
  }
  if (committed) ++counters_.transactions;
}

}  // namespace cortado::coffee
