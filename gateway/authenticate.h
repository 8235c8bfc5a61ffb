// The authenticate step of the AWS API pipeline (gateway/api_endpoint.h),
// shared by SQS and SNS: who signed a request, and for which service.
// Thread-safety: pure function over value types.
#ifndef CORTADO_GATEWAY_AUTHENTICATE_H_
#define CORTADO_GATEWAY_AUTHENTICATE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gateway/http_message.h"
#include "gateway/sigv4.h"

namespace cortado::gateway {

// What the request's signature says about it.
struct Identity {
  std::string access_key;  // "" when the request is unsigned
  std::string service;     // the credential scope's service: "sqs", "sns"
};

// With `credentials`, verifies the SigV4 signature at `now`; a failure is
// the SigV4 GatewayError (MissingAuthenticationToken, SignatureDoesNotMatch,
// ...), with `identity` still filled in as far as the credential was read,
// so that the error can be answered in that service's dialect. Without
// credentials the gateway is open: the identity is what the Authorization
// header claims, unchecked, and the result is always OK.
absl::Status Authenticate(const HttpRequest& request,
                          const SigV4Credentials* credentials, absl::Time now,
                          Identity& identity);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_AUTHENTICATE_H_
