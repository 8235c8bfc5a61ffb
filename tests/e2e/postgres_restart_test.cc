// PostgreSQL restarted under load: cortado-server keeps running, answers
// every call made while the database is away with the retryable error
// (gRPC UNAVAILABLE; /healthz 503), reloads its state from PostgreSQL once
// the database is back and serves again by itself; every send that was
// acknowledged, before, during or after, is then received.
#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "cortado/v1/queue.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/postgres_process.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::e2e {
namespace {

using cortado::testing::PostgresProcess;
using cortado::testing::ServerProcess;
namespace v1 = ::cortado::v1;

// The status code of GET `path` on "host:port" (0 when unreachable).
int HttpStatus(const std::string& address, const std::string& path) {
  std::vector<std::string> parts = absl::StrSplit(address, ':');
  int port = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[1], &port)) return 0;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, parts[0].c_str(), &to.sin_addr);
  int status = 0;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)) == 0) {
    const std::string request =
        absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: ", address,
                     "\r\nConnection: close\r\n\r\n");
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      char buffer[64] = {};
      const ssize_t n = ::read(fd, buffer, sizeof(buffer) - 1);
      // "HTTP/1.1 503 ..."
      if (n > 12) (void)absl::SimpleAtoi(std::string(buffer + 9, 3), &status);
    }
  }
  ::close(fd);
  return status;
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

// Polls `done` (a real server and database: no clock to move) until it
// holds or `timeout` passes.
bool Eventually(absl::Duration timeout, const std::function<bool()>& done) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return done();
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
  ASSERT_EQ(HttpStatus(http_address, "/healthz"), 200);

  Ledger ledger;
  std::atomic<bool> stop{false};
  std::vector<std::thread> producers;
  for (int i = 0; i < 4; ++i) {
    producers.emplace_back([&, i] { Producer(grpc_address, i, stop, ledger); });
  }
  ASSERT_TRUE(
      Eventually(absl::Seconds(60), [&] { return Acked(ledger) >= 200; }));

  // A managed database's restart: sessions terminated, then back.
  ASSERT_OK(postgres.Stop());
  EXPECT_TRUE(Eventually(absl::Seconds(30), [&] {
    return HttpStatus(http_address, "/healthz") == 503;
  }));
  const size_t acked_while_down = Acked(ledger);
  ASSERT_OK(postgres.Start());
  EXPECT_TRUE(Eventually(absl::Seconds(60), [&] {
    return HttpStatus(http_address, "/healthz") == 200 &&
           Acked(ledger) >= acked_while_down + 200;
  })) << "the server did not come back by itself";
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
