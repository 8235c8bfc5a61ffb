#include "bench/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace cortado::bench {

HttpClient::HttpClient(std::string host_port)
    : host_port_(std::move(host_port)) {
  const size_t colon = host_port_.rfind(':');
  host_ = host_port_.substr(0, colon);
  if (colon != std::string::npos) {
    (void)absl::SimpleAtoi(host_port_.substr(colon + 1), &port_);
  }
}

HttpClient::~HttpClient() { Close(); }

void HttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

absl::Status HttpClient::Connect() {
  Close();
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  if (::inet_pton(AF_INET, host_.c_str(), &addr.sin_addr) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an IPv4 host:port: ", host_port_));
  }
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return absl::UnavailableError(std::strerror(errno));
  // Requests are single small writes; never let Nagle hold one back.
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    const int error = errno;
    Close();
    return absl::UnavailableError(
        absl::StrCat("connect ", host_port_, ": ", std::strerror(error)));
  }
  // Connecting to a port in the ephemeral range that nobody listens on can
  // connect the socket to itself (TCP simultaneous open) and then hold the
  // port the server wants; the probe of a restarting server must not.
  sockaddr_in local{};
  socklen_t length = sizeof(local);
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &length) == 0 &&
      local.sin_port == addr.sin_port &&
      local.sin_addr.s_addr == addr.sin_addr.s_addr) {
    Close();
    return absl::UnavailableError(
        absl::StrCat("connect ", host_port_, ": connected to itself"));
  }
  return absl::OkStatus();
}

absl::StatusOr<HttpReply> HttpClient::PostJson(absl::string_view target,
                                               absl::string_view body) {
  request_.clear();
  absl::StrAppend(&request_, "POST / HTTP/1.1\r\nHost: ", host_port_,
                  "\r\nContent-Type: application/x-amz-json-1.0\r\n"
                  "X-Amz-Target: ",
                  target, "\r\nContent-Length: ", body.size(), "\r\n\r\n",
                  body);
  for (int attempt = 0;; ++attempt) {
    if (fd_ < 0) {
      if (absl::Status s = Connect(); !s.ok()) return s;
    }
    absl::StatusOr<HttpReply> reply = RoundTrip(request_);
    // A keep-alive connection the server closed fails the first try only.
    if (reply.ok() || attempt > 0 || !absl::IsAborted(reply.status())) {
      return reply;
    }
    Close();
  }
}

absl::StatusOr<HttpReply> HttpClient::RoundTrip(const std::string& request) {
  for (size_t sent = 0; sent < request.size();) {
    const ssize_t n =
        ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return absl::AbortedError("send failed");
    sent += static_cast<size_t>(n);
  }
  buffer_.clear();
  size_t header_end = std::string::npos;
  size_t total = std::string::npos;
  int status = 0;
  char chunk[16384];
  while (total == std::string::npos || buffer_.size() < total) {
    const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Close();
      return buffer_.empty() ? absl::AbortedError("connection closed")
                             : absl::UnavailableError("truncated response");
    }
    buffer_.append(chunk, static_cast<size_t>(n));
    if (header_end == std::string::npos) {
      header_end = buffer_.find("\r\n\r\n");
      if (header_end == std::string::npos) continue;
      absl::string_view head(buffer_.data(), header_end);
      if (head.size() < 12 || !absl::SimpleAtoi(head.substr(9, 3), &status)) {
        Close();
        return absl::UnavailableError("bad status line");
      }
      size_t length = 0;
      bool found = false;
      for (size_t pos = head.find("\r\n"); pos != absl::string_view::npos;
           pos = head.find("\r\n", pos + 2)) {
        absl::string_view line = head.substr(pos + 2);
        line = line.substr(0, line.find("\r\n"));
        if (line.size() > 15 &&
            absl::EqualsIgnoreCase(line.substr(0, 15), "content-length:")) {
          found = absl::SimpleAtoi(absl::StripAsciiWhitespace(line.substr(15)),
                                   &length);
        }
      }
      if (!found) {
        Close();
        return absl::UnavailableError("response without Content-Length");
      }
      total = header_end + 4 + length;
    }
  }
  HttpReply reply;
  reply.status = status;
  reply.body = absl::string_view(buffer_).substr(header_end + 4);
  return reply;
}

}  // namespace cortado::bench
