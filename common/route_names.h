// The queue or topic a request is about, from the names clients send: the
// resource of an SQS or SNS ARN, the source queue inside a message move
// task's handle. Cluster mode routes a call by it (docs/CLUSTER.md), the
// HTTP gateway (gateway/route_key.h) and the gRPC services alike.
// Thread-safety: pure functions.
#ifndef CORTADO_COMMON_ROUTE_NAMES_H_
#define CORTADO_COMMON_ROUTE_NAMES_H_

#include <string>

#include "absl/strings/string_view.h"

namespace cortado {

// The resource name in an SQS or SNS ARN (its sixth field), or "".
// arn:aws:sqs:region:account:name, arn:aws:sns:region:account:topic[:id]
std::string NameInArn(absl::string_view arn);

// The source queue of a move task handle (base64 of
// {"taskId":"...","sourceArn":"..."}), or "" when it is not one.
std::string NameInTaskHandle(absl::string_view handle);

}  // namespace cortado

#endif  // CORTADO_COMMON_ROUTE_NAMES_H_
