#include "server/push/http_push_sender.h"

#include <openssl/ssl.h>

#include <chrono>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl.hpp"
#include "boost/asio/strand.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/beast/ssl.hpp"

namespace cortado::push {
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

// An endpoint's answer is read only for its status; a huge one is cut off.
constexpr size_t kMaxAnswerBytes = 1 << 20;

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

http::request<http::string_body> MakeRequest(const HttpPush& push,
                                             const EndpointUrl& url) {
  http::request<http::string_body> request{http::verb::post, url.target, 11};
  request.set(http::field::host, url.host_header);
  request.set(http::field::user_agent,
              "Amazon Simple Notification Service Agent");
  request.set(http::field::content_type, "text/plain; charset=UTF-8");
  request.set("x-amz-sns-message-type", push.message_type);
  request.set("x-amz-sns-message-id", push.message_id);
  request.set("x-amz-sns-topic-arn", push.topic_arn);
  if (!push.subscription_arn.empty()) {
    request.set("x-amz-sns-subscription-arn", push.subscription_arn);
  }
  if (push.raw) request.set("x-amz-sns-rawdelivery", "true");
  request.keep_alive(false);
  request.body() = push.body;
  request.prepare_payload();
  return request;
}

absl::Status StepFailed(const char* step, const beast::error_code& ec) {
  if (ec == beast::error::timeout) {
    return absl::DeadlineExceededError(
        absl::StrCat("no answer in time (", step, ")"));
  }
  return absl::UnavailableError(absl::StrCat(step, " failed: ", ec.message()));
}

bool IsAddressLiteral(const std::string& host) {
  boost::system::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

struct HttpPushSender::Io {
  net::io_context context;
  net::executor_work_guard<net::io_context::executor_type> work{
      context.get_executor()};
  ssl::context tls{ssl::context::tls_client};
};

// One POST: resolve, keep the allowed addresses, connect, (TLS handshake),
// write, read the status; the whole exchange under one deadline.
template <typename Stream>
class HttpPushSender::Session
    : public std::enable_shared_from_this<Session<Stream>> {
 public:
  template <typename... StreamArgs>
  Session(HttpPushSender* sender, HttpPush push, EndpointUrl url,
          StreamArgs&&... stream_args)
      : sender_(sender),
        push_(std::move(push)),
        url_(std::move(url)),
        stream_(std::forward<StreamArgs>(stream_args)...),
        resolver_(beast::get_lowest_layer(stream_).get_executor()),
        request_(MakeRequest(push_, url_)) {}

  void Start() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::microseconds(
        absl::ToInt64Microseconds(sender_->options_.timeout)));
    resolver_.async_resolve(
        url_.host, url_.port,
        [self = this->shared_from_this()](beast::error_code ec,
                                          tcp::resolver::results_type results) {
          self->OnResolved(ec, std::move(results));
        });
  }

 private:
  void OnResolved(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) return Finish(StepFailed("resolving the host", ec));
    std::vector<tcp::endpoint> allowed;
    for (const auto& entry : results) {
      if (sender_->options_.allow.Allows(entry.endpoint().address())) {
        allowed.push_back(entry.endpoint());
      }
    }
    if (allowed.empty()) {
      return Finish(absl::PermissionDeniedError(absl::StrCat(
          url_.host, " resolves to no address that --sns-http-allow admits")));
    }
    beast::get_lowest_layer(stream_).async_connect(
        allowed, [self = this->shared_from_this()](beast::error_code ec,
                                                   const tcp::endpoint&) {
          if (ec) return self->Finish(StepFailed("connecting", ec));
          self->OnConnected();
        });
  }

  void OnConnected() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      // SNI for names (not for address literals), and the certificate
      // must name the host the URL names.
      if (!IsAddressLiteral(url_.host)) {
        SSL_set_tlsext_host_name(stream_.native_handle(), url_.host.c_str());
      }
      stream_.set_verify_callback(ssl::host_name_verification(url_.host));
      stream_.async_handshake(
          ssl::stream_base::client,
          [self = this->shared_from_this()](beast::error_code ec) {
            if (ec) return self->Finish(StepFailed("the TLS handshake", ec));
            self->Write();
          });
    } else {
      Write();
    }
  }

  void Write() {
    http::async_write(
        stream_, request_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) {
          if (ec) return self->Finish(StepFailed("sending", ec));
          self->Read();
        });
  }

  void Read() {
    parser_.body_limit(kMaxAnswerBytes);
    http::async_read(
        stream_, buffer_, parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) {
          if (ec) return self->Finish(StepFailed("reading the answer", ec));
          const unsigned status = self->parser_.get().result_int();
          if (status >= 200 && status < 300) {
            return self->Finish(absl::OkStatus());
          }
          self->Finish(absl::UnavailableError(
              absl::StrCat("the endpoint answered HTTP ", status)));
        });
  }

  void Finish(const absl::Status& outcome) {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
    sender_->Finish(push_, outcome);
  }

  HttpPushSender* const sender_;
  const HttpPush push_;
  const EndpointUrl url_;
  Stream stream_;
  tcp::resolver resolver_;
  http::request<http::string_body> request_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
};

absl::StatusOr<std::unique_ptr<HttpPushSender>> HttpPushSender::Create(
    HttpPushSenderOptions options) {
  auto io = std::make_unique<Io>();
  io->tls.set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  io->tls.set_default_verify_paths(ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("loading the system trust store: ", ec.message()));
  }
  if (!options.ca_file.empty()) {
    io->tls.load_verify_file(options.ca_file, ec);
    if (ec) {
      return absl::InvalidArgumentError(absl::StrCat(
          "cannot load --https-ca-file ", options.ca_file, ": ", ec.message()));
    }
  }
  return std::unique_ptr<HttpPushSender>(
      new HttpPushSender(std::move(options), std::move(io)));
}

HttpPushSender::HttpPushSender(HttpPushSenderOptions options,
                               std::unique_ptr<Io> io)
    : options_(std::move(options)), io_(std::move(io)) {
  for (int i = 0; i < std::max(1, options_.threads); ++i) {
    threads_.emplace_back([this] { io_->context.run(); });
  }
}

HttpPushSender::~HttpPushSender() {
  io_->work.reset();
  io_->context.stop();
  for (std::thread& thread : threads_) thread.join();
}

absl::Status HttpPushSender::CheckEndpoint(const std::string& url) const {
  absl::StatusOr<EndpointUrl> parsed = ParseEndpointUrl(url);
  if (!parsed.ok()) return parsed.status();
  boost::system::error_code ec;
  const net::ip::address address = net::ip::make_address(parsed->host, ec);
  if (!ec && !options_.allow.Allows(address)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "the broker may not POST to ", parsed->host, " (--sns-http-allow)"));
  }
  return absl::OkStatus();
}

void HttpPushSender::Push(HttpPush push) {
  absl::StatusOr<EndpointUrl> url = ParseEndpointUrl(push.url);
  if (!url.ok()) return Finish(push, url.status());
  auto strand = net::make_strand(io_->context);
  if (url->https) {
    std::make_shared<Session<TlsStream>>(this, std::move(push), *std::move(url),
                                         strand, io_->tls)
        ->Start();
  } else {
    std::make_shared<Session<beast::tcp_stream>>(this, std::move(push),
                                                 *std::move(url), strand)
        ->Start();
  }
}

void HttpPushSender::Finish(const HttpPush& push, const absl::Status& outcome) {
  (outcome.ok() ? succeeded_ : failed_).fetch_add(1);
  if (options_.on_done) options_.on_done(push, outcome);
}

}  // namespace cortado::push
