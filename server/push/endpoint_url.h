// The parts of an HTTP(S) subscription endpoint that a POST needs, and the
// address ranges the broker may POST to (--sns-http-allow).
// Thread-safety: value types and pure functions; AddressAllowList is
// immutable after Parse.
#ifndef CORTADO_SERVER_PUSH_ENDPOINT_URL_H_
#define CORTADO_SERVER_PUSH_ENDPOINT_URL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "boost/asio/ip/address.hpp"
#include "boost/asio/ip/network_v4.hpp"
#include "boost/asio/ip/network_v6.hpp"

namespace cortado::push {

struct EndpointUrl {
  bool https = false;
  std::string host;         // without brackets for IPv6 literals
  std::string port;         // "80"/"443" when the URL names none
  std::string target;       // path and query, at least "/"
  std::string host_header;  // host[:port] as the URL wrote it
};

// Parses "http://host[:port][/path][?query]" (https too). No user info, no
// fragment kept; InvalidArgument with the reason otherwise.
absl::StatusOr<EndpointUrl> ParseEndpointUrl(absl::string_view url);

class AddressAllowList {
 public:
  // Everything allowed.
  AddressAllowList() = default;
  // A comma-separated list of CIDR blocks ("127.0.0.0/8,10.1.0.0/16,::1/128")
  // or single addresses; "" allows everything.
  static absl::StatusOr<AddressAllowList> Parse(absl::string_view list);

  bool allows_everything() const { return v4_.empty() && v6_.empty(); }
  bool Allows(const boost::asio::ip::address& address) const;

 private:
  std::vector<boost::asio::ip::network_v4> v4_;
  std::vector<boost::asio::ip::network_v6> v6_;
};

}  // namespace cortado::push

#endif  // CORTADO_SERVER_PUSH_ENDPOINT_URL_H_
