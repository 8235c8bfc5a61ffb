#include "gateway/actions/action.h"

#include <array>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/errors.h"
#include "server/core/errors.h"

namespace cortado::gateway {
namespace {

constexpr std::array<ActionSpec, 24> kActions = {{
    {"AddPermission", false, &AddPermission},
    {"CancelMessageMoveTask", true, &CancelMessageMoveTask},
    {"ChangeMessageVisibility", false, &ChangeMessageVisibility},
    {"ChangeMessageVisibilityBatch", true, &ChangeMessageVisibilityBatch},
    {"CreateQueue", true, &CreateQueue},
    {"DeleteMessage", false, &DeleteMessage},
    {"DeleteMessageBatch", true, &DeleteMessageBatch},
    {"DeleteQueue", false, &DeleteQueue},
    {"GetQueueAttributes", true, &GetQueueAttributes},
    {"GetQueueUrl", true, &GetQueueUrl},
    {"ListDeadLetterSourceQueues", true, &ListDeadLetterSourceQueues},
    {"ListMessageMoveTasks", true, &ListMessageMoveTasks},
    {"ListQueues", true, &ListQueues},
    {"ListQueueTags", true, &ListQueueTags},
    // Cortado's own (docs/CONSOLE.md): also as X-Amz-Target
    // Cortado.PeekMessages.
    {"PeekMessages", true, &PeekMessages},
    {"PurgeQueue", false, &PurgeQueue},
    {"ReceiveMessage", true, &ReceiveMessage},
    {"RemovePermission", false, &RemovePermission},
    {"SendMessage", true, &SendMessage},
    {"SendMessageBatch", true, &SendMessageBatch},
    {"SetQueueAttributes", false, &SetQueueAttributes},
    {"StartMessageMoveTask", true, &StartMessageMoveTask},
    {"TagQueue", false, &TagQueue},
    {"UntagQueue", false, &UntagQueue},
}};

}  // namespace

absl::Span<const ActionSpec> SqsActions() { return kActions; }

const ActionSpec* FindAction(absl::string_view name) {
  for (const ActionSpec& spec : kActions) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::string ActionContext::QueueUrl(absl::string_view queue_name) const {
  return absl::StrCat("http://", host, "/", account_id, "/", queue_name);
}

absl::StatusOr<std::string> ActionContext::QueueName(
    const Params& params) const {
  std::optional<std::string> url = params.String("QueueUrl");
  if (!url.has_value() || url->empty()) {
    if (!queue_from_path.empty()) return queue_from_path;
    return MissingParameterError("QueueUrl");
  }
  // Drop any query or fragment, then take the last path segment.
  absl::string_view path = *url;
  path = path.substr(0, path.find_first_of("?#"));
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.rfind('/');
  std::string name(slash == absl::string_view::npos ? path
                                                    : path.substr(slash + 1));
  if (name.empty()) return QueueDoesNotExistError();
  return name;
}

Callback<Empty> EmptyResult(const ActionContext& context, ActionDone done) {
  return OnConnection<Empty>(
      context, [done = std::move(done)](absl::StatusOr<Empty> result) mutable {
        if (!result.ok()) {
          std::move(done)(result.status());
        } else {
          std::move(done)(Output::Object());
        }
      });
}

Output EncodeMessageAttributes(const MessageAttributes& attributes) {
  Output map = Output::Map("Name", "Value");
  for (const auto& [name, value] : attributes) {
    Output entry = Output::Object();
    if (value.binary) {
      entry.Add("BinaryValue",
                Output::String(absl::Base64Escape(value.binary_value)));
    } else {
      entry.Add("StringValue", Output::String(value.string_value));
    }
    entry.Add("DataType", Output::String(value.data_type));
    map.Put(name, std::move(entry));
  }
  return map;
}

Output EncodeBatchErrors(const std::vector<BatchEntryError>& failed) {
  Output list = Output::List();
  for (const BatchEntryError& error : failed) {
    Output entry = Output::Object();
    entry.Add("Id", Output::String(error.id));
    entry.Add("SenderFault", Output::Bool(error.sender_fault));
    entry.Add("Code", Output::String(QueryCodeOf(error.kind)));
    if (!error.message.empty()) {
      entry.Add("Message", Output::String(error.message));
    }
    list.Append(std::move(entry));
  }
  return list;
}

absl::StatusOr<std::vector<BatchHandleEntry>> ParseHandleEntries(
    const Params& params, absl::string_view query_entry_name,
    bool with_visibility_timeout) {
  std::vector<BatchHandleEntry> entries;
  for (const Params& entry : params.Entries("Entries", query_entry_name)) {
    BatchHandleEntry parsed;
    parsed.id = entry.String("Id").value_or("");
    parsed.receipt_handle = entry.String("ReceiptHandle").value_or("");
    if (with_visibility_timeout) {
      absl::StatusOr<std::optional<int32_t>> timeout =
          entry.Int("VisibilityTimeout");
      if (!timeout.ok()) return timeout.status();
      parsed.visibility_timeout = timeout->value_or(0);
    }
    entries.push_back(std::move(parsed));
  }
  return entries;
}

Output EncodeHandleBatch(const BatchResult& result,
                         absl::string_view query_entry_name) {
  Output successful = Output::List();
  for (const std::string& id : result.successful) {
    Output entry = Output::Object();
    entry.Add("Id", Output::String(id));
    successful.Append(std::move(entry));
  }
  Output out = Output::Object();
  out.Add("Successful", absl::StrCat(query_entry_name, "ResultEntry"),
          std::move(successful));
  out.Add("Failed", "BatchResultErrorEntry", EncodeBatchErrors(result.failed));
  return out;
}

}  // namespace cortado::gateway
