// FIFO queues and message move tasks across kill -9 of the real binary:
// the deduplication window, group order and blocking, and a rate-limited
// move task all continue exactly where the acknowledged state left them.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cortado/client.h"
#include "gtest/gtest.h"
#include "tests/e2e/sqlite_server.h"
#include "tests/testing/poll.h"
#include "tests/testing/server_process.h"
#include "tests/testing/temp_dir.h"

namespace cortado {
namespace {

using e2e::ConnectTo;
using e2e::StartSqliteServer;
using testing::ServerProcess;

absl::StatusOr<client::SendResult> SendFifo(client::Client& client,
                                            const std::string& body,
                                            const std::string& group) {
  client::SendOptions options;
  options.group_id = group;
  options.dedup_id = body;
  return client.SendMessage("orders.fifo", body, options);
}

TEST(FifoRestartTest, DedupWindowAndGroupOrderSurviveKillNine) {
  testing::TempDir dir;
  std::unique_ptr<ServerProcess> server = StartSqliteServer(dir.path());
  ASSERT_NE(server, nullptr);
  std::unique_ptr<client::Client> client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client
                  ->CreateQueue("orders.fifo", {{"FifoQueue", "true"},
                                                {"VisibilityTimeout", "600"}})
                  .ok());
  std::map<std::string, std::string> ids;  // body -> MessageId
  for (int i = 0; i < 3; ++i) {
    for (const char* group : {"table-1", "table-2"}) {
      const std::string body = absl::StrCat(group, "/", i);
      absl::StatusOr<client::SendResult> sent = SendFifo(*client, body, group);
      ASSERT_TRUE(sent.ok()) << sent.status();
      ids[body] = sent->message_id;
    }
  }
  // table-1/0 goes in flight: table-1 is blocked when the broker dies.
  client::ReceiveOptions one;
  one.max_messages = 1;
  one.attribute_names = {"All"};
  absl::StatusOr<std::vector<client::Message>> first =
      client->ReceiveMessage("orders.fifo", one);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].body, "table-1/0");

  server->Kill();
  server = StartSqliteServer(dir.path());
  ASSERT_NE(server, nullptr);
  client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);

  // A duplicate sent before the crash is still answered with the original
  // MessageId and not enqueued again.
  absl::StatusOr<client::SendResult> again =
      SendFifo(*client, "table-2/1", "table-2");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->message_id, ids["table-2/1"]);

  // Only table-2 is receivable while table-1/0 is in flight (its 10-minute
  // visibility outlasts any restart, however loaded the machine); once its
  // pre-crash receipt handle releases it, table-1 resumes from table-1/0.
  client::ReceiveOptions all;
  all.max_messages = 10;
  absl::StatusOr<std::vector<client::Message>> got =
      client->ReceiveMessage("orders.fifo", all);
  ASSERT_TRUE(got.ok()) << got.status();
  std::vector<std::string> bodies;
  for (const client::Message& m : *got) bodies.push_back(m.body);
  EXPECT_EQ(bodies,
            (std::vector<std::string>{"table-2/0", "table-2/1", "table-2/2"}));
  for (const client::Message& m : *got) {
    ASSERT_TRUE(client->DeleteMessage("orders.fifo", m.receipt_handle).ok());
  }
  ASSERT_TRUE(client
                  ->ChangeMessageVisibility("orders.fifo",
                                            (*first)[0].receipt_handle,
                                            absl::ZeroDuration())
                  .ok());
  std::vector<std::string> table_one;
  ASSERT_TRUE(testing::PollUntil(
      [&] {
        absl::StatusOr<std::vector<client::Message>> next =
            client->ReceiveMessage("orders.fifo", all);
        if (!next.ok()) return false;
        for (const client::Message& m : *next) {
          table_one.push_back(m.body);
          (void)client->DeleteMessage("orders.fifo", m.receipt_handle);
        }
        return table_one.size() >= 3;
      },
      absl::Seconds(20)));
  EXPECT_EQ(table_one,
            (std::vector<std::string>{"table-1/0", "table-1/1", "table-1/2"}));
}

TEST(FifoRestartTest, MoveTaskResumesAfterKillNine) {
  testing::TempDir dir;
  std::unique_ptr<ServerProcess> server = StartSqliteServer(dir.path());
  ASSERT_NE(server, nullptr);
  std::unique_ptr<client::Client> client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  absl::StatusOr<client::QueueInfo> dlq = client->CreateQueue("dlq");
  ASSERT_TRUE(dlq.ok()) << dlq.status();
  const std::string policy = absl::StrCat(
      "{\"deadLetterTargetArn\":\"", dlq->arn, "\",\"maxReceiveCount\":1}");
  ASSERT_TRUE(client
                  ->CreateQueue("work", {{"RedrivePolicy", policy},
                                         {"VisibilityTimeout", "0"}})
                  .ok());
  constexpr int kMessages = 6;
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_TRUE(client->SendMessage("work", absl::StrCat("m", i)).ok());
  }
  // Visibility 0: every receive counts, the second one dead-letters.
  client::ReceiveOptions all;
  all.max_messages = 10;
  ASSERT_TRUE(client->ReceiveMessage("work", all).ok());
  ASSERT_TRUE(client->ReceiveMessage("work", all).ok());
  absl::StatusOr<client::StringMap> counts =
      client->GetQueueAttributes("dlq", {"ApproximateNumberOfMessages"});
  ASSERT_TRUE(counts.ok());
  ASSERT_EQ((*counts)["ApproximateNumberOfMessages"], "6");

  absl::StatusOr<std::string> task = client->StartMessageMoveTask(dlq->arn, "",
                                                                  /*rate=*/2);
  ASSERT_TRUE(task.ok()) << task.status();
  // Kill once some, not all, messages moved.
  ASSERT_TRUE(testing::PollUntil(
      [&] {
        auto tasks = client->ListMessageMoveTasks(dlq->arn);
        return tasks.ok() && !tasks->empty() && (*tasks)[0].moved >= 2;
      },
      absl::Seconds(20)));
  server->Kill();
  server = StartSqliteServer(dir.path());
  ASSERT_NE(server, nullptr);
  client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(testing::PollUntil(
      [&] {
        auto tasks = client->ListMessageMoveTasks(dlq->arn);
        return tasks.ok() && !tasks->empty() &&
               (*tasks)[0].status == "COMPLETED";
      },
      absl::Seconds(20)));
  absl::StatusOr<std::vector<client::MessageMoveTask>> tasks =
      client->ListMessageMoveTasks(dlq->arn);
  ASSERT_TRUE(tasks.ok());
  EXPECT_EQ((*tasks)[0].moved, kMessages);
  // Every message is back in `work` exactly once.
  absl::StatusOr<client::StringMap> work =
      client->GetQueueAttributes("work", {"ApproximateNumberOfMessages"});
  ASSERT_TRUE(work.ok());
  EXPECT_EQ((*work)["ApproximateNumberOfMessages"], "6");
  counts = client->GetQueueAttributes("dlq", {"ApproximateNumberOfMessages"});
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)["ApproximateNumberOfMessages"], "0");
}

}  // namespace
}  // namespace cortado
