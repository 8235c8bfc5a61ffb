// `cortado cluster status [--json]`: what the node at --server sees of its
// cluster (docs/CLUSTER.md), from its cortado.v1.Cluster service. --json
// prints the node's answer as it is (the same JSON as its GET /cluster);
// the text form gives each node one line with the count and ranges of the
// partitions it owns, then the unowned ones.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/cli/commands.h"
#include "cortado/v1/cluster.grpc.pb.h"
#include "cortado/v1/cluster_json.h"

namespace cortado::cli {
namespace {

constexpr auto kDeadline = std::chrono::seconds(10);

// "0-5,9,12-20" for sorted partitions.
std::string Ranges(const std::vector<int32_t>& sorted) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
    parts.push_back(j == i ? absl::StrCat(sorted[i])
                           : absl::StrCat(sorted[i], "-", sorted[j]));
    i = j + 1;
  }
  return absl::StrJoin(parts, ",");
}

std::string Owned(const std::vector<int32_t>& partitions) {
  if (partitions.empty()) return "0";
  return absl::StrCat(partitions.size(), " (", Ranges(partitions), ")");
}

void PrintText(std::ostream& out, const v1::ClusterStatusResponse& status) {
  std::map<std::string, std::vector<int32_t>> by_owner;
  for (const v1::PartitionOwnership& row : status.ownership()) {
    by_owner[row.owner()].push_back(row.partition());
  }
  out << absl::StrFormat(
      "answered by %s: %d nodes, %d partitions, lease TTL %gs\n",
      status.answered_by(), status.nodes_size(), status.partitions(),
      status.lease_ttl_seconds());
  out << absl::StrFormat("%-20s %-6s %-8s %-8s %-22s %-22s %s\n", "NODE",
                         "ALIVE", "LEAVING", "SILENT", "GRPC", "HTTP",
                         "PARTITIONS");
  for (const v1::ClusterMember& node : status.nodes()) {
    out << absl::StrFormat(
        "%-20s %-6s %-8s %-8s %-22s %-22s %s\n", node.node_id(),
        node.alive() ? "yes" : "no", node.leaving() ? "yes" : "no",
        absl::StrFormat("%.1fs", node.silent_seconds()), node.grpc_addr(),
        node.http_addr(), Owned(by_owner[node.node_id()]));
    by_owner.erase(node.node_id());
  }
  // Owners that are no longer members (they left; claimed at the next
  // round), then the partitions nobody owns.
  for (const auto& [owner, partitions] : by_owner) {
    if (owner.empty()) continue;
    out << "owned by " << owner << " (not a member): " << Owned(partitions)
        << "\n";
  }
  out << "unowned: " << Owned(by_owner[""]) << "\n";
}

absl::Status Status(CommandContext& context) {
  auto stub = v1::Cluster::NewStub(grpc::CreateChannel(
      context.server(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext call;
  call.set_deadline(std::chrono::system_clock::now() + kDeadline);
  v1::ClusterStatusResponse status;
  const grpc::Status result =
      stub->Status(&call, v1::ClusterStatusRequest(), &status);
  if (!result.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(result.error_code()),
                        result.error_message());
  }
  if (context.json()) {
    context.out() << v1::ClusterStatusJson(status) << "\n";
  } else {
    PrintText(context.out(), status);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunClusterCommand(CommandContext& context, const Args& args) {
  const std::vector<std::string>& words = args.positional();
  if (words.size() > 1 && words[1] == "status") {
    if (absl::Status usage =
            CheckUsage(args, Usage{"cluster status", "", {}, 2, 2});
        !usage.ok()) {
      return usage;
    }
    return Status(context);
  }
  return UsageError("usage: cortado cluster status [--json]");
}

}  // namespace cortado::cli
