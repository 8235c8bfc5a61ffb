// The seam between topics (core) and SNS's wire format: what a publish tells
// a non-raw subscriber, and the interface that turns it into the envelope
// body. The core never signs, knows no key, certificate or URL; the
// composition root injects an EnvelopeBuilder (server/sns/) that does.
// Thread-safety: Notification is a value type; EnvelopeBuilder::Build must
// be safe to call from any thread (the writer thread calls it).
#ifndef CORTADO_SERVER_CORE_NOTIFICATION_ENVELOPE_H_
#define CORTADO_SERVER_CORE_NOTIFICATION_ENVELOPE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/core/message_attributes.h"

namespace cortado {

// One publish as its non-raw subscribers see it (Type "Notification").
struct Notification {
  std::string message_id;  // the SNS publish MessageId
  std::string topic_arn;
  std::string subject;  // empty = absent
  std::string message;  // already the "sqs"/"default" entry for json structure
  absl::Time timestamp;
  int signature_version = 1;  // topic attribute SignatureVersion (1|2)
  // FIFO topics: SequenceNumber is written and there are no signature fields.
  bool fifo = false;
  std::string sequence_number;
  MessageAttributes attributes;
};

// What an HTTP(S) endpoint is sent about its subscription itself: a
// SubscriptionConfirmation after Subscribe, an UnsubscribeConfirmation after
// Unsubscribe. Both carry a Token and a SubscribeURL (the builder makes the
// URL, which confirms `token` for `topic_arn` on the gateway).
struct SubscriptionMessage {
  std::string type;  // "SubscriptionConfirmation" | "UnsubscribeConfirmation"
  std::string message_id;
  std::string topic_arn;
  std::string token;
  std::string message;  // SNS's sentence telling the reader what to do
  absl::Time timestamp;
  int signature_version = 1;
};

class EnvelopeBuilder {
 public:
  virtual ~EnvelopeBuilder() = default;
  // The signed JSON document of `m`. Runs on the writer thread like Build.
  virtual std::string BuildSubscriptionMessage(
      const SubscriptionMessage& m) const = 0;
  // The queue message body for `n` delivered through the subscription
  // `subscription_arn` (it appears in the UnsubscribeURL). Runs on the
  // broker's writer thread inside a publish, so it must not block: a key is
  // loaded or generated before the broker starts, never here.
  virtual std::string Build(const Notification& n,
                            absl::string_view subscription_arn) const = 0;
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_NOTIFICATION_ENVELOPE_H_
