// Message move tasks: dead-letter messages go back to their source queues
// (or to a destination), at a rate, cancellable, one running task per
// source, and a task survives a restart without losing or repeating a move.
#include "gmock/gmock.h"
#include "server/core/errors.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::HasSubstr;

class BrokerMoveTaskTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    ASSERT_OK(Create("cafeteria-dlq"));
    ASSERT_OK(Create(
        "cafeteria-queue",
        {{"RedrivePolicy",
          absl::StrCat("{\"deadLetterTargetArn\":\"", Arn("cafeteria-dlq"),
                       "\",\"maxReceiveCount\":1}")},
         {"VisibilityTimeout", "10"}}));
  }
  std::string Arn(const std::string& queue) { return broker_->QueueArn(queue); }
  // Sends `n` messages and dead-letters them all (maxReceiveCount=1).
  void DeadLetter(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_OK(Send("cafeteria-queue", absl::StrCat("order-", i)));
    }
    absl::StatusOr<ReceiveMessageResult> got;
    do {
      got = Receive("cafeteria-queue", 10);
      ASSERT_OK(got);
    } while (!got->messages.empty());
    Advance(absl::Seconds(10));
    got = Receive("cafeteria-queue", 10);  // moves everything
    ASSERT_OK(got);
    ASSERT_TRUE(got->messages.empty());
    ASSERT_EQ(Attribute("cafeteria-dlq", "ApproximateNumberOfMessages"),
              absl::StrCat(n));
  }
  absl::StatusOr<std::string> Start(StartMessageMoveTaskRequest request) {
    Pending<std::string> p;
    broker_->StartMessageMoveTask(std::move(request), p.callback());
    return p.Get();
  }
  absl::StatusOr<std::string> StartBack(std::optional<int32_t> rate = {}) {
    StartMessageMoveTaskRequest request;
    request.source_arn = Arn("cafeteria-dlq");
    request.max_number_of_messages_per_second = rate;
    return Start(std::move(request));
  }
  absl::StatusOr<int64_t> Cancel(const std::string& handle) {
    Pending<int64_t> p;
    broker_->CancelMessageMoveTask(handle, p.callback());
    return p.Get();
  }
  MoveTaskRecord Latest() {
    absl::StatusOr<std::vector<MoveTaskRecord>> tasks =
        broker_->ListMessageMoveTasks(Arn("cafeteria-dlq"), 1);
    if (!tasks.ok() || tasks->empty()) return {};
    return tasks->front();
  }
};

TEST_F(BrokerMoveTaskTest, MovesDeadLettersBackToTheirSource) {
  DeadLetter(3);
  absl::StatusOr<std::string> handle = StartBack();
  ASSERT_OK(handle);
  Advance(absl::ZeroDuration());
  EXPECT_EQ(Latest().status, "COMPLETED");
  EXPECT_EQ(Latest().moved, 3);
  EXPECT_EQ(Latest().to_move, 3);
  EXPECT_EQ(Attribute("cafeteria-dlq", "ApproximateNumberOfMessages"), "0");
  EXPECT_EQ(Attribute("cafeteria-queue", "ApproximateNumberOfMessages"), "3");
  // Back as new messages: received afresh, without the dead-letter source.
  absl::StatusOr<ReceiveMessageResult> got = Receive("cafeteria-queue", 1);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].attributes.at("ApproximateReceiveCount"), "1");
  EXPECT_FALSE(
      got->messages[0].attributes.contains("DeadLetterQueueSourceArn"));
}

TEST_F(BrokerMoveTaskTest, MovesToAnExplicitDestination) {
  ASSERT_OK(Create("replay"));
  DeadLetter(2);
  StartMessageMoveTaskRequest request;
  request.source_arn = Arn("cafeteria-dlq");
  request.destination_arn = Arn("replay");
  ASSERT_OK(Start(request));
  Advance(absl::ZeroDuration());
  EXPECT_EQ(Attribute("replay", "ApproximateNumberOfMessages"), "2");
  EXPECT_EQ(Latest().destination_arn, Arn("replay"));
}

TEST_F(BrokerMoveTaskTest, RateLimitMovesAQuotaPerSecond) {
  DeadLetter(5);
  ASSERT_OK(StartBack(2));
  Advance(absl::ZeroDuration());
  EXPECT_EQ(Latest().moved, 2);
  EXPECT_EQ(Latest().status, "RUNNING");
  Advance(absl::Milliseconds(999));
  EXPECT_EQ(Latest().moved, 2);
  Advance(absl::Milliseconds(1));
  EXPECT_EQ(Latest().moved, 4);
  Advance(absl::Seconds(1));
  EXPECT_EQ(Latest().moved, 5);
  EXPECT_EQ(Latest().status, "COMPLETED");
}

TEST_F(BrokerMoveTaskTest, CancelStopsTheTask) {
  DeadLetter(5);
  absl::StatusOr<std::string> handle = StartBack(2);
  ASSERT_OK(handle);
  Advance(absl::ZeroDuration());
  absl::StatusOr<int64_t> moved = Cancel(*handle);
  ASSERT_OK(moved);
  EXPECT_EQ(*moved, 2);
  Advance(absl::Seconds(5));
  EXPECT_EQ(Latest().status, "CANCELLED");
  EXPECT_EQ(Latest().moved, 2);
  EXPECT_EQ(Attribute("cafeteria-dlq", "ApproximateNumberOfMessages"), "3");
  EXPECT_EQ(GetErrorKind(Cancel(*handle).status()),
            ErrorKind::kUnsupportedOperation);
  EXPECT_EQ(GetErrorKind(Cancel("no-such-task").status()),
            ErrorKind::kResourceNotFound);
}

