// SNS subscription endpoints: a Subscribe call's Endpoint (an API user's
// bytes) and the --sns-http-allow list. An endpoint that parses must be
// usable as it is in a POST: a host, a port of digits in 1..65535, a target
// starting with '/', and no byte that could split the request line or the
// Host header (CR, LF, space, control characters).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "boost/asio/ip/address.hpp"
#include "server/push/endpoint_url.h"

namespace {

bool Printable(const std::string& text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<cortado::push::EndpointUrl> url =
      cortado::push::ParseEndpointUrl(text);
  if (url.ok()) {
    int port = 0;
    if (url->host.empty() || !absl::SimpleAtoi(url->port, &port) || port < 1 ||
        port > 65535 || url->target.empty() || url->target.front() != '/' ||
        !Printable(url->host) || !Printable(url->port) ||
        !Printable(url->target) || !Printable(url->host_header)) {
      abort();
    }
  }
  absl::StatusOr<cortado::push::AddressAllowList> allow =
      cortado::push::AddressAllowList::Parse(text);
  if (allow.ok()) {
    (void)allow->Allows(boost::asio::ip::make_address_v4("127.0.0.1"));
    (void)allow->Allows(boost::asio::ip::make_address_v6("::1"));
  }
  return 0;
}
