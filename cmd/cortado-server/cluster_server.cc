#include "cmd/cortado-server/cluster_server.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "cmd/cortado-server/cluster_routing.h"
#include "cmd/cortado-server/cluster_status.h"
#include "cmd/cortado-server/grpc_publish_relay.h"
#include "cmd/cortado-server/grpc_router.h"
#include "cmd/cortado-server/host_port.h"
#include "cmd/cortado-server/log.h"
#include "cmd/cortado-server/retry_unavailable.h"
#include "gateway/gateway.h"
#include "gateway/http_forwarder.h"
#include "gateway/http_server.h"
#include "gateway/metrics/metrics_text.h"
#include "server/cluster/cluster_node.h"
#include "server/cluster/directory.h"
#include "server/cluster/partition_factory.h"
#include "server/cluster/partitioning.h"
#include "server/cluster/transfer_pump.h"
#include "server/rpc/queue_service.h"
#include "server/rpc/topic_service.h"
#include "server/sns/signed_envelope_builder.h"
#include "server/sns/sns_signer.h"

namespace cortado {
namespace {

// As a single server (cortado_server.cc).
constexpr int kMaxGrpcMessageBytes = 16 * 1024 * 1024;

std::string DefaultNodeId(int grpc_port) {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return absl::StrCat(host[0] != '\0' ? host : "node", "-", grpc_port);
}

// cortado_cluster_* on /metrics: what this node sees and did.
void RenderClusterMetrics(const cluster::ClusterNode& node,
                          uint64_t grpc_forwarded, uint64_t http_forwarded,
                          const cluster::TransferPump* transfers,
                          gateway::MetricsText& out) {
  const cluster::ClusterView view = node.View();
  const cluster::ClusterCounters counters = node.Counters();
  int alive = 0;
  for (const auto& member : view.nodes) alive += member.alive ? 1 : 0;
  int owned = 0;
  for (const auto& row : view.ownership) {
    owned += row.owner == node.node_id() ? 1 : 0;
  }
  auto one = [&out](const char* name, const char* type, const char* help,
                    uint64_t value) {
    out.Family(name, type, help);
    out.Sample(name, {}, value);
  };
  one("cortado_cluster_nodes_alive", "gauge",
      "Cluster members this node sees alive (itself included).", alive);
  one("cortado_cluster_partitions_owned", "gauge",
      "Partitions this node owns in the ownership table.", owned);
  one("cortado_cluster_takeovers_total", "counter",
      "Partitions this node claimed (unowned or orphaned).", counters.claims);
  one("cortado_cluster_handoffs_total", "counter",
      "Partitions this node handed to another node.", counters.handoffs_out);
  one("cortado_cluster_fenced_total", "counter",
      "Partitions dropped here because another node owned them.",
      counters.fenced);
  one("cortado_cluster_reloads_total", "counter",
      "Partitions dropped after a store failure, to reload.", counters.reloads);
  one("cortado_cluster_http_forwarded_total", "counter",
      "SQS/SNS HTTP requests forwarded to the node that owns their "
      "partition.",
      http_forwarded);
  one("cortado_cluster_grpc_forwarded_total", "counter",
      "gRPC calls relayed to the node that owns their partition.",
      grpc_forwarded);
  if (transfers == nullptr) return;
  const cluster::TransferPumpCounters outbox = transfers->Counters();
  one("cortado_cluster_transfers_taken_total", "counter",
      "Messages from other partitions' outbox enqueued here.",
      outbox.transfers);
  one("cortado_cluster_transfer_batches_failed_total", "counter",
      "Outbox batches whose commit failed here (read again later).",
      outbox.failed);
}

}  // namespace

struct ClusterServer::Impl {
  explicit Impl(ClusterServerOptions o) : options(std::move(o)) {}

  absl::Status Start();
  absl::Status StartListeners();
  absl::Status StartGrpc();
  absl::Status JoinCluster();
  void Shutdown();

  const ClusterServerOptions options;
  RealClock clock;
  // Before the listeners that use it, so destroyed after them.
  ClusterStatusService status_service{/*cluster_mode=*/true};
  std::unique_ptr<SnsSigner> sns_signer;
  std::unique_ptr<SignedEnvelopeBuilder> sns_envelopes;
  std::unique_ptr<ClusterRouting> routing;
  std::unique_ptr<gateway::HttpForwarder> forwarder;
  std::unique_ptr<gateway::Gateway> gateway;
  std::unique_ptr<gateway::HttpServer> http_server;
  // This node's typed gRPC services, on a server reached only through an
  // in-process channel, behind the router on the listener.
  std::unique_ptr<rpc::QueueService> queue_service;
  std::unique_ptr<rpc::TopicService> topic_service;
  std::unique_ptr<grpc::Server> local_grpc_server;
  std::unique_ptr<GrpcRouter> grpc_router;
  std::unique_ptr<GrpcPublishRelay> publish_relay;
  std::unique_ptr<grpc::Server> grpc_server;
  std::unique_ptr<cluster::Directory> directory;
  // Before the node: it and its partitions use the spares until they stop.
  std::unique_ptr<cluster::SpareSessions> spares;
  std::unique_ptr<cluster::ClusterNode> node;
  // After the node: its broker lookup uses the node.
  std::unique_ptr<cluster::TransferPump> transfers;
  std::string grpc_address;
  std::string http_address;
  std::string node_id;

