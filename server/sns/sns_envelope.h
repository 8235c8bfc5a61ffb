// The JSON body SNS puts into an SQS queue for a non-raw subscription
// (Type "Notification"), with AWS's key order and layout (sqs-protocol.md
// §6.4), and the canonical string it signs.
// Thread-safety: pure functions.
#ifndef CORTADO_SERVER_SNS_SNS_ENVELOPE_H_
#define CORTADO_SERVER_SNS_SNS_ENVELOPE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/core/notification_envelope.h"
#include "server/sns/sns_signer.h"

namespace cortado {

// A Notification with the two URLs the envelope carries.
struct SnsNotification : Notification {
  std::string unsubscribe_url;   // full URL incl. ?Action=Unsubscribe&...
  std::string signing_cert_url;  // base URL + kSnsSigningCertPath
};

// A SubscriptionMessage with the two URLs it carries.
struct SnsSubscriptionMessage : SubscriptionMessage {
  std::string subscribe_url;     // confirms the subscription when visited
  std::string signing_cert_url;  // base URL + kSnsSigningCertPath
};

// The canonical string SNS signs for a subscription message: "Key\nValue\n"
// for Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type.
std::string SnsSubscriptionCanonicalString(const SnsSubscriptionMessage& m);

// The SubscriptionConfirmation / UnsubscribeConfirmation JSON, signed with
// m.signature_version, in AWS's key order and layout.
std::string BuildSnsSubscriptionEnvelope(const SnsSubscriptionMessage& m,
                                         const SnsSigner& signer);

// The canonical string SNS signs for a notification: "Key\nValue\n" for
// Message, MessageId, Subject (if present), Timestamp, TopicArn, Type.
std::string SnsCanonicalString(const SnsNotification& n);

// The envelope JSON. `signer` signs with n.signature_version.
std::string BuildSnsEnvelope(const SnsNotification& n, const SnsSigner& signer);

// ISO-8601 UTC with milliseconds and 'Z', e.g. "2012-05-02T00:54:06.655Z".
std::string SnsTimestamp(absl::Time t);

}  // namespace cortado

#endif  // CORTADO_SERVER_SNS_SNS_ENVELOPE_H_
