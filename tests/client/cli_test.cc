// The real `cortado` binary against a real `cortado-server` process, as a
// user runs them. Output is read through pipes with deadlines (no sleeps).
#include <signal.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cortado/client.h"
#include "gtest/gtest.h"
#include "tests/client/closed_port.h"
#include "tests/testing/poll.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/subprocess.h"

#ifndef CORTADO_CLI_BINARY
#error "CORTADO_CLI_BINARY must name the cortado binary"
#endif

namespace cortado::client {
namespace {

using ::cortado::testing::ServerProcess;
using ::cortado::testing::Subprocess;

constexpr absl::Duration kTimeout = absl::Seconds(30);

bool Contains(const std::string& text, absl::string_view part) {
  return absl::StrContains(text, part);
}

// The value of a JSON string member in `json` ("" if absent); enough for
// the flat ids and handles these tests pick out.
std::string JsonField(const std::string& json, const std::string& key) {
  std::string marker = absl::StrCat("\"", key, "\":\"");
  size_t start = json.find(marker);
  if (start == std::string::npos) return "";
  start += marker.size();
  return json.substr(start, json.find('"', start) - start);
}

class CliTest : public ::testing::Test {
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
  }

  // Runs `cortado --server <the server> args...`.
  static Subprocess::Result Cli(std::vector<std::string> args,
                                const std::string& input = "") {
    args.insert(args.begin(),
                {CORTADO_CLI_BINARY, "--server", server_->grpc_address()});
    absl::StatusOr<Subprocess::Result> result =
        testing::RunSubprocess(args, {}, input, kTimeout);
    EXPECT_OK(result);
    return result.ok() ? *result : Subprocess::Result{};
  }

  // Whether the human `queue attrs` output has the line "NAME   VALUE".
  static bool HasAttributeLine(const std::string& output,
                               const std::string& name,
                               const std::string& value) {
    for (absl::string_view line : absl::StrSplit(output, '\n')) {
      std::vector<absl::string_view> words =
          absl::StrSplit(line, ' ', absl::SkipEmpty());
      if (words.size() == 2 && words[0] == name && words[1] == value) {
        return true;
      }
    }
    return false;
  }

