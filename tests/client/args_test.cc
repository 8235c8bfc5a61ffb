#include "client/cli/args.h"

#include "gtest/gtest.h"

namespace cortado::cli {
namespace {

const std::vector<FlagSpec> kSpecs = {
    {"server", true}, {"json", false}, {"attr", true, true}, {"wait", true}};

TEST(ArgsTest, FlagsMayComeAnywhere) {
  absl::StatusOr<Args> args =
      Args::Parse({"--json", "send", "q", "--attr", "a=1", "body", "--attr=b=2",
                   "--server=h:1"},
                  kSpecs);
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->positional(),
            (std::vector<std::string>{"send", "q", "body"}));
  EXPECT_TRUE(args->Has("json"));
  EXPECT_EQ(args->Get("server"), "h:1");
  EXPECT_EQ(args->GetAll("attr"), (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_FALSE(args->Get("wait").has_value());
}

TEST(ArgsTest, DoubleDashEndsFlags) {
  absl::StatusOr<Args> args =
      Args::Parse({"send", "q", "--", "--json"}, kSpecs);
  ASSERT_TRUE(args.ok());
  EXPECT_EQ(args->positional(),
            (std::vector<std::string>{"send", "q", "--json"}));
  EXPECT_FALSE(args->Has("json"));
}

TEST(ArgsTest, SingleDashWordsArePositional) {
  absl::StatusOr<Args> args = Args::Parse({"send", "q", "-5"}, kSpecs);
  ASSERT_TRUE(args.ok());
  EXPECT_EQ(args->positional().back(), "-5");
}

TEST(ArgsTest, MistakesAreUsageErrors) {
  for (const std::vector<std::string>& words :
       std::vector<std::vector<std::string>>{{"--bogus"},
                                             {"--wait"},
                                             {"--json=yes"},
                                             {"--wait", "1", "--wait", "2"}}) {
    absl::StatusOr<Args> args = Args::Parse(words, kSpecs);
    ASSERT_FALSE(args.ok()) << words[0];
    EXPECT_TRUE(IsUsageError(args.status())) << args.status();
  }
}

TEST(ArgsTest, GetIntChecksTheRange) {
  absl::StatusOr<Args> args = Args::Parse({"--wait", "21"}, kSpecs);
  ASSERT_TRUE(args.ok());
  EXPECT_TRUE(IsUsageError(args->GetInt("wait", 0, 20).status()));
  args = Args::Parse({"--wait", "abc"}, kSpecs);
  EXPECT_TRUE(IsUsageError(args->GetInt("wait", 0, 20).status()));
  args = Args::Parse({"--wait", "20"}, kSpecs);
  EXPECT_EQ(*args->GetInt("wait", 0, 20), std::optional<int>(20));
}

TEST(ArgsTest, AllowOnlyNamesTheStrayFlag) {
  absl::StatusOr<Args> args = Args::Parse({"--wait", "1"}, kSpecs);
  absl::Status status = args->AllowOnly("send", {"attr"});
  EXPECT_TRUE(IsUsageError(status));
  EXPECT_EQ(status.message(), "'send' does not take --wait");
  EXPECT_TRUE(args->AllowOnly("receive", {"wait"}).ok());
}

}  // namespace
}  // namespace cortado::cli
