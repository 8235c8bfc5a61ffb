#include "cortado/consumer.h"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/lib/heartbeat_scheduler.h"

namespace cortado::client {
namespace {

absl::Status CheckOptions(const ConsumerOptions& options) {
  if (options.queue.empty()) {
    return absl::InvalidArgumentError("ConsumerOptions.queue is required");
  }
  if (options.concurrency < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("ConsumerOptions.concurrency must be at least 1, not ",
                     options.concurrency));
  }
  if (options.max_messages < 1 || options.max_messages > 10) {
    return absl::InvalidArgumentError(
        absl::StrCat("ConsumerOptions.max_messages must be 1-10, not ",
                     options.max_messages));
  }
  if (options.wait_time < absl::ZeroDuration() ||
      options.wait_time > absl::Seconds(20)) {
    return absl::InvalidArgumentError(
        absl::StrCat("ConsumerOptions.wait_time must be 0-20 s, not ",
                     absl::FormatDuration(options.wait_time)));
  }
  if (options.heartbeat_interval &&
      *options.heartbeat_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "ConsumerOptions.heartbeat_interval must be positive");
  }
  if (options.min_backoff <= absl::ZeroDuration() ||
      options.max_backoff < options.min_backoff) {
    return absl::InvalidArgumentError(
        "ConsumerOptions needs 0 < min_backoff <= max_backoff");
  }
  return absl::OkStatus();
}

}  // namespace

Consumer::Consumer(Client* client, ConsumerOptions options, Handler handler)
    : client_(client),
      options_(std::move(options)),
      handler_(std::move(handler)) {}

Consumer::~Consumer() { Stop(); }

absl::Status Consumer::Start() {
  absl::MutexLock stop_lock(&stop_mu_);
  {
    absl::MutexLock lock(&mu_);
    if (state_ != State::kIdle) {
      return absl::FailedPreconditionError("a Consumer starts only once");
    }
  }
  if (absl::Status status = CheckOptions(options_); !status.ok()) {
    return status;
  }
  // Reading the attribute also proves that the queue exists, so a typo in
  // the name fails here rather than as a stream of receive errors.
  absl::StatusOr<StringMap> attributes =
      client_->GetQueueAttributes(options_.queue, {"VisibilityTimeout"});
  if (!attributes.ok()) return attributes.status();
  if (options_.visibility_timeout) {
    visibility_timeout_ = *options_.visibility_timeout;
  } else {
    int64_t seconds = 0;
    auto it = attributes->find("VisibilityTimeout");
    if (it == attributes->end() || !absl::SimpleAtoi(it->second, &seconds)) {
      return absl::InternalError(absl::StrCat(
          "queue ", options_.queue, " reported no usable VisibilityTimeout"));
    }
    visibility_timeout_ = absl::Seconds(seconds);
  }
  // Half the timeout leaves the other half for a beat that is slow to
  // arrive. A zero timeout has nothing to extend.
  absl::Duration interval = options_.heartbeat_interval.value_or(
      visibility_timeout_ > absl::ZeroDuration() ? visibility_timeout_ / 2
                                                 : absl::InfiniteDuration());
  heartbeats_ = std::make_unique<HeartbeatScheduler>(
      interval, [this](const std::string& handle) { Beat(handle); });

  {
    absl::MutexLock lock(&mu_);
    state_ = State::kRunning;
    changed_.SignalAll();
  }
  for (int i = 0; i < options_.concurrency; ++i) {
    workers_.emplace_back([this] { WorkerLoop(); });
  }
  receiver_ = std::thread([this] { ReceiveLoop(); });
  return absl::OkStatus();
}

void Consumer::Stop() {
  absl::MutexLock stop_lock(&stop_mu_);
  {
    absl::MutexLock lock(&mu_);
    if (state_ == State::kIdle || state_ == State::kStopped) {
      state_ = State::kStopped;
      changed_.SignalAll();
      return;
    }
    state_ = State::kStopping;
    changed_.SignalAll();
  }
  // Ends a long poll at once instead of after up to wait_time.
  receive_cancellation_.Cancel();
  receiver_.join();
  // The receiver is gone, so the queue only shrinks: workers drain it and
  // exit. Heartbeats continue until the last handler has returned.
  for (std::thread& worker : workers_) worker.join();
  workers_.clear();
  heartbeats_.reset();
  absl::MutexLock lock(&mu_);
  state_ = State::kStopped;
  changed_.SignalAll();
}

ConsumerStats Consumer::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

bool Consumer::WaitFor(
    const std::function<bool(const ConsumerStats&)>& condition,
    absl::Duration timeout) const {
  absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock lock(&mu_);
  while (!condition(stats_)) {
    if (changed_.WaitWithDeadline(&mu_, deadline)) return condition(stats_);
  }
  return true;
}

