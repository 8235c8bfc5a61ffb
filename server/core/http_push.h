// The seam between topics (core) and the HTTP client that POSTs SNS
// messages to http/https subscribers: what to send, and the interface the
// composition root injects (server/push/HttpPushSender). The core decides
// what is sent and when; it never opens a socket or resolves a name.
// Thread-safety: HttpPush is a value type. HttpPusher::CheckEndpoint runs on
// the broker's writer thread while planning (it must not block: no name
// resolution); Push runs after the commit, outside every broker lock, from
// the writer thread, and must only hand the work to threads of its own.
#ifndef CORTADO_SERVER_CORE_HTTP_PUSH_H_
#define CORTADO_SERVER_CORE_HTTP_PUSH_H_

#include <string>

#include "absl/status/status.h"

namespace cortado {

// One POST to a subscriber, with what SNS's headers carry.
struct HttpPush {
  std::string url;  // the subscription's endpoint
  // x-amz-sns-message-type: "SubscriptionConfirmation", "Notification" or
  // "UnsubscribeConfirmation".
  std::string message_type;
  std::string message_id;        // x-amz-sns-message-id
  std::string topic_arn;         // x-amz-sns-topic-arn
  std::string subscription_arn;  // x-amz-sns-subscription-arn ("" if none)
  bool raw = false;              // x-amz-sns-rawdelivery: true
  std::string body;              // the signed JSON document, or raw message
};

class HttpPusher {
 public:
  virtual ~HttpPusher() = default;
  // Whether the broker may POST to `url` as far as can be told without
  // resolving it: a well-formed http(s) URL whose host, if an IP literal,
  // is in the allowed ranges (--sns-http-allow). Host names are checked
  // again, address by address, when a push connects.
  virtual absl::Status CheckEndpoint(const std::string& url) const = 0;
  // Sends `push` in the background; never blocks.
  virtual void Push(HttpPush push) = 0;
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_HTTP_PUSH_H_
