// The cafeteria flow end to end with real processes: the seed document's
// AWS CLI commands, malformed orders, and a graceful stop.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/coffee/cafeteria_fixture.h"
#include "tests/testing/subprocess.h"

namespace cortado::coffee {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// The AWS CLI v1 on PATH (Debian's /usr/bin/aws is v2 and speaks another
// protocol; the seed document used v1-era commands).
std::string AwsCliV1() {
  const char* path = std::getenv("PATH");
  for (absl::string_view dir :
       absl::StrSplit(path != nullptr ? path : "", ':', absl::SkipEmpty())) {
    const std::string candidate = absl::StrCat(dir, "/aws");
    if (candidate != "/usr/bin/aws" && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return "";
}

// Dummy credentials and no user configuration: the gateway does not check
// signatures unless told to, and nothing on the machine must leak in.
std::map<std::string, std::string> AwsEnvironment() {
  return {{"AWS_ACCESS_KEY_ID", "test"},
          {"AWS_SECRET_ACCESS_KEY", "test"},
          {"AWS_DEFAULT_REGION", "us-east-1"},
          {"AWS_CONFIG_FILE", "/nonexistent/aws-config"},
          {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials"},
          {"AWS_PAGER", ""},
          {"AWS_MAX_ATTEMPTS", "1"}};
}

class CafeteriaFlowTest : public CafeteriaTest {
 protected:
  // Runs `aws --endpoint-url http://<gateway> <args>`; returns stdout.
  std::string Aws(const std::vector<std::string>& args) {
    const std::string aws = AwsCliV1();
    EXPECT_FALSE(aws.empty()) << "AWS CLI v1 (`aws`) not on PATH";
    std::vector<std::string> argv = {
        aws, "--endpoint-url",
        absl::StrCat("http://", server_->http_address())};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<testing::Subprocess::Result> result =
        testing::RunSubprocess(argv, AwsEnvironment());
    EXPECT_TRUE(result.ok()) << result.status();
    if (!result.ok()) return "";
    EXPECT_EQ(result->exit_code, 0) << result->err;
    return std::string(absl::StripAsciiWhitespace(result->out));
  }

  std::vector<std::string> DrainBodies(absl::string_view queue) {
    std::vector<std::string> bodies;
    while (true) {
      client::ReceiveOptions options;
      options.max_messages = 10;
      options.wait = absl::ZeroDuration();
      absl::StatusOr<std::vector<client::Message>> messages =
          client_->ReceiveMessage(queue, options);
      EXPECT_TRUE(messages.ok()) << messages.status();
      if (!messages.ok() || messages->empty()) return bodies;
      for (const client::Message& m : *messages) bodies.push_back(m.body);
    }
  }
};

TEST_F(CafeteriaFlowTest, DocumentsThreeSendMessageCommandsMakeThreeRows) {
  std::unique_ptr<testing::ChildProcess> consumer =
      StartConsumer({"--create-queue", "--visibility-timeout=2"});
  ASSERT_NE(consumer, nullptr);
  ASSERT_TRUE(PollDatabaseUntil(
      [&] { return absl::StrContains(consumer->Log(), "consuming"); },
      absl::Seconds(30)))
      << consumer->Log();

  // The document's commands, verbatim but for the endpoint.
  const std::string queue_url =
      Aws({"sqs", "get-queue-url", "--queue-name", "cafeteria-queue", "--query",
           "QueueUrl", "--output", "text"});
  ASSERT_FALSE(queue_url.empty());
  for (const char* body :
       {"Latte|2025-02-26 10:30:00", "Cappuccino|2025-02-26 10:31:00",
        "Espresso|2025-02-26 10:32:00"}) {
    Aws({"sqs", "send-message", "--queue-url", queue_url, "--message-body",
         body});
  }

  ASSERT_TRUE(WaitForAllStored(3, absl::Seconds(30))) << RowCount();
  absl::StatusOr<Rows> rows =
      Query(postgres_->url(),
            "SELECT coffee_type, to_char(timestamp, 'YYYY-MM-DD HH24:MI:SS'), "
            "order_status, pg_typeof(timestamp)::text, message_id IS NOT NULL "
            "FROM coffee_orders ORDER BY timestamp");
  ASSERT_TRUE(rows.ok()) << rows.status();
  using Row = std::vector<std::string>;
  EXPECT_THAT(*rows,
              ElementsAre(Row{"Latte", "2025-02-26 10:30:00", "created",
                              "timestamp without time zone", "t"},
                          Row{"Cappuccino", "2025-02-26 10:31:00", "created",
                              "timestamp without time zone", "t"},
                          Row{"Espresso", "2025-02-26 10:32:00", "created",
                              "timestamp without time zone", "t"}));
  EXPECT_TRUE(
      absl::StrContains(consumer->Log(), "Latte at 2025-02-26 10:30:00"))
      << consumer->Log();
  absl::StatusOr<int> exit_code = consumer->Terminate(absl::Seconds(30));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
}

TEST_F(CafeteriaFlowTest, MalformedBodyEndsInDeadLetterQueueNeverInTable) {
  CreateQueues();  // maxReceiveCount = kMaxReceiveCount
  std::unique_ptr<testing::ChildProcess> consumer = StartConsumer();
  ASSERT_NE(consumer, nullptr);
  const std::vector<std::string> malformed = {
      "Latte 2025-02-26 10:30:00",   // no '|'
      "Mocha|2025-02-30 10:00:00",   // no February 30th
      "|2025-02-26 10:00:00",        // no coffee
      "Té|Chai|2025-02-26 10:00:00"  // two '|'
  };
  for (const std::string& body : malformed) {
    ASSERT_TRUE(client_->SendMessage("cafeteria-queue", body).ok());
  }
  // UTF-8 with accents is a good order, not a malformed one.
  ASSERT_TRUE(client_
                  ->SendMessage("cafeteria-queue",
                                "  Café con leche|2025-02-26 10:33:00\n")
                  .ok());

  ASSERT_TRUE(PollDatabaseUntil(
      [&] {
        return MessagesIn("cafeteria-dlq") == 4 &&
               MessagesIn("cafeteria-queue") == 0 && RowCount() == 1;
      },
      absl::Seconds(60)))
      << "dlq " << MessagesIn("cafeteria-dlq") << ", queue "
      << MessagesIn("cafeteria-queue") << ", rows " << RowCount() << "\n"
      << consumer->Log();
  EXPECT_THAT(
      RowsPerCoffeeType(),
      ElementsAre(std::pair<const std::string, int>("Café con leche", 1)));
  EXPECT_THAT(DrainBodies("cafeteria-dlq"),
              UnorderedElementsAre(malformed[0], malformed[1], malformed[2],
                                   malformed[3]));
  const std::string log = consumer->Log();
  EXPECT_TRUE(absl::StrContains(log, "no '|'")) << log;
  EXPECT_TRUE(absl::StrContains(log, "is not a real date and time")) << log;
  EXPECT_TRUE(absl::StrContains(log, "coffee type is empty")) << log;
  EXPECT_TRUE(absl::StrContains(log, "more than one '|'")) << log;
  absl::StatusOr<int> exit_code = consumer->Terminate(absl::Seconds(30));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
}

TEST_F(CafeteriaFlowTest, SigtermFinishesWorkInHandAndExitsZero) {
  CreateQueues();
  const std::vector<std::string> sent = SendOrders("term", 200);
  std::unique_ptr<testing::ChildProcess> consumer = StartConsumer();
  ASSERT_NE(consumer, nullptr);
  ASSERT_TRUE(
      PollDatabaseUntil([&] { return RowCount() > 0; }, absl::Seconds(30)))
      << consumer->Log();
  absl::StatusOr<int> exit_code = consumer->Terminate(absl::Seconds(30));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << consumer->Log();
  // Graceful: every order taken is either stored with its message deleted,
  // or still in the queue; none is both, none is neither.
  EXPECT_EQ(RowCount() + MessagesIn("cafeteria-queue"), 200);

  std::unique_ptr<testing::ChildProcess> again = StartConsumer();
  ASSERT_TRUE(WaitForAllStored(200, absl::Seconds(60))) << RowCount();
  std::map<std::string, int> rows = RowsPerCoffeeType();
  ASSERT_EQ(rows.size(), sent.size());
  for (const std::string& coffee_type : sent) {
    EXPECT_EQ(rows[coffee_type], 1) << coffee_type;
  }
}

}  // namespace
}  // namespace cortado::coffee
