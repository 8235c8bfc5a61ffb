// The SNS notification envelope, byte-compatible in layout with AWS's
// (pretty-printed, `"Key" : "Value"`), so consumers that parse it (or log
// it) see what they would see on AWS.
#include "server/sns/sns_envelope.h"

#include <utility>
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

namespace {

// The envelope's `"Key" : "Value"` lines, pretty-printed as AWS does.
class EnvelopeFields {
 public:
  void Add(absl::string_view key, absl::string_view value) {
    fields_.push_back(
        absl::StrCat("  ", JsonQuote(key), " : ", JsonQuote(value)));
  }
  void AddRaw(std::string line) { fields_.push_back(std::move(line)); }
  // SignatureVersion, Signature and SigningCertURL of `canonical`.
  void AddSignature(const SnsSigner& signer, absl::string_view canonical,
                    int signature_version, absl::string_view cert_url) {
    const int version = signature_version == 2 ? 2 : 1;
    Add("SignatureVersion", version == 2 ? "2" : "1");
    Add("Signature", signer.SignBase64(canonical, version));
    Add("SigningCertURL", cert_url);
  }
  std::string Json() const {
    return absl::StrCat("{\n", absl::StrJoin(fields_, ",\n"), "\n}");
  }

 private:
  std::vector<std::string> fields_;
};

}  // namespace

std::string SnsSubscriptionCanonicalString(const SnsSubscriptionMessage& m) {
  return absl::StrCat("Message\n", m.message, "\nMessageId\n", m.message_id,
                      "\nSubscribeURL\n", m.subscribe_url, "\nTimestamp\n",
                      SnsTimestamp(m.timestamp), "\nToken\n", m.token,
                      "\nTopicArn\n", m.topic_arn, "\nType\n", m.type, "\n");
}

std::string BuildSnsSubscriptionEnvelope(const SnsSubscriptionMessage& m,
                                         const SnsSigner& signer) {
  EnvelopeFields fields;
  fields.Add("Type", m.type);
  fields.Add("MessageId", m.message_id);
  fields.Add("Token", m.token);
  fields.Add("TopicArn", m.topic_arn);
  fields.Add("Message", m.message);
  fields.Add("SubscribeURL", m.subscribe_url);
  fields.Add("Timestamp", SnsTimestamp(m.timestamp));
  fields.AddSignature(signer, SnsSubscriptionCanonicalString(m),
                      m.signature_version, m.signing_cert_url);
  return fields.Json();
}

std::string BuildSnsEnvelope(const SnsNotification& n,
                             const SnsSigner& signer) {
  EnvelopeFields fields;
  auto field = [&fields](absl::string_view key, absl::string_view value) {
    fields.Add(key, value);
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
    fields.AddSignature(signer, SnsCanonicalString(n), n.signature_version,
                        n.signing_cert_url);
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
    fields.AddRaw(absl::StrCat("  \"MessageAttributes\" : {\n",
                               absl::StrJoin(entries, ",\n"), "\n  }"));
  }
  return fields.Json();
}

}  // namespace cortado
