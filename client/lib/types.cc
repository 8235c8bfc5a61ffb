#include "cortado/types.h"

#include <cstdint>

#include "absl/strings/numbers.h"

namespace cortado::client {

int64_t Message::receive_count() const {
  auto it = attributes.find("ApproximateReceiveCount");
  int64_t count = 0;
  if (it == attributes.end() || !absl::SimpleAtoi(it->second, &count)) {
    return 0;
  }
  return count;
}

}  // namespace cortado::client
