// FIFO state added for SQS exactness, across kill -9 of the real binary: a
// receive retried with its ReceiveRequestAttemptId gets the same messages
// and receipt handles, and a retroactive DelaySeconds keeps hiding the
// messages it delayed.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cortado/client.h"
#include "gtest/gtest.h"
#include "tests/e2e/sqlite_server.h"
#include "tests/testing/server_process.h"
#include "tests/testing/temp_dir.h"

namespace cortado {
namespace {

using e2e::ConnectTo;
using e2e::StartSqliteServer;
using testing::ServerProcess;

absl::Status SendFifo(client::Client& client, const std::string& queue,
                      const std::string& body) {
  client::SendOptions options;
  options.group_id = "table-1";
  options.dedup_id = body;
  return client.SendMessage(queue, body, options).status();
}

TEST(FifoExactnessKill9Test, AReceiveAttemptIsAnsweredTheSameAfterKillNine) {
  testing::TempDir dir;
  std::unique_ptr<ServerProcess> server = StartSqliteServer(dir.path());
  ASSERT_NE(server, nullptr);
  std::unique_ptr<client::Client> client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client
                  ->CreateQueue("orders.fifo", {{"FifoQueue", "true"},
                                                {"VisibilityTimeout", "600"}})
                  .ok());
  ASSERT_TRUE(SendFifo(*client, "orders.fifo", "latte").ok());
  ASSERT_TRUE(SendFifo(*client, "orders.fifo", "mocha").ok());
  client::ReceiveOptions attempt;
  attempt.max_messages = 10;
  attempt.receive_request_attempt_id = "till-7";
  absl::StatusOr<std::vector<client::Message>> first =
      client->ReceiveMessage("orders.fifo", attempt);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 2u);

  // The answer is "lost" with the broker; the client retries the attempt.
  server->Kill();
  server = StartSqliteServer(dir.path());
  ASSERT_NE(server, nullptr);
  client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  absl::StatusOr<std::vector<client::Message>> retry =
      client->ReceiveMessage("orders.fifo", attempt);
  ASSERT_TRUE(retry.ok()) << retry.status();
  ASSERT_EQ(retry->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ((*retry)[i].body, (*first)[i].body);
    EXPECT_EQ((*retry)[i].message_id, (*first)[i].message_id);
    EXPECT_EQ((*retry)[i].receipt_handle, (*first)[i].receipt_handle);
    EXPECT_TRUE(
        client->DeleteMessage("orders.fifo", (*retry)[i].receipt_handle).ok());
  }
  absl::StatusOr<client::StringMap> counts = client->GetQueueAttributes(
      "orders.fifo",
      {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"});
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)["ApproximateNumberOfMessages"], "0");
  EXPECT_EQ((*counts)["ApproximateNumberOfMessagesNotVisible"], "0");
}

TEST(FifoExactnessKill9Test, ARetroactiveDelaySurvivesKillNine) {
  testing::TempDir dir;
  std::unique_ptr<ServerProcess> server = StartSqliteServer(dir.path());
  ASSERT_NE(server, nullptr);
  std::unique_ptr<client::Client> client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->CreateQueue("orders.fifo", {{"FifoQueue", "true"}}).ok());
  ASSERT_TRUE(SendFifo(*client, "orders.fifo", "latte").ok());
  // Already visible; the new queue delay hides it again for 15 minutes.
  ASSERT_TRUE(
      client->SetQueueAttributes("orders.fifo", {{"DelaySeconds", "900"}})
          .ok());
  server->Kill();
  server = StartSqliteServer(dir.path());
  ASSERT_NE(server, nullptr);
  client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  absl::StatusOr<client::StringMap> counts = client->GetQueueAttributes(
      "orders.fifo",
      {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed"});
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)["ApproximateNumberOfMessages"], "0");
  EXPECT_EQ((*counts)["ApproximateNumberOfMessagesDelayed"], "1");
  client::ReceiveOptions now;
  now.max_messages = 10;
  now.wait = absl::ZeroDuration();
  absl::StatusOr<std::vector<client::Message>> got =
      client->ReceiveMessage("orders.fifo", now);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->empty());
}

}  // namespace
}  // namespace cortado
