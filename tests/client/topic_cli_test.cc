// The real `cortado` binary's topic commands and `cortado listen` against a
// real `cortado-server` process. Output is read through pipes with
// deadlines (no sleeps).
#include <signal.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "cortado/client.h"
#include "cortado/topics.h"
#include "gtest/gtest.h"
#include "tests/testing/poll.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/subprocess.h"

namespace cortado::client {
namespace {

using ::cortado::testing::PollUntil;
using ::cortado::testing::ServerProcess;
using ::cortado::testing::Subprocess;

constexpr absl::Duration kTimeout = absl::Seconds(30);

class TopicCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        ServerProcess::Start({});
    ASSERT_OK(server);
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    absl::StatusOr<std::unique_ptr<Client>> client =
        Client::Connect(server_->grpc_address());
    ASSERT_OK(client);
    client_ = *std::move(client);
    absl::StatusOr<std::unique_ptr<TopicClient>> topics =
        TopicClient::Connect(server_->grpc_address());
    ASSERT_OK(topics);
    topics_ = *std::move(topics);
  }

  static Subprocess::Result Cli(std::vector<std::string> args) {
    args.insert(args.begin(),
                {CORTADO_CLI_BINARY, "--server", server_->grpc_address()});
    absl::StatusOr<Subprocess::Result> result =
        testing::RunSubprocess(args, {}, "", kTimeout);
    EXPECT_OK(result);
    return result.ok() ? *result : Subprocess::Result{};
  }

  static ServerProcess* server_;
  std::unique_ptr<Client> client_;
  std::unique_ptr<TopicClient> topics_;
};

ServerProcess* TopicCliTest::server_ = nullptr;

TEST_F(TopicCliTest, CreateSubscribePublishListDelete) {
  ASSERT_OK(client_->CreateQueue("cli-orders"));
  Subprocess::Result created = Cli({"topic", "create", "cli-events"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string arn(absl::StripTrailingAsciiWhitespace(created.out));
  EXPECT_TRUE(absl::EndsWith(arn, ":cli-events")) << arn;

  Subprocess::Result subscribed =
      Cli({"topic", "subscribe", "cli-events", "cli-orders", "--raw",
           "--filter", R"({"kind":["order"]})"});
  ASSERT_EQ(subscribed.exit_code, 0) << subscribed.err;
  EXPECT_TRUE(absl::StartsWith(subscribed.out, arn + ":")) << subscribed.out;

  Subprocess::Result published =
      Cli({"topic", "publish", arn, "an order", "--attr", "kind=order"});
  ASSERT_EQ(published.exit_code, 0) << published.err;
  ASSERT_EQ(Cli({"topic", "publish", "cli-events", "not for orders"}).exit_code,
            0);
  ReceiveOptions receive;
  receive.max_messages = 10;
  absl::StatusOr<std::vector<Message>> got =
      client_->ReceiveMessage("cli-orders", receive);
  ASSERT_OK(got);
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].body, "an order");

  Subprocess::Result listed = Cli({"--json", "topic", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(absl::StrContains(listed.out, arn)) << listed.out;
  ASSERT_EQ(Cli({"topic", "delete", "cli-events"}).exit_code, 0);
  listed = Cli({"topic", "list"});
  EXPECT_FALSE(absl::StrContains(listed.out, arn)) << listed.out;

  Subprocess::Result missing = Cli({"topic", "publish", arn, "x"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(missing.err, "NotFound")) << missing.err;
  EXPECT_EQ(Cli({"topic", "frobnicate"}).exit_code, 2);
}

// `cortado listen` prints each published message as it is pushed (no
// polling), acknowledges it, and stops on SIGINT with exit code 0.
TEST_F(TopicCliTest, ListenPrintsPublishesAsTheyArrive) {
  absl::StatusOr<std::string> arn = topics_->CreateTopic("cli-live");
  ASSERT_OK(arn);
  absl::StatusOr<std::unique_ptr<Subprocess>> listen = Subprocess::Start(
      {CORTADO_CLI_BINARY, "--server", server_->grpc_address(), "--json",
       "listen", "cli-live", "--listener", "cli-test"});
  ASSERT_OK(listen);
  // Ready once its subscription exists (sent before the stream is served).
  ASSERT_TRUE(PollUntil([&] {
    absl::StatusOr<SubscriptionList> subs = topics_->ListSubscriptions(*arn);
    return subs.ok() && !subs->subscriptions.empty();
  }));
  absl::Duration worst;
  for (int i = 0; i < 5; ++i) {
    const std::string body = absl::StrCat("live-", i);
    const absl::Time start = absl::Now();
    ASSERT_OK(topics_->Publish(*arn, body));
    ASSERT_TRUE((*listen)->WaitForStdout(
        absl::StrCat("\"Body\":\"", body, "\""), kTimeout))
        << (*listen)->out() << (*listen)->err();
    worst = std::max(worst, absl::Now() - start);
  }
  RecordProperty("cli_publish_to_print_max_us",
                 absl::StrCat(absl::ToInt64Microseconds(worst)));
  std::cout << "cortado listen: publish->printed, worst of 5: " << worst
            << "\n";
  // Printed messages were acknowledged: the durable queue drains.
  ASSERT_TRUE(PollUntil([&] {
    absl::StatusOr<StringMap> a = client_->GetQueueAttributes(
        "listen-cli-test", {"ApproximateNumberOfMessages",
                            "ApproximateNumberOfMessagesNotVisible"});
    return a.ok() && a->at("ApproximateNumberOfMessages") == "0" &&
           a->at("ApproximateNumberOfMessagesNotVisible") == "0";
  }));
  (*listen)->Signal(SIGINT);
  Subprocess::Result result = (*listen)->Finish(kTimeout);
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

}  // namespace
}  // namespace cortado::client
