#include "cmd/cortado-server/cortado_server.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <chrono>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "cmd/cortado-server/cluster_status.h"
#include "cmd/cortado-server/host_port.h"
#include "cmd/cortado-server/open_store.h"
#include "cmd/cortado-server/store_recovery.h"
#include "gateway/gateway.h"
#include "gateway/http_server.h"
#include "gateway/metrics/metrics_text.h"
#include "server/core/store.h"
#include "server/push/http_push_sender.h"
#include "server/rpc/call_metrics.h"
#include "server/rpc/queue_service.h"
#include "server/rpc/topic_service.h"
#include "server/sns/signed_envelope_builder.h"
#include "server/sns/sns_signer.h"
#include "server/store/data_dir_lock.h"

namespace cortado {
namespace {

// Room for a 1 MiB body plus attributes, and for a batch or a receive of ten
// such messages, so the core (not gRPC) rejects oversized requests with the
// SQS error.
constexpr int kMaxGrpcMessageBytes = 16 * 1024 * 1024;

// How long in-flight calls get to finish once the server stops.
constexpr std::chrono::seconds kGrpcShutdownGrace(2);

// cortado_grpc_calls_total, for the gateway's /metrics.
void RenderGrpcCalls(const rpc::CallMetrics& calls, gateway::MetricsText& out) {
  out.Family("cortado_grpc_calls_total", "counter",
             "Finished gRPC calls by method and status code.");
  for (const rpc::CallMetrics::Sample& sample : calls.Snapshot()) {
    out.Sample("cortado_grpc_calls_total",
               {{"method", sample.method}, {"code", sample.code}},
               sample.count);
  }
}

// The sender of SNS pushes the server's options describe.
absl::StatusOr<std::unique_ptr<push::HttpPushSender>> MakeHttpPushSender(
    const ServerOptions& options) {
  absl::StatusOr<push::AddressAllowList> allow =
      push::AddressAllowList::Parse(options.sns_http_allow);
  if (!allow.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--sns-http-allow: ", allow.status().message()));
  }
  push::HttpPushSenderOptions sender;
  sender.allow = *std::move(allow);
  sender.ca_file = options.https_ca_file;
  sender.on_done = options.on_http_push;
  return push::HttpPushSender::Create(std::move(sender));
}

}  // namespace

struct CortadoServer::Impl {
  enum class State { kNew, kRunning, kStopping, kStopped };

  Impl(ServerOptions server_options, Clock* given_clock)
      : options(std::move(server_options)),
        clock(given_clock != nullptr ? given_clock : &real_clock) {}

  absl::Status Start();
  void Shutdown();

  // Constant after construction.
  const ServerOptions options;
  RealClock real_clock;
  Clock* const clock;

  // Set by Start(), read-only afterwards. Declared in dependency order so
  // they are destroyed server first, store last.
  std::unique_ptr<store::DataDirLock> data_dir_lock;
  std::unique_ptr<Store> store;
  // Signs SNS envelopes; generated at start, outlives the broker.
  std::unique_ptr<SnsSigner> sns_signer;
  // Builds the broker's SNS envelopes with that key and the gateway's URL.
  std::unique_ptr<SignedEnvelopeBuilder> sns_envelopes;
  // POSTs to http/https subscribers; outlives the broker, which calls it.
  std::unique_ptr<push::HttpPushSender> http_pushes;
  std::unique_ptr<Broker> broker;
  // Reloads the broker when its store fails (PostgreSQL lost and back).
  std::unique_ptr<StoreRecovery> recovery;
  // Counted by the gRPC server, read by the gateway's /metrics.
  std::unique_ptr<rpc::CallMetrics> grpc_calls;
  std::unique_ptr<gateway::Gateway> gateway;
  std::unique_ptr<gateway::HttpServer> http_server;
  std::unique_ptr<rpc::QueueService> service;
  std::unique_ptr<rpc::TopicService> topic_service;
  ClusterStatusService cluster_status{/*cluster_mode=*/false};
  std::unique_ptr<grpc::Server> grpc_server;
  std::string grpc_address;
  int grpc_port = 0;
  std::string http_address;

