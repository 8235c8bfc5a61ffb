#include "gateway/sigv4_canonical.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace cortado::gateway::sigv4_internal {
namespace {

bool IsUnreserved(unsigned char c) {
  return absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Form-style decoding of one query name or value: %XX -> byte, '+' -> space
// (the gateway reads query parameters the same way, so we verify what it
// will act on). A malformed escape is kept literally.
std::string QueryDecode(absl::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out.push_back(' ');
    } else if (in[i] == '%' && i + 2 < in.size() && HexValue(in[i + 1]) >= 0 &&
               HexValue(in[i + 2]) >= 0) {
      out.push_back(
          static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2])));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

// Strips, and collapses every internal whitespace run to one space.
std::string TrimAll(absl::string_view value) {
  std::string out;
  for (absl::string_view word : absl::StrSplit(
           value, absl::ByAnyChar(" \t\r\n\v\f"), absl::SkipEmpty())) {
    if (!out.empty()) out.push_back(' ');
    absl::StrAppend(&out, word);
  }
  return out;
}

}  // namespace

// RFC 3986 encoding as SigV4 wants it: unreserved bytes kept, everything else
// (optionally except '/') as upper-case %XX.
std::string UriEncode(absl::string_view in, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size());
  for (unsigned char c : in) {
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

// Decoded (name, value) pairs of a raw query string, in order.
std::vector<std::pair<std::string, std::string>> ParseQuery(
    absl::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  for (absl::string_view piece :
       absl::StrSplit(query, '&', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(piece, absl::MaxSplits('=', 1));
    params.emplace_back(QueryDecode(kv.first), QueryDecode(kv.second));
  }
  return params;
}

// Raw path -> canonical URI: dot segments and empty segments removed (as
// botocore and the JS SDK do), then every byte except '/' and unreserved
// percent-encoded, so an already-encoded "%20" becomes "%2520".
std::string CanonicalUri(absl::string_view raw_path) {
  if (raw_path.empty()) return "/";
  std::vector<absl::string_view> segments;
  for (absl::string_view segment : absl::StrSplit(raw_path, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  std::string path = raw_path.front() == '/' ? "/" : "";
  absl::StrAppend(&path, absl::StrJoin(segments, "/"));
  if (raw_path.back() == '/' && !segments.empty()) path.push_back('/');
  return UriEncode(path, /*keep_slash=*/true);
}

std::string CanonicalQueryString(absl::string_view raw_query,
                                 bool drop_signature) {
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const auto& [name, value] : ParseQuery(raw_query)) {
    if (drop_signature && name == "X-Amz-Signature") continue;
    encoded.emplace_back(UriEncode(name, false), UriEncode(value, false));
  }
  std::sort(encoded.begin(), encoded.end());
  return absl::StrJoin(encoded, "&", absl::PairFormatter("="));
}

std::string CanonicalHeaders(const HttpRequest& request,
                             const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    std::vector<std::string> values;
    if (auto it = request.headers.find(name); it != request.headers.end()) {
      for (const std::string& value : it->second) {
        values.push_back(TrimAll(value));
      }
    }
    absl::StrAppend(&out, name, ":", absl::StrJoin(values, ","), "\n");
  }
  return out;
}

}  // namespace cortado::gateway::sigv4_internal
