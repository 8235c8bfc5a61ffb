#include "gateway/request_id.h"

#include "common/uuid.h"

namespace cortado::gateway {

std::string NewRequestId() { return RandomUuid(); }

}  // namespace cortado::gateway