  static ServerProcess* server_;
  std::unique_ptr<Client> client_;
};

ServerProcess* CliTest::server_ = nullptr;

TEST_F(CliTest, CreateSendReceiveDeleteLeavesTheQueueEmpty) {
  // cortado queue create orders && echo hi | cortado send orders &&
  // cortado receive orders --wait 5 --delete
  Subprocess::Result created = Cli({"queue", "create", "orders"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  Subprocess::Result sent = Cli({"send", "orders"}, "hi\n");
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_TRUE(Contains(sent.out, "Sent message")) << sent.out;
  Subprocess::Result received =
      Cli({"receive", "orders", "--wait", "5", "--delete"});
  ASSERT_EQ(received.exit_code, 0) << received.err;
  EXPECT_TRUE(Contains(received.out, "\nhi\n")) << received.out;

  Subprocess::Result attributes = Cli({"queue", "attrs", "orders"});
  ASSERT_EQ(attributes.exit_code, 0) << attributes.err;
  EXPECT_TRUE(
      HasAttributeLine(attributes.out, "ApproximateNumberOfMessages", "0"))
      << attributes.out;
  EXPECT_TRUE(HasAttributeLine(attributes.out,
                               "ApproximateNumberOfMessagesNotVisible", "0"))
      << attributes.out;
}

// Issue #5's acceptance: a poison message in cafeteria-queue with
// maxReceiveCount=3 is delivered 3 times, then sits in cafeteria-dlq with
// DeadLetterQueueSourceArn, and `cortado redrive start` puts it back.
TEST_F(CliTest, PoisonMessageGoesToTheDlqAndARedrivePutsItBack) {
  ASSERT_EQ(Cli({"queue", "create", "cafeteria-dlq"}).exit_code, 0);
  absl::StatusOr<StringMap> dlq =
      client_->GetQueueAttributes("cafeteria-dlq", {"QueueArn"});
  ASSERT_OK(dlq);
  const std::string policy =
      absl::StrCat("RedrivePolicy={\"deadLetterTargetArn\":\"",
                   (*dlq)["QueueArn"], "\",\"maxReceiveCount\":3}");
  Subprocess::Result created =
      Cli({"queue", "create", "cafeteria-queue", "--attr", policy, "--attr",
           "VisibilityTimeout=0"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  ASSERT_EQ(Cli({"send", "cafeteria-queue", "Latte|not-a-date"}).exit_code, 0);
  for (int i = 1; i <= 3; ++i) {
    Subprocess::Result got = Cli({"receive", "cafeteria-queue", "--json"});
    ASSERT_EQ(got.exit_code, 0) << got.err;
    EXPECT_EQ(JsonField(got.out, "ApproximateReceiveCount"), absl::StrCat(i))
        << got.out;
  }
  Subprocess::Result fourth = Cli({"receive", "cafeteria-queue", "--json"});
  ASSERT_EQ(fourth.exit_code, 0) << fourth.err;
  EXPECT_FALSE(Contains(fourth.out, "Latte")) << fourth.out;
  Subprocess::Result dead =
      Cli({"receive", "cafeteria-dlq", "--json", "--visibility", "0"});
  ASSERT_EQ(dead.exit_code, 0) << dead.err;
  EXPECT_TRUE(Contains(dead.out, "Latte|not-a-date")) << dead.out;
  EXPECT_TRUE(Contains(JsonField(dead.out, "DeadLetterQueueSourceArn"),
                       ":cafeteria-queue"))
      << dead.out;

  Subprocess::Result started = Cli({"redrive", "start", "cafeteria-dlq"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  std::string listed;
  ASSERT_TRUE(testing::PollUntil(
      [&] {
        listed = Cli({"redrive", "list", "cafeteria-dlq"}).out;
        return Contains(listed, "COMPLETED");
      },
      kTimeout))
      << listed;
  EXPECT_TRUE(Contains(listed, "moved 1 of 1")) << listed;
  Subprocess::Result back = Cli({"receive", "cafeteria-queue", "--delete"});
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_TRUE(Contains(back.out, "Latte|not-a-date")) << back.out;
}

TEST_F(CliTest, StdinBodyLosesExactlyOneTrailingNewline) {
  ASSERT_OK(client_->CreateQueue("stdin-body"));
  ASSERT_EQ(Cli({"send", "stdin-body"}, "two\nlines\n\n").exit_code, 0);
  absl::StatusOr<std::vector<Message>> received =
      client_->ReceiveMessage("stdin-body");
  ASSERT_OK(received);
  ASSERT_EQ(received->size(), 1u);
  EXPECT_EQ(received->front().body, "two\nlines\n");
}

TEST_F(CliTest, ServerErrorsExitOneWithTheSqsName) {
  Subprocess::Result result = Cli({"queue", "attrs", "no-such-queue"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(absl::StartsWith(result.err, "cortado: QueueDoesNotExist: "))
      << result.err;
  EXPECT_EQ(result.out, "");

  result = Cli({"delete", "no-such-queue", "handle"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(Contains(result.err, "QueueDoesNotExist")) << result.err;
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"frobnicate"},
           {"queue"},
           {"queue", "create"},
           {"receive", "q", "--wait", "99"},
           {"send", "q", "--bogus"},
           {"send", "q", "x", "--wait", "1"},
           {"send", "q", "x", "--attr", "k"}}) {
    Subprocess::Result result = Cli(args);
    EXPECT_EQ(result.exit_code, 2) << args[0] << ": " << result.err;
    EXPECT_TRUE(absl::StartsWith(result.err, "cortado: ")) << result.err;
  }
  Subprocess::Result result = Cli({"frobnicate"});
  EXPECT_TRUE(Contains(result.err, "unknown command 'frobnicate'"))
      << result.err;
}

TEST_F(CliTest, UnreachableServerExitsOne) {
  testing::ClosedPort closed;
  absl::StatusOr<Subprocess::Result> result = testing::RunSubprocess(
      {CORTADO_CLI_BINARY, "--server", closed.address(), "queue", "list"}, {},
      "", kTimeout);
  ASSERT_OK(result);
  EXPECT_EQ(result->exit_code, 1);
  EXPECT_TRUE(absl::StartsWith(result->err, "cortado: UNAVAILABLE: "))
      << result->err;
}

TEST_F(CliTest, ServerComesFromTheEnvironment) {
  ASSERT_OK(client_->CreateQueue("from-env"));
  absl::StatusOr<Subprocess::Result> result = testing::RunSubprocess(
      {CORTADO_CLI_BINARY, "queue", "list", "--prefix", "from-env"},
      {{"CORTADO_SERVER", server_->grpc_address()}}, "", kTimeout);
  ASSERT_OK(result);
  EXPECT_EQ(result->exit_code, 0) << result->err;
  EXPECT_EQ(result->out, "from-env\n");
}

TEST_F(CliTest, HelpDescribesEveryCommand) {
  Subprocess::Result result = Cli({"help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* command :
       {"queue create", "queue list", "queue delete", "queue attrs",
        "queue set", "queue purge", "queue tag", "queue untag", "queue tags",
        "send", "receive", "delete", "watch"}) {
    EXPECT_TRUE(Contains(result.out, command)) << command;
  }
}

TEST_F(CliTest, JsonReceiveShowsEverySqsField) {
  ASSERT_EQ(Cli({"queue", "create", "json-q"}).exit_code, 0);
  Subprocess::Result sent = Cli(
      {"--json", "send", "json-q", "line1\nsay \"hi\" caf\xc3\xa9", "--attr",
       "color=red", "--attr", "n:Number=42", "--attr", "b:Binary=AP8B"});
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  std::string message_id = JsonField(sent.out, "MessageId");
  ASSERT_FALSE(message_id.empty()) << sent.out;
  EXPECT_TRUE(Contains(sent.out, "\"MD5OfMessageAttributes\":\"")) << sent.out;

  Subprocess::Result received = Cli({"receive", "json-q", "--json"});
  ASSERT_EQ(received.exit_code, 0) << received.err;
  const std::string& out = received.out;
  EXPECT_TRUE(absl::StartsWith(out, "{\"MessageId\":\"" + message_id + "\""))
      << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_TRUE(Contains(out, R"("Body":"line1\nsay \"hi\" caf)"
                            "\xc3\xa9\""))
      << out;
  EXPECT_TRUE(Contains(out, R"("ReceiptHandle":")")) << out;
  EXPECT_TRUE(Contains(out, R"("ApproximateReceiveCount":"1")")) << out;
  EXPECT_TRUE(Contains(
      out,
      R"("MessageAttributes":{"b":{"DataType":"Binary","BinaryValue":"AP8B"},)"
      R"("color":{"DataType":"String","StringValue":"red"},)"
      R"("n":{"DataType":"Number","StringValue":"42"}})"))
      << out;

  // The handle it printed deletes the message.
  std::string handle = JsonField(out, "ReceiptHandle");
  Subprocess::Result deleted = Cli({"delete", "json-q", handle});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  Subprocess::Result attributes = Cli({"--json", "queue", "attrs", "json-q"});
  EXPECT_TRUE(Contains(attributes.out, R"("ApproximateNumberOfMessages":"0")"))
      << attributes.out;
  EXPECT_TRUE(Contains(attributes.out,
                       R"("ApproximateNumberOfMessagesNotVisible":"0")"))
      << attributes.out;
}

TEST_F(CliTest, QueueSubcommands) {
  Subprocess::Result created =
      Cli({"--json", "queue", "create", "admin-q", "--attr",
           "VisibilityTimeout=40", "--tag", "team=coffee"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(JsonField(created.out, "QueueName"), "admin-q");
  EXPECT_TRUE(Contains(JsonField(created.out, "QueueArn"), "admin-q"));

  Subprocess::Result listed =
      Cli({"--json", "queue", "list", "--prefix", "admin"});
  EXPECT_TRUE(Contains(listed.out, R"("QueueNames":["admin-q"])"))
      << listed.out;

  ASSERT_EQ(
      Cli({"queue", "set", "admin-q", "VisibilityTimeout=50", "DelaySeconds=1"})
          .exit_code,
      0);
  Subprocess::Result attributes =
      Cli({"queue", "attrs", "admin-q", "VisibilityTimeout", "DelaySeconds"});
  EXPECT_TRUE(HasAttributeLine(attributes.out, "VisibilityTimeout", "50"))
      << attributes.out;
  EXPECT_TRUE(HasAttributeLine(attributes.out, "DelaySeconds", "1"))
      << attributes.out;

  ASSERT_EQ(Cli({"queue", "tag", "admin-q", "env=dev"}).exit_code, 0);
  ASSERT_EQ(Cli({"queue", "untag", "admin-q", "team"}).exit_code, 0);
  Subprocess::Result tags = Cli({"--json", "queue", "tags", "admin-q"});
  EXPECT_EQ(tags.out, "{\"Tags\":{\"env\":\"dev\"}}\n");

  ASSERT_OK(client_->SendMessage("admin-q", "x"));
  ASSERT_EQ(Cli({"queue", "purge", "admin-q"}).exit_code, 0);
  EXPECT_EQ(client_->GetQueueAttributes("admin-q")->at(
                "ApproximateNumberOfMessagesDelayed"),
            "0");
  Subprocess::Result deleted = Cli({"queue", "delete", "admin-q"});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(Cli({"queue", "attrs", "admin-q"}).exit_code, 1);
}

TEST_F(CliTest, WatchPrintsAndDeletesUntilSigint) {
  ASSERT_OK(client_->CreateQueue("watched"));
  ASSERT_OK(client_->SendMessage("watched", "first"));
  absl::StatusOr<std::unique_ptr<Subprocess>> watch = Subprocess::Start(
      {CORTADO_CLI_BINARY, "--server", server_->grpc_address(), "--json",
       "watch", "watched"});
  ASSERT_OK(watch);
  ASSERT_TRUE((*watch)->WaitForStdout("\"Body\":\"first\"", kTimeout))
      << (*watch)->out() << (*watch)->err();
  // A message sent while it long-polls arrives too.
  ASSERT_OK(client_->SendMessage("watched", "second"));
  ASSERT_TRUE((*watch)->WaitForStdout("\"Body\":\"second\"", kTimeout))
      << (*watch)->out() << (*watch)->err();

  (*watch)->Signal(SIGINT);
  Subprocess::Result result = (*watch)->Finish(kTimeout);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 2)
      << result.out;
  absl::StatusOr<StringMap> attributes = client_->GetQueueAttributes("watched");
  ASSERT_OK(attributes);
  EXPECT_EQ(attributes->at("ApproximateNumberOfMessages"), "0");
  EXPECT_EQ(attributes->at("ApproximateNumberOfMessagesNotVisible"), "0");
}

TEST_F(CliTest, WatchNoDeleteLeavesMessagesAndStopsOnSigterm) {
  ASSERT_OK(
      client_->CreateQueue("watched-kept", {{"VisibilityTimeout", "300"}}));
  ASSERT_OK(client_->SendMessage("watched-kept", "keep me"));
  absl::StatusOr<std::unique_ptr<Subprocess>> watch = Subprocess::Start(
      {CORTADO_CLI_BINARY, "--server", server_->grpc_address(), "watch",
       "watched-kept", "--no-delete"});
  ASSERT_OK(watch);
  ASSERT_TRUE((*watch)->WaitForStdout("keep me\n", kTimeout))
      << (*watch)->err();
  (*watch)->Signal(SIGTERM);
  Subprocess::Result result = (*watch)->Finish(kTimeout);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(client_->GetQueueAttributes("watched-kept")
                ->at("ApproximateNumberOfMessagesNotVisible"),
            "1");
}

}  // namespace
}  // namespace cortado::client
