// SigV4 header and query parsing and canonicalisation: a request written
// as text ("METHOD TARGET", header lines "name: value", a blank line, the
// body) is verified against AWS's published test-suite key at the suite's
// time, so that seeds from the suite reach the signature comparison. Also
// the canonical pieces on their own (sigv4_canonical.h).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway/http_message.h"
#include "gateway/sigv4.h"
#include "gateway/sigv4_canonical.h"

namespace {

using cortado::gateway::HttpRequest;

HttpRequest ToRequest(absl::string_view text) {
  HttpRequest request;
  const size_t blank = text.find("\n\n");
  absl::string_view head = text.substr(0, blank);
  if (blank != absl::string_view::npos) {
    request.body = std::string(text.substr(blank + 2));
  }
  bool first = true;
  for (absl::string_view line : absl::StrSplit(head, '\n')) {
    if (first) {
      std::pair<std::string, std::string> start =
          absl::StrSplit(line, absl::MaxSplits(' ', 1));
      request.method = start.first;
      request.target = start.second;
      first = false;
      continue;
    }
    std::pair<absl::string_view, absl::string_view> header =
        absl::StrSplit(line, absl::MaxSplits(':', 1));
    request.AddHeader(
        header.first,
        std::string(absl::StripLeadingAsciiWhitespace(header.second)));
  }
  return request;
}

cortado::gateway::SigV4Credentials Credentials() {
  cortado::gateway::SigV4Credentials credentials;
  credentials.secrets["AKIDEXAMPLE"] =
      "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  return credentials;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace canonical = cortado::gateway::sigv4_internal;
  static const cortado::gateway::SigV4Credentials credentials = Credentials();
  static const absl::Time now = absl::FromUnixSeconds(1440938160);  // suite
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  const HttpRequest request = ToRequest(text);

  (void)cortado::gateway::ParseAuthorization(request);
  (void)cortado::gateway::VerifySigV4(request, credentials, now);

  (void)canonical::UriEncode(request.target, size > 0 && (data[0] & 1));
  (void)canonical::ParseQuery(request.Query());
  (void)canonical::CanonicalUri(request.Path());
  (void)canonical::CanonicalQueryString(request.Query(), true);
  std::vector<std::string> names;
  for (const auto& [name, values] : request.headers) names.push_back(name);
  names.push_back("absent");
  (void)canonical::CanonicalHeaders(request, names);
  return 0;
}