TEST_F(BrokerMoveTaskTest, OneRunningTaskPerSource) {
  DeadLetter(3);
  ASSERT_OK(StartBack(1));
  absl::StatusOr<std::string> second = StartBack();
  EXPECT_EQ(GetErrorKind(second.status()), ErrorKind::kUnsupportedOperation);
  EXPECT_THAT(second.status().message(), HasSubstr("already a task running"));
}

TEST_F(BrokerMoveTaskTest, ValidatesItsInput) {
  StartMessageMoveTaskRequest request;
  request.source_arn = Arn("nope");
  EXPECT_EQ(GetErrorKind(Start(request).status()),
            ErrorKind::kResourceNotFound);
  request.source_arn = Arn("cafeteria-queue");  // not a dead-letter queue
  EXPECT_EQ(GetErrorKind(Start(request).status()),
            ErrorKind::kInvalidParameterValue);
  request.source_arn = Arn("cafeteria-dlq");
  request.destination_arn = Arn("nope");
  EXPECT_EQ(GetErrorKind(Start(request).status()),
            ErrorKind::kResourceNotFound);
  request.destination_arn.clear();
  request.max_number_of_messages_per_second = 501;
  EXPECT_EQ(GetErrorKind(Start(request).status()),
            ErrorKind::kInvalidParameterValue);
  EXPECT_EQ(
      GetErrorKind(
          broker_->ListMessageMoveTasks(Arn("cafeteria-dlq"), 11).status()),
      ErrorKind::kInvalidParameterValue);
}

TEST_F(BrokerMoveTaskTest, ListsMostRecentFirstAndHidesFinishedHandles) {
  DeadLetter(1);
  absl::StatusOr<std::string> first = StartBack();
  ASSERT_OK(first);
  Advance(absl::Seconds(1));
  absl::StatusOr<std::string> second = StartBack(1);
  ASSERT_OK(second);
  absl::StatusOr<std::vector<MoveTaskRecord>> tasks =
      broker_->ListMessageMoveTasks(Arn("cafeteria-dlq"), 10);
  ASSERT_OK(tasks);
  ASSERT_EQ(tasks->size(), 2u);
  EXPECT_EQ((*tasks)[0].task_handle, *second);
  EXPECT_EQ((*tasks)[1].status, "COMPLETED");
}

TEST_F(BrokerMoveTaskTest, MessagesDeadLetteredLaterAreNotMoved) {
  DeadLetter(2);
  ASSERT_OK(StartBack(1));
  Advance(absl::ZeroDuration());  // moves order-0
  ASSERT_OK(Send("cafeteria-queue", "late"));
  ASSERT_OK(Receive("cafeteria-queue", 10));  // late and order-0
  Advance(absl::Seconds(10));                 // the task moves order-1
  ASSERT_OK(Receive("cafeteria-queue", 10));  // both dead-lettered again
  EXPECT_EQ(Attribute("cafeteria-dlq", "ApproximateNumberOfMessages"), "2");
  Advance(absl::Seconds(1));
  EXPECT_EQ(Latest().status, "COMPLETED");
  EXPECT_EQ(Latest().moved, 2);
  EXPECT_EQ(Attribute("cafeteria-dlq", "ApproximateNumberOfMessages"), "2");
}

TEST_F(BrokerMoveTaskTest, ARunningTaskResumesAfterARestart) {
  DeadLetter(5);
  ASSERT_OK(StartBack(2));
  Advance(absl::ZeroDuration());
  Restart();
  EXPECT_EQ(Latest().status, "RUNNING");
  EXPECT_EQ(Latest().moved, 2);
  Advance(absl::ZeroDuration());
  Advance(absl::Seconds(1));
  EXPECT_EQ(Latest().status, "COMPLETED");
  EXPECT_EQ(Latest().moved, 5);
  EXPECT_EQ(Attribute("cafeteria-queue", "ApproximateNumberOfMessages"), "5");
  EXPECT_EQ(Attribute("cafeteria-dlq", "ApproximateNumberOfMessages"), "0");
}

TEST_F(BrokerMoveTaskTest, FailsWhenTheSourceQueueIsGone) {
  DeadLetter(1);
  // Another source keeps cafeteria-dlq a dead-letter queue.
  ASSERT_OK(Create(
      "other", {{"RedrivePolicy", absl::StrCat("{\"deadLetterTargetArn\":\"",
                                               Arn("cafeteria-dlq"),
                                               "\",\"maxReceiveCount\":1}")}}));
  ASSERT_OK(DeleteQueue("cafeteria-queue"));
  ASSERT_OK(StartBack());
  Advance(absl::ZeroDuration());
  EXPECT_EQ(Latest().status, "FAILED");
  EXPECT_THAT(Latest().failure_reason, HasSubstr("does not exist"));
  EXPECT_EQ(Attribute("cafeteria-dlq", "ApproximateNumberOfMessages"), "1");
}

}  // namespace
}  // namespace cortado::testing
