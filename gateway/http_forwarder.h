// HttpForwarder sends a request on to another server and hands back its
// response: cluster mode's forwarding of a call whose partition another node
// owns (docs/CLUSTER.md). Keep-alive connections per owner are reused from
// call to call (a new TCP connection per call made a forwarded call cost
// several times a local one); the whole exchange runs on the forwarder's own
// I/O thread and has one deadline.
//
// The request goes as it came (method, target, headers, body), so a SigV4
// signature over its headers stays valid for the owner, which checks it
// again; only hop-by-hop headers (Connection, Transfer-Encoding, Expect,
// Content-Length) are rewritten.
// Thread-safety: Forward() and ForwardCall::Cancel() from any thread.
#ifndef CORTADO_GATEWAY_HTTP_FORWARDER_H_
#define CORTADO_GATEWAY_HTTP_FORWARDER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/http_message.h"

namespace cortado::gateway {

// A forwarded call in flight.
class ForwardCall {
 public:
  virtual ~ForwardCall() = default;
  // Closes the connection to the owner (the client went away): the owner
  // sees its client gone, as if it had been called directly. `done` then
  // runs with Cancelled, unless the response came first.
  virtual void Cancel() = 0;
};

class HttpForwarder {
 public:
  using Done = absl::AnyInvocable<void(absl::StatusOr<HttpResponse>) &&>;

  explicit HttpForwarder(int threads = 1);
  ~HttpForwarder();  // calls in flight end with Cancelled

  HttpForwarder(const HttpForwarder&) = delete;
  HttpForwarder& operator=(const HttpForwarder&) = delete;

  // Sends `request` to `address` ("host:port"). `done` runs once, on the
  // forwarder's thread: the owner's response (whatever its status), or
  // Unavailable when the owner could not be reached or closed the
  // connection, DeadlineExceeded after `timeout`.
  std::shared_ptr<ForwardCall> Forward(const std::string& address,
                                       const HttpRequest& request,
                                       absl::Duration timeout, Done done);

  // Requests forwarded so far (cortado_cluster_http_forwarded_total).
  uint64_t forwarded() const {
    return forwarded_.load(std::memory_order_relaxed);
  }
  // Connections opened so far (the rest of the calls reused one).
  uint64_t connections_opened() const {
    return opened_.load(std::memory_order_relaxed);
  }

 private:
  struct Io;
  std::atomic<uint64_t> forwarded_{0};
  std::atomic<uint64_t> opened_{0};
  std::unique_ptr<Io> io_;
  std::vector<std::thread> threads_;
};

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_HTTP_FORWARDER_H_
