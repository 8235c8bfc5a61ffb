// SigV4 verification: checks the AWS Signature Version 4 on an incoming
// request, either in the Authorization header or presigned in the query
// string (design/sqs-protocol.md §5), against a table of access key ->
// secret. Also loads that table from a file.
//
// Thread-safety: free functions over value types; safe to call concurrently.
#ifndef CORTADO_GATEWAY_SIGV4_H_
#define CORTADO_GATEWAY_SIGV4_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/http_message.h"

namespace cortado::gateway {

struct SigV4Credentials {
  std::map<std::string, std::string> secrets;  // access key -> secret
};

// What went wrong, named after the AWS error code the gateway should send
// (§5.6). kNone means verified (or, for ParseAuthorization, parseable/absent).
enum class SigV4Error {
  kNone,
  kMissingAuthenticationToken,  // no Authorization header, no presigned query
  kIncompleteSignature,         // malformed, or a required piece missing
  kInvalidClientTokenId,        // access key not in the credentials table
  kSignatureDoesNotMatch,       // wrong signature, or clock skew > 15 min
  kRequestExpired,              // presigned request past its X-Amz-Expires
};

struct SigV4Result {
  SigV4Error error = SigV4Error::kNone;
  std::string message;     // AWS-style text for the error
  std::string access_key;  // from Credential=
  std::string region;      // from the credential scope
  std::string service;     // "sqs" or "sns"
};

// Verifies header auth (`Authorization: AWS4-HMAC-SHA256 ...`) or presigned
// query auth (`X-Amz-Algorithm`, `X-Amz-Credential`, ...) at time `now`.
// Header auth needs an X-Amz-Date header (the older Date-header fallback is
// not supported). For presigned requests the payload hash may be the body's
// SHA-256 (botocore) or UNSIGNED-PAYLOAD (S3-style presigners); an
// x-amz-content-sha256 header, when sent, is used as is. The service in the
// credential scope is not checked here: the caller routes on `service`. On
// errors after the credential was parsed, access_key, region and service are
// still filled in.
SigV4Result VerifySigV4(const HttpRequest& request,
                        const SigV4Credentials& credentials, absl::Time now);

// No verification: extracts access_key/region/service from the Authorization
// header (or presigned query parameters) if present. error is kNone when
// absent or parseable, kIncompleteSignature when present but malformed.
SigV4Result ParseAuthorization(const HttpRequest& request);

// Reads a file with one credential per line, "ACCESS_KEY SECRET" or
// "ACCESS_KEY:SECRET"; blank lines and lines starting with '#' are ignored.
// Errors (InvalidArgument, or the open failure) name the file and line.
absl::StatusOr<SigV4Credentials> LoadCredentialsFile(const std::string& path);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_SIGV4_H_
