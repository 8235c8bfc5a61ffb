#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"
#include "gateway/sns/sns_errors.h"

namespace cortado::gateway::sns {

// PublishBatch: TopicArn, PublishBatchRequestEntries.member.N.{Id, Message,
// ...} -> Successful.member.N.{Id, MessageId, SequenceNumber},
// Failed.member.N.{Id, Code, Message, SenderFault}. Entry-level problems the
// gateway finds while parsing (bad attributes) fail that entry only.
void PublishBatch(const SnsContext& context, const Params& params,
                  SnsDone done) {
  absl::StatusOr<std::string> arn = Required(params, "TopicArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  std::vector<PublishEntry> entries;
  std::vector<BatchEntryError> parse_failures;
  for (const Params& entry_params :
       params.Entries("", "PublishBatchRequestEntries.member")) {
    absl::StatusOr<PublishEntry> entry = ParsePublishEntry(entry_params);
    const std::string id = entry_params.String("Id").value_or("");
    if (!entry.ok()) {
      if (GetErrorKind(entry.status()) == ErrorKind::kMissingParameter) {
        return std::move(done)(entry.status());
      }
      parse_failures.push_back(
          BatchEntryError{id, GetErrorKind(entry.status()),
                          std::string(entry.status().message()), true});
      continue;
    }
    entry->id = id;
    entries.push_back(*std::move(entry));
  }
  if (entries.empty() && !parse_failures.empty()) {
    return std::move(done)(
        MakeError(parse_failures[0].kind, parse_failures[0].message));
  }
  context.broker->PublishBatch(
      *std::move(arn), std::move(entries),
      [done = std::move(done), parse_failures = std::move(parse_failures)](
          absl::StatusOr<PublishBatchResult> result) mutable {
        if (!result.ok()) return std::move(done)(result.status());
        std::string out = "<Successful>";
        for (const auto& [id, published] : result->successful) {
          absl::StrAppend(&out, "<member>", XmlElement("Id", id),
                          XmlElement("MessageId", published.message_id));
          if (!published.sequence_number.empty()) {
            absl::StrAppend(
                &out, XmlElement("SequenceNumber", published.sequence_number));
          }
          absl::StrAppend(&out, "</member>");
        }
        absl::StrAppend(&out, "</Successful>");
        std::vector<BatchEntryError> failed = std::move(parse_failures);
        failed.insert(failed.end(), result->failed.begin(),
                      result->failed.end());
        if (failed.empty()) {
          absl::StrAppend(&out, "<Failed/>");
        } else {
          absl::StrAppend(&out, "<Failed>");
          for (const BatchEntryError& error : failed) {
            absl::StrAppend(&out, "<member>", XmlElement("Id", error.id),
                            XmlElement("Code", SnsErrorCode(error.kind)),
                            XmlElement("Message", error.message),
                            XmlElement("SenderFault",
                                       error.sender_fault ? "true" : "false"),
                            "</member>");
          }
          absl::StrAppend(&out, "</Failed>");
        }
        std::move(done)(std::move(out));
      });
}

}  // namespace cortado::gateway::sns
