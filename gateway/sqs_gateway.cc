#include "gateway/sqs_gateway.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/actions/action.h"
#include "gateway/errors.h"
#include "gateway/json_codec.h"
#include "gateway/metrics/metrics_page.h"
#include "gateway/metrics/process_metrics.h"
#include "gateway/params.h"
#include "gateway/query_codec.h"
#include "gateway/request_id.h"
#include "gateway/sns/sns_dispatcher.h"
#include "server/core/sns_signer.h"

namespace cortado::gateway {
namespace {

constexpr absl::string_view kSnsVersion = "2010-03-31";

bool IsJsonRequest(const HttpRequest& request) {
  if (request.HasHeader("x-amz-target")) return true;
  const std::string type =
      absl::AsciiStrToLower(request.Header("content-type"));
  return absl::StartsWith(type, "application/x-amz-json-1.0") ||
         absl::StartsWith(type, "application/x-amz-json-1.1");
}

// The queue named by a "/<account>/<queue>" path, or "".
std::string QueueFromPath(const std::string& path) {
  std::vector<std::string> segments =
      absl::StrSplit(path, '/', absl::SkipEmpty());
  if (segments.size() < 2) return "";
  absl::StatusOr<std::string> name = FormDecode(segments.back());
  return name.ok() ? *name : "";
}

absl::Status SigV4Status(const SigV4Result& result) {
  static constexpr GatewayError kErrors[] = {
      GatewayError::kInvalidRequest,  // kNone: unused
      GatewayError::kMissingAuthenticationToken,
      GatewayError::kIncompleteSignature,
      GatewayError::kInvalidClientTokenId,
      GatewayError::kSignatureDoesNotMatch,
      GatewayError::kRequestExpired,
  };
  std::string message = result.message;
  if (message.empty() &&
      result.error == SigV4Error::kMissingAuthenticationToken) {
    message = "Request is missing Authentication Token";
  }
  return MakeGatewayError(kErrors[static_cast<int>(result.error)], message);
}

// The name an error is counted under: the shape of its JSON __type
// ("QueueDoesNotExist"), the same in both protocols; else its query code.
absl::string_view ErrorName(const WireError& error) {
  absl::string_view type = error.json_type;
  const size_t hash = type.rfind('#');
  if (hash != absl::string_view::npos) return type.substr(hash + 1);
  return error.query_code;
}

// One request being answered: its protocol, id and responder.
struct Exchange {
  bool json = false;
  std::string action;
  std::string request_id;
  Respond respond;
  HttpRequestMetrics* metrics = nullptr;
  int action_id = HttpRequestMetrics::UnknownAction();

  HttpResponse Base(int status) const {
    HttpResponse response;
    response.status = status;
    response.headers.emplace_back("x-amzn-RequestId", request_id);
    response.headers.emplace_back(
        "Content-Type", std::string(json ? kJsonContentType : kXmlContentType));
    return response;
  }

  void Fail(const absl::Status& status) && {
    WireError error = ToWireError(status, json);
    if (metrics != nullptr) metrics->CountError(action_id, ErrorName(error));
    HttpResponse response = Base(error.http_status);
    response.headers.emplace_back("x-amzn-query-error",
                                  error.QueryErrorHeader());
    response.body =
        json ? RenderJsonError(error) : RenderXmlError(error, request_id);
    std::move(respond)(std::move(response));
  }

