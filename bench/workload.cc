#include "bench/workload.h"

#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"

namespace cortado::bench {

int64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

namespace {

int64_t RealtimeNs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

void SleepUntilNs(int64_t deadline) {
  timespec ts;
  ts.tv_sec = deadline / 1000000000;
  ts.tv_nsec = deadline % 1000000000;
  clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
}

// State shared by the workers of one run.
struct Shared {
  const WorkloadOptions* options;
  int64_t start_ns = 0;
  int64_t end_ns = 0;  // producers stop sending at this time (duration mode)
  std::atomic<int64_t> to_send{0};  // count mode: messages not yet claimed
  std::atomic<int64_t> sent{0};
  std::atomic<int64_t> received{0};
  std::atomic<int> producers_running{0};
  std::atomic<int64_t> last_send_ns{0};
  std::atomic<int64_t> last_delete_ns{0};
  absl::Mutex mu;
  int64_t errors ABSL_GUARDED_BY(mu) = 0;
  std::string first_error ABSL_GUARDED_BY(mu);
  Histogram send_ack ABSL_GUARDED_BY(mu);
  Histogram end_to_end ABSL_GUARDED_BY(mu);

  void Error(const absl::Status& status) {
    absl::MutexLock lock(&mu);
    if (errors++ == 0) first_error = status.ToString();
  }
};

void StoreMax(std::atomic<int64_t>& target, int64_t value) {
  int64_t current = target.load();
  while (current < value && !target.compare_exchange_weak(current, value)) {
  }
}

// Claims up to `batch` messages to send; 0 when the run is over.
int Claim(Shared& shared, int batch) {
  const WorkloadOptions& options = *shared.options;
  if (options.messages > 0) {
    int64_t left = shared.to_send.fetch_sub(batch);
    if (left <= 0) return 0;
    return static_cast<int>(std::min<int64_t>(left, batch));
  }
  return MonotonicNs() < shared.end_ns ? batch : 0;
}

void Producer(Shared& shared, Transport& transport, int index) {
  const WorkloadOptions& options = *shared.options;
  Histogram acks;
  absl::StatusOr<std::unique_ptr<Connection>> connection = transport.Connect();
  if (!connection.ok()) {
    shared.Error(connection.status());
    shared.producers_running.fetch_sub(1);
    return;
  }
  const std::string group = options.fifo ? absl::StrCat("g", index) : "";
  // Pacing: this producer's share of the rate, on an absolute schedule so a
  // slow call is followed by catch-up sends rather than a lower rate.
  const double per_producer = options.rate / options.producers;
  const int64_t interval_ns =
      per_producer > 0
          ? static_cast<int64_t>(1e9 * options.batch / per_producer)
          : 0;
  int64_t next_ns = shared.start_ns + (interval_ns * index) / options.producers;
  std::vector<std::string> bodies;
  const std::string filler(std::max(0, options.body_size - 20), 'x');
  while (true) {
    const int n = Claim(shared, options.batch);
    if (n == 0) break;
    if (interval_ns > 0) {
      SleepUntilNs(next_ns);
      next_ns += interval_ns;
    }
    const int64_t begin = MonotonicNs();
    bodies.resize(n);
    for (std::string& body : bodies) {
      body = absl::StrFormat("%020d", begin);
      body.append(filler);
    }
    absl::Status status = (*connection)->Send(bodies, group);
    const int64_t end = MonotonicNs();
    if (!status.ok()) {
      shared.Error(status);
      continue;
    }
    acks.Record(end - begin);
    shared.sent.fetch_add(n);
    StoreMax(shared.last_send_ns, end);
  }
  {
    absl::MutexLock lock(&shared.mu);
    shared.send_ack.Merge(acks);
  }
  shared.producers_running.fetch_sub(1);
}

void Consumer(Shared& shared, Transport& transport) {
  const WorkloadOptions& options = *shared.options;
  Histogram e2e;
  absl::StatusOr<std::unique_ptr<Connection>> connection = transport.Connect();
  if (!connection.ok()) {
    shared.Error(connection.status());
    return;
  }
  std::vector<std::string> handles;
  int64_t drain_deadline = 0;
  while (true) {
    // Done when every producer stopped and everything sent was received.
    if (shared.producers_running.load() == 0) {
      if (shared.received.load() >= shared.sent.load()) break;
      const int64_t now = MonotonicNs();
      if (drain_deadline == 0) {
        drain_deadline = now + absl::ToInt64Nanoseconds(options.drain_timeout);
      }
      if (now > drain_deadline) {
        shared.Error(absl::DeadlineExceededError("drain timeout"));
        break;
      }
    }
    absl::StatusOr<std::vector<Received>> got =
        (*connection)->Receive(options.batch, options.wait_seconds);
    const int64_t now = MonotonicNs();
    if (!got.ok()) {
      shared.Error(got.status());
      continue;
    }
    if (got->empty()) continue;
    handles.clear();
    for (Received& message : *got) {
      int64_t stamp = 0;
      if (message.body.size() >= 20 &&
          absl::SimpleAtoi(absl::string_view(message.body).substr(0, 20),
                           &stamp)) {
        e2e.Record(now - stamp);
      }
      handles.push_back(std::move(message.receipt_handle));
    }
    if (absl::Status s = (*connection)->Delete(handles); !s.ok()) {
      shared.Error(s);
      continue;
    }
    shared.received.fetch_add(static_cast<int64_t>(handles.size()));
    StoreMax(shared.last_delete_ns, MonotonicNs());
  }
  absl::MutexLock lock(&shared.mu);
  shared.end_to_end.Merge(e2e);
}

}  // namespace

absl::StatusOr<WorkloadResult> RunWorkload(Transport& transport,
                                           const WorkloadOptions& options) {
  if (options.batch < 1 || options.batch > 10) {
    return absl::InvalidArgumentError("--batch must be 1..10");
  }
  if (options.producers < 1 || options.consumers < 0) {
    return absl::InvalidArgumentError("need >= 1 producer, >= 0 consumers");
  }
  Shared shared;
  shared.options = &options;
  shared.to_send = options.messages;
  shared.producers_running = options.producers;
  shared.start_ns = MonotonicNs();
  shared.end_ns = shared.start_ns + absl::ToInt64Nanoseconds(options.duration);
  std::vector<std::thread> threads;
  for (int i = 0; i < options.producers; ++i) {
    threads.emplace_back(
        [&shared, &transport, i] { Producer(shared, transport, i); });
  }
  for (int i = 0; i < options.consumers; ++i) {
    threads.emplace_back(
        [&shared, &transport] { Consumer(shared, transport); });
  }
  for (std::thread& t : threads) t.join();

  WorkloadResult result;
  result.sent = shared.sent.load();
  result.received = shared.received.load();
  result.send_seconds = (shared.last_send_ns.load() - shared.start_ns) / 1e9;
  result.total_seconds =
      (std::max(shared.last_send_ns.load(), shared.last_delete_ns.load()) -
       shared.start_ns) /
      1e9;
  absl::MutexLock lock(&shared.mu);
  result.errors = shared.errors;
  result.first_error = shared.first_error;
  result.send_ack = shared.send_ack;
  result.end_to_end = shared.end_to_end;
  return result;
}

absl::StatusOr<int64_t> ProbeFirstReceive(Transport& transport,
                                          const std::string& queue,
                                          absl::Duration timeout) {
  const int64_t deadline = MonotonicNs() + absl::ToInt64Nanoseconds(timeout);
  std::string last_error = "no attempt";
  while (MonotonicNs() < deadline) {
    // CreateQueue of an existing queue just returns it; it also tells the
    // transport the queue's URL. It fails while the server is not up yet.
    if (absl::Status s = transport.CreateQueue(queue); s.ok()) {
      absl::StatusOr<std::unique_ptr<Connection>> connection =
          transport.Connect();
      if (connection.ok()) {
        absl::StatusOr<std::vector<Received>> got =
            (*connection)->Receive(1, 0);
        if (got.ok() && !got->empty()) return RealtimeNs();
        if (!got.ok()) last_error = got.status().ToString();
      }
    } else {
      last_error = s.ToString();
    }
    SleepUntilNs(MonotonicNs() + 2000000);  // 2 ms between attempts
  }
  return absl::DeadlineExceededError(
      absl::StrCat("no message received in time; last error: ", last_error));
}

}  // namespace cortado::bench
