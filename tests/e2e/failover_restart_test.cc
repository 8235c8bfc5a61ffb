// Failover restart tests: the real cortado-server on each durable store
// (SQLite; PostgreSQL, on this binary's private server), concurrent
// producers and consumers over gRPC, `kill -9` at a random moment, restart on
// the same data, and a check of everything that was acknowledged:
//   - every acknowledged send is present, or was deleted by an acknowledged
//     delete;
//   - no acknowledged delete comes back;
//   - messages held in flight (an acknowledged visibility change to 60 s)
//     stay invisible after the restart, and their receive counts survived.
// CORTADO_SOAK_CYCLES=N runs N kill cycles (default 4 in `make test`).
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "cortado/v1/queue.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/postgres_process.h"
#include "tests/testing/server_process.h"
#include "tests/testing/temp_dir.h"

namespace cortado::e2e {
namespace {

using cortado::testing::ServerProcess;
namespace v1 = ::cortado::v1;

// What the clients were told, shared by all client threads.
struct Ledger {
  absl::Mutex mu;
  std::map<std::string, std::string> sent ABSL_GUARDED_BY(mu);  // id -> body
  std::set<std::string> deleted ABSL_GUARDED_BY(mu);
  // Deletes sent (acknowledged or not): a kill can commit a delete whose
  // answer never arrives, so only these may legitimately be missing.
  std::set<std::string> delete_attempts ABSL_GUARDED_BY(mu);
  // Messages whose visibility change to 60 s was acknowledged, with the
  // receive count seen and the receipt handle.
  struct Held {
    std::string handle;
    int receive_count = 0;
  };
  std::map<std::string, Held> held ABSL_GUARDED_BY(mu);
  // Every hold attempted (acknowledged or not): id -> handle.
  std::map<std::string, std::string> hold_attempts ABSL_GUARDED_BY(mu);
};

std::unique_ptr<v1::Queues::Stub> Connect(const std::string& address) {
  return v1::Queues::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
}

void WithDeadline(grpc::ClientContext& context, absl::Duration d) {
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(absl::ToInt64Milliseconds(d)));
}

int Cycles() {
  int cycles = 4;
  const char* env = std::getenv("CORTADO_SOAK_CYCLES");
  if (env != nullptr) (void)absl::SimpleAtoi(env, &cycles);
  return cycles;
}

// The store flags of a server keeping its data in `data_dir` (SQLite) or
// in a PostgreSQL schema named after it.
std::vector<std::string> StoreArgs(const std::string& store,
                                   const std::string& data_dir) {
  if (store == "sqlite") return {"--storage=sqlite"};
  return {
      "--storage=postgres",
      "--database-url=" + cortado::testing::PostgresProcess::Shared().url(),
      "--database-schema=" +
          std::filesystem::path(data_dir).parent_path().filename().string()};
}

std::unique_ptr<ServerProcess> StartServer(const std::string& store,
                                           const std::string& data_dir) {
  ServerProcess::Options options;
  options.data_dir = data_dir;
  options.extra_args = StoreArgs(store, data_dir);
  options.extra_args.push_back("--log-level=warning");
  auto server = ServerProcess::Start(options);
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? std::move(server).value() : nullptr;
}

void Producer(const std::string& address, const std::string& queue, int id,
              std::atomic<bool>& stop, Ledger& ledger) {
  auto stub = Connect(address);
  for (int n = 0; !stop.load(); ++n) {
    v1::SendMessageBatchRequest request;
    request.set_queue_name(queue);
    for (int i = 0; i < 5; ++i) {
      v1::SendMessageEntry* entry = request.add_entries();
      entry->set_id(absl::StrCat("e", i));
      entry->set_body(absl::StrCat("p", id, "-", n, "-", i));
    }
    v1::SendMessageBatchResponse response;
    grpc::ClientContext context;
    WithDeadline(context, absl::Seconds(5));
    if (!stub->SendMessageBatch(&context, request, &response).ok()) return;
    absl::MutexLock lock(&ledger.mu);
    for (const v1::SendMessageResult& r : response.successful()) {
      ledger.sent[r.message_id()] = request.entries(r.id()[1] - '0').body();
    }
  }
}

void Consumer(const std::string& address, const std::string& queue,
              std::atomic<bool>& stop, Ledger& ledger, uint32_t seed) {
  auto stub = Connect(address);
  std::mt19937 random(seed);
  while (!stop.load()) {
    v1::ReceiveMessageRequest request;
    request.set_queue_name(queue);
    request.set_max_number_of_messages(10);
    request.set_visibility_timeout(2);
    request.set_wait_time_seconds(1);
    request.add_attribute_names("ApproximateReceiveCount");
    v1::ReceiveMessageResponse response;
    grpc::ClientContext context;
    WithDeadline(context, absl::Seconds(5));
    if (!stub->ReceiveMessage(&context, request, &response).ok()) return;
    for (const v1::Message& m : response.messages()) {
      grpc::ClientContext call;
      WithDeadline(call, absl::Seconds(5));
      if (random() % 10 == 0) {
        {
          absl::MutexLock lock(&ledger.mu);
          ledger.hold_attempts[m.message_id()] = m.receipt_handle();
        }
        v1::ChangeMessageVisibilityRequest hold;
        hold.set_queue_name(queue);
        hold.set_receipt_handle(m.receipt_handle());
        hold.set_visibility_timeout(60);
        v1::ChangeMessageVisibilityResponse ignored;
        if (!stub->ChangeMessageVisibility(&call, hold, &ignored).ok()) return;
        int count = 0;
        (void)absl::SimpleAtoi(m.attributes().at("ApproximateReceiveCount"),
                               &count);
        absl::MutexLock lock(&ledger.mu);
        ledger.held[m.message_id()] = {m.receipt_handle(), count};
      } else {
        {
          absl::MutexLock lock(&ledger.mu);
          ledger.delete_attempts.insert(m.message_id());
        }
        v1::DeleteMessageRequest del;
        del.set_queue_name(queue);
        del.set_receipt_handle(m.receipt_handle());
        v1::DeleteMessageResponse ignored;
        if (!stub->DeleteMessage(&call, del, &ignored).ok()) return;
        absl::MutexLock lock(&ledger.mu);
        ledger.deleted.insert(m.message_id());
      }
    }
  }
}

// Receives every visible message with a long visibility timeout.
std::map<std::string, v1::Message> DrainVisible(v1::Queues::Stub& stub,
                                                const std::string& queue) {
  std::map<std::string, v1::Message> out;
  for (;;) {
    v1::ReceiveMessageRequest request;
    request.set_queue_name(queue);
    request.set_max_number_of_messages(10);
    request.set_visibility_timeout(600);
    request.add_attribute_names("All");
    v1::ReceiveMessageResponse response;
    grpc::ClientContext context;
    WithDeadline(context, absl::Seconds(10));
    grpc::Status status = stub.ReceiveMessage(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok() || response.messages_size() == 0) return out;
    for (const v1::Message& m : response.messages()) out[m.message_id()] = m;
  }
}

int64_t NotVisible(v1::Queues::Stub& stub, const std::string& queue) {
  v1::GetQueueAttributesRequest request;
  request.set_queue_name(queue);
  request.add_attribute_names("ApproximateNumberOfMessagesNotVisible");
  v1::GetQueueAttributesResponse response;
  grpc::ClientContext context;
  WithDeadline(context, absl::Seconds(5));
  if (!stub.GetQueueAttributes(&context, request, &response).ok()) return -1;
  int64_t n = -1;
  (void)absl::SimpleAtoi(
      response.attributes().at("ApproximateNumberOfMessagesNotVisible"), &n);
  return n;
}

void CreateQueue(v1::Queues::Stub& stub, const std::string& queue) {
  v1::CreateQueueRequest request;
  request.set_queue_name(queue);
  v1::CreateQueueResponse response;
  grpc::ClientContext context;
  WithDeadline(context, absl::Seconds(5));
  ASSERT_TRUE(stub.CreateQueue(&context, request, &response).ok());
}

class FailoverRestartTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FailoverRestartTest, KillNineAtRandomMomentsLosesNothingAcknowledged) {
  cortado::testing::TempDir dir;
  const std::string data_dir = dir.path() + "/data";
  std::mt19937 random(std::random_device{}());
  const int cycles = Cycles();
  for (int cycle = 0; cycle < cycles; ++cycle) {
    SCOPED_TRACE(absl::StrCat("cycle ", cycle));
    auto server = StartServer(GetParam(), data_dir);
    ASSERT_NE(server, nullptr);
    const std::string queue = absl::StrCat("failover-", cycle);
    auto stub = Connect(server->grpc_address());
    CreateQueue(*stub, queue);

    Ledger ledger;
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int p = 0; p < 2; ++p) {
      clients.emplace_back(Producer, server->grpc_address(), queue, p,
                           std::ref(stop), std::ref(ledger));
    }
    for (int c = 0; c < 2; ++c) {
      clients.emplace_back(Consumer, server->grpc_address(), queue,
                           std::ref(stop), std::ref(ledger), random());
    }
    // Let a random amount of work be acknowledged, then kill -9 under load.
    std::pair<Ledger*, size_t> until(&ledger, 50 + random() % 1500);
    {
      absl::MutexLock lock(&ledger.mu);
      ledger.mu.AwaitWithTimeout(absl::Condition(
                                     +[](std::pair<Ledger*, size_t>* arg) {
                                       arg->first->mu.AssertHeld();
                                       return arg->first->sent.size() >=
                                              arg->second;
                                     },
                                     &until),
                                 absl::Seconds(20));
    }
    server->Kill();
    stop = true;
    for (std::thread& t : clients) t.join();

