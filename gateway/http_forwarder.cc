#include "gateway/http_forwarder.h"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

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

// An open connection to one owner, kept between calls. Its strand runs
// every call made on it.
struct OwnerConnection {
  explicit OwnerConnection(const net::any_io_executor& strand)
      : stream(strand) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  absl::Time idle_since;
};

// Idle keep-alive connections by owner address.
class ConnectionPool {
 public:
  // The most recently used idle connection to `address` (null: none). Ones
  // idle for longer than kMaxIdle are closed: the owner closes a connection
  // idle for its own idle timeout (75 s by default), and a call sent on a
  // connection just closed would have to be retried.
  std::unique_ptr<OwnerConnection> Take(const std::string& address,
                                        absl::Time now) {
    std::vector<std::unique_ptr<OwnerConnection>> expired;
    absl::MutexLock lock(&mu_);
    auto it = idle_.find(address);
    if (it == idle_.end()) return nullptr;
    std::vector<std::unique_ptr<OwnerConnection>>& idle = it->second;
    while (!idle.empty()) {
      std::unique_ptr<OwnerConnection> connection = std::move(idle.back());
      idle.pop_back();
      if (now - connection->idle_since < kMaxIdle) return connection;
      expired.push_back(std::move(connection));
    }
    return nullptr;
  }

  void Give(const std::string& address,
            std::unique_ptr<OwnerConnection> connection, absl::Time now) {
    connection->idle_since = now;
    absl::MutexLock lock(&mu_);
    std::vector<std::unique_ptr<OwnerConnection>>& idle = idle_[address];
    if (idle.size() < kMaxIdlePerOwner) idle.push_back(std::move(connection));
  }

 private:
  static constexpr absl::Duration kMaxIdle = absl::Seconds(30);
  // Enough for the calls one node forwards at once to one other in a busy
  // cluster; more are opened when needed and closed after their call.
  static constexpr size_t kMaxIdlePerOwner = 64;

  absl::Mutex mu_;
  absl::flat_hash_map<std::string,
                      std::vector<std::unique_ptr<OwnerConnection>>>
      idle_ ABSL_GUARDED_BY(mu_);
};

