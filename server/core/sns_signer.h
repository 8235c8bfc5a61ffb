// The key SNS notifications are signed with: an RSA-2048 key generated at
// start-up with a self-signed certificate. The gateway serves the
// certificate's PEM at the SigningCertURL so subscribers can verify
// envelopes exactly like they verify real SNS ones.
// Thread-safety: immutable after Generate(); SignBase64 is const and safe to
// call from any thread (each call uses its own OpenSSL context).
#ifndef CORTADO_SERVER_CORE_SNS_SIGNER_H_
#define CORTADO_SERVER_CORE_SNS_SIGNER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cortado {

// The path the gateway serves the certificate at (GET), relative to the
// gateway's base URL. Mirrors AWS's "SimpleNotificationService-<hash>.pem".
inline constexpr absl::string_view kSnsSigningCertPath =
    "/SimpleNotificationService-cortado.pem";

class SnsSigner {
 public:
  static absl::StatusOr<std::unique_ptr<SnsSigner>> Generate();

  // Signature of `canonical` (the "Key\nValue\n..." string SNS signs) as
  // base64: SignatureVersion 1 = SHA1withRSA, 2 = SHA256withRSA. Any other
  // version is treated as 1.
  std::string SignBase64(absl::string_view canonical,
                         int signature_version) const;

  const std::string& certificate_pem() const { return certificate_pem_; }

  ~SnsSigner();
  SnsSigner(const SnsSigner&) = delete;
  SnsSigner& operator=(const SnsSigner&) = delete;

 private:
  struct Key;
  SnsSigner(std::unique_ptr<Key> key, std::string certificate_pem);

  std::unique_ptr<Key> key_;
  std::string certificate_pem_;
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_SNS_SIGNER_H_