  absl::Mutex mu;
  bool started ABSL_GUARDED_BY(mu) = false;
  bool stopped ABSL_GUARDED_BY(mu) = false;
};

absl::Status ClusterServer::Impl::StartListeners() {
  BrokerOptions broker_options = options.server.broker;
  broker_options.envelope_builder = sns_envelopes.get();
  routing = std::make_unique<ClusterRouting>(broker_options);
  forwarder = std::make_unique<gateway::HttpForwarder>();
  gateway::StaticDocument certificate{.path = std::string(kSnsSigningCertPath),
                                      .content_type = "application/x-pem-file",
                                      .body = sns_signer->certificate_pem()};
  gateway = std::make_unique<gateway::Gateway>(
      gateway::GatewayOptions{
          .api = {.credentials = options.server.credentials,
                  .routing = routing.get(),
                  .forwarder = forwarder.get()},
          .extra_metrics =
              [this](gateway::MetricsText& out) {
                if (node != nullptr) {
                  RenderClusterMetrics(*node, grpc_router->forwarded(),
                                       forwarder->forwarded(), transfers.get(),
                                       out);
                }
              },
          .documents = {std::move(certificate),
                        ClusterStatusDocument(&status_service)}},
      /*broker=*/nullptr, &clock);
  http_server = gateway::NewHttpServer(
      gateway.get(), gateway::HttpServerOptions{
                         .address = options.server.http_addr, .clock = &clock});
  if (absl::Status listening = http_server->Start(); !listening.ok()) {
    return listening;
  }
  http_address = http_server->address();
  gateway->set_default_host(http_address);
  sns_envelopes->SetBaseUrl(absl::StrCat("http://", http_address));

  return StartGrpc();
}

// Every call on the listener goes through the router (grpc_router.h): a
// generic service cannot share method names with typed ones on one server,
// and the router must see each call before deciding where it is served.
absl::Status ClusterServer::Impl::StartGrpc() {
  grpc_router = std::make_unique<GrpcRouter>(
      GrpcRouterOptions{.node_id = [this] { return routing->NodeId(); },
                        .owner_of =
                            [this](absl::string_view name) {
                              return routing->GrpcOwnerOf(name);
                            }});
  publish_relay = std::make_unique<GrpcPublishRelay>(grpc_router.get());
  queue_service = std::make_unique<rpc::QueueService>(
      routing.get(),
      rpc::QueueServiceOptions{.http_addr = http_address,
                               .publish_relay = publish_relay.get()});
  topic_service = std::make_unique<rpc::TopicService>(routing.get());
  grpc::ServerBuilder local;
  local.RegisterService(queue_service.get());
  local.RegisterService(topic_service.get());
  local.SetMaxReceiveMessageSize(kMaxGrpcMessageBytes);
  local.SetMaxSendMessageSize(kMaxGrpcMessageBytes);
  local_grpc_server = local.BuildAndStart();
  if (local_grpc_server == nullptr) {
    return absl::InternalError("cannot start the local gRPC services");
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);  // the listener enforces the limits
  args.SetMaxSendMessageSize(-1);
  grpc_router->SetLocal(local_grpc_server->InProcessChannel(args));

  // The gRPC listener is the node's advertised address.
  int grpc_port = 0;
  grpc::ServerBuilder builder;
  builder.RegisterCallbackGenericService(grpc_router.get());
  builder.RegisterService(&status_service);
  builder.AddListeningPort(options.server.grpc_addr,
                           grpc::InsecureServerCredentials(), &grpc_port);
  builder.SetMaxReceiveMessageSize(kMaxGrpcMessageBytes);
  builder.SetMaxSendMessageSize(kMaxGrpcMessageBytes);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  grpc_server = builder.BuildAndStart();
  if (grpc_server == nullptr || grpc_port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for gRPC on ", options.server.grpc_addr));
  }
  grpc_address = absl::StrCat(HostOf(options.server.grpc_addr), ":", grpc_port);
  node_id =
      options.node_id.empty() ? DefaultNodeId(grpc_port) : options.node_id;
  return absl::OkStatus();
}

absl::Status ClusterServer::Impl::JoinCluster() {
  const ServerOptions& server = options.server;
  const std::string advertise =
      options.advertise_addr.empty() ? grpc_address : options.advertise_addr;
  cluster::ClusterNodeOptions node_options;
  node_options.control.url = server.database_url;
  node_options.control.schema = server.database_schema;
  node_options.control.application_name = cluster::SessionName(node_id);
  node_options.control.partitions = options.partitions;
  node_options.node_id = node_id;
  node_options.grpc_addr = advertise;
  // Other nodes forward HTTP requests here: the advertised host, this
  // listener's port.
  node_options.http_addr =
      absl::StrCat(HostOf(advertise), ":", http_server->port());
  node_options.lease_ttl = options.lease_ttl;
  node_options.log = [](const std::string& line) { LogInfo(line); };

  cluster::PartitionFactoryOptions factory;
  factory.url = server.database_url;
  factory.control_schema = server.database_schema;
  factory.node_id = node_id;
  factory.broker = server.broker;
  factory.broker.envelope_builder = sns_envelopes.get();
  factory.clock = &clock;
  // A node frozen mid-commit holds its partition's row lock at most this
  // long: well under the TTL after which the others take over.
  factory.idle_in_transaction_timeout = std::clamp(
      options.lease_ttl / 2, absl::Milliseconds(100), absl::Seconds(2));
  // Connects on first use, once the node has joined.
  directory = std::make_unique<cluster::Directory>(
      server.database_url, server.database_schema,
      cluster::SessionName(node_id, "directory"));
  factory.directory = directory.get();
  spares = std::make_unique<cluster::SpareSessions>(
      server.database_url, cluster::SessionName(node_id, "spare"));
  factory.spares = spares.get();
  node_options.spares = spares.get();

  using Started = std::unique_ptr<cluster::ClusterNode>;
  absl::StatusOr<Started> started = RetryWhileUnavailable<Started>(
      [&] {
        return cluster::ClusterNode::Start(
            node_options, cluster::PostgresPartitionFactory(factory));
      },
      server.database_wait);
  if (!started.ok()) return started.status();
  node = *std::move(started);
  routing->SetNode(node.get(), directory.get());
  status_service.SetNode(node.get());
  transfers = std::make_unique<cluster::TransferPump>(
      cluster::TransferPumpOptions{
          .url = server.database_url,
          .control_schema = server.database_schema,
          .application_name = cluster::SessionName(node_id, "outbox"),
          .log = [](const std::string& line) { LogInfo(line); }},
      [n = node.get()](int32_t partition) {
        return n->host().BrokerOf(partition);
      });
  if (absl::Status pumping = transfers->Start(); !pumping.ok()) {
    return pumping;
  }
  LogInfo(absl::StrCat("cluster: node ", node_id, " joined (",
                       node->partitions(), " partitions, lease TTL ",
                       absl::FormatDuration(options.lease_ttl), ")"));
  return absl::OkStatus();
}

absl::Status ClusterServer::Impl::Start() {
  {
    absl::MutexLock lock(&mu);
    if (started) return absl::FailedPreconditionError("started twice");
    started = true;
  }
  sns_signer = SnsSigner::GenerateInBackground();
  sns_envelopes = std::make_unique<SignedEnvelopeBuilder>(sns_signer.get());
  absl::Status status = sns_signer->Wait();
  if (status.ok()) status = StartListeners();
  if (status.ok()) status = JoinCluster();
  if (!status.ok()) Shutdown();
  return status;
}

void ClusterServer::Impl::Shutdown() {
  {
    absl::MutexLock lock(&mu);
    if (stopped) return;
    stopped = true;
  }
  // The handoff first, while HTTP still serves: requests for a partition
  // already handed over are forwarded to its new owner.
  if (node != nullptr) node->Stop(/*handoff=*/true);
  if (transfers != nullptr) transfers->Stop();
  if (http_server != nullptr) http_server->Stop();
  // The listener first: its relayed calls need the local services.
  for (grpc::Server* server : {grpc_server.get(), local_grpc_server.get()}) {
    if (server != nullptr) {
      server->Shutdown(std::chrono::system_clock::now() +
                       std::chrono::seconds(2));
    }
  }
}

ClusterServer::ClusterServer(ClusterServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

ClusterServer::~ClusterServer() { Shutdown(); }

absl::Status ClusterServer::Start() { return impl_->Start(); }

std::string ClusterServer::grpc_address() const { return impl_->grpc_address; }

std::string ClusterServer::http_address() const { return impl_->http_address; }

std::string ClusterServer::node_id() const { return impl_->node_id; }

void ClusterServer::Shutdown() { impl_->Shutdown(); }

void ClusterServer::Wait() {
  absl::MutexLock lock(&impl_->mu);
  impl_->mu.Await(absl::Condition(&impl_->stopped));
}

}  // namespace cortado
