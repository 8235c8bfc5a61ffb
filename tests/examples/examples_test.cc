// Runs every program of examples/ as a user would, against a real
// cortado-server process, and checks what it did through the client library.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "cortado/client.h"
#include "gtest/gtest.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/subprocess.h"

namespace cortado::examples {
namespace {

using ::cortado::testing::ServerProcess;
using ::cortado::testing::Subprocess;

constexpr absl::Duration kTimeout = absl::Seconds(60);

class ExamplesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        ServerProcess::Start({});
    ASSERT_OK(server.status());
    server_ = std::move(*server);
    absl::StatusOr<std::unique_ptr<client::Client>> client =
        client::Client::Connect(server_->grpc_address());
    ASSERT_OK(client.status());
    client_ = std::move(*client);
  }

  Subprocess::Result Run(std::vector<std::string> argv) {
    absl::StatusOr<std::unique_ptr<Subprocess>> process =
        Subprocess::Start(argv);
    EXPECT_OK(process.status());
    if (!process.ok()) return {};
    return (*process)->Finish(kTimeout);
  }

  // The messages left in `queue`, as ApproximateNumberOfMessages counts them
  // (visible) plus those in flight.
  int64_t MessagesIn(const std::string& queue) {
    absl::StatusOr<client::StringMap> attributes =
        client_->GetQueueAttributes(queue);
    EXPECT_OK(attributes.status());
    if (!attributes.ok()) return -1;
    return std::stoll(attributes->at("ApproximateNumberOfMessages")) +
           std::stoll(attributes->at("ApproximateNumberOfMessagesNotVisible"));
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<client::Client> client_;
};

TEST_F(ExamplesTest, QuickstartSendsAndConsumesOneOrder) {
  Subprocess::Result result = Run({QUICKSTART_BINARY, server_->grpc_address()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "handled Latte|2025-02-26 10:30:00\n");
  // The consumer deleted the message after its handler returned OK.
  EXPECT_EQ(MessagesIn("orders"), 0);
}

TEST_F(ExamplesTest, StreamsPublishesAndConsumesEveryMessage) {
  Subprocess::Result result =
      Run({STREAMS_BINARY, server_->grpc_address(), "500"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "published 500\nconsumed 500\n");
  // Nothing more is asserted about the queue afterwards: acks are committed
  // in the background and the example's exit cancels the stream, so an ack
  // still in flight then is dropped and its message comes back (delivery is
  // at least once, cortado/stream_consumer.h).
}

TEST_F(ExamplesTest, CafeteriaProducerSendsTheTutorialsOrders) {
  ASSERT_OK(client_->CreateQueue("cafeteria-queue").status());
  Subprocess::Result result =
      Run({CAFETERIA_PRODUCER_BINARY, "--server=" + server_->grpc_address(),
           "Latte|2025-02-26 10:30:00", "Cappuccino"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> lines =
      absl::StrSplit(result.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << result.out;
  EXPECT_TRUE(absl::EndsWith(lines[0], " Latte|2025-02-26 10:30:00"));

  client::ReceiveOptions options;
  options.max_messages = 10;
  options.wait = absl::Seconds(5);
  std::vector<std::string> bodies;
  while (bodies.size() < 2) {
    absl::StatusOr<std::vector<client::Message>> got =
        client_->ReceiveMessage("cafeteria-queue", options);
    ASSERT_OK(got.status());
    ASSERT_FALSE(got->empty()) << "an order was not sent";
    for (const client::Message& m : *got) bodies.push_back(m.body);
  }
  std::sort(bodies.begin(), bodies.end());
  EXPECT_TRUE(absl::StartsWith(bodies[0], "Cappuccino|20")) << bodies[0];
  EXPECT_EQ(bodies[0].size(),
            std::string("Cappuccino|2025-02-26 10:30:00").size());
  EXPECT_EQ(bodies[1], "Latte|2025-02-26 10:30:00");
}

TEST_F(ExamplesTest, CafeteriaProducerRefusesAMalformedOrder) {
  ASSERT_OK(client_->CreateQueue("cafeteria-queue").status());
  Subprocess::Result result =
      Run({CAFETERIA_PRODUCER_BINARY, "--server=" + server_->grpc_address(),
           "Latte|yesterday"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(result.err, "Latte|yesterday")) << result.err;
  EXPECT_EQ(MessagesIn("cafeteria-queue"), 0);
}

TEST_F(ExamplesTest, CafeteriaProducerReportsAMissingQueue) {
  Subprocess::Result result =
      Run({CAFETERIA_PRODUCER_BINARY, "--server=" + server_->grpc_address(),
           "--queue=no-such-queue", "Latte"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(result.err, "QueueDoesNotExist")) << result.err;
}

}  // namespace
}  // namespace cortado::examples
