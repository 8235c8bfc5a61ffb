// The SNS side of the gateway: answers one query-protocol SNS request
// (already routed here by SqsGateway because of its SigV4 service `sns` or
// `Version=2010-03-31`) with SNS's XML response or error, in the namespace
// http://sns.amazonaws.com/doc/2010-03-31/.
// Thread-safety: DispatchSns may be called concurrently; `respond` may run
// on the broker's writer thread.
#ifndef CORTADO_GATEWAY_SNS_SNS_DISPATCHER_H_
#define CORTADO_GATEWAY_SNS_SNS_DISPATCHER_H_

#include <string>

#include "absl/status/status.h"
#include "gateway/http_message.h"
#include "gateway/query_codec.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

inline constexpr absl::string_view kSnsXmlNamespace =
    "http://sns.amazonaws.com/doc/2010-03-31/";

// Runs `action` with `params` (the decoded form) and answers through
// `respond`. Unknown actions get InvalidAction.
void DispatchSns(const SnsContext& context, const std::string& action,
                 QueryParams params, std::string request_id, Respond respond);

// An SNS <ErrorResponse> for `status`.
HttpResponse SnsErrorResponse(const absl::Status& status,
                              const std::string& request_id);

// <ActionResponse xmlns=..><ActionResult>inner</ActionResult>
// <ResponseMetadata><RequestId/></ResponseMetadata></ActionResponse>.
std::string RenderSnsResponse(absl::string_view action, absl::string_view inner,
                              bool has_output, absl::string_view request_id);

}  // namespace cortado::gateway::sns

#endif  // CORTADO_GATEWAY_SNS_SNS_DISPATCHER_H_
