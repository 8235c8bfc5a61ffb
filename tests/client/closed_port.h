// ClosedPort reserves a loopback TCP port on which nobody listens: the
// socket is bound but never listen()s, so connections are refused at once
// and no other process can take the port while the object lives. Tests use
// it for "server unreachable" instead of guessing a free port.
// Thread-safety: plain value; not copyable.
#ifndef CORTADO_TESTS_CLIENT_CLOSED_PORT_H_
#define CORTADO_TESTS_CLIENT_CLOSED_PORT_H_

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace cortado::testing {

class ClosedPort {
 public:
  ClosedPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof(address);
    if (fd_ >= 0 &&
        ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) ==
            0) {
      port_ = ntohs(address.sin_port);
    }
  }
  ~ClosedPort() {
    if (fd_ >= 0) ::close(fd_);
  }
  ClosedPort(const ClosedPort&) = delete;
  ClosedPort& operator=(const ClosedPort&) = delete;

  // "127.0.0.1:<port>"; the port is 0 if the reservation failed.
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace cortado::testing

#endif  // CORTADO_TESTS_CLIENT_CLOSED_PORT_H_
