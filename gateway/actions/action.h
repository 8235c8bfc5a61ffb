// The SQS actions (and what SNS's share with them): one file per action, each
// parsing its Params into the core's typed input, making one Broker call and
// encoding the result as an Output tree (rendered by the request's codec).
// Thread-safety: action functions may run on any thread. A broker call's
// callback is wrapped in OnConnection, so `done` runs on the request's
// connection thread (or on the broker's writer thread when the context has
// no connection).
#ifndef CORTADO_GATEWAY_ACTIONS_ACTION_H_
#define CORTADO_GATEWAY_ACTIONS_ACTION_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "gateway/http_message.h"
#include "gateway/output.h"
#include "gateway/params.h"
#include "gateway/routing.h"
#include "server/core/api.h"
#include "server/core/broker.h"

namespace cortado::gateway {

// What an action knows about its request besides the parameters.
struct ActionContext {
  Broker* broker = nullptr;
  // Cluster mode: the listings of every partition come from here (the
  // broker above is the partition's that the request is about).
  const Routing* routing = nullptr;
  std::string host;        // Host header (or the server's address)
  std::string account_id;  // BrokerOptions::account_id
  std::string sender_id;   // access key of the request, else account id
  // The request carried a SigV4 signature (checked when credentials are
  // configured). SNS's ConfirmSubscription and Unsubscribe care.
  bool signed_request = false;
  // Query protocol: the queue named by a /<account>/<queue> request path.
  std::string queue_from_path;
  // The request's connection watch, or null (see HttpRequest::client_gone).
  ClientGoneWatch* client_gone = nullptr;
  // Where completions run (OnConnection); null: where the broker answers.
  std::shared_ptr<Connection> connection;

  // "http://<host>/<account>/<name>".
  std::string QueueUrl(absl::string_view queue_name) const;
  // The queue named by the QueueUrl parameter (last path segment; a bare
  // name is accepted), else by the request path. MissingParameter if none.
  absl::StatusOr<std::string> QueueName(const Params& params) const;
};

// The services the gateway speaks, each with its own action table (SQS's
// below, SNS's in gateway/sns/sns_action.h).
enum class Api { kSqs, kSns };

using ActionDone = absl::AnyInvocable<void(absl::StatusOr<Output>) &&>;
using ActionFunction = void (*)(const ActionContext& context,
                                const Params& params, ActionDone done);

struct ActionSpec {
  absl::string_view name;
  // Operations with output get an <OpResult> element (even when empty).
  bool has_output;
  ActionFunction run;
};

// The action named `name` (e.g. "SendMessage"), or null.
const ActionSpec* FindAction(absl::string_view name);
// Every action; FindAction returns pointers into this span (metrics index
// their counters by position).
absl::Span<const ActionSpec> SqsActions();

// Helpers shared by the action files.

// Wraps the callback of a broker call so that it runs on the request's
// connection thread instead of the broker's single writer thread: building
// the Output tree and rendering JSON/XML were about a fifth of the writer's
// instructions on a send -> receive -> delete load (docs/PERFORMANCE.md).
// The hand-off costs the writer one post, which it made anyway to send the
// response. Without a connection, `done` is returned unchanged.
template <typename T>
Callback<T> OnConnection(const ActionContext& context, Callback<T> done) {
  if (context.connection == nullptr) return done;
  return [connection = context.connection,
          done = std::move(done)](absl::StatusOr<T> result) mutable {
    connection->Post(
        [done = std::move(done), result = std::move(result)]() mutable {
          std::move(done)(std::move(result));
        });
  };
}

// Adapts an action without output to its broker call's Callback<Empty>,
// run through OnConnection.
Callback<Empty> EmptyResult(const ActionContext& context, ActionDone done);
// Encodes user message attributes (JSON {"n": {...}} / XML
// <MessageAttribute><Name/><Value/></MessageAttribute>).
Output EncodeMessageAttributes(const MessageAttributes& attributes);
// The `Failed` list of a batch response.
Output EncodeBatchErrors(const std::vector<BatchEntryError>& failed);
// Parses the Id/ReceiptHandle(/VisibilityTimeout) entries of the Delete and
// ChangeMessageVisibility batches.
absl::StatusOr<std::vector<BatchHandleEntry>> ParseHandleEntries(
    const Params& params, absl::string_view query_entry_name,
    bool with_visibility_timeout);
// The Successful ({Id}) and Failed lists of a handle batch.
Output EncodeHandleBatch(const BatchResult& result,
                         absl::string_view query_entry_name);

// One function per action (gateway/actions/<snake_name>.cc).
void AddPermission(const ActionContext&, const Params&, ActionDone);
void CancelMessageMoveTask(const ActionContext&, const Params&, ActionDone);
void ChangeMessageVisibility(const ActionContext&, const Params&, ActionDone);
void ChangeMessageVisibilityBatch(const ActionContext&, const Params&,
                                  ActionDone);
void CreateQueue(const ActionContext&, const Params&, ActionDone);
void DeleteMessage(const ActionContext&, const Params&, ActionDone);
void DeleteMessageBatch(const ActionContext&, const Params&, ActionDone);
void DeleteQueue(const ActionContext&, const Params&, ActionDone);
void GetQueueAttributes(const ActionContext&, const Params&, ActionDone);
void GetQueueUrl(const ActionContext&, const Params&, ActionDone);
void ListDeadLetterSourceQueues(const ActionContext&, const Params&,
                                ActionDone);
void ListMessageMoveTasks(const ActionContext&, const Params&, ActionDone);
void ListQueues(const ActionContext&, const Params&, ActionDone);
void ListQueueTags(const ActionContext&, const Params&, ActionDone);
void PeekMessages(const ActionContext&, const Params&, ActionDone);
void PurgeQueue(const ActionContext&, const Params&, ActionDone);
void ReceiveMessage(const ActionContext&, const Params&, ActionDone);
void RemovePermission(const ActionContext&, const Params&, ActionDone);
void SendMessage(const ActionContext&, const Params&, ActionDone);
void SendMessageBatch(const ActionContext&, const Params&, ActionDone);
void SetQueueAttributes(const ActionContext&, const Params&, ActionDone);
void StartMessageMoveTask(const ActionContext&, const Params&, ActionDone);
void TagQueue(const ActionContext&, const Params&, ActionDone);
void UntagQueue(const ActionContext&, const Params&, ActionDone);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_ACTIONS_ACTION_H_
