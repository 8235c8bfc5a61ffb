// fifo_bench: FIFO receive throughput with a deep backlog spread over many
// message groups, against the same work on an (almost) empty FIFO queue.
// Both runs do identical rounds on the core (no network): each client sends
// a batch of 10 messages to one group, receives up to 10 and deletes what it
// got. The backlog run first loads --backlog messages over --groups groups,
// so every receive has to find a ready group among many blocked or waiting
// ones; a receive that scanned groups or messages would collapse here.
//
//   fifo_bench [--backlog=200000] [--groups=1000] [--rounds=20000]
//              [--clients=16] [--store=sqlite|memory] [--dir=DIR] [--runs=3]
//
// Prints the median rounds/s of each run and their ratio.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/core/broker.h"
#include "server/sns/signed_envelope_builder.h"
#include "server/store/memory_store.h"
#include "server/store/sqlite_store.h"

ABSL_FLAG(int, backlog, 200000, "messages queued before the backlog run");
ABSL_FLAG(int, groups, 1000, "message groups of the backlog");
ABSL_FLAG(int, rounds, 20000, "send+receive+delete rounds per run");
ABSL_FLAG(int, clients, 16, "concurrent client threads");
ABSL_FLAG(std::string, store, "sqlite", "sqlite (durable) or memory");
ABSL_FLAG(std::string, dir, "/tmp/cortado-fifo-bench", "scratch directory");
ABSL_FLAG(int, runs, 3, "runs of each kind; the median is reported");

namespace cortado {
namespace {

template <typename T>
absl::StatusOr<T> Wait(const std::function<void(Callback<T>)>& call) {
  std::promise<absl::StatusOr<T>> promise;
  call([&promise](absl::StatusOr<T> r) { promise.set_value(std::move(r)); });
  return promise.get_future().get();
}

std::vector<SendMessageEntry> Batch(const std::string& group, int first) {
  std::vector<SendMessageEntry> entries;
  for (int i = 0; i < 10; ++i) {
    SendMessageEntry entry;
    entry.id = absl::StrCat("e", i);
    entry.body = std::string(100, 'x');
    entry.message_group_id = group;
    entry.message_deduplication_id = absl::StrCat(group, "-", first + i);
    entries.push_back(std::move(entry));
  }
  return entries;
}

class Bench {
 public:
  explicit Bench(const std::string& path) {
    if (absl::GetFlag(FLAGS_store) == "memory") {
      store_ = std::make_unique<store::MemoryStore>();
    } else {
      std::filesystem::remove_all(path);
      std::filesystem::create_directories(path);
      auto sqlite = store::SqliteStore::Open({path + "/cortado.db"});
      if (!sqlite.ok()) {
        std::fprintf(stderr, "%s\n", sqlite.status().ToString().c_str());
        std::exit(1);
      }
      store_ = std::move(sqlite).value();
    }
    broker_ = std::make_unique<Broker>(
        BrokerOptions{.envelope_builder = GeneratedEnvelopeBuilder()}, &clock_,
        store_.get());
    if (!broker_->Start().ok()) std::exit(1);
    CreateQueueRequest request;
    request.queue_name = "bench.fifo";
    request.attributes = {{"FifoQueue", "true"}, {"VisibilityTimeout", "60"}};
    (void)Wait<QueueRecord>([&](Callback<QueueRecord> done) {
      broker_->CreateQueue(request, std::move(done));
    });
  }

  // Loads `messages` spread evenly over `groups`, in batches of 10.
  void Load(int messages, int groups) {
    std::vector<std::thread> threads;
    const int clients = absl::GetFlag(FLAGS_clients);
    std::atomic<int> next{0};
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&] {
        for (int b = next.fetch_add(1); b * 10 < messages;
             b = next.fetch_add(1)) {
          SendBatch(absl::StrCat("g", b % groups), b * 10);
        }
      });
    }
    for (std::thread& t : threads) t.join();
  }

  // Rounds per second of send 10 / receive 10 / delete what was received.
  double Rounds(int rounds) {
    std::vector<std::thread> threads;
    const int clients = absl::GetFlag(FLAGS_clients);
    std::atomic<int> left{rounds};
    const absl::Time start = absl::Now();
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        for (int r = 0; left.fetch_sub(1) > 0; ++r) {
          SendBatch(absl::StrCat("live-", c), r * 10);
          ReceiveAndDelete();
        }
      });
    }
    for (std::thread& t : threads) t.join();
    return rounds / absl::ToDoubleSeconds(absl::Now() - start);
  }

 private:
  void SendBatch(const std::string& group, int first) {
    (void)Wait<SendMessageBatchResult>(
        [&](Callback<SendMessageBatchResult> done) {
          broker_->SendMessageBatch("bench.fifo", Batch(group, first),
                                    std::move(done));
        });
  }
  void ReceiveAndDelete() {
    ReceiveMessageRequest request;
    request.queue_name = "bench.fifo";
    request.max_number_of_messages = 10;
    request.wait_time_seconds = 0;
    absl::StatusOr<ReceiveMessageResult> got =
        Wait<ReceiveMessageResult>([&](Callback<ReceiveMessageResult> done) {
          broker_->ReceiveMessage(request, std::move(done));
        });
    if (!got.ok() || got->messages.empty()) return;
    std::vector<BatchHandleEntry> entries;
    for (size_t i = 0; i < got->messages.size(); ++i) {
      entries.push_back(
          {absl::StrCat("d", i), got->messages[i].receipt_handle, 0});
    }
    (void)Wait<BatchResult>([&](Callback<BatchResult> done) {
      broker_->DeleteMessageBatch("bench.fifo", std::move(entries),
                                  std::move(done));
    });
  }

  RealClock clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Broker> broker_;
};

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace
}  // namespace cortado

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  using cortado::Bench;
  const std::string dir = absl::GetFlag(FLAGS_dir);
  const int rounds = absl::GetFlag(FLAGS_rounds);
  std::vector<double> empty, backlog;
  for (int run = 0; run < absl::GetFlag(FLAGS_runs); ++run) {
    {
      Bench bench(dir + "/empty");
      empty.push_back(bench.Rounds(rounds));
    }
    {
      Bench bench(dir + "/backlog");
      const absl::Time start = absl::Now();
      bench.Load(absl::GetFlag(FLAGS_backlog), absl::GetFlag(FLAGS_groups));
      std::printf("loaded %d messages over %d groups in %.1f s\n",
                  absl::GetFlag(FLAGS_backlog), absl::GetFlag(FLAGS_groups),
                  absl::ToDoubleSeconds(absl::Now() - start));
      backlog.push_back(bench.Rounds(rounds));
    }
    std::printf("run %d: empty %.0f rounds/s, backlog %.0f rounds/s\n", run + 1,
                empty.back(), backlog.back());
  }
  const double e = cortado::Median(empty);
  const double b = cortado::Median(backlog);
  std::printf(
      "store=%s clients=%d rounds=%d (1 round = send 10 + receive 10 + "
      "delete)\n"
      "empty queue:   %.0f rounds/s = %.0f msgs/s received\n"
      "200k backlog:  %.0f rounds/s = %.0f msgs/s received\n"
      "ratio backlog/empty: %.2f\n",
      absl::GetFlag(FLAGS_store).c_str(), absl::GetFlag(FLAGS_clients), rounds,
      e, e * 10, b, b * 10, b / e);
  return 0;
}
