// HttpEndpoint: a real HTTP/1.1 server on 127.0.0.1:0 that stands for an
// SNS subscriber in tests. It records every request (method, target,
// headers, body) and answers each with the status the test chose. One I/O
// thread (Boost.Asio); a request is read and answered on it, one at a time.
// Thread-safety: every public method may be called from any thread.
#ifndef CORTADO_TESTS_TESTING_HTTP_ENDPOINT_H_
#define CORTADO_TESTS_TESTING_HTTP_ENDPOINT_H_

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "tests/testing/poll.h"

namespace cortado::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class HttpEndpoint {
 public:
  HttpEndpoint()
      : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    Accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~HttpEndpoint() {
    boost::asio::post(io_, [this] { acceptor_.close(); });
    io_.stop();
    thread_.join();
  }
  HttpEndpoint(const HttpEndpoint&) = delete;
  HttpEndpoint& operator=(const HttpEndpoint&) = delete;

  int port() const { return acceptor_.local_endpoint().port(); }
  // "http://127.0.0.1:<port><path>".
  std::string Url(const std::string& path = "/") const {
    return absl::StrCat("http://127.0.0.1:", port(), path);
  }

  // The status every later request is answered with (200 at first).
  void AnswerWith(int status) {
    absl::MutexLock lock(&mu_);
    status_ = status;
  }

  std::vector<ReceivedRequest> Requests() const {
    absl::MutexLock lock(&mu_);
    return requests_;
  }
  // Waits (up to `timeout`) until `n` requests have arrived; then returns
  // all of them.
  std::vector<ReceivedRequest> WaitForRequests(
      size_t n, absl::Duration timeout = absl::Seconds(10)) const {
    PollUntil([&] { return Requests().size() >= n; }, timeout);
    return Requests();
  }

 private:
  void Accept() {
    acceptor_.async_accept([this](boost::system::error_code ec,
                                  boost::asio::ip::tcp::socket socket) {
      if (ec) return;  // closed
      Serve(std::move(socket));
      Accept();
    });
  }

  // Serves one connection's requests until the peer closes it.
  void Serve(boost::asio::ip::tcp::socket socket) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> request;
      boost::beast::error_code ec;
      http::read(socket, buffer, request, ec);
      if (ec) return;
      ReceivedRequest received;
      received.method = std::string(request.method_string());
      received.target = std::string(request.target());
      for (const auto& field : request) {
        received
            .headers[absl::AsciiStrToLower(std::string(field.name_string()))] =
            std::string(field.value());
      }
      received.body = request.body();
      int status;
      {
        absl::MutexLock lock(&mu_);
        requests_.push_back(std::move(received));
        status = status_;
      }
      http::response<http::string_body> response{
          static_cast<http::status>(status), 11};
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      http::write(socket, response, ec);
      if (ec || !request.keep_alive()) return;
    }
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
  mutable absl::Mutex mu_;
  std::vector<ReceivedRequest> requests_ ABSL_GUARDED_BY(mu_);
  int status_ ABSL_GUARDED_BY(mu_) = 200;
};

}  // namespace cortado::testing

#endif  // CORTADO_TESTS_TESTING_HTTP_ENDPOINT_H_
