#include "server/cluster/spare_sessions.h"

#include <utility>

#include "absl/time/time.h"

namespace cortado::cluster {

SpareSessions::SpareSessions(std::string url, std::string application_name)
    : url_(std::move(url)),
      application_name_(std::move(application_name)),
      thread_([this] { Loop(); }) {}

SpareSessions::~SpareSessions() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

void SpareSessions::Want(int count) {
  absl::MutexLock lock(&mu_);
  wanted_ = count;
}

std::optional<store::PgConnection> SpareSessions::Take() {
  absl::MutexLock lock(&mu_);
  if (ready_.empty()) return std::nullopt;
  store::PgConnection connection = std::move(ready_.back());
  ready_.pop_back();
  return connection;
}

void SpareSessions::Loop() {
  while (true) {
    std::vector<store::PgConnection> closing;  // closed outside the lock
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](SpareSessions* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return self->stop_ ||
                   static_cast<int>(self->ready_.size()) != self->wanted_;
          },
          this));
      if (stop_) return;
      while (static_cast<int>(ready_.size()) > wanted_) {
        closing.push_back(std::move(ready_.back()));
        ready_.pop_back();
      }
      if (!closing.empty()) continue;
    }
    absl::StatusOr<store::PgConnection> opened =
        store::PgConnect(url_, application_name_);
    absl::MutexLock lock(&mu_);
    if (opened.ok()) {
      ready_.push_back(*std::move(opened));
      continue;
    }
    // PostgreSQL unreachable: the loads connect (and fail) on their own;
    // try again in a second.
    mu_.AwaitWithTimeout(absl::Condition(&stop_), absl::Seconds(1));
  }
}

}  // namespace cortado::cluster
