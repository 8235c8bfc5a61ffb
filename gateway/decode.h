// The decode step of the AWS API pipeline (gateway/api_endpoint.h): picks
// the service and protocol of a request (SQS JSON 1.0, SQS query, SNS
// query; sqs-protocol.md §1.1, §8.11), parses its parameters and finds its
// action.
// Thread-safety: pure functions.
#ifndef CORTADO_GATEWAY_DECODE_H_
#define CORTADO_GATEWAY_DECODE_H_

#include "absl/status/status.h"
#include "gateway/api_request.h"
#include "gateway/authenticate.h"
#include "gateway/http_message.h"

namespace cortado::gateway {

// The protocol a request's headers choose between SQS's two (JSON when it
// has X-Amz-Target or a JSON content type). Errors met before the
// parameters say otherwise are answered in this protocol.
Protocol SqsProtocolOf(const HttpRequest& request);

// Fills `out` from `request`. On error, `out.protocol` and `out.spec` hold
// what was learnt before it (the protocol to answer in, the action to count
// it under). Errors: UnknownOperation / SerializationException (JSON),
// MalformedQueryString, MissingAction, InvalidAction, and
// UnknownOperationOnGet for a browser-style GET of a queue URL.
absl::Status Decode(const HttpRequest& request, const Identity& identity,
                    ApiRequest& out);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_DECODE_H_
