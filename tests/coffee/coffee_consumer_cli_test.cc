// coffee-consumer's command line: where the database comes from, what
// --create-queue makes, and how bad invocations end.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/coffee/cafeteria_fixture.h"
#include "tests/testing/subprocess.h"

namespace cortado::coffee {
namespace {

class CoffeeConsumerCliTest : public CafeteriaTest {
 protected:
  testing::Subprocess::Result Run(
      const std::vector<std::string>& args,
      const std::map<std::string, std::string>& env = {}) {
    std::vector<std::string> argv = {COFFEE_CONSUMER_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<testing::Subprocess::Result> result =
        testing::RunSubprocess(argv, env, "", absl::Seconds(60));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : testing::Subprocess::Result();
  }

  bool HasOrdersTable() {
    absl::StatusOr<Rows> rows =
        Query(postgres_->url(), "SELECT to_regclass('coffee_orders')::text");
    return rows.ok() && (*rows)[0][0] == "coffee_orders";
  }
};

TEST_F(CoffeeConsumerCliTest, MigrateTakesTheDatabaseFromLibpqVariables) {
  testing::Subprocess::Result result =
      Run({"migrate"}, {{"DATABASE_URL", ""},
                        {"PGHOST", "127.0.0.1"},
                        {"PGPORT", absl::StrCat(postgres_->port())},
                        {"PGUSER", "postgres"},
                        {"PGDATABASE", "postgres"}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(
      absl::StrContains(result.err, "applied 0001_create_coffee_orders"))
      << result.err;
  EXPECT_TRUE(HasOrdersTable());
}

TEST_F(CoffeeConsumerCliTest, MigrateTakesTheDatabaseFromDatabaseUrl) {
  testing::Subprocess::Result result =
      Run({"migrate"}, {{"DATABASE_URL", postgres_->url()}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(HasOrdersTable());
  // A second run finds nothing to do.
  result = Run({"migrate", "--database-url=" + postgres_->url()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(absl::StrContains(result.err, "schema up to date")) << result.err;
}

TEST_F(CoffeeConsumerCliTest, SslModeInTheUrlIsHonoured) {
  // The test server has no TLS: sslmode=require must make libpq refuse it
  // (it would silently talk plaintext if the option were dropped), and the
  // consumer keeps retrying until told to stop.
  std::unique_ptr<testing::ChildProcess> consumer = StartConsumer(
      {"migrate",
       absl::StrCat("--database-url=", postgres_->url(), "?sslmode=require")});
  ASSERT_NE(consumer, nullptr);
  ASSERT_TRUE(PollDatabaseUntil(
      [&] {
        return absl::StrContains(consumer->Log(),
                                 "server does not support SSL");
      },
      absl::Seconds(30)))
      << consumer->Log();
  EXPECT_FALSE(HasOrdersTable());
  absl::StatusOr<int> exit_code = consumer->Terminate(absl::Seconds(30));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
}

TEST_F(CoffeeConsumerCliTest, CreateQueueSetsUpTheDeadLetterQueue) {
  std::unique_ptr<testing::ChildProcess> consumer =
      StartConsumer({"--create-queue", "--max-receive-count=7"});
  ASSERT_NE(consumer, nullptr);
  ASSERT_TRUE(PollDatabaseUntil(
      [&] { return absl::StrContains(consumer->Log(), "consuming"); },
      absl::Seconds(30)))
      << consumer->Log();
  absl::StatusOr<client::StringMap> dlq =
      client_->GetQueueAttributes("cafeteria-dlq", {"QueueArn"});
  ASSERT_TRUE(dlq.ok()) << dlq.status();
  absl::StatusOr<client::StringMap> queue =
      client_->GetQueueAttributes("cafeteria-queue", {"RedrivePolicy"});
  ASSERT_TRUE(queue.ok()) << queue.status();
  const std::string policy = (*queue)["RedrivePolicy"];
  EXPECT_TRUE(absl::StrContains(policy, (*dlq)["QueueArn"])) << policy;
  EXPECT_TRUE(absl::StrContains(policy, "\"maxReceiveCount\":7")) << policy;
  absl::StatusOr<int> exit_code = consumer->Terminate(absl::Seconds(30));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
}

TEST_F(CoffeeConsumerCliTest, MissingQueueExitsOneWithAHint) {
  testing::Subprocess::Result result =
      Run({absl::StrCat("--broker=", server_->grpc_address()),
           absl::StrCat("--database-url=", postgres_->url())});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(result.err, "--create-queue")) << result.err;
}

// No database or broker needed: the arguments are checked first.
TEST(CoffeeConsumerArgumentsTest, BadArgumentsExitTwo) {
  for (const char* bad : {"serve", "--concurrency=0", "--concurrency=101"}) {
    absl::StatusOr<testing::Subprocess::Result> result =
        testing::RunSubprocess({COFFEE_CONSUMER_BINARY, bad});
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->exit_code, 2) << bad << ": " << result->err;
  }
}

}  // namespace
}  // namespace cortado::coffee
