// The key SNS notifications are signed with: an RSA-2048 key generated at
// start-up (or given, in tests) with a self-signed certificate. The gateway
// serves the certificate's PEM at the SigningCertURL so subscribers can verify
// envelopes exactly like they verify real SNS ones.
// Thread-safety: immutable after Generate() (or after Wait() returned for
// GenerateInBackground()); SignBase64 is const and safe to call from any
// thread (each call uses its own OpenSSL context).
#ifndef CORTADO_SERVER_SNS_SNS_SIGNER_H_
#define CORTADO_SERVER_SNS_SNS_SIGNER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
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
  // Uses a given RSA private key (PEM, e.g. "-----BEGIN PRIVATE KEY-----")
  // instead of generating one: tests inject a fixed key, which costs
  // nothing at start, where generating one costs up to a second.
  static absl::StatusOr<std::unique_ptr<SnsSigner>> FromPrivateKeyPem(
      absl::string_view pem);
  // Returns at once and generates the key on a thread of its own: RSA key
  // generation costs a random 0.9-2.2 G instructions, as much as a quarter
  // of loading a million messages, so the server runs it alongside the
  // store load. The owner calls Wait() before anything else uses it.
  static std::unique_ptr<SnsSigner> GenerateInBackground();
  // Blocks until the key exists; the outcome of generating it. For the
  // owner only, once.
  absl::Status Wait();

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
  // A signer for `key` with a one-year self-signed certificate.
  static absl::StatusOr<std::unique_ptr<SnsSigner>> SelfSigned(
      std::unique_ptr<Key> key);

  std::unique_ptr<Key> key_;
  std::string certificate_pem_;
  // GenerateInBackground: the generating thread and its outcome, set by that
  // thread before it ends (Wait joins it).
  std::thread generating_;
  absl::Status generated_;
};

}  // namespace cortado

#endif  // CORTADO_SERVER_SNS_SNS_SIGNER_H_
