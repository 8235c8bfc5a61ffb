#include "cortado/errors.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/cord.h"

namespace cortado::client {

std::string ErrorName(const absl::Status& status) {
  auto name = status.GetPayload(kErrorNamePayloadUrl);
  return name ? std::string(*name) : std::string();
}

absl::Status WithErrorName(absl::Status status, absl::string_view name) {
  if (!status.ok() && !name.empty()) {
    status.SetPayload(kErrorNamePayloadUrl, absl::Cord(name));
  }
  return status;
}

}  // namespace cortado::client
