// The real cortado-server binary: ready file, graceful SIGTERM with a parked
// long poll, and exit status 2 for bad flags.
#include "tests/testing/server_process.h"

#include <future>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/grpc_server_fixture.h"
#include "tests/testing/status_matchers.h"

namespace cortado::integration {
namespace {

using ::cortado::testing::ServerProcess;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// Starts the binary with one extra argument.
absl::StatusOr<std::unique_ptr<ServerProcess>> StartWith(
    const std::string& argument) {
  ServerProcess::Options options;
  options.extra_args = {argument};
  return ServerProcess::Start(std::move(options));
}

TEST(ServerProcessTest, SigtermAnswersParkedLongPollAndExitsZero) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> process =
      ServerProcess::Start({});
  ASSERT_OK(process);
  EXPECT_THAT((*process)->grpc_address(), HasSubstr("127.0.0.1:"));
  EXPECT_FALSE((*process)->http_address().empty());
  std::unique_ptr<v1::Queues::Stub> stub =
      v1::Queues::NewStub(NewChannel((*process)->grpc_address()));
  for (const char* name : {"sigterm", "probe"}) {
    v1::CreateQueueRequest create;
    create.set_queue_name(name);
    v1::CreateQueueResponse created;
    grpc::Status status =
        stub->CreateQueue(NewContext().get(), create, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  std::unique_ptr<PendingReceive> receive =
      StartReceive(*stub, "sigterm", /*wait_seconds=*/20);
  std::future<grpc::Status> done = receive->status.get_future();
  // A write sent after the poll on the same connection goes through the
  // broker's writer after it, so by its answer the poll is parked.
  v1::SendMessageRequest probe;
  probe.set_queue_name("probe");
  probe.mutable_message()->set_body("probe");
  v1::SendMessageResponse probed;
  ASSERT_TRUE(stub->SendMessage(NewContext().get(), probe, &probed).ok());
  ASSERT_EQ(done.wait_for(std::chrono::milliseconds(0)),
            std::future_status::timeout)
      << "the long poll ended before SIGTERM";

  const absl::Time terminated = absl::Now();
  EXPECT_OK((*process)->Terminate(absl::Seconds(20)));
  ASSERT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  grpc::Status status = done.get();
  EXPECT_TRUE(status.ok()) << status.error_code() << " "
                           << status.error_message();
  EXPECT_THAT(receive->response.messages(), SizeIs(0));
  EXPECT_LT(receive->finished - terminated, absl::Seconds(5));
}

TEST(ServerProcessTest, UnknownFlagExitsWithStatusTwo) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> process =
      StartWith("--no-such-flag=1");
  ASSERT_FALSE(process.ok());
  EXPECT_THAT(process.status().message(), HasSubstr("exit code 2"));
  EXPECT_THAT(process.status().message(), HasSubstr("no-such-flag"));
}

TEST(ServerProcessTest, UnknownStorageExitsWithStatusTwo) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> process =
      StartWith("--storage=floppy");
  ASSERT_FALSE(process.ok());
  EXPECT_THAT(process.status().message(), HasSubstr("exit code 2"));
  EXPECT_THAT(process.status().message(), HasSubstr("--storage"));
}

TEST(ServerProcessTest, BadLogLevelExitsWithStatusTwo) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> process =
      StartWith("--log-level=loud");
  ASSERT_FALSE(process.ok());
  EXPECT_THAT(process.status().message(), HasSubstr("exit code 2"));
}

}  // namespace
}  // namespace cortado::integration
