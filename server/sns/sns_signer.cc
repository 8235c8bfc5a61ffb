// RSA key and self-signed certificate for SNS notification signatures, with
// OpenSSL 3's EVP API.
#include "server/sns/sns_signer.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace cortado {

struct SnsSigner::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

namespace {

absl::Status OpenSslError(absl::string_view what) {
  return absl::InternalError(absl::StrCat("SNS signer: ", what, " failed"));
}

}  // namespace

SnsSigner::SnsSigner(std::unique_ptr<Key> key, std::string certificate_pem)
    : key_(std::move(key)), certificate_pem_(std::move(certificate_pem)) {}

SnsSigner::~SnsSigner() {
  if (generating_.joinable()) generating_.join();
}

std::unique_ptr<SnsSigner> SnsSigner::GenerateInBackground() {
  std::unique_ptr<SnsSigner> signer(new SnsSigner(nullptr, ""));
  SnsSigner* self = signer.get();
  self->generating_ = std::thread([self] {
    absl::StatusOr<std::unique_ptr<SnsSigner>> made = Generate();
    if (!made.ok()) {
      self->generated_ = made.status();
      return;
    }
    self->key_ = std::move((*made)->key_);
    self->certificate_pem_ = std::move((*made)->certificate_pem_);
  });
  return signer;
}

absl::Status SnsSigner::Wait() {
  if (generating_.joinable()) generating_.join();
  return generated_;
}

absl::StatusOr<std::unique_ptr<SnsSigner>> SnsSigner::Generate() {
  auto key = std::make_unique<Key>();
  key->pkey = EVP_RSA_gen(2048);
  if (key->pkey == nullptr) return OpenSslError("RSA key generation");
  return SelfSigned(std::move(key));
}

absl::StatusOr<std::unique_ptr<SnsSigner>> SnsSigner::FromPrivateKeyPem(
    absl::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (bio == nullptr) return OpenSslError("BIO_new_mem_buf");
  auto key = std::make_unique<Key>();
  key->pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key->pkey == nullptr || EVP_PKEY_get_base_id(key->pkey) != EVP_PKEY_RSA) {
    return OpenSslError("reading the RSA private key");
  }
  return SelfSigned(std::move(key));
}

absl::StatusOr<std::unique_ptr<SnsSigner>> SnsSigner::SelfSigned(
    std::unique_ptr<Key> key) {
  // A one-year self-signed certificate; subscribers only need its public key.
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  if (cert == nullptr) return OpenSslError("X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600);
  X509_set_pubkey(cert.get(), key->pkey);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(
      name, "CN", MBSTRING_ASC,
      reinterpret_cast<const unsigned char*>("sns.cortado.local"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (X509_sign(cert.get(), key->pkey, EVP_sha256()) == 0) {
    return OpenSslError("certificate signing");
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (bio == nullptr || PEM_write_bio_X509(bio.get(), cert.get()) != 1) {
    return OpenSslError("PEM encoding");
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  std::string pem(data, static_cast<size_t>(length));
  return std::unique_ptr<SnsSigner>(
      new SnsSigner(std::move(key), std::move(pem)));
}

std::string SnsSigner::SignBase64(absl::string_view canonical,
                                  int signature_version) const {
  const EVP_MD* digest = signature_version == 2 ? EVP_sha256() : EVP_sha1();
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
      EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t length = 0;
  if (context == nullptr ||
      EVP_DigestSignInit(context.get(), nullptr, digest, nullptr, key_->pkey) !=
          1 ||
      EVP_DigestSign(context.get(), nullptr, &length,
                     reinterpret_cast<const unsigned char*>(canonical.data()),
                     canonical.size()) != 1) {
    return "";
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(
          context.get(), reinterpret_cast<unsigned char*>(signature.data()),
          &length, reinterpret_cast<const unsigned char*>(canonical.data()),
          canonical.size()) != 1) {
    return "";
  }
  signature.resize(length);
  return absl::Base64Escape(signature);
}

}  // namespace cortado
