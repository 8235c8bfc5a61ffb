// RawHttpClient: a deliberately small HTTP/1.1 client over a blocking TCP
// socket for the gateway tests. It sends exactly the bytes it is given (so
// tests can send garbage) and parses Content-Length responses, with a
// deadline on every read so that a server bug fails a test instead of
// hanging it.
// Thread-safety: one client per thread.
#ifndef CORTADO_TESTS_GATEWAY_RAW_HTTP_CLIENT_H_
#define CORTADO_TESTS_GATEWAY_RAW_HTTP_CLIENT_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace cortado::gateway::testing {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class RawHttpClient {
 public:
  explicit RawHttpClient(int port) : port_(port) {}
  ~RawHttpClient();
  RawHttpClient(const RawHttpClient&) = delete;
  RawHttpClient& operator=(const RawHttpClient&) = delete;

  absl::Status Connect();
  void Close();
  // Sends raw bytes (connecting first if needed).
  absl::Status SendRaw(const std::string& bytes);
  // Reads one response (status line, headers, Content-Length body). An
  // interim "100 Continue" is returned like any response.
  absl::StatusOr<RawResponse> ReadResponse(
      absl::Duration timeout = absl::Seconds(30));
  // True if the server closed the connection (reads EOF) within `timeout`.
  bool ServerClosed(absl::Duration timeout = absl::Seconds(5));

  // A whole request: method, target, extra headers, body. Adds Host and
  // Content-Length.
  absl::StatusOr<RawResponse> Request(
      const std::string& method, const std::string& target,
      const std::vector<std::pair<std::string, std::string>>& headers,
      const std::string& body, absl::Duration timeout = absl::Seconds(30));

  // An SQS JSON request (X-Amz-Target: AmazonSQS.<action>).
  absl::StatusOr<RawResponse> Json(const std::string& action,
                                   const std::string& body);
  // An SQS query request: form POST of `form` (already encoded) to `path`.
  absl::StatusOr<RawResponse> Query(const std::string& form,
                                    const std::string& path = "/");

 private:
  // Reads until `buffer_` has `n` bytes or the deadline passes.
  absl::Status Fill(size_t n, absl::Time deadline);
  absl::StatusOr<std::string> ReadLine(absl::Time deadline);

  const int port_;
  int fd_ = -1;
  std::string buffer_;
};

// Percent-encodes a form value (spaces as '+', like botocore).
std::string FormEncode(const std::string& text);

// The text of the first <tag>...</tag> in `xml` (unescaped minimally), or
// nullopt.
std::optional<std::string> XmlText(const std::string& xml,
                                   const std::string& tag);
// How many <tag> elements `xml` has.
int XmlCount(const std::string& xml, const std::string& tag);

}  // namespace cortado::gateway::testing

#endif  // CORTADO_TESTS_GATEWAY_RAW_HTTP_CLIENT_H_
