#include "gateway/http_request_parser.h"

#include <cstdint>
#include <string>

namespace cortado::gateway {

void LimitRequestParser(RequestParser& parser, size_t max_body_bytes,
                        size_t max_header_bytes) {
  parser.body_limit(max_body_bytes);
  parser.header_limit(static_cast<std::uint32_t>(max_header_bytes));
}

HttpRequest ToHttpRequest(const BeastRequest& in) {
  HttpRequest out;
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  for (const auto& field : in) {
    out.AddHeader(std::string(field.name_string()), std::string(field.value()));
  }
  return out;
}

}  // namespace cortado::gateway