    server = StartServer(GetParam(), data_dir);
    ASSERT_NE(server, nullptr);
    stub = Connect(server->grpc_address());

    absl::MutexLock lock(&ledger.mu);
    // 1. Held messages must not be visible yet: drain what is visible now.
    std::map<std::string, v1::Message> present = DrainVisible(*stub, queue);
    for (const auto& [id, held] : ledger.held) {
      EXPECT_FALSE(present.contains(id))
          << "message " << id << " held for 60 s reappeared after restart";
    }
    // 2. Release every hold (handles survive restarts) and wait for the
    //    short in-flight receives the clients never heard about to expire.
    for (const auto& [id, handle] : ledger.hold_attempts) {
      v1::ChangeMessageVisibilityRequest release;
      release.set_queue_name(queue);
      release.set_receipt_handle(handle);
      release.set_visibility_timeout(0);
      v1::ChangeMessageVisibilityResponse ignored;
      grpc::ClientContext context;
      WithDeadline(context, absl::Seconds(5));
      (void)stub->ChangeMessageVisibility(&context, release, &ignored);
    }
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    for (;;) {
      for (auto& [id, m] : DrainVisible(*stub, queue)) present[id] = m;
      if (NotVisible(*stub, queue) == static_cast<int64_t>(present.size())) {
        break;
      }
      ASSERT_LT(absl::Now(), deadline) << "in-flight messages never expired";
      absl::SleepFor(absl::Milliseconds(50));  // polling a real server
    }
    // 3. The ledger holds.
    for (const auto& [id, body] : ledger.sent) {
      if (ledger.delete_attempts.contains(id) && !present.contains(id)) {
        continue;
      }
      auto it = present.find(id);
      ASSERT_TRUE(it != present.end())
          << "acknowledged send " << id << " (" << body << ") was lost";
      EXPECT_EQ(it->second.body(), body);
    }
    for (const std::string& id : ledger.deleted) {
      EXPECT_FALSE(present.contains(id))
          << "acknowledged delete of " << id << " came back";
    }
    for (const auto& [id, held] : ledger.held) {
      auto it = present.find(id);
      ASSERT_TRUE(it != present.end()) << "held message " << id << " lost";
      int count = 0;
      (void)absl::SimpleAtoi(
          it->second.attributes().at("ApproximateReceiveCount"), &count);
      EXPECT_GT(count, held.receive_count) << "receive count went back";
    }
    EXPECT_GT(ledger.sent.size(), 0u);
    std::printf(
        "cycle %d: %zu sends, %zu deletes, %zu held acknowledged; "
        "%zu present after restart\n",
        cycle, ledger.sent.size(), ledger.deleted.size(), ledger.held.size(),
        present.size());
    server->Kill();
  }
}

