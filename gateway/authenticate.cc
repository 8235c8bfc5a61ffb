#include "gateway/authenticate.h"

#include <utility>

#include "gateway/errors.h"

namespace cortado::gateway {
namespace {

absl::Status SigV4Status(const SigV4Result& result) {
  static constexpr GatewayError kErrors[] = {
      GatewayError::kInvalidRequest,  // kNone: unused
      GatewayError::kMissingAuthenticationToken,
      GatewayError::kIncompleteSignature,
      GatewayError::kInvalidClientTokenId,
      GatewayError::kSignatureDoesNotMatch,
      GatewayError::kRequestExpired,
  };
  std::string message = result.message;
  if (message.empty() &&
      result.error == SigV4Error::kMissingAuthenticationToken) {
    message = "Request is missing Authentication Token";
  }
  return MakeGatewayError(kErrors[static_cast<int>(result.error)], message);
}

}  // namespace

absl::Status Authenticate(const HttpRequest& request,
                          const SigV4Credentials* credentials, absl::Time now,
                          Identity& identity) {
  // Errors of ParseAuthorization are ignored: the gateway is open.
  SigV4Result result = credentials != nullptr
                           ? VerifySigV4(request, *credentials, now)
                           : ParseAuthorization(request);
  identity.access_key = std::move(result.access_key);
  identity.service = std::move(result.service);
  if (credentials == nullptr || result.error == SigV4Error::kNone) {
    return absl::OkStatus();
  }
  return SigV4Status(result);
}

}  // namespace cortado::gateway
