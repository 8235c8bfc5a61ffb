// Request ids: the x-amzn-RequestId every HTTP response carries, whichever
// service (SQS, SNS, /metrics) or layer (the HTTP server's own 400s)
// answers it.
// Thread-safety: NewRequestId may be called from any thread (each thread
// has its own generator).
#ifndef CORTADO_GATEWAY_REQUEST_ID_H_
#define CORTADO_GATEWAY_REQUEST_ID_H_

#include <string>

namespace cortado::gateway {

// A random UUID (v4, common/uuid.h), lower-case, e.g.
// "3f1c2b9a-8d4e-4f7a-9b1c-0a2b3c4d5e6f".
std::string NewRequestId();

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_REQUEST_ID_H_
