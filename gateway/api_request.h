// ApiRequest: one AWS API call as the decode step leaves it (which service
// and wire protocol, which action, its parameters), for the action and the
// encode step of the pipeline (gateway/api_endpoint.h).
// Thread-safety: value type.
#ifndef CORTADO_GATEWAY_API_REQUEST_H_
#define CORTADO_GATEWAY_API_REQUEST_H_

#include <string>

#include "common/json.h"
#include "gateway/actions/action.h"
#include "gateway/params.h"
#include "gateway/query_codec.h"

namespace cortado::gateway {

// The service and wire protocol a request speaks; its answer, errors
// included, is written the same way.
enum class Protocol {
  kSqsJson,   // AWS JSON 1.0 (X-Amz-Target: AmazonSQS.<Action>)
  kSqsQuery,  // form parameters, XML answers
  kSnsQuery,  // the same for SNS, in SNS's XML dialect
};

inline Api ApiOf(Protocol protocol) {
  return protocol == Protocol::kSnsQuery ? Api::kSns : Api::kSqs;
}

struct ApiRequest {
  Protocol protocol = Protocol::kSqsQuery;
  // The action, once known (null while unknown, and for unknown names).
  const ActionSpec* spec = nullptr;
  JsonValue json;     // kSqsJson: the body
  QueryParams query;  // query protocols: query string and form body
  // SQS query: the queue named by a "/<account>/<queue>" path, or "".
  std::string queue_from_path;

  // A view over json or query: valid while this request lives.
  Params params() const {
    return protocol == Protocol::kSqsJson ? Params::Json(&json)
                                          : Params::Query(&query);
  }
};

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_API_REQUEST_H_
