// The rpc layer's one error table (server/rpc/status_mapping.h).
#include "server/rpc/status_mapping.h"

#include <grpcpp/server_context.h>

#include "gtest/gtest.h"
#include "server/core/errors.h"

namespace cortado::rpc {
namespace {

TEST(StatusMappingTest, MapsKindsToSpecificCodes) {
  EXPECT_EQ(GrpcCodeForKind(ErrorKind::kQueueDoesNotExist),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(GrpcCodeForKind(ErrorKind::kQueueNameExists),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(GrpcCodeForKind(ErrorKind::kInvalidAttributeValue),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(GrpcCodeForKind(ErrorKind::kInvalidParameterValue),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(GrpcCodeForKind(ErrorKind::kReceiptHandleIsInvalid),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(GrpcCodeForKind(ErrorKind::kOverLimit),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(GrpcCodeForKind(ErrorKind::kPurgeQueueInProgress),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(GrpcCodeForKind(ErrorKind::kStoreFailed),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(GrpcCodeForKind(ErrorKind::kShuttingDown),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(GrpcCodeForKind(ErrorKind::kInternal), grpc::StatusCode::INTERNAL);
  // SNS kinds (topics).
  EXPECT_EQ(GrpcCodeForKind(ErrorKind::kNotFound), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(GrpcCodeForKind(ErrorKind::kInvalidParameter),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(GrpcCodeForKind(ErrorKind::kAuthorizationError),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST(StatusMappingTest, EveryNamedKindHasACodeOtherThanUnknown) {
  for (int i = static_cast<int>(ErrorKind::kQueueDoesNotExist);
       i <= static_cast<int>(ErrorKind::kInternal); ++i) {
    const ErrorKind kind = static_cast<ErrorKind>(i);
    EXPECT_NE(GrpcCodeForKind(kind), grpc::StatusCode::UNKNOWN)
        << ErrorKindName(kind);
    EXPECT_NE(GrpcCodeForKind(kind), grpc::StatusCode::OK)
        << ErrorKindName(kind);
  }
}

TEST(StatusMappingTest, KeepsTheCoreMessage) {
  grpc::Status status =
      ToGrpcStatus(QueueDoesNotExistError(), /*context=*/nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "The specified queue does not exist.");
}

TEST(StatusMappingTest, OkStaysOkAndPlainErrorsKeepTheirCode) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus(), nullptr).ok());
  grpc::Status status =
      ToGrpcStatus(absl::DeadlineExceededError("slow"), nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(status.error_message(), "slow");
}

}  // namespace
}  // namespace cortado::rpc
