// Messages acked on a Publish stream survive kill -9: the real cortado-server
// process is killed with SIGKILL right after the last ack of many sends that
// were in flight together; a new process on the same data dir holds every
// acked message.
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "cortado/client.h"
#include "cortado/publisher.h"
#include "gtest/gtest.h"
#include "tests/testing/server_process.h"
#include "tests/testing/temp_dir.h"

namespace cortado::e2e {
namespace {

using cortado::testing::ServerProcess;

std::unique_ptr<ServerProcess> StartServer(const std::string& data_dir) {
  ServerProcess::Options options;
  options.data_dir = data_dir;
  auto server = ServerProcess::Start(options);
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

TEST(PublishKill9Test, AckedPublishesSurviveSigkill) {
  cortado::testing::TempDir dir;
  const std::string data_dir = dir.path() + "/data";
  auto server = StartServer(data_dir);
  ASSERT_NE(server, nullptr);
  constexpr int kMessages = 300;
  absl::Mutex mu;
  absl::flat_hash_set<std::string> acked;
  {
    auto client = client::Client::Connect(server->grpc_address());
    ASSERT_TRUE(client.ok()) << client.status();
    ASSERT_TRUE((*client)->CreateQueue("k9-published").ok());
    auto publisher = client::Publisher::Open(client->get());
    ASSERT_TRUE(publisher.ok()) << publisher.status();
    absl::BlockingCounter done(kMessages);
    for (int i = 0; i < kMessages; ++i) {
      (*publisher)
          ->SendAsync("k9-published", absl::StrCat("m", i), {},
                      [&](absl::StatusOr<client::SendResult> sent) {
                        if (sent.ok()) {
                          absl::MutexLock lock(&mu);
                          acked.insert(sent->message_id);
                        }
                        done.DecrementCount();
                      });
    }
    done.Wait();
    server->Kill();  // SIGKILL right after the last ack
  }
  {
    absl::MutexLock lock(&mu);
    ASSERT_EQ(acked.size(), static_cast<size_t>(kMessages));
  }

  server = StartServer(data_dir);
  ASSERT_NE(server, nullptr);
  auto client = client::Client::Connect(server->grpc_address());
  ASSERT_TRUE(client.ok()) << client.status();
  absl::flat_hash_set<std::string> found;
  client::ReceiveOptions options;
  options.max_messages = 10;
  options.wait = absl::ZeroDuration();
  while (true) {
    auto got = (*client)->ReceiveMessage("k9-published", options);
    ASSERT_TRUE(got.ok()) << got.status();
    if (got->empty()) break;
    for (const client::Message& message : *got)
      found.insert(message.message_id);
  }
  absl::MutexLock lock(&mu);
  EXPECT_EQ(found, acked);
}

}  // namespace
}  // namespace cortado::e2e
