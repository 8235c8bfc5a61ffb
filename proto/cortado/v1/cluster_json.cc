#include "cortado/v1/cluster_json.h"

#include <google/protobuf/util/json_util.h>

namespace cortado::v1 {

std::string ClusterStatusJson(const ClusterStatusResponse& status) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  // Cannot fail for a message without Any fields.
  (void)google::protobuf::util::MessageToJsonString(status, &json, options);
  return json;
}

}  // namespace cortado::v1
