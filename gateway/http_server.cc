#include "gateway/http_server.h"

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <limits>
#include <map>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/thread_name.h"
#include "gateway/http_request_parser.h"
#include "gateway/request_id.h"

namespace cortado::gateway {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
// Every connection runs on its own strand; naming the executor type (rather
// than beast::tcp_stream's type-erased any_io_executor) spares each handler
// a type-erased executor copy.
using Strand = net::strand<net::io_context::executor_type>;
using Socket = net::basic_stream_socket<tcp, Strand>;
using SteadyClock = std::chrono::steady_clock;

namespace {

class Session;

// State shared by the server and its sessions. Sessions hold it by
// shared_ptr, so a response posted late (e.g. by the broker) never touches
// a destroyed server: it is dropped once `stopped` is set.
struct Shared {
  HttpServerOptions options;
  HttpServer::Handler handler;
  HttpServer::ErrorHandler error_handler;
  RealClock real_clock;
  Clock* clock = nullptr;
  std::atomic<bool> stopping{false};

  absl::Mutex mu;
  bool stopped ABSL_GUARDED_BY(mu) = false;
  uint64_t next_session_id ABSL_GUARDED_BY(mu) = 1;
  std::map<uint64_t, std::weak_ptr<Session>> sessions ABSL_GUARDED_BY(mu);
};

// The Date header, formatted once per second per I/O thread rather than per
// response: time-zone formatting (cctz) was a visible cost in the profile of
// small requests (docs/PERFORMANCE.md).
const std::string& CachedHttpDate(absl::Time now) {
  thread_local int64_t cached_second = std::numeric_limits<int64_t>::min();
  thread_local std::string cached;
  const int64_t second = absl::ToUnixSeconds(now);
  if (second != cached_second) {
    cached = HttpDate(now);
    cached_second = second;
  }
  return cached;
}

class Session : public Connection,
                public ClientGoneWatch,
                public std::enable_shared_from_this<Session> {
 public:
  Session(Socket&& socket, std::shared_ptr<Shared> shared, uint64_t id)
      : stream_(std::move(socket)),
        timer_(stream_.get_executor()),
        shared_(std::move(shared)),
        id_(id) {}

  ~Session() override {
    absl::MutexLock lock(&shared_->mu);
    shared_->sessions.erase(id_);
  }

  // Runs on the strand at once when already there (a handler answering
  // synchronously, or completion work that was itself posted here), which
  // saves a second trip through the io_context; from any other thread (the
  // broker's writer) it posts.
  void Post(absl::AnyInvocable<void() &&> work) override {
    if (OnStrand()) return std::move(work)();
    // Destroyed after the lock is released: it may hold the last reference
    // to a session, whose destructor takes the same lock.
    absl::AnyInvocable<void() &&> dropped;
    absl::MutexLock lock(&shared_->mu);
    // After Stop() the io_context may be gone; the work is dropped.
    if (shared_->stopped) {
      dropped = std::move(work);
      return;
    }
    net::post(stream_.get_executor(),
              [self = shared_from_this(), work = std::move(work)]() mutable {
                std::move(work)();
              });
  }

  void Start() {
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this()] { self->ReadHeader(); });
  }

  // ClientGoneWatch, for the request in progress: runs from the handler's
  // call, on the strand. Ignored once the response is being written (the
  // handler answered during its own call): there is nothing left to end.
  void OnClientGone(absl::AnyInvocable<void() &&> callback) override {
    if (responded_) return;
    gone_callback_ = std::move(callback);
  }

