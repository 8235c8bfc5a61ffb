// SNS filter policies: a table of policy x message x expected match, and a
// table of invalid policies with SNS's error messages.
#include "server/core/filter_policy.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/errors.h"

namespace cortado {
namespace {

struct Attr {
  std::string name, type, value;
};

MessageAttributes MakeAttributes(const std::vector<Attr>& attrs) {
  MessageAttributes out;
  for (const Attr& a : attrs) {
    MessageAttributeValue value;
    value.data_type = a.type;
    if (a.type.rfind("Binary", 0) == 0) {
      value.binary = true;
      value.binary_value = a.value;
    } else {
      value.string_value = a.value;
    }
    out[a.name] = value;
  }
  return out;
}

constexpr auto kAttrs = FilterPolicyScope::kMessageAttributes;
constexpr auto kBody = FilterPolicyScope::kMessageBody;

struct MatchCase {
  const char* name;
  const char* policy;
  FilterPolicyScope scope;
  std::vector<Attr> attributes;
  const char* body;
  bool expected;
};

const std::vector<MatchCase>& MatchCases() {
  static const auto* cases = new std::vector<MatchCase>{
      // The document's routing rule.
      {"event_equal",
       R"({"event":["order_placed"]})",
       kAttrs,
       {{"event", "String", "order_placed"}},
       "x",
       true},
      {"event_other",
       R"({"event":["order_placed"]})",
       kAttrs,
       {{"event", "String", "payment_made"}},
       "x",
       false},
      {"event_absent", R"({"event":["order_placed"]})", kAttrs, {}, "x", false},
      {"anything_but_event",
       R"({"event":[{"anything-but":"order_placed"}]})",
       kAttrs,
       {{"event", "String", "payment_made"}},
       "x",
       true},
      {"anything_but_event_same",
       R"({"event":[{"anything-but":"order_placed"}]})",
       kAttrs,
       {{"event", "String", "order_placed"}},
       "x",
       false},
      // Empty policies match everything.
      {"empty_string", "", kAttrs, {}, "x", true},
      {"empty_object", "{}", kAttrs, {}, "x", true},
      // Exact strings are case-sensitive; OR across values.
      {"exact_case",
       R"({"color":["red"]})",
       kAttrs,
       {{"color", "String", "Red"}},
       "x",
       false},
      {"or_values",
       R"({"color":["red","blue"]})",
       kAttrs,
       {{"color", "String", "blue"}},
       "x",
       true},
      {"string_array_any",
       R"({"color":["red"]})",
       kAttrs,
       {{"color", "String.Array", R"(["green","red"])"}},
       "x",
       true},
      {"string_array_none",
       R"({"color":["red"]})",
       kAttrs,
       {{"color", "String.Array", R"(["green","blue"])"}},
       "x",
       false},
      {"custom_string_type",
       R"({"color":["red"]})",
       kAttrs,
       {{"color", "String.custom", "red"}},
       "x",
       true},
      // Exact numbers compare numerically, against Number attributes.
      {"number_equal",
       R"({"price":[100]})",
       kAttrs,
       {{"price", "Number", "100.0"}},
       "x",
       true},
      {"number_exp",
       R"({"price":[301.5]})",
       kAttrs,
       {{"price", "Number", "3.015e2"}},
       "x",
       true},
      {"number_differs",
       R"({"price":[100]})",
       kAttrs,
       {{"price", "Number", "101"}},
       "x",
       false},
      {"number_vs_string_attr",
       R"({"price":[100]})",
       kAttrs,
       {{"price", "String", "100"}},
       "x",
       false},
      // AND across keys.
      {"and_both",
       R"({"color":["red"],"size":["L"]})",
       kAttrs,
       {{"color", "String", "red"}, {"size", "String", "L"}},
       "x",
       true},
      {"and_one_missing",
       R"({"color":["red"],"size":["L"]})",
       kAttrs,
       {{"color", "String", "red"}},
       "x",
       false},
      {"unmentioned_ignored",
       R"({"color":["red"]})",
       kAttrs,
       {{"color", "String", "red"}, {"other", "String", "z"}},
       "x",
       true},
      // prefix / suffix / equals-ignore-case.
      {"prefix_yes",
       R"({"color":[{"prefix":"bl"}]})",
       kAttrs,
       {{"color", "String", "blue"}},
       "x",
       true},
      {"prefix_no",
       R"({"color":[{"prefix":"bl"}]})",
       kAttrs,
       {{"color", "String", "red"}},
       "x",
       false},
      {"suffix_yes",
       R"({"file":[{"suffix":".png"}]})",
       kAttrs,
       {{"file", "String", "a.png"}},
       "x",
       true},
      {"suffix_no",
       R"({"file":[{"suffix":".png"}]})",
       kAttrs,
       {{"file", "String", "a.jpg"}},
       "x",
       false},
      {"ignore_case_yes",
       R"({"color":[{"equals-ignore-case":"RED"}]})",
       kAttrs,
       {{"color", "String", "rEd"}},
       "x",
       true},
      {"ignore_case_no",
       R"({"color":[{"equals-ignore-case":"RED"}]})",
       kAttrs,
       {{"color", "String", "reds"}},
       "x",
       false},
      {"mixed_or",
       R"({"color":["red",{"prefix":"bl"}]})",
       kAttrs,
       {{"color", "String", "black"}},
       "x",
       true},
      // anything-but: lists, numbers, prefix, suffix; needs the key.
      {"anything_but_list_in",
       R"({"c":[{"anything-but":["a","b"]}]})",
       kAttrs,
       {{"c", "String", "b"}},
       "x",
       false},
      {"anything_but_list_out",
       R"({"c":[{"anything-but":["a","b"]}]})",
       kAttrs,
       {{"c", "String", "z"}},
       "x",
       true},
      {"anything_but_number",
       R"({"n":[{"anything-but":[100,200]}]})",
       kAttrs,
       {{"n", "Number", "200"}},
       "x",
       false},
      {"anything_but_number_out",
       R"({"n":[{"anything-but":100}]})",
       kAttrs,
       {{"n", "Number", "150"}},
       "x",
       true},
      {"anything_but_absent",
       R"({"c":[{"anything-but":"a"}]})",
       kAttrs,
       {},
       "x",
       false},
      {"anything_but_prefix_no",
       R"({"c":[{"anything-but":{"prefix":"in"}}]})",
       kAttrs,
       {{"c", "String", "internal"}},
       "x",
       false},
      {"anything_but_prefix_yes",
       R"({"c":[{"anything-but":{"prefix":"in"}}]})",
       kAttrs,
       {{"c", "String", "external"}},
       "x",
       true},
      {"anything_but_suffix",
       R"({"c":[{"anything-but":{"suffix":"ed"}}]})",
       kAttrs,
       {{"c", "String", "failed"}},
       "x",
       false},
      // Numeric ranges.
      {"numeric_range_in",
       R"({"p":[{"numeric":[">",0,"<=",100]}]})",
       kAttrs,
       {{"p", "Number", "100"}},
       "x",
       true},
      {"numeric_range_low",
       R"({"p":[{"numeric":[">",0,"<=",100]}]})",
       kAttrs,
       {{"p", "Number", "0"}},
       "x",
       false},
      {"numeric_range_high",
       R"({"p":[{"numeric":[">",0,"<=",100]}]})",
       kAttrs,
       {{"p", "Number", "100.001"}},
       "x",
       false},
      {"numeric_ge",
       R"({"p":[{"numeric":[">=",10]}]})",
       kAttrs,
       {{"p", "Number", "10"}},
       "x",
       true},
      {"numeric_lt",
       R"({"p":[{"numeric":["<",10]}]})",
       kAttrs,
       {{"p", "Number", "10"}},
       "x",
       false},
      {"numeric_eq",
       R"({"p":[{"numeric":["=",-5.5]}]})",
       kAttrs,
       {{"p", "Number", "-5.50"}},
       "x",
       true},
      {"numeric_on_string",
       R"({"p":[{"numeric":[">",0]}]})",
       kAttrs,
       {{"p", "String", "5"}},
       "x",
       false},
      {"binary_never",
       R"({"b":["AAEC"]})",
       kAttrs,
       {{"b", "Binary", "AAEC"}},
       "x",
       false},
      // exists.
      {"exists_true_present",
       R"({"s":[{"exists":true}]})",
       kAttrs,
       {{"s", "String", "x"}},
       "x",
       true},
      {"exists_true_absent",
       R"({"s":[{"exists":true}]})",
       kAttrs,
       {},
       "x",
       false},
      {"exists_false_absent",
       R"({"s":[{"exists":false}]})",
       kAttrs,
       {},
       "x",
       true},
      {"exists_false_present",
       R"({"s":[{"exists":false}]})",
       kAttrs,
       {{"s", "String", "x"}},
       "x",
       false},
      // $or.
      {"or_first",
       R"({"$or":[{"a":["1"]},{"b":["2"]}]})",
       kAttrs,
       {{"a", "String", "1"}},
       "x",
       true},
      {"or_second",
       R"({"$or":[{"a":["1"]},{"b":["2"]}]})",
       kAttrs,
       {{"b", "String", "2"}},
       "x",
       true},
      {"or_neither",
       R"({"$or":[{"a":["1"]},{"b":["2"]}]})",
       kAttrs,
       {{"a", "String", "2"}},
       "x",
       false},
      {"or_and_key",
       R"({"k":["v"],"$or":[{"a":["1"]},{"b":["2"]}]})",
       kAttrs,
       {{"b", "String", "2"}},
       "x",
       false},
      {"or_and_key_both",
       R"({"k":["v"],"$or":[{"a":["1"]},{"b":["2"]}]})",
       kAttrs,
       {{"b", "String", "2"}, {"k", "String", "v"}},
       "x",
       true},
      // The example of sqs-protocol.md §6.6.
      {"doc_example",
       R"({"color":["red",{"prefix":"bl"}],"price":[{"numeric":[">=",100]}],"store":[{"exists":true}]})",
       kAttrs,
       {{"color", "String", "blue"},
        {"price", "Number", "150"},
        {"store", "String", "s1"}},
       "x",
       true},
      // cidr (IPv4).
      {"cidr_in",
       R"({"ip":[{"cidr":"10.0.0.0/24"}]})",
       kAttrs,
       {{"ip", "String", "10.0.0.255"}},
       "x",
       true},
      {"cidr_out",
       R"({"ip":[{"cidr":"10.0.0.0/24"}]})",
       kAttrs,
       {{"ip", "String", "10.0.1.1"}},
       "x",
       false},
      {"cidr_not_ip",
       R"({"ip":[{"cidr":"10.0.0.0/24"}]})",
       kAttrs,
       {{"ip", "String", "localhost"}},
       "x",
       false},
      // String.Array elements meet every string operator.
      {"array_prefix",
       R"({"tags":[{"prefix":"pri"}]})",
       kAttrs,
       {{"tags", "String.Array", R"(["public","private"])"}},
       "x",
       true},
      {"array_numbers",
       R"({"ids":[{"numeric":[">",10]}]})",
       kAttrs,
       {{"ids", "String.Array", "[1, 20]"}},
       "x",
       true},
      {"array_not_json",
       R"({"tags":["a"]})",
       kAttrs,
       {{"tags", "String.Array", "a"}},
       "x",
       false},
      // Body scope: nested keys, arrays, types, non-JSON bodies.
      {"body_flat",
       R"({"event":["order_placed"]})",
       kBody,
       {},
       R"({"event":"order_placed"})",
       true},
      {"body_nested",
       R"({"order":{"status":["paid"]}})",
       kBody,
       {},
       R"({"order":{"status":"paid","id":7}})",
       true},
      {"body_nested_other",
       R"({"order":{"status":["paid"]}})",
       kBody,
       {},
       R"({"order":{"status":"open"}})",
       false},
      {"body_nested_missing",
       R"({"order":{"status":["paid"]}})",
       kBody,
       {},
       R"({"order":"paid"})",
       false},
      {"body_dotted_key",
       R"({"order.status":["paid"]})",
       kBody,
       {},
       R"({"order":{"status":"paid"}})",
       true},
      {"body_dotted_key_other",
       R"({"order.status":["paid"]})",
       kBody,
       {},
       R"({"order":{"status":"open"}})",
       false},
      {"body_array_value",
       R"({"tags":["b"]})",
       kBody,
       {},
       R"({"tags":["a","b"]})",
       true},
      {"body_number",
       R"({"n":[{"numeric":[">",1]}]})",
       kBody,
       {},
       R"({"n":2})",
       true},
      {"body_number_string",
       R"({"n":[{"numeric":[">",1]}]})",
       kBody,
       {},
       R"({"n":"2"})",
       false},
      {"body_bool", R"({"ok":[true]})", kBody, {}, R"({"ok":true})", true},
      {"body_null", R"({"v":[null]})", kBody, {}, R"({"v":null})", true},
      {"body_not_json", R"({"a":["b"]})", kBody, {}, "plain text", false},
      {"body_not_object", R"({"a":["b"]})", kBody, {}, R"(["a"])", false},
      {"body_exists_false",
       R"({"a":{"b":[{"exists":false}]}})",
       kBody,
       {},
       R"({"a":{"c":1}})",
       true},
      {"body_ignores_attributes",
       R"({"a":["b"]})",
       kBody,
       {{"a", "String", "b"}},
       R"({"a":"c"})",
       false},
      {"body_or_nested",
       R"({"$or":[{"a":{"b":["1"]}},{"c":["2"]}]})",
       kBody,
       {},
       R"({"c":"2"})",
       true},
  };
  return *cases;
}

class FilterPolicyMatchTest : public ::testing::TestWithParam<MatchCase> {};

TEST_P(FilterPolicyMatchTest, MatchesAsSnsDoes) {
  const MatchCase& c = GetParam();
  absl::StatusOr<FilterPolicy> policy = FilterPolicy::Parse(c.policy, c.scope);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->Matches(MakeAttributes(c.attributes), c.body), c.expected)
      << "policy " << c.policy << " body " << c.body;
}

INSTANTIATE_TEST_SUITE_P(Table, FilterPolicyMatchTest,
                         ::testing::ValuesIn(MatchCases()),
                         [](const ::testing::TestParamInfo<MatchCase>& info) {
                           return std::string(info.param.name);
                         });

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

TEST(FilterPolicyScopeTest, ParsesBothNamesAndRejectsOthers) {
  EXPECT_EQ(*ParseFilterPolicyScope("MessageBody"),
            FilterPolicyScope::kMessageBody);
  EXPECT_EQ(*ParseFilterPolicyScope("MessageAttributes"),
            FilterPolicyScope::kMessageAttributes);
  absl::StatusOr<FilterPolicyScope> bad = ParseFilterPolicyScope("Body");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "Invalid parameter: FilterPolicyScope: Invalid value [Body]. "
            "Please use either MessageBody or MessageAttributes");
  EXPECT_EQ(FilterPolicyScopeName(FilterPolicyScope::kMessageBody),
            "MessageBody");
}

TEST(FilterPolicyTest, DefaultPolicyMatchesEverything) {
  FilterPolicy policy;
  EXPECT_TRUE(policy.empty());
  EXPECT_TRUE(policy.Matches({}, ""));
}

}  // namespace
}  // namespace cortado
