// The AWS JSON 1.0 protocol codec: request bodies in, response and error
// bodies out (shared/design/sqs-protocol.md §1.3, §1.5, §1.6).
// Thread-safety: pure functions.
#ifndef CORTADO_GATEWAY_JSON_CODEC_H_
#define CORTADO_GATEWAY_JSON_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/json.h"
#include "gateway/errors.h"
#include "gateway/output.h"

namespace cortado::gateway {

inline constexpr absl::string_view kJsonContentType =
    "application/x-amz-json-1.0";

// Parses a request body: one JSON object (an empty body counts as {}).
// \uD83D\uDE00 surrogate pairs become one code point. Errors:
// SerializationException.
absl::StatusOr<JsonValue> ParseJsonRequest(absl::string_view body);

// Renders an Output tree as JSON.
std::string RenderJson(const Output& output);

// {"__type":"...","message":"..."}
std::string RenderJsonError(const WireError& error);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_JSON_CODEC_H_