  // On the strand: closes the connection if it is waiting for a request;
  // a request in progress closes after its response.
  void CloseIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;  // the socket may be closed already
      if (!self->busy_) self->stream_.cancel(ignored);
    });
  }

 private:
  void ReadHeader() {
    busy_ = false;
    if (shared_->stopping) return Close();
    parser_.emplace();
    LimitRequestParser(*parser_, shared_->options.max_body_bytes,
                       shared_->options.max_header_bytes);
    ExpireAfter(absl::ToChronoNanoseconds(shared_->options.idle_timeout));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          self->OnHeader(ec);
        });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    busy_ = true;
    auto& request = parser_->get();
    if (absl::EqualsIgnoreCase(std::string(request[http::field::expect]),
                               "100-continue")) {
      auto proceed = std::make_shared<http::response<http::empty_body>>(
          http::status::continue_, request.version());
      http::async_write(
          stream_, *proceed,
          [self = shared_from_this(), proceed](beast::error_code ec, size_t) {
            if (ec) return self->Close();
            self->ReadBody();
          });
      return;
    }
    ReadBody();
  }

  // A small request has usually arrived whole with its header: what is
  // buffered is parsed in place, and the asynchronous read (a composed
  // operation and one more trip through the strand per request) starts only
  // when bytes are still missing.
  void ReadBody() {
    while (!parser_->is_done() && buffer_.size() > 0) {
      beast::error_code ec;
      const size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == http::error::need_more) break;
      if (ec) return OnReadError(ec);
      if (used == 0) break;
    }
    if (parser_->is_done()) return OnRequest(beast::error_code());
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->OnRequest(ec);
                     });
  }

  void OnReadError(beast::error_code ec) {
    // A clean close, a timeout or a stop between requests: just close.
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof ||
        !parser_->got_some()) {
      return Close();
    }
    int status = 400;
    std::string message =
        absl::StrCat("Malformed HTTP request: ", ec.message());
    if (ec == http::error::body_limit) {
      status = 413;
      message = absl::StrCat("The request body is larger than ",
                             shared_->options.max_body_bytes, " bytes.");
    } else if (ec == http::error::header_limit) {
      status = 431;
      message = "The request headers are too large.";
    }
    HttpRequest partial;
    if (parser_->is_header_done()) partial = ToHttpRequest(parser_->get());
    HttpResponse response =
        shared_->error_handler(partial, status == 431 ? 400 : status, message);
    response.status = status;
    keep_alive_ = false;
    version_ = 11;
    Write(std::move(response));
  }

  void OnRequest(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    deadline_ = SteadyClock::time_point::max();
    http::request<http::string_body> request = parser_->release();
    keep_alive_ = request.keep_alive();
    version_ = request.version();
    HttpRequest converted = ToHttpRequest(request);
    converted.body = std::move(request.body());
    converted.client_gone = this;
    responded_ = false;
    Respond respond = [self =
                           shared_from_this()](HttpResponse response) mutable {
      Session& session = *self;
      session.Post(
          [self = std::move(self), response = std::move(response)]() mutable {
            self->Write(std::move(response));
          });
    };
    shared_->handler(std::move(converted), std::move(respond),
                     shared_from_this());
    // A response written during the handler's call (Respond on the strand
    // writes at once) has cleared the callback: nothing to watch then.
    if (gone_callback_) WatchForHangUp();
  }

  // While a parked request waits, a read tells whether the client hangs up.
  // Bytes that do arrive (a pipelined next request) are kept in buffer_ for
  // the next parse, and the watch ends: that client is still there.
  void WatchForHangUp() {
    watching_ = true;
    stream_.async_read_some(
        buffer_.prepare(kWatchBytes),
        [self = shared_from_this()](beast::error_code ec, size_t n) {
          self->OnWatchEnded(ec, n);
        });
  }

  // The watch's read ended: bytes, a hang-up, or the cancel of a response.
  // It is the only read on the socket until it ends, so a response written
  // meanwhile waits for it (after_watch_) before the connection reads on.
  // With two I/O threads, the cancelled read's completion can reach the
  // strand after the write's: a next read started then ran beside the stale
  // watch, which took the client's next request into buffer_ where nothing
  // parsed it, and the client waited forever (docs/CLUSTER.md, "forwarded
  // calls never answered").
  void OnWatchEnded(beast::error_code ec, size_t n) {
    watching_ = false;
    if (!ec) buffer_.commit(n);
    if (after_watch_ != AfterWatch::kNothing) {
      const AfterWatch next = std::exchange(after_watch_, AfterWatch::kNothing);
      return next == AfterWatch::kReadNext ? ReadHeader() : Close();
    }
    if (!ec || ec == net::error::operation_aborted) return;
    if (auto callback = std::move(gone_callback_)) {
      gone_callback_ = nullptr;
      std::move(callback)();
    }
  }

  // After a response is written: the next request, or the close.
  void AfterWrite(bool read_next) {
    if (watching_) {  // its cancelled read has not ended yet
      after_watch_ = read_next ? AfterWatch::kReadNext : AfterWatch::kClose;
      return;
    }
    read_next ? ReadHeader() : Close();
  }

  // True on the I/O thread currently running this connection's strand.
  bool OnStrand() { return stream_.get_executor().running_in_this_thread(); }

  // The idle deadline of the pending read or write: when it passes, the
  // socket's operations are cancelled (they end with operation_aborted and
  // the connection closes). One timer wait per deadline period, re-armed
  // only when it fires early, instead of beast::tcp_stream's timer armed
  // and cancelled around every read and write (docs/PERFORMANCE.md).
  void ExpireAfter(SteadyClock::duration after) {
    deadline_ = SteadyClock::now() + after;
    if (timer_armed_ && timer_at_ <= deadline_) return;
    ArmTimer();
  }

  void ArmTimer() {
    timer_armed_ = true;
    timer_at_ = deadline_;
    // Replaces a pending wait, whose handler then sees operation_aborted.
    timer_.expires_at(deadline_);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec == net::error::operation_aborted) return;  // re-armed, closed
      self->OnTimer();
    });
  }

  void OnTimer() {
    timer_armed_ = false;
    if (closed_ || deadline_ == SteadyClock::time_point::max()) return;
    if (SteadyClock::now() < deadline_) return ArmTimer();
    beast::error_code ignored;
    stream_.cancel(ignored);
  }

  // Serializes the response by hand into one header string and writes it
  // with the body as two buffers (one writev). Beast's serializer did the
  // same job through layers of buffer views and an rb-tree of fields, which
  // the profile of small SQS requests put near the top (docs/PERFORMANCE.md).
  // The wire result is what beast produced: status line with the standard
  // reason, the handler's headers in order, x-amzn-RequestId when missing,
  // Date, Content-Length, and Connection as keep-alive requires.
  void Write(HttpResponse response) {
    responded_ = true;
    gone_callback_ = nullptr;
    // Ends the hang-up watch; its handler runs (aborted) before the write's.
    beast::error_code ignored;
    if (watching_) stream_.cancel(ignored);
    struct Outgoing {
      std::string head;
      std::string body;
      bool keep_alive;
    };
    auto out = std::make_shared<Outgoing>();
    const unsigned status = static_cast<unsigned>(response.status);
    std::string& head = out->head;
    head.reserve(256);
    const beast::string_view reason =
        http::obsolete_reason(static_cast<http::status>(status));
    absl::StrAppend(&head, version_ == 10 ? "HTTP/1.0 " : "HTTP/1.1 ", status,
                    " ", absl::string_view(reason.data(), reason.size()),
                    "\r\n");
    bool has_request_id = false;
    for (const auto& [name, value] : response.headers) {
      // Never let a value break the header block (response splitting).
      if (name.find_first_of("\r\n:") != std::string::npos ||
          value.find_first_of("\r\n") != std::string::npos) {
        continue;
      }
      if (absl::EqualsIgnoreCase(name, "x-amzn-RequestId")) {
        has_request_id = true;
      }
      absl::StrAppend(&head, name, ": ", value, "\r\n");
    }
    if (!has_request_id) {
      absl::StrAppend(&head, "x-amzn-RequestId: ", NewRequestId(), "\r\n");
    }
    absl::StrAppend(&head, "Date: ", CachedHttpDate(shared_->clock->Now()),
                    "\r\n");
    // 1xx, 204 and 304 responses carry no body and no Content-Length.
    const bool bodiless = status < 200 || status == 204 || status == 304;
    if (bodiless) {
      response.body.clear();
    } else {
      absl::StrAppend(&head, "Content-Length: ", response.body.size(), "\r\n");
    }
    out->keep_alive = keep_alive_ && !shared_->stopping;
    if (version_ == 10 && out->keep_alive) {
      head.append("Connection: keep-alive\r\n");
    } else if (version_ != 10 && !out->keep_alive) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    out->body = std::move(response.body);
    ExpireAfter(absl::ToChronoNanoseconds(shared_->options.idle_timeout));
    const std::array<net::const_buffer, 2> buffers = {net::buffer(out->head),
                                                      net::buffer(out->body)};
    net::async_write(
        stream_, buffers,
        [self = shared_from_this(), out](beast::error_code ec, size_t) {
          self->AfterWrite(!ec && out->keep_alive);
        });
  }

  // Half-closes, then drains what the peer still sends (briefly) so that
  // the last response is not lost to a reset.
  void Close() {
    beast::error_code ignored;
    stream_.shutdown(tcp::socket::shutdown_send, ignored);
    ExpireAfter(std::chrono::seconds(1));
    auto scratch = std::make_shared<std::array<char, 4096>>();
    Drain(scratch);
  }

  void Drain(std::shared_ptr<std::array<char, 4096>> scratch) {
    stream_.async_read_some(
        net::buffer(*scratch),
        [self = shared_from_this(), scratch](beast::error_code ec, size_t) {
          if (ec) {
            beast::error_code ignored;
            self->stream_.close(ignored);
            self->closed_ = true;
            self->timer_.cancel();
            return;
          }
          self->Drain(scratch);
        });
  }

  Socket stream_;
  net::steady_timer timer_;  // the idle deadline's (strand only)
  SteadyClock::time_point deadline_ = SteadyClock::time_point::max();
  SteadyClock::time_point timer_at_;  // when the pending wait ends
  bool timer_armed_ = false;
  bool closed_ = false;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  const std::shared_ptr<Shared> shared_;
  const uint64_t id_;
  // How much a hang-up watch reads at most (kept for the next request).
  static constexpr size_t kWatchBytes = 4096;

  bool busy_ = false;      // a request is being handled (strand only)
  bool watching_ = false;  // a hang-up watch read is pending (strand only)
  // What a written response left to do once the watch's read ends.
  enum class AfterWatch { kNothing, kReadNext, kClose };
  AfterWatch after_watch_ = AfterWatch::kNothing;  // strand only
  // The current request's response is being written (strand only).
  bool responded_ = false;
  absl::AnyInvocable<void() &&> gone_callback_;  // strand only
  bool keep_alive_ = true;
  unsigned version_ = 11;
};

}  // namespace

