// The query codec's XML for SNS's wrapped collections and both services'
// dialects: the exact bytes botocore and the AWS CLI parse.
#include "gateway/query_codec.h"

#include <map>
#include <string>

#include "gateway/output.h"
#include "gtest/gtest.h"

namespace cortado::gateway {
namespace {

// The inner XML of <ActionResult> for `result`.
std::string ResultXml(const Output& result) {
  const std::string xml =
      RenderXmlResponse(kSnsXml, "A", result, /*has_output=*/true, "r");
  const size_t begin = xml.find("<AResult>");
  const size_t end = xml.find("</AResult>");
  if (begin == std::string::npos || end == std::string::npos) return xml;
  return xml.substr(begin + 9, end - begin - 9);
}

TEST(QueryCodecTest, WrappedListHasOneItemElementPerElement) {
  Output topics = Output::WrappedList("member");
  for (const char* arn : {"a", "b<"}) {
    Output member = Output::Object();
    member.Add("TopicArn", Output::String(arn));
    topics.Append(std::move(member));
  }
  Output result = Output::Object();
  result.Add("Topics", std::move(topics));
  EXPECT_EQ(ResultXml(result),
            "<Topics><member><TopicArn>a</TopicArn></member><member>"
            "<TopicArn>b&lt;</TopicArn></member></Topics>");
}

TEST(QueryCodecTest, WrappedStringMapHasOneEntryElementPerEntry) {
  Output result = Output::Object();
  result.Add("Attributes",
             Output::WrappedStringMap({{"k&", "v"}}, "entry", "key", "value"));
  EXPECT_EQ(ResultXml(result),
            "<Attributes><entry><key>k&amp;</key><value>v</value></entry>"
            "</Attributes>");
}

TEST(QueryCodecTest, EmptyWrappedListsOpenAndCloseUnlessSelfClosing) {
  Output result = Output::Object();
  result.Add("Successful", Output::WrappedList("member"));
  result.Add("Failed",
             Output::WrappedList("member", Output::EmptyXml::kSelfClosing));
  EXPECT_EQ(ResultXml(result), "<Successful></Successful><Failed/>");
}

TEST(QueryCodecTest, FlattenedCollectionsRepeatTheMemberElement) {
  Output result = Output::Object();
  Output urls = Output::List();
  urls.Append(Output::String("u1"));
  urls.Append(Output::String("u2"));
  result.Add("QueueUrls", "QueueUrl", std::move(urls));
  result.Add("Attributes", "Attribute",
             Output::StringMap({{"n", "v"}}, "Name", "Value"));
  EXPECT_EQ(ResultXml(result),
            "<QueueUrl>u1</QueueUrl><QueueUrl>u2</QueueUrl><Attribute><Name>n"
            "</Name><Value>v</Value></Attribute>");
}

TEST(QueryCodecTest, DialectsDifferInNamespaceAndErrorDetail) {
  WireError error;
  error.http_status = 400;
  error.query_code = "Code";
  error.sender_fault = true;
  error.message = "m";
  EXPECT_EQ(RenderXmlError(kSqsXml, error, "r"),
            "<?xml version=\"1.0\"?><ErrorResponse "
            "xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error>"
            "<Type>Sender</Type><Code>Code</Code><Message>m</Message>"
            "<Detail/></Error><RequestId>r</RequestId></ErrorResponse>");
  EXPECT_EQ(RenderXmlError(kSnsXml, error, "r"),
            "<?xml version=\"1.0\"?><ErrorResponse "
            "xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error>"
            "<Type>Sender</Type><Code>Code</Code><Message>m</Message>"
            "</Error><RequestId>r</RequestId></ErrorResponse>");
}

}  // namespace
}  // namespace cortado::gateway