TEST_P(FailoverRestartTest, SigtermUnderLoadDrainsAndLosesNothing) {
  cortado::testing::TempDir dir;
  const std::string data_dir = dir.path() + "/data";
  auto server = StartServer(GetParam(), data_dir);
  ASSERT_NE(server, nullptr);
  auto stub = Connect(server->grpc_address());
  CreateQueue(*stub, "drain");
  Ledger ledger;
  std::atomic<bool> stop{false};
  std::vector<std::thread> producers;
  for (int p = 0; p < 3; ++p) {
    producers.emplace_back(Producer, server->grpc_address(), "drain", p,
                           std::ref(stop), std::ref(ledger));
  }
  {
    absl::MutexLock lock(&ledger.mu);
    ledger.mu.AwaitWithTimeout(absl::Condition(
                                   +[](Ledger* l) {
                                     l->mu.AssertHeld();
                                     return l->sent.size() >= 500;
                                   },
                                   &ledger),
                               absl::Seconds(20));
  }
  EXPECT_TRUE(server->Terminate().ok()) << "SIGTERM did not exit 0";
  stop = true;
  for (std::thread& t : producers) t.join();

  server = StartServer(GetParam(), data_dir);
  ASSERT_NE(server, nullptr);
  stub = Connect(server->grpc_address());
  std::map<std::string, v1::Message> present = DrainVisible(*stub, "drain");
  absl::MutexLock lock(&ledger.mu);
  EXPECT_GT(ledger.sent.size(), 0u);
  for (const auto& [id, body] : ledger.sent) {
    EXPECT_TRUE(present.contains(id)) << "acknowledged send " << id << " lost";
  }
  EXPECT_TRUE(server->Terminate().ok());
}

INSTANTIATE_TEST_SUITE_P(Stores, FailoverRestartTest,
                         ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace cortado::e2e
