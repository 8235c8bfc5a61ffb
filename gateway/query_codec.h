// The query protocol codec of both services: form / query-string parameters
// in, XML responses and errors out (shared/design/sqs-protocol.md §1.2,
// §1.4, §1.6; SNS §6). SQS and SNS write the same documents but for their
// XML namespace and SQS's <Detail/> in errors (QueryXmlDialect).
// Thread-safety: pure functions.
#ifndef CORTADO_GATEWAY_QUERY_CODEC_H_
#define CORTADO_GATEWAY_QUERY_CODEC_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/errors.h"
#include "gateway/output.h"

namespace cortado::gateway {

inline constexpr absl::string_view kXmlContentType = "text/xml";

// What differs between the services' query-protocol XML.
struct QueryXmlDialect {
  absl::string_view xml_namespace;
  // SQS ends <Error> with an empty <Detail/>; SNS writes none.
  bool error_detail;
};
inline constexpr QueryXmlDialect kSqsXml = {
    "http://queue.amazonaws.com/doc/2012-11-05/", true};
inline constexpr QueryXmlDialect kSnsXml = {
    "http://sns.amazonaws.com/doc/2010-03-31/", false};

using QueryParams = std::map<std::string, std::string>;

// Decodes application/x-www-form-urlencoded text: '+' is a space, %XX a
// byte. Errors: MalformedQueryString (bad escape).
absl::StatusOr<std::string> FormDecode(absl::string_view text);

// Parses "a=1&b=2" into `params`; later values replace earlier ones (so
// parse the query string first, then the body: the body wins). Empty
// segments are skipped; a name without '=' gets an empty value.
absl::Status ParseForm(absl::string_view text, QueryParams& params);

// Escapes XML text: & < > " and \r as &#xD; (so clients' XML parsers do not
// normalize CR away).
std::string XmlEscape(absl::string_view text);

// <?xml..?><ActionResponse xmlns=..><ActionResult>..</ActionResult>
// <ResponseMetadata><RequestId>..</RequestId></ResponseMetadata>
// </ActionResponse>. Without output (`has_output` false) there is no
// Result element; an empty one is <ActionResult/> (botocore needs it).
std::string RenderXmlResponse(const QueryXmlDialect& dialect,
                              absl::string_view action, const Output& result,
                              bool has_output, absl::string_view request_id);

// <ErrorResponse><Error><Type/><Code/><Message/>[<Detail/>]</Error>
// <RequestId/></ErrorResponse>
std::string RenderXmlError(const QueryXmlDialect& dialect,
                           const WireError& error,
                           absl::string_view request_id);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_QUERY_CODEC_H_
