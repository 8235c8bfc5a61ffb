// SNS filter policies that SNS rejects, with SNS's exact error messages
// (wording as recorded against AWS by moto/LocalStack, without AWS's
// trailing "at [Source: ...]" location).
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/core/errors.h"
#include "server/core/filter_policy.h"

namespace cortado {
namespace {

constexpr auto kAttrs = FilterPolicyScope::kMessageAttributes;

struct InvalidCase {
  const char* name;
  const char* policy;
  FilterPolicyScope scope;
  const char* message;
};

const std::vector<InvalidCase>& InvalidCases() {
  static const auto* cases = new std::vector<InvalidCase>{
      {"not_json", "{", kAttrs,
       "Invalid parameter: FilterPolicy: failed to parse JSON."},
      {"too_many_keys",
       R"({"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]})",
       kAttrs,
       "Invalid parameter: FilterPolicy: Filter policy can not have more than "
       "5 keys"},
      {"too_complex",
       R"({"a":["1","2","3","4","5","6"],"b":["1","2","3","4","5","6"],"c":["1","2","3","4","5"]})",
       kAttrs, "Invalid parameter: FilterPolicy: Filter policy is too complex"},
      {"empty_array", R"({"a":[]})", kAttrs,
       "Invalid parameter: FilterPolicy: Empty arrays are not allowed"},
      {"scalar_value", R"({"a":"b"})", kAttrs,
       "Invalid parameter: FilterPolicy: \"a\" must be an object or an array"},
      {"nested_in_attributes", R"({"a":{"b":["c"]}})", kAttrs,
       "Invalid parameter: Filter policy scope MessageAttributes does not "
       "support nested filter policy"},
      {"two_keys_in_match", R"({"a":[{"prefix":"x","suffix":"y"}]})", kAttrs,
       "Invalid parameter: FilterPolicy: Only one key allowed in match "
       "expression"},
      {"unknown_match", R"({"a":[{"wildcard":"x*"}]})", kAttrs,
       "Invalid parameter: FilterPolicy: Unrecognized match type wildcard"},
      {"nested_array_value", R"({"a":[["x"]]})", kAttrs,
       "Invalid parameter: FilterPolicy: Match value must be String, number, "
       "true, false, or null"},
      {"exists_not_bool", R"({"a":[{"exists":"yes"}]})", kAttrs,
       "Invalid parameter: FilterPolicy: exists match pattern must be either "
       "true or false."},
      {"numeric_string_value", R"({"p":[{"numeric":["<","100"]}]})", kAttrs,
       "Invalid parameter: FilterPolicy: Value of < must be numeric"},
      {"numeric_bad_operator", R"({"p":[{"numeric":["!=",1]}]})", kAttrs,
       "Invalid parameter: FilterPolicy: Unrecognized numeric range operator: "
       "!="},
      {"numeric_bottom_top", R"({"p":[{"numeric":[">",10,"<",5]}]})", kAttrs,
       "Invalid parameter: FilterPolicy: Bottom must be less than top"},
      {"numeric_second_bad", R"({"p":[{"numeric":[">",1,">",5]}]})", kAttrs,
       "Invalid parameter: FilterPolicy: Bad numeric range operator: >"},
      {"numeric_upper_first", R"({"p":[{"numeric":["<",1,">",0]}]})", kAttrs,
       "Invalid parameter: FilterPolicy: Too many elements in numeric "
       "expression"},
      {"numeric_second_value", R"({"p":[{"numeric":[">",1,"<","9"]}]})", kAttrs,
       "Invalid parameter: FilterPolicy: Value of < must be numeric"},
      {"prefix_not_string", R"({"a":[{"prefix":1}]})", kAttrs,
       "Invalid parameter: FilterPolicy: prefix match pattern must be a "
       "string"},
      {"cidr_malformed", R"({"ip":[{"cidr":"10.0.0.0"}]})", kAttrs,
       "Invalid parameter: FilterPolicy: Malformed CIDR, one '/' required"},
      {"anything_but_bad_type", R"({"a":[{"anything-but":true}]})", kAttrs,
       "Invalid parameter: FilterPolicy: Value of anything-but must be an "
       "array or single string/number value."},
      {"or_single_branch", R"({"$or":[{"a":["1"]}]})", kAttrs,
       "Invalid parameter: FilterPolicy: $or must be an array of at least "
       "two objects"},
      {"not_an_object", R"(["a"])", kAttrs,
       "Invalid parameter: FilterPolicy: Filter policy must be a JSON object"},
      {"anything_but_empty", R"({"a":[{"anything-but":[]}]})", kAttrs,
       "Invalid parameter: FilterPolicy: Empty arrays are not allowed"},
  };
  return *cases;
}

class FilterPolicyInvalidTest : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(FilterPolicyInvalidTest, RejectedWithSnsMessage) {
  const InvalidCase& c = GetParam();
  absl::StatusOr<FilterPolicy> policy = FilterPolicy::Parse(c.policy, c.scope);
  ASSERT_FALSE(policy.ok()) << c.policy;
  EXPECT_EQ(GetErrorKind(policy.status()), ErrorKind::kInvalidParameter);
  EXPECT_EQ(policy.status().message(), c.message);
}

INSTANTIATE_TEST_SUITE_P(Table, FilterPolicyInvalidTest,
                         ::testing::ValuesIn(InvalidCases()),
                         [](const ::testing::TestParamInfo<InvalidCase>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace cortado
