// store_bench: the cost of durability, measured on the core itself (no
// network): send+receive+delete throughput through the Broker on the SQLite
// store (synchronous=NORMAL and FULL) against the in-memory store, the rows
// per group commit that produced it, and the time to recover N messages.
//
//   store_bench [--messages=N] [--clients=C] [--recover=N] [--dir=DIR]
//
// Output is one line per measurement, for docs/PERSISTENCE.md.
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "server/core/broker.h"
#include "server/sns/signed_envelope_builder.h"
#include "server/store/memory_store.h"
#include "server/store/sqlite_store.h"

ABSL_FLAG(int, messages, 200000, "messages per throughput run");
ABSL_FLAG(int, clients, 64, "concurrent callers (each keeps one call open)");
ABSL_FLAG(int, recover, 1000000, "messages for the recovery measurement");
ABSL_FLAG(std::string, dir, "/tmp/cortado-store-bench", "scratch directory");

namespace cortado {
namespace {

// Runs `clients` closed loops of send -> receive -> delete until `messages`
// messages went through; returns messages per second.
double Lifecycle(Broker& broker, int messages, int clients) {
  {
    absl::Notification created;
    broker.CreateQueue({"bench", {}, {}},
                       [&](absl::StatusOr<QueueRecord>) { created.Notify(); });
    created.WaitForNotification();
  }
  std::atomic<int> remaining{messages};
  absl::BlockingCounter done(clients);
  const absl::Time start = absl::Now();
  // Each client is a chain of callbacks: no thread per client.
  struct Client {
    Broker* broker;
    std::atomic<int>* remaining;
    absl::BlockingCounter* done;
    void Next() {
      if (remaining->fetch_sub(1) <= 0) {
        done->DecrementCount();
        return;
      }
      SendMessageEntry entry;
      entry.body = std::string(100, 'x');
      broker->SendMessage(
          "bench", std::move(entry), [this](absl::StatusOr<SendMessageResult>) {
            ReceiveMessageRequest r;
            r.queue_name = "bench";
            r.wait_time_seconds = 0;
            broker->ReceiveMessage(
                std::move(r), [this](absl::StatusOr<ReceiveMessageResult> got) {
                  if (!got.ok() || got->messages.empty()) {
                    Next();
                    return;
                  }
                  broker->DeleteMessage(
                      "bench", got->messages[0].receipt_handle,
                      [this](absl::StatusOr<Empty>) { Next(); });
                });
          });
    }
  };
  std::vector<Client> chain(clients, Client{&broker, &remaining, &done});
  for (Client& c : chain) c.Next();
  done.Wait();
  return messages / absl::ToDoubleSeconds(absl::Now() - start);
}

void Throughput(const std::string& name, Store& store, int messages,
                int clients, const store::SqliteStore* sqlite) {
  RealClock clock;
  Broker broker(BrokerOptions{.envelope_builder = GeneratedEnvelopeBuilder()},
                &clock, &store);
  if (!broker.Start().ok()) return;
  const double rate = Lifecycle(broker, messages, clients);
  const BrokerStats stats = broker.Stats();
  std::printf(
      "%-16s %9.0f msgs/s (send+receive+delete), %6.1f ops/commit",
      name.c_str(), rate,
      stats.commits == 0
          ? 0.0
          : static_cast<double>(stats.committed_operations) / stats.commits);
  if (sqlite != nullptr) {
    const store::SqliteStoreStats s = sqlite->Stats();
    std::printf(", %6.1f rows/commit",
                s.commits == 0 ? 0.0 : static_cast<double>(s.rows) / s.commits);
  }
  std::printf("\n");
}

void Recovery(const std::string& dir, int messages) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/broker.db";
  {
    auto store = store::SqliteStore::Open({path});
    RealClock clock;
    Broker broker(BrokerOptions{.envelope_builder = GeneratedEnvelopeBuilder()},
                  &clock, store->get());
    if (!broker.Start().ok()) return;
    absl::Notification created;
    broker.CreateQueue({"recover", {}, {}},
                       [&](absl::StatusOr<QueueRecord>) { created.Notify(); });
    created.WaitForNotification();
    absl::BlockingCounter sent(messages / 10);
    for (int i = 0; i < messages / 10; ++i) {
      std::vector<SendMessageEntry> batch(10);
      for (int j = 0; j < 10; ++j) {
        batch[j].id = std::to_string(j);
        batch[j].body = std::string(100, 'x');
      }
      broker.SendMessageBatch("recover", std::move(batch),
                              [&](absl::StatusOr<SendMessageBatchResult>) {
                                sent.DecrementCount();
                              });
    }
    sent.Wait();
  }
  const absl::Time start = absl::Now();
  auto store = store::SqliteStore::Open({path});
  RealClock clock;
  Broker broker(BrokerOptions{.envelope_builder = GeneratedEnvelopeBuilder()},
                &clock, store->get());
  if (!broker.Start().ok()) return;
  const absl::Duration load = absl::Now() - start;
  absl::Notification received;
  ReceiveMessageRequest request;
  request.queue_name = "recover";
  broker.ReceiveMessage(
      std::move(request),
      [&](absl::StatusOr<ReceiveMessageResult>) { received.Notify(); });
  received.WaitForNotification();
  std::printf(
      "recovery         %d messages: open+load %.2f s, first receive "
      "after %.2f s\n",
      messages, absl::ToDoubleSeconds(load),
      absl::ToDoubleSeconds(absl::Now() - start));
}

}  // namespace
}  // namespace cortado

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string dir = absl::GetFlag(FLAGS_dir);
  const int messages = absl::GetFlag(FLAGS_messages);
  const int clients = absl::GetFlag(FLAGS_clients);
  {
    cortado::store::MemoryStore memory;
    cortado::Throughput("memory", memory, messages, clients, nullptr);
  }
  for (auto sync :
       {cortado::store::SyncMode::kNormal, cortado::store::SyncMode::kFull}) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto store = cortado::store::SqliteStore::Open({dir + "/broker.db", sync});
    if (!store.ok()) return 1;
    cortado::Throughput(sync == cortado::store::SyncMode::kFull
                            ? "sqlite-full"
                            : "sqlite-normal",
                        **store, messages, clients, store->get());
  }
  if (absl::GetFlag(FLAGS_recover) > 0) {
    cortado::Recovery(dir, absl::GetFlag(FLAGS_recover));
  }
  std::filesystem::remove_all(dir);
  return 0;
}
