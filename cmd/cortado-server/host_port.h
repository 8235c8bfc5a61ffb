// "host" of a "host:port" address (IPv6 hosts keep their brackets), shared
// by both servers, which rebuild their bound addresses from it.
// Thread-safety: a pure function.
#ifndef CORTADO_SERVER_HOST_PORT_H_
#define CORTADO_SERVER_HOST_PORT_H_

#include <string>

namespace cortado {

inline std::string HostOf(const std::string& address) {
  const size_t colon = address.rfind(':');
  return colon == std::string::npos ? address : address.substr(0, colon);
}

}  // namespace cortado

#endif  // CORTADO_SERVER_HOST_PORT_H_
