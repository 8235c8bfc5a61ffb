// HttpRequest / HttpResponse: the gateway's view of one HTTP exchange,
// independent of the HTTP library. Header names are matched
// case-insensitively (stored lower-case).
// Thread-safety: value types.
#ifndef CORTADO_GATEWAY_HTTP_MESSAGE_H_
#define CORTADO_GATEWAY_HTTP_MESSAGE_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

namespace cortado::gateway {

// Lets a handler that parks a request (a long poll) learn that the client
// closed its connection before the response, so that the parked work can be
// ended instead of swallowing a message nobody will read.
class ClientGoneWatch {
 public:
  virtual ~ClientGoneWatch() = default;
  // Runs `callback` once, on an I/O thread, if the client goes away before
  // the response is written; never after the response. Call only from
  // within the handler's own call (before it returns), at most once.
  virtual void OnClientGone(absl::AnyInvocable<void() &&> callback) = 0;
};

struct HttpRequest {
  std::string method;  // "POST", "GET", ...
  std::string target;  // raw request target: path plus "?query", undecoded
  // Lower-case name -> values in arrival order (repeated headers kept).
  std::map<std::string, std::vector<std::string>> headers;
  std::string body;  // de-chunked raw bytes
  // The connection's watch, valid during the handler's call; null when the
  // server offers none (e.g. tests that call a handler directly).
  ClientGoneWatch* client_gone = nullptr;

  // The first value of a header, or "" (name any case).
  std::string Header(absl::string_view name) const {
    auto it = headers.find(absl::AsciiStrToLower(name));
    return it == headers.end() || it->second.empty() ? std::string()
                                                     : it->second.front();
  }
  bool HasHeader(absl::string_view name) const {
    return headers.contains(absl::AsciiStrToLower(name));
  }
  void AddHeader(absl::string_view name, std::string value) {
    headers[absl::AsciiStrToLower(name)].push_back(std::move(value));
  }
  // The path part of `target` (before '?'), still percent-encoded.
  std::string Path() const { return target.substr(0, target.find('?')); }
  // The query part of `target` (after '?'), or "".
  std::string Query() const {
    const size_t q = target.find('?');
    return q == std::string::npos ? std::string() : target.substr(q + 1);
  }
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Sends the response for one request. Callable from any thread, once.
using Respond = absl::AnyInvocable<void(HttpResponse) &&>;

// The connection a request arrived on, as its handler sees it: a way to run
// work on the connection's own I/O thread. The broker answers on its single
// writer thread; an action that posts its completion here encodes the
// response on the I/O thread instead, so the writer only plans and commits
// (docs/PERFORMANCE.md, "What this branch changed").
// Thread-safety: Post() may be called from any thread, any number of times.
class Connection {
 public:
  virtual ~Connection() = default;
  // Runs `work` on the connection's I/O thread, after the work already
  // queued there; at once if called on that thread. Work posted after the
  // server stopped is dropped without running.
  virtual void Post(absl::AnyInvocable<void() &&> work) = 0;
};

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_HTTP_MESSAGE_H_
