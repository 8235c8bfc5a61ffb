#include "client/lib/grpc_status.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "cortado/errors.h"

namespace cortado::client::internal {

absl::Status FromGrpcStatus(const grpc::Status& status,
                            const grpc::ClientContext& context,
                            absl::string_view rpc, absl::string_view target,
                            bool cancelled_by_caller) {
  if (status.ok()) return absl::OkStatus();
  // abseil numbers its codes exactly like gRPC.
  auto code = static_cast<absl::StatusCode>(status.error_code());
  std::string name;
  const auto& trailers = context.GetServerTrailingMetadata();
  if (auto it = trailers.find(
          grpc::string_ref(kErrorNameTrailer.data(), kErrorNameTrailer.size()));
      it != trailers.end()) {
    name.assign(it->second.data(), it->second.size());
  }
  if (!name.empty()) {
    // The broker's own words already say what went wrong.
    return WithErrorName(absl::Status(code, status.error_message()), name);
  }
  std::string message = status.error_message();
  if (code == absl::StatusCode::kCancelled) {
    if (cancelled_by_caller) {
      return absl::CancelledError(absl::StrCat(rpc, " cancelled"));
    }
    return absl::UnavailableError(
        absl::StrCat(rpc, " to ", target, ": the server cancelled the call (",
                     message.empty() ? "no reason given" : message, ")"));
  }
  if (message.empty()) message = absl::StatusCodeToString(code);
  return absl::Status(code, absl::StrCat(rpc, " to ", target, ": ", message));
}

}  // namespace cortado::client::internal
