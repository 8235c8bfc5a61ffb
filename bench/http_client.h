// HttpClient is cortado-bench's HTTP/1.1 client: one keep-alive TCP
// connection, blocking, TCP_NODELAY, one request in flight, one reused
// buffer. It does the least work per request that HTTP allows (no header
// map, no allocation beyond buffer growth) so that the benchmark measures
// the server, not itself. It understands Content-Length responses only,
// which is what the gateway sends.
// Thread-safety: none; one HttpClient per thread.
#ifndef CORTADO_BENCH_HTTP_CLIENT_H_
#define CORTADO_BENCH_HTTP_CLIENT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cortado::bench {

struct HttpReply {
  int status = 0;
  absl::string_view body;  // valid until the next Post()
};

class HttpClient {
 public:
  // `host_port` is "127.0.0.1:9324"; connects lazily.
  explicit HttpClient(std::string host_port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POST / with the SQS JSON protocol headers and `x-amz-target: target`.
  // Reconnects once if the kept-alive connection was closed by the server.
  absl::StatusOr<HttpReply> PostJson(absl::string_view target,
                                     absl::string_view body);

 private:
  absl::Status Connect();
  void Close();
  absl::StatusOr<HttpReply> RoundTrip(const std::string& request);

  const std::string host_port_;
  std::string host_;
  int port_ = 0;
  int fd_ = -1;
  std::string request_;
  std::string buffer_;
};

}  // namespace cortado::bench

#endif  // CORTADO_BENCH_HTTP_CLIENT_H_
