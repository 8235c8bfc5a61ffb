// SnsGatewayTest: GatewayServerTest plus helpers for SNS query requests
// (Version=2010-03-31, non-flattened members) and for reading what SNS
// delivered into SQS queues.
#ifndef CORTADO_TESTS_GATEWAY_SNS_FIXTURE_H_
#define CORTADO_TESTS_GATEWAY_SNS_FIXTURE_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/gateway/gateway_server_fixture.h"

namespace cortado::gateway::testing {

class SnsGatewayTest : public GatewayServerTest {
 protected:
  // Action=<action>&Version=2010-03-31 plus `rest` (already encoded,
  // starting with '&').
  RawResponse Sns(const std::string& action, const std::string& rest = "") {
    return Query(absl::StrCat("Action=", action, "&Version=2010-03-31", rest));
  }

  std::string CreateTopic(const std::string& name) {
    RawResponse response = Sns("CreateTopic", "&Name=" + FormEncode(name));
    EXPECT_EQ(response.status, 200) << response.body;
    return XmlText(response.body, "TopicArn").value_or("");
  }

  std::string QueueArn(const std::string& name) {
    return absl::StrCat("arn:aws:sqs:us-east-1:000000000000:", name);
  }

  // Subscribes queue `queue` (created here) with Attributes.entry.N pairs.
  std::string SubscribeQueue(
      const std::string& topic_arn, const std::string& queue,
      const std::vector<std::pair<std::string, std::string>>& attributes = {}) {
    CreateQueue(queue);
    std::string rest =
        absl::StrCat("&TopicArn=", FormEncode(topic_arn),
                     "&Protocol=sqs&Endpoint=", FormEncode(QueueArn(queue)));
    int n = 1;
    for (const auto& [key, value] : attributes) {
      absl::StrAppend(&rest, "&Attributes.entry.", n, ".key=", FormEncode(key),
                      "&Attributes.entry.", n, ".value=", FormEncode(value));
      ++n;
    }
    RawResponse response = Sns("Subscribe", rest);
    EXPECT_EQ(response.status, 200) << response.body;
    return XmlText(response.body, "SubscriptionArn").value_or("");
  }

  RawResponse Publish(const std::string& topic_arn, const std::string& message,
                      const std::string& rest = "") {
    return Sns("Publish", absl::StrCat("&TopicArn=", FormEncode(topic_arn),
                                       "&Message=", FormEncode(message), rest));
  }

  // Receives up to 10 messages (with attributes) from `queue` over JSON,
  // waiting up to `wait_seconds`; returns the Messages array elements.
  std::vector<const JsonValue*> Receive(const std::string& queue,
                                        int wait_seconds = 0) {
    RawResponse response = Json(
        "ReceiveMessage",
        absl::StrCat("{\"QueueUrl\":\"", QueueUrl(queue),
                     "\",\"MaxNumberOfMessages\":10,\"WaitTimeSeconds\":",
                     wait_seconds, ",\"MessageAttributeNames\":[\"All\"]}"));
    EXPECT_EQ(response.status, 200) << response.body;
    std::vector<const JsonValue*> out;
    const JsonValue* messages = Body(response).Find("Messages");
    if (messages == nullptr) return out;
    for (const JsonValue& m : messages->elements) out.push_back(&m);
    return out;
  }
};

}  // namespace cortado::gateway::testing

#endif  // CORTADO_TESTS_GATEWAY_SNS_FIXTURE_H_
