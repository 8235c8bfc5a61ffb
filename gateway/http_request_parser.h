// The HTTP/1.1 request parser exactly as HttpServer sets it up (Beast's
// request_parser with the server's header and body limits) and the
// conversion of what it parsed into the gateway's HttpRequest. A header of
// its own so that the fuzz target (tests/fuzz/http_request_fuzzer.cc)
// drives the very parser and conversion the server uses.
// Thread-safety: a parser belongs to one connection; ToHttpRequest is pure.
#ifndef CORTADO_GATEWAY_HTTP_REQUEST_PARSER_H_
#define CORTADO_GATEWAY_HTTP_REQUEST_PARSER_H_

#include <boost/beast/http.hpp>
#include <cstddef>

#include "gateway/http_message.h"

namespace cortado::gateway {

using BeastRequest =
    boost::beast::http::request<boost::beast::http::string_body>;
using RequestParser =
    boost::beast::http::request_parser<boost::beast::http::string_body>;

// Sets the server's limits on a fresh parser: a longer body fails with
// http::error::body_limit (413), longer headers with header_limit (431).
void LimitRequestParser(RequestParser& parser, size_t max_body_bytes,
                        size_t max_header_bytes);

// Method, target and headers (names lower-cased, repeats kept); the body is
// left to the caller, which moves it out instead of copying.
HttpRequest ToHttpRequest(const BeastRequest& in);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_HTTP_REQUEST_PARSER_H_
