#include "gateway/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "gateway/sigv4_canonical.h"
#include "server/core/message_attributes.h"

namespace cortado::gateway {
namespace {

using sigv4_internal::CanonicalHeaders;
using sigv4_internal::CanonicalQueryString;
using sigv4_internal::CanonicalUri;
using sigv4_internal::ParseQuery;

constexpr absl::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr absl::string_view kTerminator = "aws4_request";
constexpr absl::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
constexpr absl::string_view kAmzDateFormat = "%Y%m%dT%H%M%SZ";
constexpr absl::Duration kMaxSkew = absl::Minutes(15);
constexpr int64_t kMaxPresignedExpiresSeconds = 7 * 24 * 60 * 60;

constexpr absl::string_view kMissingTokenMessage =
    "The request must contain either a valid (registered) AWS access key ID "
    "or X.509 certificate.";
constexpr absl::string_view kInvalidKeyMessage =
    "The security token included in the request is invalid.";
constexpr absl::string_view kMismatchMessage =
    "The request signature we calculated does not match the signature you "
    "provided. Check your AWS Secret Access Key and signing method. Consult "
    "the service documentation for details.";
constexpr absl::string_view kPresignedRequiredMessage =
    "AWS query-string parameters must include 'X-Amz-Algorithm', "
    "'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', "
    "'X-Amz-SignedHeaders'. Re-examine the query-string parameters.";

// The signing material of one request, from the Authorization header or the
// presigned query parameters.
struct AuthParams {
  enum class Kind { kAbsent, kHeader, kPresigned };
  Kind kind = Kind::kAbsent;
  std::string access_key;
  std::string scope_date;  // yyyymmdd
  std::string region;
  std::string service;
  std::string signed_headers;             // verbatim
  std::vector<std::string> signed_names;  // lower-case
  std::string signature;
  std::string amz_date;                    // presigned: X-Amz-Date param
  std::optional<int64_t> expires_seconds;  // presigned: X-Amz-Expires
};

SigV4Result Failure(SigV4Error error, std::string message,
                    const AuthParams& params) {
  SigV4Result result;
  result.error = error;
  result.message = std::move(message);
  result.access_key = params.access_key;
  result.region = params.region;
  result.service = params.service;
  return result;
}

SigV4Result Incomplete(std::string message) {
  return Failure(SigV4Error::kIncompleteSignature, std::move(message),
                 AuthParams());
}

std::string HmacSha256(absl::string_view key, absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest,
       &size);
  return std::string(reinterpret_cast<char*>(digest), size);
}

// Hex signature over the canonical request (§5.3).
std::string Sign(absl::string_view secret, const AuthParams& params,
                 absl::string_view amz_date,
                 absl::string_view canonical_request) {
  const std::string scope = absl::StrCat(params.scope_date, "/", params.region,
                                         "/", params.service, "/", kTerminator);
  const std::string string_to_sign =
      absl::StrCat(kAlgorithm, "\n", amz_date, "\n", scope, "\n",
                   Sha256Hex(canonical_request));
  std::string key = HmacSha256(absl::StrCat("AWS4", secret), params.scope_date);
  key = HmacSha256(key, params.region);
  key = HmacSha256(key, params.service);
  key = HmacSha256(key, kTerminator);
  const std::string signature = HmacSha256(key, string_to_sign);
  return absl::BytesToHexString(signature);
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() &&
         CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// "AKID/yyyymmdd/region/service/aws4_request" into params; "" or a message.
std::string ParseCredential(absl::string_view credential, AuthParams& params) {
  std::vector<absl::string_view> parts = absl::StrSplit(credential, '/');
  const bool all_present =
      parts.size() == 5 &&
      std::none_of(parts.begin(), parts.end(),
                   [](absl::string_view p) { return p.empty(); });
  if (!all_present) {
    return absl::StrCat(
        "Credential should be "
        "<AccessKeyId>/<yyyymmdd>/<region>/<service>/aws4_request, got '",
        credential, "'.");
  }
  if (parts[1].size() != 8 ||
      !std::all_of(parts[1].begin(), parts[1].end(), absl::ascii_isdigit)) {
    return absl::StrCat("Credential date should be yyyymmdd, got '", parts[1],
                        "'.");
  }
  if (parts[4] != kTerminator) {
    return absl::StrCat(
        "Credential should be scoped with a valid terminator: 'aws4_request', "
        "not '",
        parts[4], "'.");
  }
  params.access_key = std::string(parts[0]);
  params.scope_date = std::string(parts[1]);
  params.region = std::string(parts[2]);
  params.service = std::string(parts[3]);
  return "";
}

// "h1;h2;..." into params; "" or a message.
std::string ParseSignedHeaders(absl::string_view signed_headers,
                               AuthParams& params) {
  params.signed_headers = std::string(signed_headers);
  params.signed_names.clear();
  for (absl::string_view name : absl::StrSplit(signed_headers, ';')) {
    if (name.empty()) {
      return absl::StrCat("SignedHeaders has an empty header name: '",
                          signed_headers, "'.");
    }
    params.signed_names.push_back(absl::AsciiStrToLower(name));
  }
  return "";
}

SigV4Result ParseHeaderAuth(absl::string_view header, AuthParams& params) {
  absl::string_view rest = absl::StripAsciiWhitespace(header);
  if (!absl::ConsumePrefix(&rest, kAlgorithm) ||
      (!rest.empty() && !absl::ascii_isspace(rest.front()))) {
    return Incomplete(absl::StrCat(
        "Authorization header must use the '", kAlgorithm,
        "' algorithm: 'AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., "
        "Signature=...'. Authorization=",
        header));
  }
  std::optional<std::string> credential, signed_headers, signature;
  for (absl::string_view part : absl::StrSplit(rest, ',')) {
    part = absl::StripAsciiWhitespace(part);
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    if (eq == absl::string_view::npos) {
      return Incomplete(absl::StrCat("Authorization header component '", part,
                                     "' is not of the form name=value."));
    }
    const absl::string_view name =
        absl::StripAsciiWhitespace(part.substr(0, eq));
    std::string value(absl::StripAsciiWhitespace(part.substr(eq + 1)));
    std::optional<std::string>* slot = name == "Credential" ? &credential
                                       : name == "SignedHeaders"
                                           ? &signed_headers
                                       : name == "Signature" ? &signature
                                                             : nullptr;
    if (slot == nullptr) {
      return Incomplete(absl::StrCat(
          "Authorization header has an unknown component '", name, "'."));
    }
    if (slot->has_value()) {
      return Incomplete(absl::StrCat("Authorization header has component '",
                                     name, "' twice."));
    }
    *slot = std::move(value);
  }
  std::string missing;
  if (!credential) {
    absl::StrAppend(&missing,
                    "Authorization header requires 'Credential' parameter. ");
  }
  if (!signature) {
    absl::StrAppend(&missing,
                    "Authorization header requires 'Signature' parameter. ");
  }
  if (!signed_headers) {
    absl::StrAppend(
        &missing, "Authorization header requires 'SignedHeaders' parameter. ");
  }
  if (!missing.empty()) {
    return Incomplete(absl::StrCat(missing, "Authorization=", header));
  }
  if (std::string error = ParseCredential(*credential, params);
      !error.empty()) {
    return Incomplete(std::move(error));
  }
  if (std::string error = ParseSignedHeaders(*signed_headers, params);
      !error.empty()) {
    return Failure(SigV4Error::kIncompleteSignature, std::move(error), params);
  }
  if (signature->empty()) {
    return Failure(SigV4Error::kIncompleteSignature,
                   "Authorization header has an empty 'Signature'.", params);
  }
  params.signature = std::move(*signature);
  params.kind = AuthParams::Kind::kHeader;
  return SigV4Result();
}

bool IsPresignedParam(absl::string_view name) {
  return name == "X-Amz-Algorithm" || name == "X-Amz-Credential" ||
         name == "X-Amz-Date" || name == "X-Amz-Expires" ||
         name == "X-Amz-SignedHeaders" || name == "X-Amz-Signature";
}

SigV4Result ParsePresigned(
    const std::vector<std::pair<std::string, std::string>>& query,
    AuthParams& params) {
  std::map<std::string, std::string> values;
  for (const auto& [name, value] : query) {
    if (!IsPresignedParam(name)) continue;
    if (!values.emplace(name, value).second) {
      return Incomplete(
          absl::StrCat("Query parameter '", name, "' appears more than once."));
    }
  }
  for (absl::string_view required :
       {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date",
        "X-Amz-SignedHeaders"}) {
    if (!values.contains(std::string(required))) {
      return Incomplete(std::string(kPresignedRequiredMessage));
    }
  }
  if (values["X-Amz-Algorithm"] != kAlgorithm) {
    return Incomplete(absl::StrCat("X-Amz-Algorithm only supports '",
                                   kAlgorithm, "', got '",
                                   values["X-Amz-Algorithm"], "'."));
  }
  if (std::string error = ParseCredential(values["X-Amz-Credential"], params);
      !error.empty()) {
    return Incomplete(std::move(error));
  }
  if (std::string error =
          ParseSignedHeaders(values["X-Amz-SignedHeaders"], params);
      !error.empty()) {
    return Failure(SigV4Error::kIncompleteSignature, std::move(error), params);
  }
  if (auto it = values.find("X-Amz-Expires"); it != values.end()) {
    int64_t expires = 0;
    if (!absl::SimpleAtoi(it->second, &expires) || expires < 0 ||
        expires > kMaxPresignedExpiresSeconds) {
      return Failure(
          SigV4Error::kIncompleteSignature,
          absl::StrCat("X-Amz-Expires must be a number of seconds from 0 to ",
                       kMaxPresignedExpiresSeconds, ", got '", it->second,
                       "'."),
          params);
    }
    params.expires_seconds = expires;
  }
  if (values["X-Amz-Signature"].empty()) {
    return Failure(SigV4Error::kIncompleteSignature,
                   "X-Amz-Signature is empty.", params);
  }
  params.signature = values["X-Amz-Signature"];
  params.amz_date = values["X-Amz-Date"];
  params.kind = AuthParams::Kind::kPresigned;
  return SigV4Result();
}

// Finds and parses the signing material; kind stays kAbsent when there is none.
SigV4Result ExtractAuth(const HttpRequest& request, AuthParams& params) {
  const std::vector<std::pair<std::string, std::string>> query =
      ParseQuery(request.Query());
  const bool has_presigned =
      std::any_of(query.begin(), query.end(), [](const auto& kv) {
        return kv.first == "X-Amz-Algorithm" ||
               kv.first == "X-Amz-Credential" || kv.first == "X-Amz-Signature";
      });
  auto authorization = request.headers.find("authorization");
  if (authorization != request.headers.end()) {
    if (has_presigned) {
      return Incomplete(
          "Only one auth mechanism allowed; only the X-Amz-Algorithm query "
          "parameter or the Authorization header should be specified.");
    }
    if (authorization->second.size() != 1) {
      return Incomplete("The request has more than one Authorization header.");
    }
    return ParseHeaderAuth(authorization->second.front(), params);
  }
  if (has_presigned) return ParsePresigned(query, params);
  return SigV4Result();
}

// Parses yyyymmddTHHMMSSZ strictly (absl::ParseTime's %Y would swallow all
// eight date digits).
std::optional<absl::Time> ParseAmzDate(absl::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') {
    return std::nullopt;
  }
  auto number = [&](size_t at, size_t size) {
    int value = 0;
    for (size_t i = at; i < at + size; ++i) {
      if (!absl::ascii_isdigit(text[i])) return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const int year = number(0, 4), month = number(4, 2), day = number(6, 2);
  const int hour = number(9, 2), minute = number(11, 2), second = number(13, 2);
  if (std::min({year, month, day, hour, minute, second}) < 0) {
    return std::nullopt;
  }
  const absl::CivilSecond civil(year, month, day, hour, minute, second);
  // CivilSecond normalises out-of-range fields; reject instead.
  if (civil.year() != year || civil.month() != month || civil.day() != day ||
      civil.hour() != hour || civil.minute() != minute ||
      civil.second() != second) {
    return std::nullopt;
  }
  return absl::FromCivil(civil, absl::UTCTimeZone());
}

std::string FormatAmzDate(absl::Time time) {
  return absl::FormatTime(kAmzDateFormat, time, absl::UTCTimeZone());
}

bool Contains(const std::vector<std::string>& names, absl::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

SigV4Result ParseAuthorization(const HttpRequest& request) {
  AuthParams params;
  SigV4Result result = ExtractAuth(request, params);
  if (result.error != SigV4Error::kNone) return result;
  result.access_key = params.access_key;
  result.region = params.region;
  result.service = params.service;
  return result;
}

SigV4Result VerifySigV4(const HttpRequest& request,
                        const SigV4Credentials& credentials, absl::Time now) {
  AuthParams params;
  if (SigV4Result parsed = ExtractAuth(request, params);
      parsed.error != SigV4Error::kNone) {
    return parsed;
  }
  const bool presigned = params.kind == AuthParams::Kind::kPresigned;
  switch (params.kind) {
    case AuthParams::Kind::kAbsent:
      return Failure(SigV4Error::kMissingAuthenticationToken,
                     std::string(kMissingTokenMessage), params);
    case AuthParams::Kind::kHeader:
      if (!request.HasHeader("x-amz-date")) {
        return Failure(SigV4Error::kIncompleteSignature,
                       "Authorization header requires existence of a "
                       "'X-Amz-Date' header.",
                       params);
      }
      params.amz_date = request.Header("x-amz-date");
      break;
    case AuthParams::Kind::kPresigned:
      break;
  }

  const std::optional<absl::Time> signed_at = ParseAmzDate(params.amz_date);
  if (!signed_at) {
    return Failure(
        SigV4Error::kIncompleteSignature,
        absl::StrCat("Date must be in ISO-8601 'basic format'. Got '",
                     params.amz_date,
                     "'. See http://en.wikipedia.org/wiki/ISO_8601"),
        params);
  }
  if (params.amz_date.substr(0, 8) != params.scope_date) {
    return Failure(
        SigV4Error::kIncompleteSignature,
        absl::StrCat("Date in Credential scope does not match YYYYMMDD from "
                     "ISO-8601 version of date from HTTP: '",
                     params.scope_date, "' != '", params.amz_date.substr(0, 8),
                     "', from '", params.amz_date, "'."),
        params);
  }
  if (!Contains(params.signed_names, "host")) {
    return Failure(SigV4Error::kIncompleteSignature,
                   "'Host' or ':authority' must be a 'SignedHeader' in the AWS "
                   "Authorization.",
                   params);
  }
  if (!presigned && !Contains(params.signed_names, "x-amz-date")) {
    return Failure(SigV4Error::kIncompleteSignature,
                   "'X-Amz-Date' must be a 'SignedHeader' in the AWS "
                   "Authorization.",
                   params);
  }

  auto secret = credentials.secrets.find(params.access_key);
  if (secret == credentials.secrets.end()) {
    return Failure(SigV4Error::kInvalidClientTokenId,
                   std::string(kInvalidKeyMessage), params);
  }

  if (*signed_at - now > kMaxSkew) {
    return Failure(
        SigV4Error::kSignatureDoesNotMatch,
        absl::StrCat("Signature not yet current: ", params.amz_date,
                     " is still later than ", FormatAmzDate(now + kMaxSkew),
                     " (", FormatAmzDate(now), " + 15 min.)"),
        params);
  }
  if (presigned && params.expires_seconds) {
    const absl::Time expiry =
        *signed_at + absl::Seconds(*params.expires_seconds);
    if (now > expiry) {
      return Failure(
          SigV4Error::kRequestExpired,
          absl::StrCat("Request has expired: X-Amz-Date ", params.amz_date,
                       " plus X-Amz-Expires ", *params.expires_seconds,
                       " s is earlier than ", FormatAmzDate(now), "."),
          params);
    }
  } else if (now - *signed_at > kMaxSkew) {
    return Failure(
        SigV4Error::kSignatureDoesNotMatch,
        absl::StrCat("Signature expired: ", params.amz_date,
                     " is now earlier than ", FormatAmzDate(now - kMaxSkew),
                     " (", FormatAmzDate(now), " - 15 min.)"),
        params);
  }

  // The payload hash the client may have used: the header it sent, else the
  // body's hash; botocore's and S3-style presigners use UNSIGNED-PAYLOAD.
  std::vector<std::string> payload_hashes;
  if (request.HasHeader("x-amz-content-sha256")) {
    payload_hashes.push_back(request.Header("x-amz-content-sha256"));
  } else {
    payload_hashes.push_back(Sha256Hex(request.body));
    if (presigned) payload_hashes.emplace_back(kUnsignedPayload);
  }
  const std::string canonical_prefix = absl::StrCat(
      request.method, "\n", CanonicalUri(request.Path()), "\n",
      CanonicalQueryString(request.Query(), /*drop_signature=*/presigned), "\n",
      CanonicalHeaders(request, params.signed_names), "\n",
      params.signed_headers, "\n");
  bool matched = false;
  for (const std::string& payload_hash : payload_hashes) {
    const std::string expected =
        Sign(secret->second, params, params.amz_date,
             absl::StrCat(canonical_prefix, payload_hash));
    matched |= ConstantTimeEquals(expected, params.signature);
  }
  if (!matched) {
    return Failure(SigV4Error::kSignatureDoesNotMatch,
                   std::string(kMismatchMessage), params);
  }
  SigV4Result result;
  result.access_key = params.access_key;
  result.region = params.region;
  result.service = params.service;
  return result;
}

}  // namespace cortado::gateway
