#include "tests/gateway/raw_http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"

namespace cortado::gateway::testing {

RawHttpClient::~RawHttpClient() { Close(); }

absl::Status RawHttpClient::Connect() {
  Close();
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return absl::InternalError("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port_));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    Close();
    return absl::UnavailableError(absl::StrCat("connect: ", errno));
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return absl::OkStatus();
}

void RawHttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

absl::Status RawHttpClient::SendRaw(const std::string& bytes) {
  if (fd_ < 0) {
    if (absl::Status status = Connect(); !status.ok()) return status;
  }
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n =
        ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return absl::UnavailableError(absl::StrCat("send: ", errno));
    sent += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status RawHttpClient::Fill(size_t n, absl::Time deadline) {
  char chunk[16384];
  while (buffer_.size() < n) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return absl::DeadlineExceededError("read timed out");
    }
    pollfd p{fd_, POLLIN, 0};
    int ready =
        ::poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready <= 0) continue;
    ssize_t got = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (got == 0) return absl::UnavailableError("connection closed");
    if (got < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(absl::StrCat("recv: ", errno));
    }
    buffer_.append(chunk, static_cast<size_t>(got));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RawHttpClient::ReadLine(absl::Time deadline) {
  while (true) {
    const size_t end = buffer_.find("\r\n");
    if (end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      return line;
    }
    if (absl::Status status = Fill(buffer_.size() + 1, deadline);
        !status.ok()) {
      return status;
    }
  }
}

absl::StatusOr<RawResponse> RawHttpClient::ReadResponse(
    absl::Duration timeout) {
  if (fd_ < 0) return absl::FailedPreconditionError("not connected");
  const absl::Time deadline = absl::Now() + timeout;
  absl::StatusOr<std::string> status_line = ReadLine(deadline);
  if (!status_line.ok()) return status_line.status();
  RawResponse response;
  // "HTTP/1.1 200 OK"
  if (status_line->size() < 12 ||
      !absl::SimpleAtoi(status_line->substr(9, 3), &response.status)) {
    return absl::DataLossError(absl::StrCat("bad status line: ", *status_line));
  }
  while (true) {
    absl::StatusOr<std::string> line = ReadLine(deadline);
    if (!line.ok()) return line.status();
    if (line->empty()) break;
    const size_t colon = line->find(':');
    if (colon == std::string::npos) continue;
    response.headers[absl::AsciiStrToLower(line->substr(0, colon))] =
        std::string(absl::StripAsciiWhitespace(line->substr(colon + 1)));
  }
  size_t length = 0;
  if (std::string text = response.Header("content-length"); !text.empty()) {
    absl::SimpleAtoi(text, &length);
  }
  if (absl::Status status = Fill(length, deadline); !status.ok()) return status;
  response.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  return response;
}

bool RawHttpClient::ServerClosed(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    absl::Status status = Fill(buffer_.size() + 1, deadline);
    if (absl::IsUnavailable(status)) return true;
    if (!status.ok()) return false;
    buffer_.clear();
  }
}

absl::StatusOr<RawResponse> RawHttpClient::Request(
    const std::string& method, const std::string& target,
    const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& body, absl::Duration timeout) {
  std::string request =
      absl::StrCat(method, " ", target, " HTTP/1.1\r\nHost: 127.0.0.1:", port_,
                   "\r\nContent-Length: ", body.size(), "\r\n");
  for (const auto& [name, value] : headers) {
    absl::StrAppend(&request, name, ": ", value, "\r\n");
  }
  absl::StrAppend(&request, "\r\n", body);
  if (absl::Status status = SendRaw(request); !status.ok()) return status;
  return ReadResponse(timeout);
}

absl::StatusOr<RawResponse> RawHttpClient::Json(const std::string& action,
                                                const std::string& body) {
  return Request("POST", "/",
                 {{"X-Amz-Target", absl::StrCat("AmazonSQS.", action)},
                  {"Content-Type", "application/x-amz-json-1.0"},
                  {"x-amzn-query-mode", "true"}},
                 body);
}

absl::StatusOr<RawResponse> RawHttpClient::Query(const std::string& form,
                                                 const std::string& path) {
  return Request(
      "POST", path,
      {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
      form);
}

std::string FormEncode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      absl::StrAppend(
          &out, "%",
          absl::AsciiStrToUpper(absl::StrCat(absl::Hex(c, absl::kZeroPad2))));
    }
  }
  return out;
}

std::optional<std::string> XmlText(const std::string& xml,
                                   const std::string& tag) {
  const std::string open = absl::StrCat("<", tag, ">");
  const size_t start = xml.find(open);
  if (start == std::string::npos) return std::nullopt;
  const size_t end = xml.find(absl::StrCat("</", tag, ">"), start);
  if (end == std::string::npos) return std::nullopt;
  std::string text = xml.substr(start + open.size(), end - start - open.size());
  return absl::StrReplaceAll(text, {{"&lt;", "<"},
                                    {"&gt;", ">"},
                                    {"&quot;", "\""},
                                    {"&#xD;", "\r"},
                                    {"&amp;", "&"}});
}

int XmlCount(const std::string& xml, const std::string& tag) {
  const std::string open = absl::StrCat("<", tag, ">");
  int count = 0;
  for (size_t at = xml.find(open); at != std::string::npos;
       at = xml.find(open, at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace cortado::gateway::testing