class Call final : public ForwardCall,
                   public std::enable_shared_from_this<Call> {
 public:
  Call(net::io_context& io, ConnectionPool& pool, std::atomic<uint64_t>& opened,
       const std::string& address, HttpForwarder::Done done)
      : pool_(pool),
        opened_(opened),
        address_(address),
        connection_(pool.Take(address, absl::Now())),
        reused_(connection_ != nullptr),
        done_(std::move(done)) {
    if (connection_ == nullptr) {
      connection_ = std::make_unique<OwnerConnection>(net::make_strand(io));
    }
    strand_ = connection_->stream.get_executor();
  }

  void Start(const HttpRequest& request, absl::Duration timeout) {
    request_.method_string(request.method);
    request_.target(request.target);
    request_.version(11);
    for (const auto& [name, values] : request.headers) {
      if (HopByHop(name)) continue;
      for (const std::string& value : values) request_.insert(name, value);
    }
    request_.body() = request.body;
    request_.prepare_payload();
    request_.keep_alive(true);
    deadline_ = absl::Now() + timeout;
    net::post(strand_, [self = shared_from_this()] {
      if (self->reused_) return self->Write();
      self->Connect();
    });
  }

  void Cancel() override {
    net::post(strand_, [self = shared_from_this()] {
      // Answered already: its connection may be serving another call now.
      if (!self->done_) return;
      self->cancelled_ = true;
      if (self->resolver_.has_value()) self->resolver_->cancel();
      beast::error_code ignored;
      self->connection_->stream.socket().close(ignored);
    });
  }

 private:
  // A new connection: the address is resolved unless it is numeric (the
  // nodes' own addresses are).
  void Connect() {
    opened_.fetch_add(1, std::memory_order_relaxed);
    ArmDeadline();
    const size_t colon = address_.rfind(':');
    std::string host = address_.substr(0, colon);
    const std::string port =
        colon == std::string::npos ? "80" : address_.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[') {
      host = host.substr(1, host.size() - 2);  // [::1]
    }
    beast::error_code ec;
    const net::ip::address ip = net::ip::make_address(host, ec);
    uint32_t port_number = 0;
    if (!ec && absl::SimpleAtoi(port, &port_number) && port_number <= 65535) {
      return connection_->stream.async_connect(
          tcp::endpoint(ip, static_cast<uint16_t>(port_number)),
          [self = shared_from_this()](beast::error_code ec) {
            if (ec) return self->Finish(ec, "connecting");
            self->Write();
          });
    }
    resolver_.emplace(strand_);
    resolver_->async_resolve(
        host, port,
        [self = shared_from_this()](beast::error_code ec,
                                    tcp::resolver::results_type results) {
          if (ec) return self->Finish(ec, "resolving");
          self->connection_->stream.async_connect(
              results,
              [self](beast::error_code ec,
                     const tcp::resolver::results_type::endpoint_type&) {
                if (ec) return self->Finish(ec, "connecting");
                self->Write();
              });
        });
  }

  // The stream's timers count from now to the call's one deadline.
  void ArmDeadline() {
    connection_->stream.expires_after(
        std::chrono::microseconds(std::max<int64_t>(
            0, absl::ToInt64Microseconds(deadline_ - absl::Now()))));
  }

  void Write() {
    if (cancelled_) return Finish(net::error::operation_aborted, "sending");
    ArmDeadline();
    parser_.emplace();
    parser_->body_limit(kMaxResponseBytes);
    http::async_write(
        connection_->stream, request_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec) return self->Finish(ec, "sending");
          self->Read();
        });
  }

  void Read() {
    http::async_read(connection_->stream, connection_->buffer, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->Finish(ec, "reading the answer");
                       self->Finish({}, "");
                     });
  }

  // A reused connection the owner had closed fails before any byte of an
  // answer: the owner never read the request (it closes only between
  // requests, and drops what arrives after), so it goes again, once, on a
  // new connection.
  bool RetryOnNewConnection(beast::error_code ec) {
    if (!reused_ || cancelled_ || ec == beast::error::timeout ||
        (parser_.has_value() && parser_->got_some())) {
      return false;
    }
    reused_ = false;
    connection_ = std::make_unique<OwnerConnection>(strand_);
    Connect();
    return true;
  }

  void Finish(beast::error_code ec, const char* step) {
    if (!done_) return;
    if (ec && RetryOnNewConnection(ec)) return;
    Done done = std::move(done_);
    done_ = nullptr;
    if (cancelled_) {
      CloseConnection();
      return std::move(done)(absl::CancelledError("the client went away"));
    }
    if (ec == beast::error::timeout) {
      CloseConnection();
      return std::move(done)(absl::DeadlineExceededError(
          absl::StrCat("the owner did not answer in time (", step, ")")));
    }
    if (ec) {
      CloseConnection();
      return std::move(done)(absl::UnavailableError(absl::StrCat(
          "forwarding to the owner failed while ", step, ": ", ec.message())));
    }
    http::response<http::string_body> response = parser_->release();
    if (response.keep_alive() && connection_->buffer.size() == 0) {
      connection_->stream.expires_never();
      pool_.Give(address_, std::move(connection_), absl::Now());
    } else {
      CloseConnection();
    }
    std::move(done)(ToHttpResponse(std::move(response)));
  }

  void CloseConnection() {
    beast::error_code ignored;
    connection_->stream.socket().close(ignored);
  }

  static HttpResponse ToHttpResponse(
      http::response<http::string_body> response) {
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
    return out;
  }

  using Done = HttpForwarder::Done;
  ConnectionPool& pool_;
  std::atomic<uint64_t>& opened_;
  const std::string address_;
  std::unique_ptr<OwnerConnection> connection_;  // on the strand
  bool reused_;                                  // on the strand
  net::any_io_executor strand_;
  std::optional<tcp::resolver> resolver_;  // on the strand
  absl::Time deadline_;
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
  // After the context: its connections are closed before it goes.
  ConnectionPool pool;
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
  auto call = std::make_shared<Call>(io_->context, io_->pool, opened_, address,
                                     std::move(done));
  call->Start(request, timeout);
  return call;
}

}  // namespace cortado::gateway
