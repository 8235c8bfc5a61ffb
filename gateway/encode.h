// The encode step of the AWS API pipeline (gateway/api_endpoint.h): an
// action's Output, or an error, as the HTTP response in the request's own
// protocol (sqs-protocol.md §1.4-§1.6, SNS §6.2). Every response carries
// x-amzn-RequestId and its Content-Type; errors also x-amzn-query-error.
// Thread-safety: pure functions.
#ifndef CORTADO_GATEWAY_ENCODE_H_
#define CORTADO_GATEWAY_ENCODE_H_

#include <string>

#include "absl/status/status.h"
#include "gateway/actions/action.h"
#include "gateway/api_request.h"
#include "gateway/http_message.h"
#include "gateway/output.h"

namespace cortado::gateway {

// The 200 response of action `spec` with its `output`.
HttpResponse EncodeOutput(Protocol protocol, const ActionSpec& spec,
                          const Output& output, const std::string& request_id);

// A failed request's response, and the name /metrics counts it under: the
// shape of its JSON __type ("QueueDoesNotExist", the same in both SQS
// protocols), else its query code (all of SNS's).
struct EncodedError {
  HttpResponse response;
  std::string name;
};
EncodedError EncodeError(Protocol protocol, const absl::Status& status,
                         const std::string& request_id);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_ENCODE_H_