  absl::Mutex mu;
  State state ABSL_GUARDED_BY(mu) = State::kNew;
};

absl::Status CortadoServer::Impl::Start() {
  {
    absl::MutexLock lock(&mu);
    if (state != State::kNew) {
      return absl::FailedPreconditionError("CortadoServer::Start called twice");
    }
    state = State::kRunning;
  }
  absl::Status status = [&]() -> absl::Status {
    // The SNS key is generated while the store loads (both take long; the
    // key is first needed once the listeners are open).
    sns_signer = SnsSigner::GenerateInBackground();
    absl::StatusOr<std::unique_ptr<Store>> opened =
        OpenStore(options, data_dir_lock);
    if (!opened.ok()) return opened.status();
    store = *std::move(opened);

    // Nothing is published before the listeners open, after Wait() below:
    // the builder can hold the signer while its key is still being made.
    sns_envelopes = std::make_unique<SignedEnvelopeBuilder>(sns_signer.get());
    BrokerOptions broker_options = options.broker;
    broker_options.envelope_builder = sns_envelopes.get();
    absl::StatusOr<std::unique_ptr<push::HttpPushSender>> pushes =
        MakeHttpPushSender(options);
    if (!pushes.ok()) return pushes.status();
    http_pushes = *std::move(pushes);
    broker_options.http_pusher = http_pushes.get();
    // Called on the broker's writer thread, which starts after `recovery`
    // is set below.
    broker_options.on_store_failure = [this](const absl::Status& failure) {
      if (options.broker.on_store_failure) {
        options.broker.on_store_failure(failure);
      }
      recovery->OnStoreFailure(failure);
    };
    broker = std::make_unique<Broker>(broker_options, clock, store.get());
    recovery = std::make_unique<StoreRecovery>(broker.get());
    absl::Status started = broker->Start();
    if (!started.ok()) return started;
    absl::Status signer = sns_signer->Wait();
    if (!signer.ok()) return signer;
    if (options.before_serving) {
      absl::Status ready = options.before_serving(*broker);
      if (!ready.ok()) return ready;
    }

    grpc_calls = std::make_unique<rpc::CallMetrics>(
        std::vector<std::string>{"cortado.v1.Queues", "cortado.v1.Topics"});
    // The HTTP gateway first: the gRPC API's queue URLs need its real port.
    rpc::CallMetrics* calls = grpc_calls.get();
    // The certificate SNS envelopes are signed with, at the path their
    // SigningCertURL names, for subscribers that verify signatures.
    gateway::StaticDocument certificate{
        .path = std::string(kSnsSigningCertPath),
        .content_type = "application/x-pem-file",
        .body = sns_signer->certificate_pem()};
    gateway = std::make_unique<gateway::Gateway>(
        gateway::GatewayOptions{.api = {.credentials = options.credentials},
                                .extra_metrics =
                                    [calls](gateway::MetricsText& out) {
                                      RenderGrpcCalls(*calls, out);
                                    },
                                .documents = {std::move(certificate)}},
        broker.get(), clock);
    http_server = gateway::NewHttpServer(
        gateway.get(), gateway::HttpServerOptions{.address = options.http_addr,
                                                  .clock = clock});
    absl::Status listening = http_server->Start();
    if (!listening.ok()) return listening;
    http_address = http_server->address();
    gateway->set_default_host(http_address);
    sns_envelopes->SetBaseUrl(absl::StrCat("http://", http_address));

    service = std::make_unique<rpc::QueueService>(
        broker.get(), rpc::QueueServiceOptions{.http_addr = http_address});
    grpc::ServerBuilder builder;
    builder.AddListeningPort(options.grpc_addr,
                             grpc::InsecureServerCredentials(), &grpc_port);
    builder.RegisterService(service.get());
    topic_service = std::make_unique<rpc::TopicService>(broker.get());
    builder.RegisterService(topic_service.get());
    // `cortado cluster status` against a single server: a clear
    // FAILED_PRECONDITION, not UNIMPLEMENTED.
    builder.RegisterService(&cluster_status);
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors;
    interceptors.push_back(grpc_calls->NewInterceptorFactory());
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
    builder.SetMaxReceiveMessageSize(kMaxGrpcMessageBytes);
    builder.SetMaxSendMessageSize(kMaxGrpcMessageBytes);
    // A second server on the same port must fail, not share it.
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    grpc_server = builder.BuildAndStart();
    if (grpc_server == nullptr || grpc_port == 0) {
      return absl::UnavailableError(
          absl::StrCat("cannot listen for gRPC on ", options.grpc_addr));
    }
    grpc_address = absl::StrCat(HostOf(options.grpc_addr), ":", grpc_port);
    return absl::OkStatus();
  }();
  if (!status.ok()) {
    if (grpc_server != nullptr) grpc_server->Shutdown();
    if (recovery != nullptr) recovery->Stop();
    if (broker != nullptr) broker->Shutdown();
    if (http_server != nullptr) http_server->Stop();
    grpc_server.reset();
    service.reset();
    topic_service.reset();
    http_server.reset();
    gateway.reset();
    grpc_calls.reset();
    recovery.reset();
    broker.reset();
    store.reset();
    data_dir_lock.reset();
    absl::MutexLock lock(&mu);
    state = State::kStopped;
  }
  return status;
}

void CortadoServer::Impl::Shutdown() {
  {
    absl::MutexLock lock(&mu);
    switch (state) {
      case State::kNew:
        state = State::kStopped;
        return;
      case State::kStopped:
        return;
      case State::kStopping:
        mu.Await(absl::Condition(
            +[](State* s) { return *s == State::kStopped; }, &state));
        return;
      case State::kRunning:
        state = State::kStopping;
        break;
    }
  }
  // The broker first: it refuses new calls and answers every parked long
  // poll, so no HTTP or gRPC call is left waiting on it. Then the HTTP
  // server and gRPC finish the calls in flight (each of which the broker has
  // answered by now).
  recovery->Stop();  // no reload may start on a stopping broker
  broker->Shutdown();
  http_server->Stop();
  grpc_server->Shutdown(std::chrono::system_clock::now() + kGrpcShutdownGrace);
  absl::MutexLock lock(&mu);
  state = State::kStopped;
}

CortadoServer::CortadoServer(ServerOptions options, Clock* clock)
    : impl_(std::make_unique<Impl>(std::move(options), clock)) {}

CortadoServer::~CortadoServer() { Shutdown(); }

absl::Status CortadoServer::Start() { return impl_->Start(); }

std::string CortadoServer::grpc_address() const { return impl_->grpc_address; }

int CortadoServer::grpc_port() const { return impl_->grpc_port; }

std::string CortadoServer::http_address() const { return impl_->http_address; }

int CortadoServer::http_port() const {
  return impl_->http_server == nullptr ? 0 : impl_->http_server->port();
}

Broker& CortadoServer::broker() { return *impl_->broker; }

void CortadoServer::Shutdown() { impl_->Shutdown(); }

void CortadoServer::Wait() {
  absl::MutexLock lock(&impl_->mu);
  impl_->mu.Await(absl::Condition(
      +[](Impl::State* s) {
        return *s == Impl::State::kNew || *s == Impl::State::kStopped;
      },
      &impl_->state));
}

}  // namespace cortado
