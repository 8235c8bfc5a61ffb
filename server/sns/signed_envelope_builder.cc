#include "server/sns/signed_envelope_builder.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/sns/sns_envelope.h"

namespace cortado {

SignedEnvelopeBuilder::SignedEnvelopeBuilder(const SnsSigner* signer,
                                             std::string base_url)
    : signer_(signer), base_url_(std::move(base_url)) {}

void SignedEnvelopeBuilder::SetBaseUrl(std::string base_url) {
  absl::MutexLock lock(&mu_);
  base_url_ = std::move(base_url);
}

std::string SignedEnvelopeBuilder::Build(
    const Notification& n, absl::string_view subscription_arn) const {
  SnsNotification envelope;
  static_cast<Notification&>(envelope) = n;
  const std::string base_url = this->base_url();
  envelope.unsubscribe_url = absl::StrCat(
      base_url, "/?Action=Unsubscribe&SubscriptionArn=", subscription_arn);
  envelope.signing_cert_url = absl::StrCat(base_url, kSnsSigningCertPath);
  return BuildSnsEnvelope(envelope, *signer_);
}

std::string SignedEnvelopeBuilder::base_url() const {
  absl::MutexLock lock(&mu_);
  return base_url_;
}

std::string SignedEnvelopeBuilder::BuildSubscriptionMessage(
    const SubscriptionMessage& m) const {
  SnsSubscriptionMessage message;
  static_cast<SubscriptionMessage&>(message) = m;
  const std::string base_url = this->base_url();
  // Version names SNS's API, so the gateway tells this GET from an SQS call
  // even when it arrives unsigned (as a browser or curl sends it).
  message.subscribe_url = absl::StrCat(
      base_url, "/?Action=ConfirmSubscription&TopicArn=", m.topic_arn,
      "&Token=", m.token, "&Version=2010-03-31");
  message.signing_cert_url = absl::StrCat(base_url, kSnsSigningCertPath);
  return BuildSnsSubscriptionEnvelope(message, *signer_);
}

const EnvelopeBuilder* GeneratedEnvelopeBuilder() {
  static const EnvelopeBuilder* const builder = []() -> EnvelopeBuilder* {
    absl::StatusOr<std::unique_ptr<SnsSigner>> signer = SnsSigner::Generate();
    if (!signer.ok()) return nullptr;
    return new SignedEnvelopeBuilder(signer->release());  // lives forever
  }();
  return builder;
}

}  // namespace cortado
