// The canonical pieces of a SigV4 request (sqs-protocol.md §5.3): URI and
// query encoding, canonical URI, query string and headers. Internal to
// gateway/sigv4.cc; a header of its own so the signing logic and the
// string rules can be read (and tested) apart.
// Thread-safety: pure functions.
#ifndef CORTADO_GATEWAY_SIGV4_CANONICAL_H_
#define CORTADO_GATEWAY_SIGV4_CANONICAL_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "gateway/http_message.h"

namespace cortado::gateway::sigv4_internal {

// RFC 3986 encoding as SigV4 wants it: unreserved bytes kept, everything
// else (optionally except '/') as upper-case %XX.
std::string UriEncode(absl::string_view in, bool keep_slash);

// Decoded (name, value) pairs of a raw query string, in order ('+' is a
// space; a malformed escape is kept literally).
std::vector<std::pair<std::string, std::string>> ParseQuery(
    absl::string_view query);

// Raw path -> canonical URI (dot and empty segments removed, then encoded).
std::string CanonicalUri(absl::string_view raw_path);

// Sorted, encoded name=value pairs; without X-Amz-Signature when
// `drop_signature` (presigned requests).
std::string CanonicalQueryString(absl::string_view raw_query,
                                 bool drop_signature);

// "name:value1,value2\n" for each signed header name (lower-case), values
// trimmed with inner whitespace runs collapsed.
std::string CanonicalHeaders(const HttpRequest& request,
                             const std::vector<std::string>& names);

}  // namespace cortado::gateway::sigv4_internal

#endif  // CORTADO_GATEWAY_SIGV4_CANONICAL_H_