void Consumer::ReceiveLoop() {
  absl::Duration backoff = options_.min_backoff;
  while (true) {
    int wanted = 0;
    {
      absl::MutexLock lock(&mu_);
      while (state_ == State::kRunning &&
             stats_.in_flight >= options_.concurrency) {
        changed_.Wait(&mu_);
      }
      if (state_ != State::kRunning) return;
      wanted = std::min(options_.max_messages,
                        options_.concurrency - stats_.in_flight);
    }
    ReceiveOptions receive;
    receive.max_messages = wanted;
    receive.wait = options_.wait_time;
    receive.visibility_timeout = options_.visibility_timeout;
    receive.attribute_names = options_.attribute_names;
    receive.message_attribute_names = options_.message_attribute_names;
    receive.cancellation = &receive_cancellation_;
    absl::StatusOr<std::vector<Message>> messages =
        client_->ReceiveMessage(options_.queue, receive);
    absl::Time received_at = absl::Now();

    if (!messages.ok()) {
      absl::MutexLock lock(&mu_);
      if (state_ != State::kRunning) return;  // the cancelled long poll
      ++stats_.receive_errors;
      RecordError(messages.status());
      changed_.SignalAll();
      // A CondVar wait rather than a sleep, so that Stop() cuts it short.
      absl::Time until = absl::Now() + backoff;
      while (state_ == State::kRunning &&
             !changed_.WaitWithDeadline(&mu_, until)) {
      }
      backoff = std::min(backoff * 2, options_.max_backoff);
      continue;
    }
    backoff = options_.min_backoff;

    {
      absl::MutexLock lock(&mu_);
      if (state_ == State::kRunning) {
        for (Message& message : *messages) {
          pending_.push_back(Received{std::move(message), received_at});
        }
        stats_.received += static_cast<int64_t>(messages->size());
        stats_.in_flight += static_cast<int>(messages->size());
        changed_.SignalAll();
        continue;
      }
    }
    // Stop() began while these were on their way: hand them back.
    Release(*messages);
    return;
  }
}

void Consumer::WorkerLoop() {
  while (true) {
    Received received;
    {
      absl::MutexLock lock(&mu_);
      while (pending_.empty() && state_ == State::kRunning) {
        changed_.Wait(&mu_);
      }
      // The receiver adds nothing once the state has left kRunning.
      if (pending_.empty()) return;
      received = std::move(pending_.front());
      pending_.pop_front();
    }
    Handle(std::move(received));
  }
}

void Consumer::Handle(Received received) {
  const Message& message = received.message;
  uint64_t heartbeat =
      heartbeats_->Track(message.receipt_handle, received.received_at);
  absl::Status result = RunHandler(message);
  // After Untrack no beat can land after (and undo) the settling call below.
  heartbeats_->Untrack(heartbeat);

  absl::Status settled = absl::OkStatus();
  if (result.ok()) {
    settled = client_->DeleteMessage(options_.queue, message.receipt_handle);
  } else if (options_.on_failure == FailurePolicy::kMakeVisible) {
    settled = client_->ChangeMessageVisibility(
        options_.queue, message.receipt_handle, absl::ZeroDuration());
  }

  absl::MutexLock lock(&mu_);
  if (result.ok()) {
    ++stats_.processed;
  } else {
    ++stats_.failed;
    RecordError(result);
  }
  if (!settled.ok()) {
    ++stats_.ack_errors;
    RecordError(settled);
  }
  --stats_.in_flight;
  changed_.SignalAll();
}

absl::Status Consumer::RunHandler(const Message& message) {
  // A throwing handler must not take the worker thread (and the process)
  // down; it counts as a failed message.
  try {
    return handler_(message);
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("message handler threw: ", e.what()));
  } catch (...) {
    return absl::InternalError("message handler threw a non-exception");
  }
}

void Consumer::Beat(const std::string& receipt_handle) {
  absl::Status status = client_->ChangeMessageVisibility(
      options_.queue, receipt_handle, visibility_timeout_);
  absl::MutexLock lock(&mu_);
  if (status.ok()) {
    ++stats_.heartbeats;
  } else {
    ++stats_.ack_errors;
    RecordError(status);
  }
  changed_.SignalAll();
}

void Consumer::Release(const std::vector<Message>& messages) {
  if (messages.empty()) return;
  std::vector<VisibilityBatchEntry> entries;
  for (size_t i = 0; i < messages.size(); ++i) {
    entries.push_back(VisibilityBatchEntry{absl::StrCat("m", i),
                                           messages[i].receipt_handle,
                                           absl::ZeroDuration()});
  }
  absl::StatusOr<BatchResult> result =
      client_->ChangeMessageVisibilityBatch(options_.queue, entries);
  absl::MutexLock lock(&mu_);
  if (!result.ok()) {
    stats_.ack_errors += static_cast<int64_t>(messages.size());
    RecordError(result.status());
  } else if (!result->failed.empty()) {
    stats_.ack_errors += static_cast<int64_t>(result->failed.size());
    const BatchError& error = result->failed.front();
    RecordError(absl::FailedPreconditionError(absl::StrCat(
        "could not release a message: ", error.code, ": ", error.message)));
  }
  changed_.SignalAll();
}

void Consumer::RecordError(absl::Status status) {
  stats_.last_error = std::move(status);
}

}  // namespace cortado::client
