#include "server/cluster/partitioning.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cortado::cluster {

int32_t PartitionOf(absl::string_view name, int32_t partitions) {
  uint64_t hash = 14695981039346656037ull;  // FNV-1a 64 offset basis
  for (const char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;  // FNV-1a 64 prime
  }
  return static_cast<int32_t>(hash % static_cast<uint64_t>(partitions));
}

std::string SessionName(absl::string_view node_id, absl::string_view what) {
  return what.empty() ? absl::StrCat("cortado ", node_id)
                      : absl::StrCat("cortado ", node_id, " ", what);
}

std::string PartitionSchema(absl::string_view control_schema,
                            int32_t partition) {
  return absl::StrFormat("%s_p%04d", control_schema, partition);
}

}  // namespace cortado::cluster
