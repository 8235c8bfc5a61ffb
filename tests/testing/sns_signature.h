// Checks an SNS envelope's signature the way a subscriber does: with the
// public key of the certificate at its SigningCertURL, plain OpenSSL.
// Thread-safety: a pure function.
#ifndef CORTADO_TESTS_TESTING_SNS_SIGNATURE_H_
#define CORTADO_TESTS_TESTING_SNS_SIGNATURE_H_

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "absl/strings/escaping.h"

namespace cortado::testing {

// True if `signature_base64` signs `data` with the key of certificate `pem`
// under `digest` (EVP_sha1() for SignatureVersion 1, EVP_sha256() for 2).
inline bool VerifySnsSignature(const std::string& pem, const std::string& data,
                               const std::string& signature_base64,
                               const EVP_MD* digest) {
  std::string signature;
  if (!absl::Base64Unescape(signature_base64, &signature)) return false;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  if (cert == nullptr) return false;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      X509_get_pubkey(cert.get()), EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
      EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr,
                              key.get()) == 1 &&
         EVP_DigestVerify(
             context.get(),
             reinterpret_cast<const unsigned char*>(signature.data()),
             signature.size(),
             reinterpret_cast<const unsigned char*>(data.data()),
             data.size()) == 1;
}

}  // namespace cortado::testing

#endif  // CORTADO_TESTS_TESTING_SNS_SIGNATURE_H_
