#include "gateway/authenticate.h"

#include <utility>

#include "gateway/errors.h"
#include "gateway/query_codec.h"

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

// SNS lets anyone holding the token confirm a subscription: the endpoint
// (or a person) visits the SubscribeURL with no AWS credentials. Only an
// unsigned GET of ConfirmSubscription is let through; the action then runs
// as unsigned (ConfirmationWasAuthenticated false).
bool IsUnsignedConfirmation(const HttpRequest& request) {
  if (request.method != "GET" || request.HasHeader("authorization")) {
    return false;
  }
  QueryParams query;
  if (!ParseForm(request.Query(), query).ok()) return false;
  auto action = query.find("Action");
  return action != query.end() && action->second == "ConfirmSubscription";
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
  if (result.error == SigV4Error::kMissingAuthenticationToken &&
      IsUnsignedConfirmation(request)) {
    identity.access_key.clear();
    identity.service = "sns";
    return absl::OkStatus();
  }
  return SigV4Status(result);
}

}  // namespace cortado::gateway
