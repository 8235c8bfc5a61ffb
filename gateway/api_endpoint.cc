#include "gateway/api_endpoint.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/actions/action.h"
#include "gateway/api_request.h"
#include "gateway/authenticate.h"
#include "gateway/decode.h"
#include "gateway/encode.h"
#include "gateway/request_id.h"
#include "gateway/route_key.h"
#include "server/core/status_macros.h"

namespace cortado::gateway {
namespace {

// One request being answered: what decode made of it (kept alive until
// the action is done: its Params are a view into it), its id and responder.
struct Exchange {
  ApiRequest request;
  std::string request_id = NewRequestId();
  Respond respond;
  HttpRequestMetrics* metrics = nullptr;

  int ActionId() const {
    return HttpRequestMetrics::ActionId(ApiOf(request.protocol), request.spec);
  }

  void Fail(const absl::Status& status) && {
    EncodedError error = EncodeError(request.protocol, status, request_id);
    metrics->CountError(ActionId(), error.name);
    std::move(respond)(std::move(error.response));
  }

  void Succeed(const Output& output) && {
    metrics->CountOk(ActionId());
    std::move(respond)(
        EncodeOutput(request.protocol, *request.spec, output, request_id));
  }
};

// Marks a request one node forwarded to another (its value: the sender's
// node id). A node never forwards such a request again: it serves it, or
// answers that it does not own the partition (any more, or yet).
constexpr char kForwardedBy[] = "x-cortado-forwarded-by";

struct Routed {
  bool forwarded = false;
  std::shared_ptr<Broker> broker;  // null for listings (they use routing)
};

// Sends `request` to the node that owns its partition; the owner's answer
// (success or error) goes back to the client as it is.
void ForwardInCluster(const ApiEndpointOptions& options, HttpRequest& request,
                      std::shared_ptr<Exchange> exchange,
                      const std::string& owner) {
  ClientGoneWatch* client_gone = request.client_gone;
  request.client_gone = nullptr;
  request.AddHeader(kForwardedBy, options.routing->NodeId());
  std::shared_ptr<ForwardCall> call = options.forwarder->Forward(
      owner, request,
      exchange->request.spec->name == "ReceiveMessage"
          ? absl::Seconds(20) + options.forward_timeout
          : options.forward_timeout,
      [exchange, owner](absl::StatusOr<HttpResponse> response) mutable {
        if (response.ok()) {
          return std::move(exchange->respond)(*std::move(response));
        }
        std::move(*exchange).Fail(
            MakeError(ErrorKind::kShuttingDown,
                      absl::StrCat("The node that serves this queue or topic (",
                                   owner, ") could not be reached; retry. ",
                                   response.status().message())));
      });
  // A client that leaves a forwarded long poll closes the owner's
  // connection too, so the owner cancels the receive as for its own
  // clients (nothing taken for a client that is gone).
  if (client_gone != nullptr) {
    client_gone->OnClientGone([call] { call->Cancel(); });
  }
}

// Where a request is served in cluster mode: by a broker here, or
// forwarded (then it is answered already).
absl::StatusOr<Routed> RouteInCluster(const ApiEndpointOptions& options,
                                      HttpRequest& request,
                                      const std::shared_ptr<Exchange>& exchange,
                                      ActionContext& context) {
  const Routing& routing = *options.routing;
  context.routing = &routing;
  const RouteKey key = RouteKeyOf(ApiOf(exchange->request.protocol),
                                  exchange->request.spec->name,
                                  exchange->request.params(), context);
  if (key.kind == RouteKey::Kind::kListing) return Routed{};
  if (key.kind == RouteKey::Kind::kNoneFound) {
    // It names nothing: its action's own validation answers it, on any
    // broker (the same error as on a single server).
    CORTADO_ASSIGN_OR_RETURN(std::shared_ptr<Broker> any, routing.AnyBroker());
    return Routed{false, std::move(any)};
  }
  CORTADO_ASSIGN_OR_RETURN(Route route, routing.RouteOf(key.name));
  if (route.broker != nullptr) return Routed{false, std::move(route.broker)};
  if (!request.Header(kForwardedBy).empty()) {
    // Forwarded by a node whose map differs from ours: the partition is
    // moving. Retryable; the client's retry finds the new owner.
    return MakeError(
        ErrorKind::kShuttingDown,
        absl::StrCat("\"", key.name, "\" is moving between nodes; retry."));
  }
  ForwardInCluster(options, request, exchange, route.forward_to);
  return Routed{true, nullptr};
}

}  // namespace

ApiEndpoint::ApiEndpoint(ApiEndpointOptions options, Broker* broker,
                         Clock* clock, HttpRequestMetrics* requests)
    : options_(std::move(options)),
      broker_(broker),
      clock_(clock),
      requests_(requests) {}

HttpResponse ApiEndpoint::ErrorResponse(const HttpRequest& partial,
                                        const absl::Status& error) const {
  HttpResponse response;
  Exchange exchange;
  exchange.request.protocol = SqsProtocolOf(partial);
  exchange.respond = [&response](HttpResponse r) { response = std::move(r); };
  exchange.metrics = requests_;
  std::move(exchange).Fail(error);
  return response;
}

void ApiEndpoint::Handle(HttpRequest request, Respond respond,
                         std::shared_ptr<Connection> connection) {
  auto exchange = std::make_shared<Exchange>();
  exchange->respond = std::move(respond);
  exchange->metrics = requests_;

  Identity identity;
  const SigV4Credentials* credentials =
      options_.credentials.has_value() ? &*options_.credentials : nullptr;
  if (absl::Status status =
          Authenticate(request, credentials, clock_->Now(), identity);
      !status.ok()) {
    // A query request signed for SNS gets its error in SNS's dialect.
    Protocol protocol = SqsProtocolOf(request);
    if (identity.service == "sns" && protocol == Protocol::kSqsQuery) {
      protocol = Protocol::kSnsQuery;
    }
    exchange->request.protocol = protocol;
    return std::move(*exchange).Fail(status);
  }
  if (absl::Status status = Decode(request, identity, exchange->request);
      !status.ok()) {
    return std::move(*exchange).Fail(status);
  }

  ActionContext context;
  context.broker = broker_;
  context.client_gone = request.client_gone;
  context.connection = std::move(connection);
  context.host = request.Header("host");
  if (context.host.empty()) context.host = options_.default_host;
  context.account_id = broker_ != nullptr ? broker_->options().account_id
                                          : options_.routing->AccountId();
  context.sender_id =
      identity.access_key.empty() ? context.account_id : identity.access_key;
  context.signed_request = !identity.access_key.empty();
  context.queue_from_path = exchange->request.queue_from_path;

  std::shared_ptr<Broker> routed;  // kept alive until the action is done
  if (options_.routing != nullptr) {
    absl::StatusOr<Routed> where =
        RouteInCluster(options_, request, exchange, context);
    if (!where.ok()) return std::move(*exchange).Fail(where.status());
    if (where->forwarded) return;
    routed = std::move(where->broker);
    context.broker = routed.get();
  }

  const ActionSpec& spec = *exchange->request.spec;
  spec.run(context, exchange->request.params(),
           [exchange,
            routed = std::move(routed)](absl::StatusOr<Output> result) mutable {
             if (!result.ok())
               return std::move(*exchange).Fail(result.status());
             std::move(*exchange).Succeed(*result);
           });
}

}  // namespace cortado::gateway
