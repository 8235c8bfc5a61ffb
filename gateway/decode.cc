#include "gateway/decode.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/errors.h"
#include "gateway/json_codec.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway {
namespace {

constexpr absl::string_view kSnsVersion = "2010-03-31";

// The queue named by a "/<account>/<queue>" path, or "".
std::string QueueFromPath(const std::string& path) {
  std::vector<std::string> segments =
      absl::StrSplit(path, '/', absl::SkipEmpty());
  if (segments.size() < 2) return "";
  absl::StatusOr<std::string> name = FormDecode(segments.back());
  return name.ok() ? *name : "";
}

absl::Status InvalidAction(absl::string_view action) {
  return MakeGatewayError(
      GatewayError::kInvalidAction,
      absl::StrCat("The action ", action, " is not valid for this endpoint."));
}

absl::Status UnknownOperation(absl::string_view target) {
  return MakeGatewayError(GatewayError::kUnknownOperation,
                          absl::StrCat("Unknown operation ", target, "."));
}

// JSON 1.0: the action from X-Amz-Target, the parameters from the body.
absl::Status DecodeJson(const HttpRequest& request, ApiRequest& out) {
  const std::string target = request.Header("x-amz-target");
  constexpr absl::string_view kPrefix = "AmazonSQS.";
  // Cortado's own actions (docs/CONSOLE.md) carry their own prefix, so no
  // AWS client mistakes one for SQS's.
  constexpr absl::string_view kCortadoPeek = "Cortado.PeekMessages";
  std::string action;
  if (target == kCortadoPeek) {
    action = "PeekMessages";
  } else if (absl::StartsWith(target, kPrefix)) {
    action = target.substr(kPrefix.size());
  } else {
    return UnknownOperation(target.empty() ? "(none)" : target);
  }
  absl::StatusOr<JsonValue> parsed = ParseJsonRequest(request.body);
  if (!parsed.ok()) return parsed.status();
  out.json = *std::move(parsed);
  out.spec = FindAction(action);
  if (out.spec == nullptr) return UnknownOperation(action);
  return absl::OkStatus();
}

// Query string, then a form body (which wins).
absl::Status ParseQueryParams(const HttpRequest& request, QueryParams& query) {
  if (absl::Status status = ParseForm(request.Query(), query); !status.ok()) {
    return status;
  }
  const std::string type =
      absl::AsciiStrToLower(request.Header("content-type"));
  if (!request.body.empty() &&
      (type.empty() ||
       absl::StrContains(type, "application/x-www-form-urlencoded"))) {
    return ParseForm(request.body, query);
  }
  return absl::OkStatus();
}

bool IsSnsRequest(const Identity& identity, const QueryParams& query) {
  // SNS shares the port; its actions overlap SQS's names, so the
  // credential scope / Version decides (sqs-protocol.md §8.11).
  if (identity.service == "sns") return true;
  auto version = query.find("Version");
  return version != query.end() && version->second == kSnsVersion;
}

absl::Status DecodeQuery(const HttpRequest& request, const Identity& identity,
                         ApiRequest& out) {
  if (absl::Status status = ParseQueryParams(request, out.query);
      !status.ok()) {
    return status;
  }
  out.queue_from_path = QueueFromPath(request.Path());
  auto found = out.query.find("Action");
  if (found == out.query.end() || found->second.empty()) {
    if (request.method == "GET" && !out.queue_from_path.empty()) {
      return MakeGatewayError(GatewayError::kUnknownOperationOnGet, "");
    }
    return MakeGatewayError(GatewayError::kMissingAction,
                            "No action specified.");
  }
  const std::string& action = found->second;
  if (IsSnsRequest(identity, out.query)) {
    out.protocol = Protocol::kSnsQuery;
    out.spec = sns::FindSnsAction(action);
    return out.spec == nullptr ? InvalidAction(action) : absl::OkStatus();
  }
  out.spec = FindAction(action);
  if (out.spec == nullptr) return InvalidAction(action);
  // Actions about no queue in particular are not valid on a queue's URL.
  if (!out.queue_from_path.empty() &&
      (out.spec->name == "CreateQueue" || out.spec->name == "ListQueues" ||
       out.spec->name == "GetQueueUrl")) {
    return InvalidAction(out.spec->name);
  }
  return absl::OkStatus();
}

}  // namespace

Protocol SqsProtocolOf(const HttpRequest& request) {
  if (request.HasHeader("x-amz-target")) return Protocol::kSqsJson;
  const std::string type =
      absl::AsciiStrToLower(request.Header("content-type"));
  return absl::StartsWith(type, "application/x-amz-json-1.0") ||
                 absl::StartsWith(type, "application/x-amz-json-1.1")
             ? Protocol::kSqsJson
             : Protocol::kSqsQuery;
}

absl::Status Decode(const HttpRequest& request, const Identity& identity,
                    ApiRequest& out) {
  out.protocol = SqsProtocolOf(request);
  return out.protocol == Protocol::kSqsJson
             ? DecodeJson(request, out)
             : DecodeQuery(request, identity, out);
}

}  // namespace cortado::gateway
