// Fixed SigV4 inputs for the gateway's tests: AWS's published SigV4 test
// suite (docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html),
// each case the suite's .req plus the signature from its .authz, and small
// request builders. No signer lives here.
#ifndef CORTADO_TESTS_GATEWAY_SIGV4_VECTORS_H_
#define CORTADO_TESTS_GATEWAY_SIGV4_VECTORS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway/http_message.h"
#include "gateway/sigv4.h"

namespace cortado::gateway {

using Headers = std::vector<std::pair<std::string, std::string>>;

// "yyyymmddTHHMMSSZ" -> time.
absl::Time AmzTime(absl::string_view text);

HttpRequest MakeRequest(std::string method, std::string target,
                        const Headers& headers, std::string body = "");

// The suite's key, scope and time.
inline constexpr absl::string_view kSuiteKey = "AKIDEXAMPLE";
inline constexpr absl::string_view kSuiteSecret =
    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
inline constexpr absl::string_view kSuiteDate = "20150830T123600Z";
inline constexpr absl::string_view kSuiteHost = "example.amazonaws.com";

SigV4Credentials SuiteCredentials();

struct SuiteCase {
  std::string name;
  std::string method;
  std::string target;
  Headers extra_headers;  // besides Host and X-Amz-Date
  std::string body;
  std::string signed_headers;
  std::string signature;
};

// The case as a request signed with the suite's Authorization header.
HttpRequest SuiteRequest(const SuiteCase& c);

// Every published case; the first is get-vanilla.
std::vector<SuiteCase> SuiteCases();
inline SuiteCase Vanilla() { return SuiteCases().front(); }

}  // namespace cortado::gateway

#endif  // CORTADO_TESTS_GATEWAY_SIGV4_VECTORS_H_
