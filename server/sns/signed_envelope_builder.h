// SignedEnvelopeBuilder is the EnvelopeBuilder the server injects into the
// broker: SNS's envelope layout (sns_envelope.h), signed with an SnsSigner,
// carrying URLs on the HTTP gateway's address (SigningCertURL, where the
// gateway serves the certificate, and UnsubscribeURL).
// Thread-safety: Build and SetBaseUrl may be called from any thread; the
// base URL is read under a lock of its own (taken after the broker's).
#ifndef CORTADO_SERVER_SNS_SIGNED_ENVELOPE_BUILDER_H_
#define CORTADO_SERVER_SNS_SIGNED_ENVELOPE_BUILDER_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "server/core/notification_envelope.h"
#include "server/sns/sns_signer.h"

namespace cortado {

class SignedEnvelopeBuilder : public EnvelopeBuilder {
 public:
  // `signer` must outlive the builder and hold its key before the first
  // Build. `base_url`: the SNS gateway's ("http://127.0.0.1:4566").
  explicit SignedEnvelopeBuilder(const SnsSigner* signer,
                                 std::string base_url = "http://localhost");

  // Replaces the base URL once the gateway's real address is known (it
  // listens after the broker starts).
  void SetBaseUrl(std::string base_url);

  std::string Build(const Notification& n,
                    absl::string_view subscription_arn) const override;
  // SubscribeURL: "<base>/?Action=ConfirmSubscription&TopicArn=..&Token=..".
  std::string BuildSubscriptionMessage(
      const SubscriptionMessage& m) const override;

 private:
  std::string base_url() const;

  const SnsSigner* const signer_;
  mutable absl::Mutex mu_;
  std::string base_url_ ABSL_GUARDED_BY(mu_);
};

// A builder on a key generated on first use and kept for the whole process,
// for programs with no key of their own to load (the benchmarks); nullptr if
// generating failed. Generating costs up to a second: call it before the
// broker starts, never while planning.
const EnvelopeBuilder* GeneratedEnvelopeBuilder();

}  // namespace cortado

#endif  // CORTADO_SERVER_SNS_SIGNED_ENVELOPE_BUILDER_H_
