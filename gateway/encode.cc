#include "gateway/encode.h"

#include <utility>

#include "gateway/errors.h"
#include "gateway/json_codec.h"
#include "gateway/query_codec.h"
#include "gateway/sns/sns_errors.h"

namespace cortado::gateway {
namespace {

HttpResponse Base(Protocol protocol, int status,
                  const std::string& request_id) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("x-amzn-RequestId", request_id);
  response.headers.emplace_back(
      "Content-Type",
      std::string(protocol == Protocol::kSqsJson ? kJsonContentType
                                                 : kXmlContentType));
  return response;
}

const QueryXmlDialect& DialectOf(Protocol protocol) {
  return protocol == Protocol::kSnsQuery ? kSnsXml : kSqsXml;
}

// Each service's error table.
WireError ToProtocolError(Protocol protocol, const absl::Status& status) {
  switch (protocol) {
    case Protocol::kSqsJson:
      return ToWireError(status, /*json=*/true);
    case Protocol::kSqsQuery:
      return ToWireError(status, /*json=*/false);
    case Protocol::kSnsQuery:
      return sns::ToSnsWireError(status);
  }
  return ToWireError(status, /*json=*/false);
}

std::string ErrorName(const WireError& error) {
  absl::string_view type = error.json_type;
  const size_t hash = type.rfind('#');
  if (hash != absl::string_view::npos)
    return std::string(type.substr(hash + 1));
  return error.query_code;
}

}  // namespace

HttpResponse EncodeOutput(Protocol protocol, const ActionSpec& spec,
                          const Output& output, const std::string& request_id) {
  HttpResponse response = Base(protocol, 200, request_id);
  response.body = protocol == Protocol::kSqsJson
                      ? RenderJson(output)
                      : RenderXmlResponse(DialectOf(protocol), spec.name,
                                          output, spec.has_output, request_id);
  return response;
}

EncodedError EncodeError(Protocol protocol, const absl::Status& status,
                         const std::string& request_id) {
  const WireError error = ToProtocolError(protocol, status);
  EncodedError out{Base(protocol, error.http_status, request_id),
                   ErrorName(error)};
  if (IsGatewayError(status, GatewayError::kUnknownOperationOnGet)) {
    // What SQS answers a browser: no error document, no error header.
    out.response.body = "<UnknownOperationException/>";
    return out;
  }
  out.response.headers.emplace_back("x-amzn-query-error",
                                    error.QueryErrorHeader());
  out.response.body =
      protocol == Protocol::kSqsJson
          ? RenderJsonError(error)
          : RenderXmlError(DialectOf(protocol), error, request_id);
  return out;
}

}  // namespace cortado::gateway
