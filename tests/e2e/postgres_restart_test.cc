// PostgreSQL restarted under load: cortado-server keeps running, answers
// every call made while the database is away with the retryable error
// (gRPC UNAVAILABLE; /healthz 503), reloads its state from PostgreSQL once
// the database is back and serves again by itself; every send that was
// acknowledged, before, during or after, is then received.
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <atomic>
#include <map>
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
#include "tests/gateway/raw_http_client.h"
#include "tests/testing/poll.h"
#include "tests/testing/postgres_process.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::e2e {
namespace {

using cortado::testing::PollUntil;
using cortado::testing::PostgresProcess;
using cortado::testing::ServerProcess;
namespace v1 = ::cortado::v1;

// The status code of GET /healthz on "host:port" (0 when unreachable).
int HealthStatus(const std::string& address) {
  int port = 0;
  if (!absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &port)) {
    return 0;
  }
  gateway::testing::RawHttpClient client(port);
  absl::StatusOr<gateway::testing::RawResponse> response =
      client.Request("GET", "/healthz", {}, "", absl::Seconds(5));
  return response.ok() ? response->status : 0;
}

struct Ledger {
  absl::Mutex mu;
  std::set<std::string> acked ABSL_GUARDED_BY(mu);
  // Codes of the failed sends: only UNAVAILABLE is the protocol's answer
  // while the store is away (a deadline could hide a hang).
  std::map<grpc::StatusCode, int> failures ABSL_GUARDED_BY(mu);
};

void Producer(const std::string& address, int id, std::atomic<bool>& stop,
              Ledger& ledger) {
  auto stub = v1::Queues::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  for (int n = 0; !stop.load(); ++n) {
    v1::SendMessageRequest request;
    request.set_queue_name("restarted");
    request.mutable_message()->set_body(absl::StrCat("p", id, "-", n));
    v1::SendMessageResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(20));
    const grpc::Status status = stub->SendMessage(&context, request, &response);
    absl::MutexLock lock(&ledger.mu);
    if (status.ok()) {
      ledger.acked.insert(request.message().body());
    } else {
      ++ledger.failures[status.error_code()];
    }
  }
}

size_t Acked(Ledger& ledger) {
  absl::MutexLock lock(&ledger.mu);
  return ledger.acked.size();
}

TEST(PostgresRestartTest, ServiceResumesByItselfAndNothingAcknowledgedIsLost) {
  PostgresProcess& postgres = PostgresProcess::Shared();
  cortado::testing::TempDir dir;
  ServerProcess::Options options;
  options.data_dir = dir.path() + "/data";
  options.extra_args = {"--storage=postgres",
                        "--database-url=" + postgres.url(),
                        "--database-schema=restarted", "--log-level=warning"};
  auto server = ServerProcess::Start(options);
  ASSERT_OK(server);
  const std::string grpc_address = (*server)->grpc_address();
  const std::string http_address = (*server)->http_address();
  {
    auto stub = v1::Queues::NewStub(
        grpc::CreateChannel(grpc_address, grpc::InsecureChannelCredentials()));
    v1::CreateQueueRequest request;
    request.set_queue_name("restarted");
    v1::CreateQueueResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(stub->CreateQueue(&context, request, &response).ok());
  }
  ASSERT_EQ(HealthStatus(http_address), 200);

  Ledger ledger;
  std::atomic<bool> stop{false};
  std::vector<std::thread> producers;
  for (int i = 0; i < 4; ++i) {
    producers.emplace_back([&, i] { Producer(grpc_address, i, stop, ledger); });
  }
  // A real server and database: polled, there is no clock to move.
  constexpr absl::Duration kPoll = absl::Milliseconds(20);
  ASSERT_TRUE(PollUntil([&] { return Acked(ledger) >= 200; }, absl::Seconds(60),
                        kPoll));

  // A managed database's restart: sessions terminated, then back.
  ASSERT_OK(postgres.Stop());
  EXPECT_TRUE(PollUntil([&] { return HealthStatus(http_address) == 503; },
                        absl::Seconds(30), kPoll));
  const size_t acked_while_down = Acked(ledger);
  ASSERT_OK(postgres.Start());
  EXPECT_TRUE(PollUntil(
      [&] {
        return HealthStatus(http_address) == 200 &&
               Acked(ledger) >= acked_while_down + 200;
      },
      absl::Seconds(60), kPoll))
      << "the server did not come back by itself";
  stop = true;
  for (std::thread& t : producers) t.join();
  // The same process served throughout: it was never restarted.
  ASSERT_EQ(::kill((*server)->pid(), 0), 0);

  // Drain: every acknowledged body is there (at least once).
  auto stub = v1::Queues::NewStub(
      grpc::CreateChannel(grpc_address, grpc::InsecureChannelCredentials()));
  std::set<std::string> received;
  for (int empty = 0; empty < 2;) {
    v1::ReceiveMessageRequest request;
    request.set_queue_name("restarted");
    request.set_max_number_of_messages(10);
    request.set_wait_time_seconds(1);
    v1::ReceiveMessageResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(stub->ReceiveMessage(&context, request, &response).ok());
    if (response.messages().empty()) ++empty;
    for (const v1::Message& m : response.messages()) {
      received.insert(m.body());
      v1::DeleteMessageRequest del;
      del.set_queue_name("restarted");
      del.set_receipt_handle(m.receipt_handle());
      v1::DeleteMessageResponse deleted;
      grpc::ClientContext delete_context;
      ASSERT_TRUE(stub->DeleteMessage(&delete_context, del, &deleted).ok());
    }
  }
  absl::MutexLock lock(&ledger.mu);
  size_t lost = 0;
  for (const std::string& body : ledger.acked) {
    if (!received.contains(body)) ++lost;
  }
  EXPECT_EQ(lost, 0u) << "of " << ledger.acked.size() << " acknowledged";
  for (const auto& [code, count] : ledger.failures) {
    EXPECT_EQ(code, grpc::StatusCode::UNAVAILABLE) << count << " failures";
  }
  EXPECT_GT(ledger.failures[grpc::StatusCode::UNAVAILABLE], 0)
      << "no call saw the database away";
}

}  // namespace
}  // namespace cortado::e2e
