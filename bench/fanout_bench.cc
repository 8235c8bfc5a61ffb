// fanout_bench: wall-clock cost of a topic publish fanning out to N queues
// through the Broker on the SQLite store (synchronous=NORMAL), envelope and
// raw delivery, and whether a subscriber's delay grows with its position.
//
//   fanout_bench [--queues=50] [--publishes=200] [--dir=DIR]
//
// For each publish it measures publish() -> acknowledged (one commit holding
// every copy), and per subscriber index the time until a receive parked on
// that queue is answered. Output: one line per measurement.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "server/core/broker.h"
#include "server/sns/signed_envelope_builder.h"
#include "server/store/sqlite_store.h"

ABSL_FLAG(int, queues, 50, "subscribed queues");
ABSL_FLAG(int, publishes, 200, "publishes per mode");
ABSL_FLAG(std::string, dir, "/tmp/cortado-fanout-bench", "scratch directory");

namespace cortado {
namespace {

template <typename T, typename Start>
absl::StatusOr<T> Call(Start start) {
  absl::Notification done;
  absl::StatusOr<T> out = absl::UnknownError("not answered");
  start([&](absl::StatusOr<T> r) {
    out = std::move(r);
    done.Notify();
  });
  done.WaitForNotification();
  return out;
}

absl::Duration Percentile(std::vector<absl::Duration> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

int Run(const std::string& mode, bool raw) {
  const int queues = absl::GetFlag(FLAGS_queues);
  const int publishes = absl::GetFlag(FLAGS_publishes);
  const std::string dir = absl::GetFlag(FLAGS_dir) + "/" + mode;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = store::SqliteStore::Open({dir + "/broker.db"});
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  // As the server does: the key is generated once at start, not on the
  // first publish.
  BrokerOptions options;
  options.envelope_builder = GeneratedEnvelopeBuilder();
  RealClock clock;
  Broker broker(options, &clock, store->get());
  if (!broker.Start().ok()) return 1;
  auto topic = Call<std::string>([&](auto done) {
    broker.CreateTopic({"fan", {}, {}}, std::move(done));
  });
  for (int i = 0; i < queues; ++i) {
    const std::string name = absl::StrCat("q", i);
    (void)Call<QueueRecord>([&](auto done) {
      broker.CreateQueue({name, {}, {}}, std::move(done));
    });
    (void)Call<std::string>([&](auto done) {
      broker.Subscribe({*topic,
                        "sqs",
                        broker.QueueArn(name),
                        {{"RawMessageDelivery", raw ? "true" : "false"}}},
                       std::move(done));
    });
  }
  std::vector<absl::Duration> acked;
  // delivery[i]: time from publish to the answer of the receive parked on
  // queue i, over all publishes.
  std::vector<std::vector<absl::Duration>> delivery(queues);
  for (int p = 0; p < publishes; ++p) {
    absl::Mutex mu;
    std::vector<absl::Time> answered(queues);
    absl::BlockingCounter received(queues);
    for (int i = 0; i < queues; ++i) {
      ReceiveMessageRequest request;
      request.queue_name = absl::StrCat("q", i);
      request.wait_time_seconds = 20;
      broker.ReceiveMessage(std::move(request),
                            [&, i](absl::StatusOr<ReceiveMessageResult>) {
                              absl::MutexLock lock(&mu);
                              answered[i] = absl::Now();
                              received.DecrementCount();
                            });
    }
    // The parked receives are planned before the publish (operations run
    // in submission order), so each copy wakes one.
    const absl::Time start = absl::Now();
    PublishEntry entry;
    entry.message = absl::StrCat("{\"order\":", p, "}");
    auto published = Call<PublishResult>(
        [&](auto done) { broker.Publish(*topic, entry, std::move(done)); });
    acked.push_back(absl::Now() - start);
    received.Wait();
    for (int i = 0; i < queues; ++i) delivery[i].push_back(answered[i] - start);
    for (int i = 0; i < queues; ++i) {
      // Drain so the next round's receives park again.
      (void)Call<Empty>([&](auto done) {
        broker.PurgeQueue(absl::StrCat("q", i), std::move(done));
      });
    }
    if (!published.ok()) return 1;
  }
  std::printf(
      "%s: %d queues, %d publishes: publish acknowledged p50 %s p99 %s\n",
      mode.c_str(), queues, publishes,
      absl::FormatDuration(Percentile(acked, 0.5)).c_str(),
      absl::FormatDuration(Percentile(acked, 0.99)).c_str());
  for (int i : {0, queues / 2, queues - 1}) {
    std::printf("%s:   subscriber #%d delivered p50 %s p99 %s\n", mode.c_str(),
                i + 1,
                absl::FormatDuration(Percentile(delivery[i], 0.5)).c_str(),
                absl::FormatDuration(Percentile(delivery[i], 0.99)).c_str());
  }
  broker.Shutdown();
  return 0;
}

}  // namespace
}  // namespace cortado

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  int rc = cortado::Run("envelope", false);
  if (rc == 0) rc = cortado::Run("raw", true);
  return rc;
}
