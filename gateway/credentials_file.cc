// LoadCredentialsFile: the --credentials file of access key / secret pairs
// for SigV4 verification (declared in gateway/sigv4.h).
#include <algorithm>
#include <fstream>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gateway/sigv4.h"

namespace cortado::gateway {

absl::StatusOr<SigV4Credentials> LoadCredentialsFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return absl::NotFoundError(
        absl::StrCat("cannot open credentials file ", path));
  }
  SigV4Credentials credentials;
  std::map<std::string, int> first_line;
  std::string raw_line;
  for (int line_number = 1; std::getline(file, raw_line); ++line_number) {
    const absl::string_view line = absl::StripAsciiWhitespace(raw_line);
    if (line.empty() || line.front() == '#') continue;
    auto error = [&](absl::string_view what) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_number, ": ", what,
                       " (expected \"ACCESS_KEY SECRET\" or "
                       "\"ACCESS_KEY:SECRET\")"));
    };
    const size_t separator = line.find_first_of(" \t:");
    if (separator == absl::string_view::npos) return error("no secret");
    const std::string access_key(line.substr(0, separator));
    const absl::string_view secret =
        absl::StripAsciiWhitespace(line.substr(separator + 1));
    if (access_key.empty()) return error("empty access key");
    if (secret.empty()) return error("empty secret");
    if (std::any_of(secret.begin(), secret.end(), absl::ascii_isspace)) {
      return error("whitespace inside the secret");
    }
    if (auto [it, inserted] = first_line.emplace(access_key, line_number);
        !inserted) {
      return error(absl::StrCat("access key ", access_key,
                                " already defined on line ", it->second));
    }
    credentials.secrets.emplace(access_key, std::string(secret));
  }
  if (file.bad()) {
    return absl::DataLossError(
        absl::StrCat("error reading credentials file ", path));
  }
  return credentials;
}

}  // namespace cortado::gateway
