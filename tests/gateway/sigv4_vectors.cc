#include "tests/gateway/sigv4_vectors.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace cortado::gateway {
namespace {

std::string SuiteAuthorization(absl::string_view signed_headers,
                               absl::string_view signature) {
  return absl::StrCat(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
      "aws4_request, SignedHeaders=",
      signed_headers, ", Signature=", signature);
}

}  // namespace

// "yyyymmddTHHMMSSZ" -> time (absl::ParseTime's %Y is greedy, so insert
// separators first).
absl::Time AmzTime(absl::string_view text) {
  const std::string spaced =
      absl::StrCat(text.substr(0, 4), "-", text.substr(4, 2), "-",
                   text.substr(6, 2), text.substr(8));
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime("%Y-%m-%dT%H%M%SZ", spaced, absl::UTCTimeZone(),
                              &time, &error))
      << text << ": " << error;
  return time;
}

HttpRequest MakeRequest(std::string method, std::string target,
                        const Headers& headers, std::string body) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  for (const auto& [name, value] : headers) request.AddHeader(name, value);
  request.body = std::move(body);
  return request;
}

SigV4Credentials SuiteCredentials() {
  return {{{std::string(kSuiteKey), std::string(kSuiteSecret)}}};
}

HttpRequest SuiteRequest(const SuiteCase& c) {
  Headers headers = {{"Host", std::string(kSuiteHost)},
                     {"X-Amz-Date", std::string(kSuiteDate)}};
  headers.insert(headers.end(), c.extra_headers.begin(), c.extra_headers.end());
  headers.emplace_back("Authorization",
                       SuiteAuthorization(c.signed_headers, c.signature));
  return MakeRequest(c.method, c.target, headers, c.body);
}

const std::string kSecurityToken =
    "AQoDYXdzEPT//////////"
    "wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIe"
    "oIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/"
    "kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9H"
    "FvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"
    "scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

std::vector<SuiteCase> SuiteCases() {
  const std::string hd = "host;x-amz-date";
  const std::string hmd = "host;my-header1;x-amz-date";
  return {
      {"get_vanilla",
       "GET",
       "/",
       {},
       "",
       hd,
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"post_vanilla",
       "POST",
       "/",
       {},
       "",
       hd,
       "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
      {"get_vanilla_query_order_key",
       "GET",
       "/?Param1=value2&Param1=Value1",
       {},
       "",
       hd,
       "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"},
      {"get_vanilla_query_order_key_case",
       "GET",
       "/?Param2=value2&Param1=value1",
       {},
       "",
       hd,
       "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
      {"get_vanilla_query_unreserved",
       "GET",
       "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz="
       "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
       {},
       "",
       hd,
       "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"},
      {"get_vanilla_utf8_query",
       "GET",
       "/?\xE1\x88\xB4=bar",
       {},
       "",
       hd,
       "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
      {"get_vanilla_empty_query_key",
       "GET",
       "/?Param1=value1",
       {},
       "",
       hd,
       "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"},
      {"post_vanilla_empty_query_value",
       "POST",
       "/?Param1=value1",
       {},
       "",
       hd,
       "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
      {"get_unreserved",
       "GET",
       "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
       {},
       "",
       hd,
       "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
      {"get_utf8",
       "GET",
       "/\xE1\x88\xB4",
       {},
       "",
       hd,
       "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
      {"get_header_key_duplicate",
       "GET",
       "/",
       {{"My-Header1", "value2"},
        {"My-Header1", "value2"},
        {"My-Header1", "value1"}},
       "",
       hmd,
       "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"},
      {"get_header_value_order",
       "GET",
       "/",
       {{"My-Header1", "value4"},
        {"My-Header1", "value1"},
        {"My-Header1", "value3"},
        {"My-Header1", "value2"}},
       "",
       hmd,
       "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"},
      {"get_header_value_trim",
       "GET",
       "/",
       {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}},
       "",
       "host;my-header1;my-header2;x-amz-date",
       "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
      {"post_header_key_sort",
       "POST",
       "/",
       {{"My-Header1", "value1"}},
       "",
       hmd,
       "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"},
      {"post_header_value_case",
       "POST",
       "/",
       {{"My-Header1", "VALUE1"}},
       "",
       hmd,
       "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"},
      {"post_x_www_form_urlencoded",
       "POST",
       "/",
       {{"Content-Type", "application/x-www-form-urlencoded"}},
       "Param1=value1",
       "content-type;host;x-amz-date",
       "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
      {"post_x_www_form_urlencoded_parameters",
       "POST",
       "/",
       {{"Content-Type", "application/x-www-form-urlencoded; charset=utf8"}},
       "Param1=value1",
       "content-type;host;x-amz-date",
       "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"},
      {"post_sts_header_before",
       "POST",
       "/",
       {{"X-Amz-Security-Token", kSecurityToken}},
       "",
       "host;x-amz-date;x-amz-security-token",
       "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"},
      // normalize-path/
      {"get_space",
       "GET",
       "/example space/",
       {},
       "",
       hd,
       "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
      {"get_relative_relative",
       "GET",
       "/example1/example2/../..",
       {},
       "",
       hd,
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get_slash_dot_slash",
       "GET",
       "/./",
       {},
       "",
       hd,
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get_slash_pointless_dot",
       "GET",
       "/./example",
       {},
       "",
       hd,
       "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5"},
      {"get_slashes",
       "GET",
       "//example//",
       {},
       "",
       hd,
       "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"},
  };
}

}  // namespace cortado::gateway
