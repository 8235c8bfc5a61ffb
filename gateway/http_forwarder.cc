#include "gateway/http_forwarder.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace cortado::gateway {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// Responses from another Cortado node: as large as any it sends (a receive
// of 10 messages of 256 KiB, JSON-escaped) with room to spare.
constexpr uint64_t kMaxResponseBytes = 64ull << 20;

bool HopByHop(const std::string& name) {
  return name == "connection" || name == "transfer-encoding" ||
         name == "expect" || name == "content-length" || name == "keep-alive" ||
         name == "te" || name == "upgrade";
}

class Call final : public ForwardCall,
                   public std::enable_shared_from_this<Call> {
 public:
  Call(net::io_context& io, HttpForwarder::Done done)
      : resolver_(net::make_strand(io)),
        stream_(resolver_.get_executor()),
        done_(std::move(done)) {}

  void Start(const std::string& address, const HttpRequest& request,
             absl::Duration timeout) {
    const size_t colon = address.rfind(':');
    std::string host = address.substr(0, colon);
    const std::string port =
        colon == std::string::npos ? "80" : address.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[') {
      host = host.substr(1, host.size() - 2);  // [::1]
    }
    request_.method_string(request.method);
    request_.target(request.target);
    request_.version(11);
    for (const auto& [name, values] : request.headers) {
      if (HopByHop(name)) continue;
      for (const std::string& value : values) request_.insert(name, value);
    }
    request_.body() = request.body;
    request_.prepare_payload();
    request_.keep_alive(false);
    parser_.emplace();
    parser_->body_limit(kMaxResponseBytes);
    stream_.expires_after(
        std::chrono::microseconds(absl::ToInt64Microseconds(timeout)));
    net::post(stream_.get_executor(), [self = shared_from_this(), host, port] {
      self->resolver_.async_resolve(
          host, port,
          [self](beast::error_code ec, tcp::resolver::results_type results) {
            if (ec) return self->Finish(ec, "resolving");
            self->stream_.async_connect(
                results,
                [self](beast::error_code ec,
                       const tcp::resolver::results_type::endpoint_type&) {
                  if (ec) return self->Finish(ec, "connecting");
                  self->Write();
                });
          });
    });
  }

  void Cancel() override {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      self->cancelled_ = true;
      self->resolver_.cancel();
      beast::error_code ignored;
      self->stream_.socket().close(ignored);
    });
  }

 private:
  void Write() {
    http::async_write(
        stream_, request_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec) return self->Finish(ec, "sending");
          self->Read();
        });
  }

  void Read() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->Finish(ec, "reading the answer");
                       self->Finish({}, "");
                     });
  }

  void Finish(beast::error_code ec, const char* step) {
    if (!done_) return;
    Done done = std::move(done_);
    done_ = nullptr;
    beast::error_code ignored;
    stream_.socket().close(ignored);
    if (cancelled_) {
      return std::move(done)(absl::CancelledError("the client went away"));
    }
    if (ec == beast::error::timeout) {
      return std::move(done)(absl::DeadlineExceededError(
          absl::StrCat("the owner did not answer in time (", step, ")")));
    }
    if (ec) {
      return std::move(done)(absl::UnavailableError(absl::StrCat(
          "forwarding to the owner failed while ", step, ": ", ec.message())));
    }
    http::response<http::string_body> response = parser_->release();
    HttpResponse out;
    out.status = static_cast<int>(response.result_int());
    for (const auto& field : response) {
      const std::string name(field.name_string());
      const std::string lower = absl::AsciiStrToLower(name);
      // The local server writes its own Date (and keeps the owner's
      // request id, which the handler's headers carry).
      if (HopByHop(lower) || lower == "date") continue;
      out.headers.emplace_back(name, std::string(field.value()));
    }
    out.body = std::move(response.body());
    std::move(done)(std::move(out));
  }

  using Done = HttpForwarder::Done;
  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::optional<http::response_parser<http::string_body>> parser_;
  Done done_;
  bool cancelled_ = false;  // on the strand
};

}  // namespace

struct HttpForwarder::Io {
  net::io_context context;
  net::executor_work_guard<net::io_context::executor_type> work =
      net::make_work_guard(context);
};

HttpForwarder::HttpForwarder(int threads) : io_(std::make_unique<Io>()) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] { io_->context.run(); });
  }
}

HttpForwarder::~HttpForwarder() {
  io_->work.reset();
  io_->context.stop();
  for (std::thread& thread : threads_) thread.join();
}

std::shared_ptr<ForwardCall> HttpForwarder::Forward(const std::string& address,
                                                    const HttpRequest& request,
                                                    absl::Duration timeout,
                                                    Done done) {
  forwarded_.fetch_add(1, std::memory_order_relaxed);
  auto call = std::make_shared<Call>(io_->context, std::move(done));
  call->Start(address, request, timeout);
  return call;
}

}  // namespace cortado::gateway