std::string HttpDate(absl::Time time) {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", time,
                          absl::UTCTimeZone());
}

struct HttpServer::Impl {
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  net::io_context io{1};
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::string host;
  int port = 0;
  bool started = false;
  bool stopped = false;

  void Accept() {
    acceptor->async_accept(
        net::make_strand(io), [this](beast::error_code ec, Socket socket) {
          if (ec) {
            if (!acceptor->is_open() || shared->stopping) return;
            return Accept();  // e.g. too many open files: keep serving
          }
          uint64_t id;
          std::shared_ptr<Session> session;
          {
            absl::MutexLock lock(&shared->mu);
            id = shared->next_session_id++;
          }
          session = std::make_shared<Session>(std::move(socket), shared, id);
          {
            absl::MutexLock lock(&shared->mu);
            shared->sessions[id] = session;
          }
          session->Start();
          Accept();
        });
  }
};

HttpServer::HttpServer(HttpServerOptions options, Handler handler,
                       ErrorHandler error_handler)
    : impl_(std::make_unique<Impl>()) {
  Shared& shared = *impl_->shared;
  shared.options = std::move(options);
  shared.handler = std::move(handler);
  shared.error_handler = std::move(error_handler);
  shared.clock = shared.options.clock != nullptr ? shared.options.clock
                                                 : &shared.real_clock;
}

