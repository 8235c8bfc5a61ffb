#include "server/push/endpoint_url.h"

#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace cortado::push {
namespace net = boost::asio;
namespace {

// Whether `address` lies in one of `networks` (network_v4 or network_v6).
template <typename Network, typename Address>
bool InAny(const std::vector<Network>& networks, const Address& address) {
  for (const Network& network : networks) {
    if (network.network() ==
        Network(address, network.prefix_length()).network()) {
      return true;
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<EndpointUrl> ParseEndpointUrl(absl::string_view url) {
  // The URL's parts go into the POST's request line and Host header as
  // they are: a CR or LF from a Subscribe call would let an API user add
  // headers or whole requests (request splitting), and a space would break
  // the request line. A URL is printable ASCII; anything else is encoded.
  for (const char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) {
      return absl::InvalidArgumentError(
          "the URL may hold only printable ASCII characters (no spaces or "
          "control characters; percent-encode the others)");
    }
  }
  EndpointUrl out;
  const std::string lower = absl::AsciiStrToLower(url.substr(0, 8));
  if (absl::StartsWith(lower, "https://")) {
    out.https = true;
    url.remove_prefix(8);
  } else if (absl::StartsWith(lower, "http://")) {
    url.remove_prefix(7);
  } else {
    return absl::InvalidArgumentError("the URL must start with http(s)://");
  }
  url = url.substr(0, url.find('#'));
  const size_t slash = url.find_first_of("/?");
  absl::string_view authority = url.substr(0, slash);
  out.target =
      slash == absl::string_view::npos ? "/" : std::string(url.substr(slash));
  if (absl::StartsWith(out.target, "?")) out.target.insert(0, "/");
  if (absl::StrContains(authority, '@')) {
    return absl::InvalidArgumentError("the URL must not carry credentials");
  }
  out.host_header = std::string(authority);
  absl::string_view port;
  if (absl::ConsumePrefix(&authority, "[")) {  // IPv6 literal
    const size_t close = authority.find(']');
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError("unterminated [IPv6] host");
    }
    out.host = std::string(authority.substr(0, close));
    absl::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && !absl::ConsumePrefix(&rest, ":")) {
      return absl::InvalidArgumentError("bad host");
    }
    port = rest;
  } else {
    const size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != absl::string_view::npos) port = authority.substr(colon + 1);
  }
  if (out.host.empty())
    return absl::InvalidArgumentError("the URL has no host");
  int number = 0;
  // Digits only: SimpleAtoi alone would also take "+80".
  if (!port.empty() &&
      (!absl::c_all_of(port, absl::ascii_isdigit) ||
       !absl::SimpleAtoi(port, &number) || number < 1 || number > 65535)) {
    return absl::InvalidArgumentError("bad port");
  }
  out.port = port.empty() ? (out.https ? "443" : "80") : std::string(port);
  return out;
}

absl::StatusOr<AddressAllowList> AddressAllowList::Parse(
    absl::string_view list) {
  AddressAllowList out;
  for (absl::string_view item :
       absl::StrSplit(list, ',', absl::SkipWhitespace())) {
    std::string block(absl::StripAsciiWhitespace(item));
    if (!absl::StrContains(block, '/')) {
      boost::system::error_code ec;
      const net::ip::address address = net::ip::make_address(block, ec);
      if (ec) {
        return absl::InvalidArgumentError(
            absl::StrCat("not an address or CIDR block: ", block));
      }
      absl::StrAppend(&block, address.is_v4() ? "/32" : "/128");
    }
    boost::system::error_code ec;
    net::ip::network_v4 v4 = net::ip::make_network_v4(block, ec);
    if (!ec) {
      out.v4_.push_back(v4);
      continue;
    }
    net::ip::network_v6 v6 = net::ip::make_network_v6(block, ec);
    if (ec) {
      return absl::InvalidArgumentError(
          absl::StrCat("not a CIDR block: ", block));
    }
    out.v6_.push_back(v6);
  }
  return out;
}

bool AddressAllowList::Allows(const net::ip::address& address) const {
  if (allows_everything()) return true;
  net::ip::address checked = address;
  // An IPv4 address reached over IPv6 is checked as the IPv4 one.
  if (checked.is_v6() && checked.to_v6().is_v4_mapped()) {
    checked = net::ip::make_address_v4(net::ip::v4_mapped, checked.to_v6());
  }
  return checked.is_v4() ? InAny(v4_, checked.to_v4())
                         : InAny(v6_, checked.to_v6());
}

}  // namespace cortado::push
