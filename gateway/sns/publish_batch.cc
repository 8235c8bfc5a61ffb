#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"
#include "gateway/sns/sns_errors.h"

namespace cortado::gateway::sns {
namespace {

// Successful.member.N.{Id, MessageId, SequenceNumber} and
// Failed.member.N.{Id, Code, Message, SenderFault}; an empty Failed list is
// written <Failed/>, as SNS does.
Output EncodePublishBatch(const PublishBatchResult& result,
                          const std::vector<BatchEntryError>& failed) {
  Output successful = Output::WrappedList("member");
  for (const auto& [id, published] : result.successful) {
    Output member = Output::Object();
    member.Add("Id", Output::String(id));
    member.Add("MessageId", Output::String(published.message_id));
    if (!published.sequence_number.empty()) {
      member.Add("SequenceNumber", Output::String(published.sequence_number));
    }
    successful.Append(std::move(member));
  }
  Output failures =
      Output::WrappedList("member", Output::EmptyXml::kSelfClosing);
  for (const BatchEntryError& error : failed) {
    Output member = Output::Object();
    member.Add("Id", Output::String(error.id));
    member.Add("Code", Output::String(SnsErrorCode(error.kind)));
    member.Add("Message", Output::String(error.message));
    member.Add("SenderFault", Output::Bool(error.sender_fault));
    failures.Append(std::move(member));
  }
  Output out = Output::Object();
  out.Add("Successful", std::move(successful));
  out.Add("Failed", std::move(failures));
  return out;
}

}  // namespace

// PublishBatch: TopicArn, PublishBatchRequestEntries.member.N.{Id, Message,
// ...} -> Successful.member.N.{Id, MessageId, SequenceNumber},
// Failed.member.N.{Id, Code, Message, SenderFault}. An entry the gateway
// cannot parse (a malformed attribute) fails the whole request, as on SNS.
void PublishBatch(const ActionContext& context, const Params& params,
                  ActionDone done) {
  absl::StatusOr<std::string> arn = Required(params, "TopicArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  std::vector<PublishEntry> entries;
  for (const Params& entry_params :
       params.Entries("", "PublishBatchRequestEntries.member")) {
    absl::StatusOr<PublishEntry> entry = ParsePublishEntry(entry_params);
    if (!entry.ok()) return std::move(done)(entry.status());
    entry->id = entry_params.String("Id").value_or("");
    entries.push_back(*std::move(entry));
  }
  context.broker->PublishBatch(
      *std::move(arn), std::move(entries),
      OnConnection<PublishBatchResult>(
          context, [done = std::move(done)](
                       absl::StatusOr<PublishBatchResult> result) mutable {
            if (!result.ok()) return std::move(done)(result.status());
            std::move(done)(EncodePublishBatch(*result, result->failed));
          }));
}

}  // namespace cortado::gateway::sns
