// LoadCredentialsFile: the --credentials file of cortado-server.
#include <fstream>
#include <string>

#include "absl/strings/string_view.h"
#include "gateway/sigv4.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::gateway {
namespace {

// ---------------------------------------------------------------------------
// LoadCredentialsFile.
class LoadCredentialsFileTest : public ::testing::Test {
 protected:
  std::string Write(absl::string_view contents) {
    const std::string path = dir_.path() + "/credentials";
    std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
    return path;
  }

  cortado::testing::TempDir dir_;
};

TEST_F(LoadCredentialsFileTest, ReadsBothFormatsCommentsAndBlankLines) {
  absl::StatusOr<SigV4Credentials> credentials = LoadCredentialsFile(
      Write("# Cortado credentials\n"
            "\n"
            "AKIDEXAMPLE wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n"
            "  test:test  \n"
            "   # indented comment\n"
            "TABKEY\t\tsecret:with:colons\r\n"
            "COLONKEY:secret:with:colons\n"
            "\t\n"));
  ASSERT_OK(credentials);
  EXPECT_EQ(credentials->secrets,
            (std::map<std::string, std::string>{
                {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
                {"test", "test"},
                {"TABKEY", "secret:with:colons"},
                {"COLONKEY", "secret:with:colons"}}));
}

TEST_F(LoadCredentialsFileTest, EmptyFileHasNoCredentials) {
  absl::StatusOr<SigV4Credentials> credentials = LoadCredentialsFile(Write(""));
  ASSERT_OK(credentials);
  EXPECT_TRUE(credentials->secrets.empty());
}

TEST_F(LoadCredentialsFileTest, ErrorsNameTheLine) {
  struct Case {
    std::string contents;
    std::string expected;  // substring of the message
  };
  for (const Case& c : std::vector<Case>{
           {"# c\nONLYKEY\n", ":2: no secret"},
           {"A b\nB:\n", ":2: empty secret"},
           {"A b\n\n:secret\n", ":3: empty access key"},
           {"A secret with spaces\n", ":1: whitespace inside the secret"},
           {"A x\nB y\nA z\n", ":3: access key A already defined on line 1"},
       }) {
    absl::StatusOr<SigV4Credentials> credentials =
        LoadCredentialsFile(Write(c.contents));
    ASSERT_FALSE(credentials.ok()) << c.contents;
    EXPECT_EQ(credentials.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(credentials.status().message().find(c.expected),
              std::string::npos)
        << credentials.status();
  }
}

TEST_F(LoadCredentialsFileTest, MissingFileIsNotFound) {
  absl::StatusOr<SigV4Credentials> credentials =
      LoadCredentialsFile(dir_.path() + "/does-not-exist");
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace cortado::gateway
