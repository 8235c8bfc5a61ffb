// A fixed SNS signing key for tests that publish to topics: the broker
// requires an EnvelopeBuilder, and loading this key costs microseconds where
// generating one costs up to a second per test binary. Envelopes signed with
// it verify against TestSnsSigner().certificate_pem() like any other.
// Thread-safety: both functions build their object once (static locals).
#ifndef CORTADO_TESTS_TESTING_TEST_ENVELOPE_BUILDER_H_
#define CORTADO_TESTS_TESTING_TEST_ENVELOPE_BUILDER_H_

#include <cstdlib>
#include <iostream>
#include <memory>

#include "absl/status/statusor.h"
#include "server/sns/signed_envelope_builder.h"
#include "server/sns/sns_signer.h"

namespace cortado::testing {

// RSA-2048, made for these tests only (openssl genpkey); never a real key.
inline constexpr char kTestSnsPrivateKeyPem[] = R"(
-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDQSdvIEkvUEA5R
ATwo6KMIn7oY57pD0QUpp48Oh0CquFoqESsJEZTSJzns4txdPWayVx7T2YXZVT0U
PTDGMIFsh2lx/t3f1Fd0bJw25vS70ufXZ8VdGPDPHRNCfn3+JCeWVfST9d0wbRcU
jsb2NKOY/sG4aSDtHzdCp0kyWrJOUB2+BX/wLpSeS3VOcmGvr4/pIbJfwFWn4G1n
2ME4JobvNVxrX3jjC1g7b8AFGPK4QoVDj3PeH+VVK7/zjYyhmd1cHCAbD2uUbDZ4
+2lcsAG7PkOvn2SbZ//G7z3UeLSd0WV5cvXV17BgIKwey7TZQcEtzcPMbSR5Fte5
NfneXQJVAgMBAAECggEAKMpWFtvyarDMRPPjdrV8fCtftBHpie9svegZHYTCVsys
p7FeBrQhO3jAINKayk3Eh2eFW4Ktck79m7GSFDYamoj4TwFVLUj16ZB9lUjso73d
dnNVlPJV8pGknHCONw+YixoBQFq1ew7aJsYBU+UiJsu5X2aDMrzawxxkus5FPg2a
6MEQiI2WJ7ZflGkXrG3YPOjNFyXT4f2xUEoDJlVGLscK6VOymsfs4iFytBjvos5F
BBUiiE7M8aeUYQ6QL3thpgynsNqIYlYxpQjgIvu2+iXjrtC6TAR8JnOkQHYTn7ZY
K99T7STGNRB4zCeCr3wCXrgnh8/dIYwtctGsF6IZ4QKBgQD2wiSxqNEvpPcCQVYF
rUtfCelZMqZ2WPVVKfYr0c0/KqhZC3X9/MNIw0L2dnqplGFzF2vPGkNgFgKmysQS
AWYx6Od5vT0yrwSiUUx3l99hDoBwh7aIHHWmzaJWLvY4rFrbTTNQbPnWi5vM/6EI
Nm8AXuh7I43FkOWTboKargH9sQKBgQDYFuA7SFmKaDXgQE8w00cqcbboQGaTL+P1
NN90CGdK0YqTcu24Uww361aCGUqvtXf6UdWpWAkOMEKeatwvCeK5rE5BjE0qhwcE
9NcK+9HVzeegI6mweDqox62maQk/zK7M6JxmcJ8nIpCpnQqQaYYXurWlsIi0mQok
bYEjlVwD5QKBgHMfwN7iVDZWUKfMs8WSREfi5+ulpeQxPMSu/xsSlx+RV1mz7yjA
dJvN/b/fJvtXLt/zXWkSZ7y8iCApGbEM1hETCGvTzmmHHjJcm8BwKtetXF8j8hUu
sfVQmxx6bIWkY/9M1VQAg8+E8vuBiC+8ta0GmpBY1hwGrhVKycRAys0BAoGBAL2l
TgQZWiRDk00Ng7K5KlMQ29L3ek6hEDKKxbXDDkw2nKUNj55enHGTRCgH5GlTHUn+
ekMWNVRTfJQl+rn5thb4JvIWHT8+pCVwcC5+lUlMXYVI50suKWUpYbiTpH9utta1
K1YobzVce5OwdK4LPpkizvrsdP3y9ljEFjtRgSEVAoGBAPCw4DmRf4ESMptViv8E
+Uxtq1OtCcCbk0j2Guwx+Y/kOgBVizhA0rAVbAH1o59tEEgfPSVfk2gVnJ1e7gC9
xI6NmG4VuiTuLGIwDeOPGgJRbPLGdesIth2FnXOb2T/6913ROeVkZbD/4wTMQyRT
v3QCLAR0rJTqUWJxZHbf49nK
-----END PRIVATE KEY-----
)";

inline const SnsSigner& TestSnsSigner() {
  static const SnsSigner* const signer = [] {
    absl::StatusOr<std::unique_ptr<SnsSigner>> made =
        SnsSigner::FromPrivateKeyPem(kTestSnsPrivateKeyPem);
    if (!made.ok()) {
      std::cerr << "test SNS key: " << made.status() << "\n";
      std::abort();
    }
    return made->release();
  }();
  return *signer;
}

// Envelopes on the default base URL, "http://localhost".
inline const EnvelopeBuilder* TestEnvelopeBuilder() {
  static const SignedEnvelopeBuilder* const builder =
      new SignedEnvelopeBuilder(&TestSnsSigner());
  return builder;
}

}  // namespace cortado::testing

#endif  // CORTADO_TESTS_TESTING_TEST_ENVELOPE_BUILDER_H_
