#include "gateway/sns/sns_dispatcher.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_errors.h"

namespace cortado::gateway::sns {
namespace {

HttpResponse Base(int status, const std::string& request_id) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("x-amzn-RequestId", request_id);
  response.headers.emplace_back("Content-Type", std::string(kXmlContentType));
  return response;
}

}  // namespace

std::string RenderSnsResponse(absl::string_view action, absl::string_view inner,
                              bool has_output, absl::string_view request_id) {
  std::string out = absl::StrCat("<?xml version=\"1.0\"?><", action,
                                 "Response xmlns=\"", kSnsXmlNamespace, "\">");
  if (has_output) {
    // botocore needs the Result element even when it is empty.
    if (inner.empty()) {
      absl::StrAppend(&out, "<", action, "Result/>");
    } else {
      absl::StrAppend(&out, "<", action, "Result>", inner, "</", action,
                      "Result>");
    }
  }
  absl::StrAppend(&out, "<ResponseMetadata><RequestId>", XmlEscape(request_id),
                  "</RequestId></ResponseMetadata></", action, "Response>");
  return out;
}

HttpResponse SnsErrorResponse(const absl::Status& status,
                              const std::string& request_id) {
  const WireError error = ToSnsWireError(status);
  HttpResponse response = Base(error.http_status, request_id);
  response.headers.emplace_back("x-amzn-query-error", error.QueryErrorHeader());
  response.body = absl::StrCat(
      "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"", kSnsXmlNamespace,
      "\"><Error><Type>", error.Type(), "</Type><Code>",
      XmlEscape(error.query_code), "</Code><Message>", XmlEscape(error.message),
      "</Message></Error><RequestId>", XmlEscape(request_id),
      "</RequestId></ErrorResponse>");
  return response;
}

void DispatchSns(const SnsContext& context, const std::string& action,
                 QueryParams params, std::string request_id, Respond respond) {
  const SnsActionSpec* spec = FindSnsAction(action);
  if (spec == nullptr) {
    return std::move(respond)(SnsErrorResponse(
        MakeGatewayError(GatewayError::kInvalidAction,
                         absl::StrCat("The action ", action,
                                      " is not valid for this endpoint.")),
        request_id));
  }
  // Params is a view over the map; the map lives until the response is
  // sent, so an action may copy `params` into its broker callback.
  auto owned = std::make_shared<QueryParams>(std::move(params));
  const Params view = Params::Query(owned.get());
  spec->run(context, view,
            [owned, spec, request_id = std::move(request_id),
             respond = std::move(respond)](
                absl::StatusOr<std::string> result) mutable {
              if (!result.ok()) {
                return std::move(respond)(
                    SnsErrorResponse(result.status(), request_id));
              }
              HttpResponse response = Base(200, request_id);
              response.body = RenderSnsResponse(spec->name, *result,
                                                spec->has_output, request_id);
              std::move(respond)(std::move(response));
            });
}

}  // namespace cortado::gateway::sns
