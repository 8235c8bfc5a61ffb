// HttpServer: an asynchronous HTTP/1.1 server on Boost.Beast/Asio for the
// gateway; it knows no service and hands every request to its Handler. A
// small fixed pool of io threads serves every connection; a request being
// handled (e.g. a parked 20-second long poll) holds no thread: the handler
// answers later through its Respond, from any thread, and the response is
// posted to the connection's strand (or written at once when Respond is
// called on it). The handler also gets the request's Connection, to move
// its own completion work onto that strand.
//
// Per connection: keep-alive, Content-Length and chunked request bodies,
// "Expect: 100-continue", header and body size limits, an idle timeout
// between requests, one request at a time (no pipelining of responses).
// Every response gets a `Date` (from the Clock, RFC 7231) and an
// `x-amzn-RequestId` (unless the handler set one). Malformed HTTP is
// answered 400 (413 for an oversized body) and the connection closed.
//
// Thread-safety: Start/Stop from one controlling thread; port()/address()
// are safe once Start() returned OK.
#ifndef CORTADO_GATEWAY_HTTP_SERVER_H_
#define CORTADO_GATEWAY_HTTP_SERVER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gateway/http_message.h"
#include "server/core/clock.h"

namespace cortado::gateway {

struct HttpServerOptions {
  std::string address = "127.0.0.1:9324";  // host:port; port 0 = any free
  int io_threads = 2;
  // A 1 MiB SendMessageBatch grows up to ~3x when form-encoded and 6x as
  // botocore's ASCII-only JSON; 8 MiB keeps those legal.
  size_t max_body_bytes = 8 * 1024 * 1024;
  size_t max_header_bytes = 64 * 1024;
  // How long a connection may sit idle between requests (or trickle one
  // request in) before it is closed.
  absl::Duration idle_timeout = absl::Seconds(75);
  Clock* clock = nullptr;  // null: the real clock
};

class HttpServer {
 public:
  using Handler =
      std::function<void(HttpRequest, Respond, std::shared_ptr<Connection>)>;
  // Builds the response for a request rejected by the HTTP layer; `partial`
  // holds whatever headers were read. `status` is 400 or 413.
  using ErrorHandler = std::function<HttpResponse(
      const HttpRequest& partial, int status, const std::string& message)>;

  HttpServer(HttpServerOptions options, Handler handler,
             ErrorHandler error_handler);
  ~HttpServer();  // Stop()

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts the io threads.
  absl::Status Start();
  // The bound port (the real one when 0 was asked) and "host:port".
  int port() const;
  std::string address() const;

  // Stops accepting, closes idle connections, gives requests in progress
  // up to `grace` to be answered, then closes everything and joins the io
  // threads. Idempotent.
  void Stop(absl::Duration grace = absl::Seconds(2));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// RFC 7231 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string HttpDate(absl::Time time);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_HTTP_SERVER_H_
