// `cortado-server --help` (issue 18, part 4): exit 0, every flag by its
// dashed name with its default.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"

namespace cortado {
namespace {

TEST(ServerHelpTest, ListsEveryFlagWithItsDefault) {
  for (const char* flag : {"--help", "-h"}) {
    absl::StatusOr<testing::Subprocess::Result> help =
        testing::RunSubprocess({CORTADO_SERVER_BINARY_PATH, flag});
    ASSERT_TRUE(help.ok()) << help.status();
    EXPECT_EQ(help->exit_code, 0) << help->err;
    for (const auto& [name, value] :
         std::vector<std::pair<std::string, std::string>>{
             {"account-id", "000000000000"},
             {"aws-60s-rules", "false"},
             {"config", "none"},
             {"credentials", "none"},
             {"data-dir", "./cortado-data"},
             {"database-schema", "cortado"},
             {"database-url", "none"},
             {"grpc-addr", "127.0.0.1:50051"},
             {"http-addr", "127.0.0.1:9324"},
             {"log-level", "info"},
             {"ready-file", "none"},
             {"region", "us-east-1"},
             {"storage", "sqlite"},
             {"sync", "normal"}}) {
      EXPECT_NE(help->out.find(
                    absl::StrCat("  --", name, " (default: ", value, ")\n")),
                std::string::npos)
          << name << " in:\n"
          << help->out;
    }
  }
}

}  // namespace
}  // namespace cortado
