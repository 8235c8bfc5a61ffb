// The SNS notification envelope, byte-compatible in layout with AWS's
// (pretty-printed, `"Key" : "Value"`), so consumers that parse it (or log
// it) see what they would see on AWS.
#include "server/sns/sns_envelope.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/json.h"

namespace cortado {

std::string SnsTimestamp(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

std::string SnsCanonicalString(const SnsNotification& n) {
  std::string out;
  absl::StrAppend(&out, "Message\n", n.message, "\n");
  absl::StrAppend(&out, "MessageId\n", n.message_id, "\n");
  if (!n.subject.empty()) absl::StrAppend(&out, "Subject\n", n.subject, "\n");
  absl::StrAppend(&out, "Timestamp\n", SnsTimestamp(n.timestamp), "\n");
  absl::StrAppend(&out, "TopicArn\n", n.topic_arn, "\n");
  absl::StrAppend(&out, "Type\nNotification\n");
  return out;
}

std::string BuildSnsEnvelope(const SnsNotification& n,
                             const SnsSigner& signer) {
  std::vector<std::string> fields;
  auto field = [&fields](absl::string_view key, absl::string_view value) {
    fields.push_back(
        absl::StrCat("  ", JsonQuote(key), " : ", JsonQuote(value)));
  };
  field("Type", "Notification");
  field("MessageId", n.message_id);
  if (n.fifo) field("SequenceNumber", n.sequence_number);
  field("TopicArn", n.topic_arn);
  if (!n.subject.empty()) field("Subject", n.subject);
  field("Message", n.message);
  field("Timestamp", SnsTimestamp(n.timestamp));
  // FIFO notifications carry no signature (as AWS and LocalStack do).
  if (!n.fifo) {
    const int version = n.signature_version == 2 ? 2 : 1;
    field("SignatureVersion", version == 2 ? "2" : "1");
    field("Signature", signer.SignBase64(SnsCanonicalString(n), version));
    field("SigningCertURL", n.signing_cert_url);
  }
  field("UnsubscribeURL", n.unsubscribe_url);
  if (!n.attributes.empty()) {
    std::vector<std::string> entries;
    for (const auto& [name, attribute] : n.attributes) {
      const std::string value = attribute.binary
                                    ? absl::Base64Escape(attribute.binary_value)
                                    : attribute.string_value;
      entries.push_back(absl::StrCat("    ", JsonQuote(name), " : {\"Type\":",
                                     JsonQuote(attribute.data_type),
                                     ",\"Value\":", JsonQuote(value), "}"));
    }
    fields.push_back(absl::StrCat("  \"MessageAttributes\" : {\n",
                                  absl::StrJoin(entries, ",\n"), "\n  }"));
  }
  return absl::StrCat("{\n", absl::StrJoin(fields, ",\n"), "\n}");
}

}  // namespace cortado