  void Succeed(const Output& output, bool has_output) && {
    if (metrics != nullptr) metrics->CountOk(action_id);
    HttpResponse response = Base(200);
    response.body =
        json ? RenderJson(output)
             : RenderXmlResponse(action, output, has_output, request_id);
    std::move(respond)(std::move(response));
  }
};

}  // namespace

SqsGateway::SqsGateway(SqsGatewayOptions options, Broker* broker, Clock* clock)
    : options_(std::move(options)), broker_(broker), clock_(clock) {}

HttpResponse SqsGateway::ErrorResponse(const HttpRequest& partial,
                                       const absl::Status& error) const {
  HttpResponse response;
  Exchange exchange{IsJsonRequest(partial), "", NewRequestId(),
                    [&response](HttpResponse r) { response = std::move(r); },
                    &requests_};
  std::move(exchange).Fail(error);
  return response;
}

void SqsGateway::ServeMetrics(const HttpRequest& request,
                              Respond respond) const {
  HttpResponse response;
  response.headers.emplace_back("Content-Type",
                                std::string(kMetricsContentType));
  if (request.method != "GET") {
    response.status = 405;
    response.headers.emplace_back("Allow", "GET");
    response.body = "GET only\n";
    return std::move(respond)(std::move(response));
  }
  // Snapshots first (the broker's under its shared lock, briefly); the
  // text is rendered with no lock held.
  const BrokerMetrics broker = broker_->Metrics();
  MetricsPageInput input;
  input.broker = &broker;
  input.http = &requests_;
  input.process = ReadProcessMetrics();
  input.now = clock_->Now();
  input.extra = options_.extra_metrics;
  response.status = 200;
  response.body = RenderMetricsPage(input);
  std::move(respond)(std::move(response));
}

void SqsGateway::Handle(HttpRequest request, Respond respond,
                        std::shared_ptr<Connection> connection) {
  const std::string path = request.Path();
  // Unauthenticated like /healthz: the listener is on loopback by default.
  if (path == "/metrics" && request.Query().empty()) {
    return ServeMetrics(request, std::move(respond));
  }
  if (path == "/healthz" && request.Query().empty()) {
    const BrokerStats stats = broker_->Stats();
    HttpResponse response;
    response.status = stats.failed ? 503 : 200;
    response.headers.emplace_back("Content-Type", "text/plain");
    response.body = stats.failed
                        ? absl::StrCat("store failed: ", stats.failure, "\n")
                        : "ok\n";
    return std::move(respond)(std::move(response));
  }

  // The certificate SNS envelopes are signed with, for subscribers that
  // verify signatures (SigningCertURL points here).
  if (request.method == "GET" && path == kSnsSigningCertPath &&
      broker_->options().sns_signer != nullptr) {
    HttpResponse response;
    response.status = 200;
    response.headers.emplace_back("Content-Type", "application/x-pem-file");
    response.body = broker_->options().sns_signer->certificate_pem();
    return std::move(respond)(std::move(response));
  }

  auto exchange = std::make_shared<Exchange>();
  exchange->json = IsJsonRequest(request);
  exchange->request_id = NewRequestId();
  exchange->respond = std::move(respond);
  exchange->metrics = &requests_;
  auto fail = [exchange](const absl::Status& status) {
    std::move(*exchange).Fail(status);
  };

  // Identity and authentication.
  SigV4Result auth;
  if (options_.credentials.has_value()) {
    auth = VerifySigV4(request, *options_.credentials, clock_->Now());
    if (auth.error != SigV4Error::kNone) {
      // A request signed for SNS gets its error in SNS's XML namespace.
      if (auth.service == "sns" && !exchange->json) {
        requests_.CountError(exchange->action_id,
                             ToWireError(SigV4Status(auth), false).query_code);
        return std::move(exchange->respond)(
            sns::SnsErrorResponse(SigV4Status(auth), exchange->request_id));
      }
      return fail(SigV4Status(auth));
    }
  } else {
    auth = ParseAuthorization(request);  // errors ignored: the gateway is open
  }

  ActionContext context;
  context.broker = broker_;
  context.client_gone = request.client_gone;
  context.connection = std::move(connection);
  context.host = request.Header("host");
  if (context.host.empty()) context.host = options_.default_host;
  context.account_id = broker_->options().account_id;
  context.sender_id =
      auth.access_key.empty() ? context.account_id : auth.access_key;

  // Parameters, per protocol.
  JsonValue json_body;
  QueryParams query;
  if (exchange->json) {
    const std::string target = request.Header("x-amz-target");
    constexpr absl::string_view kPrefix = "AmazonSQS.";
    if (!absl::StartsWith(target, kPrefix)) {
      return fail(MakeGatewayError(
          GatewayError::kUnknownOperation,
          absl::StrCat("Unknown operation ", target.empty() ? "(none)" : target,
                       ".")));
    }
    exchange->action = target.substr(kPrefix.size());
    absl::StatusOr<JsonValue> parsed = ParseJsonRequest(request.body);
    if (!parsed.ok()) return fail(parsed.status());
    json_body = *std::move(parsed);
  } else {
    if (absl::Status status = ParseForm(request.Query(), query); !status.ok()) {
      return fail(status);
    }
    const std::string type =
        absl::AsciiStrToLower(request.Header("content-type"));
    if (!request.body.empty() &&
        (type.empty() ||
         absl::StrContains(type, "application/x-www-form-urlencoded"))) {
      if (absl::Status status = ParseForm(request.body, query); !status.ok()) {
        return fail(status);
      }
    }
    context.queue_from_path = QueueFromPath(path);
    auto action = query.find("Action");
    if (action == query.end() || action->second.empty()) {
      if (request.method == "GET" && !context.queue_from_path.empty()) {
        requests_.CountError(exchange->action_id, "UnknownOperationException");
        HttpResponse response = exchange->Base(404);
        response.body = "<UnknownOperationException/>";
        return std::move(exchange->respond)(std::move(response));
      }
      return fail(MakeGatewayError(GatewayError::kMissingAction,
                                   "No action specified."));
    }
    exchange->action = action->second;
    auto version = query.find("Version");
    if (auth.service == "sns" ||
        (version != query.end() && version->second == kSnsVersion)) {
      // SNS shares the port; its actions overlap SQS's names, so the
      // credential scope / Version decides (sqs-protocol.md §8.11).
      sns::SnsContext sns_context{broker_, context.account_id};
      // SNS renders its own responses: the outcome is read back from the
      // status and the x-amzn-query-error header ("<code>;Sender").
      const int action_id =
          HttpRequestMetrics::ActionId(sns::FindSnsAction(exchange->action));
      Respond counted = [metrics = &requests_, action_id,
                         respond = std::move(exchange->respond)](
                            HttpResponse response) mutable {
        if (response.status == 200) {
          metrics->CountOk(action_id);
        } else {
          std::string code = "InternalError";
          for (const auto& [name, value] : response.headers) {
            if (name == "x-amzn-query-error")
              code = value.substr(0, value.find(';'));
          }
          metrics->CountError(action_id, code);
        }
        std::move(respond)(std::move(response));
      };
      return sns::DispatchSns(sns_context, exchange->action, std::move(query),
                              std::move(exchange->request_id),
                              std::move(counted));
    }
  }

  const ActionSpec* spec = FindAction(exchange->action);
  exchange->action_id = HttpRequestMetrics::ActionId(spec);
  if (spec == nullptr) {
    if (exchange->json) {
      return fail(MakeGatewayError(
          GatewayError::kUnknownOperation,
          absl::StrCat("Unknown operation ", exchange->action, ".")));
    }
    return fail(
        MakeGatewayError(GatewayError::kInvalidAction,
                         absl::StrCat("The action ", exchange->action,
                                      " is not valid for this endpoint.")));
  }
  if (!context.queue_from_path.empty() &&
      (spec->name == "CreateQueue" || spec->name == "ListQueues" ||
       spec->name == "GetQueueUrl")) {
    return fail(
        MakeGatewayError(GatewayError::kInvalidAction,
                         absl::StrCat("The action ", spec->name,
                                      " is not valid for this endpoint.")));
  }

  const Params params =
      exchange->json ? Params::Json(&json_body) : Params::Query(&query);
  const bool has_output = spec->has_output;
  spec->run(context, params,
            [exchange, has_output](absl::StatusOr<Output> result) mutable {
              if (!result.ok())
                return std::move(*exchange).Fail(result.status());
              std::move(*exchange).Succeed(*result, has_output);
            });
}

}  // namespace cortado::gateway