HttpServer::~HttpServer() { Stop(); }

absl::Status HttpServer::Start() {
  const std::string& address = impl_->shared->options.address;
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad HTTP address \"", address, "\" (want HOST:PORT)"));
  }
  std::string host = address.substr(0, colon);
  std::string bare_host = host;
  if (bare_host.size() >= 2 && bare_host.front() == '[') {
    bare_host = bare_host.substr(1, bare_host.size() - 2);
  }
  beast::error_code ec;
  tcp::resolver resolver(impl_->io);
  auto endpoints = resolver.resolve(bare_host, std::to_string(port), ec);
  if (ec || endpoints.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot resolve HTTP host \"", host, "\": ", ec.message()));
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  tcp::acceptor& acceptor = impl_->acceptor.emplace(impl_->io);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("cannot listen for HTTP on ",
                                               address, ": ", ec.message()));
  }
  impl_->host = host;
  impl_->port = acceptor.local_endpoint().port();
  impl_->Accept();
  const int threads = std::max(1, impl_->shared->options.io_threads);
  for (int i = 0; i < threads; ++i) {
    impl_->threads.emplace_back([this, i] {
      SetThreadName(absl::StrCat("cortado-http-", i));
      impl_->io.run();
    });
  }
  impl_->started = true;
  return absl::OkStatus();
}

int HttpServer::port() const { return impl_->port; }

std::string HttpServer::address() const {
  return absl::StrCat(impl_->host, ":", impl_->port);
}

void HttpServer::Stop(absl::Duration grace) {
  if (impl_->stopped) return;
  impl_->stopped = true;
  Shared& shared = *impl_->shared;
  shared.stopping = true;
  if (impl_->started) {
    net::post(impl_->io, [this] {
      beast::error_code ignored;
      impl_->acceptor->close(ignored);
    });
    std::vector<std::shared_ptr<Session>> live;
    {
      absl::MutexLock lock(&shared.mu);
      for (auto& [id, weak] : shared.sessions) {
        if (auto session = weak.lock()) live.push_back(std::move(session));
      }
    }
    for (auto& session : live) session->CloseIfIdle();
    live.clear();
    {
      absl::MutexLock lock(&shared.mu);
      shared.mu.AwaitWithTimeout(
          absl::Condition(
              +[](std::map<uint64_t, std::weak_ptr<Session>>* sessions) {
                return sessions->empty();
              },
              &shared.sessions),
          grace);
      shared.stopped = true;
    }
    impl_->io.stop();
    for (std::thread& thread : impl_->threads) thread.join();
    impl_->threads.clear();
  } else {
    absl::MutexLock lock(&shared.mu);
    shared.stopped = true;
  }
}

}  // namespace cortado::gateway
