#include "tests/fuzz/params_probe.h"

#include <string>
#include <vector>

#include "server/core/message_attributes.h"
#include "server/core/publish_attributes.h"

namespace cortado::fuzz {
namespace {

size_t ProbeAttributes(const gateway::Params& params,
                       absl::string_view json_name,
                       absl::string_view query_name) {
  auto attributes = params.Attributes(json_name, query_name);
  if (!attributes.ok()) return 1;
  // What the send and publish paths do with decoded attributes next.
  (void)ValidateMessageAttributes(*attributes);
  (void)ValidatePublishAttributes(*attributes);
  (void)AttributesSize(*attributes);
  return Md5OfAttributes(*attributes).size() +
         SelectAttributes(*attributes, {"All", "a.*", "b"}).size();
}

size_t ProbeOne(const gateway::Params& params) {
  size_t n = 0;
  for (const char* name :
       {"QueueUrl", "QueueName", "MessageBody", "ReceiptHandle", "TopicArn",
        "Message", "Subject", "MessageGroupId", "NextToken", "Id"}) {
    n += params.String(name).value_or("").size();
  }
  (void)params.RequiredString("QueueUrl");
  for (const char* name : {"DelaySeconds", "MaxNumberOfMessages",
                           "VisibilityTimeout", "WaitTimeSeconds"}) {
    auto value = params.Int(name);
    if (value.ok() && value->has_value()) n += static_cast<size_t>(**value);
  }
  n += params.List("AttributeNames", "AttributeName").size();
  n += params.List("MessageAttributeNames", "MessageAttributeName").size();
  n += params.Map("Attributes", "Attribute", "Name", "Value").size();
  n += params.Map("tags", "Tag", "Key", "Value").size();
  n += params.Map("", "Attributes.entry", "key", "value").size();
  n += ProbeAttributes(params, "", "MessageAttributes.entry");
  n += ProbeAttributes(params, "MessageAttributes", "MessageAttribute");
  n += ProbeAttributes(params, "MessageSystemAttributes",
                       "MessageSystemAttribute");
  return n;
}

}  // namespace

size_t ProbeParams(const gateway::Params& params) {
  size_t n = ProbeOne(params);
  // Batch entries are Params of their own, read the same way.
  for (const auto& [json_name, query_name] :
       std::vector<std::pair<const char*, const char*>>{
           {"Entries", "SendMessageBatchRequestEntry"},
           {"Entries", "DeleteMessageBatchRequestEntry"},
           {"", "PublishBatchRequestEntries.member"}}) {
    for (const gateway::Params& entry : params.Entries(json_name, query_name)) {
      n += ProbeOne(entry);
    }
  }
  return n;
}

}  // namespace cortado::fuzz
