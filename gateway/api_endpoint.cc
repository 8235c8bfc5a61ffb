#include "gateway/api_endpoint.h"

#include <utility>

#include "gateway/actions/action.h"
#include "gateway/api_request.h"
#include "gateway/authenticate.h"
#include "gateway/decode.h"
#include "gateway/encode.h"
#include "gateway/request_id.h"

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
  context.account_id = broker_->options().account_id;
  context.sender_id =
      identity.access_key.empty() ? context.account_id : identity.access_key;
  context.queue_from_path = exchange->request.queue_from_path;

  const ActionSpec& spec = *exchange->request.spec;
  spec.run(context, exchange->request.params(),
           [exchange](absl::StatusOr<Output> result) mutable {
             if (!result.ok())
               return std::move(*exchange).Fail(result.status());
             std::move(*exchange).Succeed(*result);
           });
}

}  // namespace cortado::gateway
