// SendMessageBatch: QueueUrl, Entries (query SendMessageBatchRequestEntry.N)
// -> Successful (XML <SendMessageBatchResultEntry>) and Failed (XML
// <BatchResultErrorEntry>), both always present in JSON.
#include "gateway/actions/action.h"
#include "gateway/actions/send_entry.h"

namespace cortado::gateway {

void SendMessageBatch(const ActionContext& context, const Params& params,
                      ActionDone done) {
  absl::StatusOr<std::string> queue = context.QueueName(params);
  if (!queue.ok()) return std::move(done)(queue.status());
  std::vector<SendMessageEntry> entries;
  std::vector<BatchEntryError> failed;
  for (const Params& entry_params :
       params.Entries("Entries", "SendMessageBatchRequestEntry")) {
    absl::StatusOr<SendMessageEntry> entry =
        ParseSendEntry(context, entry_params);
    if (entry.ok()) {
      entries.push_back(*std::move(entry));
    } else {
      // A malformed entry fails alone, like the core's per-entry checks.
      failed.push_back({entry_params.String("Id").value_or(""),
                        GetErrorKind(entry.status()),
                        std::string(entry.status().message()), true});
    }
  }
  if (entries.empty() && !failed.empty()) {
    // Nothing valid to send: report the entries without a broker call.
    Output out = Output::Object();
    out.Add("Successful", "SendMessageBatchResultEntry", Output::List());
    out.Add("Failed", "BatchResultErrorEntry", EncodeBatchErrors(failed));
    return std::move(done)(std::move(out));
  }
  context.broker->SendMessageBatch(
      *queue, std::move(entries),
      OnConnection<SendMessageBatchResult>(
          context, [done = std::move(done), failed = std::move(failed)](
                       absl::StatusOr<SendMessageBatchResult> result) mutable {
            if (!result.ok()) return std::move(done)(result.status());
            Output successful = Output::List();
            for (const SendMessageResult& sent : result->successful) {
              Output entry = Output::Object();
              entry.Add("Id", Output::String(sent.id));
              EncodeSendResult(sent, entry);
              successful.Append(std::move(entry));
            }
            failed.insert(failed.end(), result->failed.begin(),
                          result->failed.end());
            Output out = Output::Object();
            out.Add("Successful", "SendMessageBatchResultEntry",
                    std::move(successful));
            out.Add("Failed", "BatchResultErrorEntry",
                    EncodeBatchErrors(failed));
            std::move(done)(std::move(out));
          }));
}

}  // namespace cortado::gateway
