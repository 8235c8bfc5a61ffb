// HttpPushSender is the HttpPusher the server injects into the broker: it
// POSTs SNS messages to http/https subscription endpoints on threads of its
// own (Boost.Beast over Asio; TLS by OpenSSL with the peer's certificate and
// host name verified against the system trust store plus --https-ca-file),
// and only to addresses the allow list admits (--sns-http-allow): a
// Subscribe call otherwise lets any API user make the broker reach internal
// addresses.
//
// This first slice makes one attempt per push on a fresh connection, with
// SNS's 15-second timeout; a 2xx answer is success. Retries, the delivery
// policy and durability of pending deliveries are not here yet
// (docs/SNS_COMPATIBILITY.md).
// Thread-safety: CheckEndpoint and Push may be called from any thread; the
// destructor stops the threads (pushes still in flight are abandoned).
#ifndef CORTADO_SERVER_PUSH_HTTP_PUSH_SENDER_H_
#define CORTADO_SERVER_PUSH_HTTP_PUSH_SENDER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/core/http_push.h"
#include "server/push/endpoint_url.h"

namespace cortado::push {

struct HttpPushSenderOptions {
  AddressAllowList allow;  // default: every address
  // PEM file of extra certificate authorities for https endpoints (private
  // CAs, tests); "" for the system trust store alone.
  std::string ca_file;
  absl::Duration timeout = absl::Seconds(15);  // SNS's HTTP timeout
  int threads = 2;
  // Each push's outcome, on a sender thread (the server logs failures).
  std::function<void(const HttpPush&, const absl::Status&)> on_done;
};

class HttpPushSender : public HttpPusher {
 public:
  // Fails if the CA file cannot be loaded.
  static absl::StatusOr<std::unique_ptr<HttpPushSender>> Create(
      HttpPushSenderOptions options);
  ~HttpPushSender() override;

  HttpPushSender(const HttpPushSender&) = delete;
  HttpPushSender& operator=(const HttpPushSender&) = delete;

  absl::Status CheckEndpoint(const std::string& url) const override;
  void Push(HttpPush push) override;

  // Pushes answered 2xx, and pushes that failed, so far.
  uint64_t succeeded() const { return succeeded_.load(); }
  uint64_t failed() const { return failed_.load(); }

 private:
  struct Io;
  template <typename Stream>
  class Session;
  HttpPushSender(HttpPushSenderOptions options, std::unique_ptr<Io> io);
  void Finish(const HttpPush& push, const absl::Status& outcome);

  const HttpPushSenderOptions options_;
  std::unique_ptr<Io> io_;
  std::vector<std::thread> threads_;
  std::atomic<uint64_t> succeeded_{0};
  std::atomic<uint64_t> failed_{0};
};

}  // namespace cortado::push

#endif  // CORTADO_SERVER_PUSH_HTTP_PUSH_SENDER_H_
