// cortado-server: the broker process. Parses flags, starts a CortadoServer,
// writes the optional ready file, and stops gracefully on SIGTERM or SIGINT.
//
// Flags are absl flags. They are spelled with dashes on the command line
// (--data-dir); absl names them with underscores (data_dir), so dashes in
// flag names are rewritten before parsing. Bad flags exit with status 2.
//
// Signals: SIGTERM and SIGINT are blocked in every thread before any thread
// starts; one thread takes them with sigwait() and runs the shutdown, so no
// work happens inside a signal handler.
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "cmd/cortado-server/apply_config.h"
#include "cmd/cortado-server/cluster_config.h"
#include "cmd/cortado-server/cluster_server.h"
#include "cmd/cortado-server/cortado_server.h"
#include "cmd/cortado-server/log.h"
#include "common/flag_names.h"
#include "gateway/sigv4.h"

ABSL_FLAG(std::string, data_dir, "./cortado-data",
          "Directory of the broker's data files.");
ABSL_FLAG(std::string, grpc_addr, "127.0.0.1:50051",
          "host:port of the gRPC API (port 0: pick a free one).");
ABSL_FLAG(std::string, http_addr, "127.0.0.1:9324",
          "host:port of the HTTP gateway (SQS API, AWS CLI/SDKs); port 0: "
          "pick a free one.");
ABSL_FLAG(std::string, credentials, "",
          "File of SigV4 credentials (\"ACCESS_KEY SECRET\" per line). When "
          "set (or env CORTADO_ACCESS_KEY_ID + CORTADO_SECRET_ACCESS_KEY), "
          "every HTTP request must be signed; otherwise any credentials are "
          "accepted.");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warning or error.");
ABSL_FLAG(std::string, storage, "sqlite",
          "sqlite (durable, in --data-dir), postgres (durable, at "
          "--database-url) or memory (lost on exit).");
ABSL_FLAG(std::string, database_url, "",
          "postgres only: libpq connection string (postgresql://... URL or "
          "key=value pairs; sslmode, several hosts etc. work). Default: env "
          "CORTADO_DATABASE_URL.");
ABSL_FLAG(std::string, database_schema, "cortado",
          "postgres only: the PostgreSQL schema holding the broker's tables "
          "(one server per database and schema).");
ABSL_FLAG(std::string, sync, "normal",
          "sqlite only: normal (survives a process crash) or full (also "
          "survives power loss).");
ABSL_FLAG(std::string, account_id, "000000000000",
          "Account id shown in queue URLs and ARNs.");
ABSL_FLAG(std::string, region, "us-east-1", "Region shown in ARNs.");
ABSL_FLAG(bool, aws_60s_rules, false,
          "Enforce AWS's 60-second rules (QueueDeletedRecently, "
          "PurgeQueueInProgress).");
ABSL_FLAG(std::string, sns_http_allow, "",
          "SNS http/https subscriptions: comma-separated CIDR blocks (or "
          "addresses) the broker may POST to, e.g. 10.1.0.0/16,::1/128. "
          "Empty: any address. Set it when API users must not make the "
          "broker reach internal addresses.");
ABSL_FLAG(std::string, https_ca_file, "",
          "PEM file of extra certificate authorities trusted for https "
          "subscription endpoints, besides the system trust store.");
ABSL_FLAG(std::string, config, "",
          "YAML file of queues and topics (docs/CONFIG.md), applied at start "
          "and on SIGHUP: missing ones created, declared attributes and tags "
          "set; an error in it stops the start. Empty: none.");
ABSL_FLAG(bool, cluster, false,
          "Cluster mode (docs/CLUSTER.md): this server is one node of a "
          "cluster on --database-url (--storage=postgres); any node serves "
          "any queue, a dead node's queues are taken over by the others.");
ABSL_FLAG(std::string, node_id, "",
          "cluster only: this node's name, unique in the cluster and the same "
          "across restarts. Default: <hostname>-<gRPC port>.");
ABSL_FLAG(std::string, advertise_addr, "",
          "cluster only: the gRPC host:port at which the other nodes reach "
          "this one (forwarded gRPC calls; its host with the HTTP port for "
          "forwarded SQS/SNS calls). "
          "Default: --grpc-addr.");
ABSL_FLAG(absl::Duration, lease_ttl, absl::Seconds(5),
          "cluster only: a node whose heartbeat has not changed for this long "
          "(on each observer's own clock) is dead and its partitions are "
          "taken over.");
ABSL_FLAG(int32_t, partitions, 64,
          "cluster only: the number of partitions queues and topics are "
          "hashed into, fixed when the cluster is created (1-4096).");
ABSL_FLAG(std::string, ready_file, "",
          "Once listening, write \"grpc=HOST:PORT\\nhttp=HOST:PORT\\n\" here "
          "(atomically, via PATH.tmp).");

namespace cortado {
namespace {

constexpr int kExitBadFlags = 2;

constexpr const char* kUsage =
    "an SQS-compatible message broker.\n"
    "Flags (dashes or underscores): --data-dir --grpc-addr --http-addr "
    "--log-level --storage --sync --database-url --database-schema "
    "--account-id --region --aws-60s-rules "
    "--ready-file --credentials --config --cluster --node-id "
    "--advertise-addr --lease-ttl --partitions";

// Flags absl handles itself (help and friends); not checked beforehand.
bool IsAbslBuiltinFlag(const std::string& name) {
  for (const char* builtin :
       {"help", "helpfull", "helpshort", "helppackage", "helpon", "helpmatch",
        "version", "only_check_args", "flagfile", "fromenv", "tryfromenv",
        "undefok"}) {
    if (name == builtin) return true;
  }
  return false;
}

// `--help`: every flag of this file by its dashed name with its default, in
// name order (absl's own listing shows underscores and the source path).
std::string HelpText() {
  std::vector<const absl::CommandLineFlag*> flags;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (absl::EndsWith(flag->Filename(), "cortado-server/main.cc")) {
      flags.push_back(flag);
    }
  }
  std::sort(flags.begin(), flags.end(),
            [](auto* a, auto* b) { return a->Name() < b->Name(); });
  std::string text =
      "usage: cortado-server [FLAGS]: an SQS- and SNS-compatible message "
      "broker.\nFlags take dashes or underscores, --flag=VALUE or --flag "
      "VALUE.\n\n";
  for (const absl::CommandLineFlag* flag : flags) {
    const std::string value = flag->DefaultValue();
    absl::StrAppend(&text, "  --",
                    absl::StrReplaceAll(flag->Name(), {{"_", "-"}}),
                    " (default: ", value.empty() ? "none" : value, ")\n      ",
                    flag->Help(), "\n");
  }
  absl::StrAppend(&text,
                  "\nSignals: SIGTERM/SIGINT shut down gracefully; SIGHUP "
                  "re-applies --config.\n");
  return text;
}

bool WantsHelp(const std::vector<std::string>& args) {
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--") break;
    if (args[i] == "--help" || args[i] == "-help" || args[i] == "-h" ||
        args[i] == "--helpshort") {
      return true;
    }
  }
  return false;
}

// --database-url, else CORTADO_DATABASE_URL (keeps a password out of `ps`).
std::string DatabaseUrl() {
  const std::string url = absl::GetFlag(FLAGS_database_url);
  const char* env = std::getenv("CORTADO_DATABASE_URL");
  return !url.empty() || env == nullptr ? url : std::string(env);
}

// absl::ParseCommandLine exits with status 1 on a bad flag; check names,
// values and positional arguments first so that bad flags exit with 2.
absl::Status CheckFlags(const std::vector<std::string>& args) {
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") break;
    if (arg.empty() || arg[0] != '-') {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument \"", arg, "\""));
    }
    const std::string body = arg.substr(arg.find_first_not_of('-'));
    const size_t equals = body.find('=');
    std::string name = body.substr(0, equals);
    if (IsAbslBuiltinFlag(name)) continue;
    std::string value;
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (equals != std::string::npos) {
      value = body.substr(equals + 1);
    } else if (flag != nullptr && flag->IsOfType<bool>()) {
      value = "true";
    } else if (flag == nullptr && absl::StartsWith(name, "no") &&
               absl::FindCommandLineFlag(name.substr(2)) != nullptr &&
               absl::FindCommandLineFlag(name.substr(2))->IsOfType<bool>()) {
      name = name.substr(2);
      flag = absl::FindCommandLineFlag(name);
      value = "false";
    } else if (flag != nullptr && i + 1 < args.size()) {
      value = args[++i];
    } else if (flag != nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("missing value for --", name));
    }
    if (flag == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown flag --", absl::StrReplaceAll(name, {{"_", "-"}})));
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad value for --",
                       absl::StrReplaceAll(name, {{"_", "-"}}), ": ", error));
    }
  }
  if (!ParseLogLevel(absl::GetFlag(FLAGS_log_level)).has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad --log-level \"", absl::GetFlag(FLAGS_log_level),
                     "\" (debug, info, warning, error)"));
  }
  const std::string storage = absl::GetFlag(FLAGS_storage);
  if (storage != "memory" && storage != "sqlite" && storage != "postgres") {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown --storage \"", storage,
                     "\" (supported: sqlite, postgres, memory)"));
  }
  if (storage == "postgres" && DatabaseUrl().empty()) {
    return absl::InvalidArgumentError(
        "--storage=postgres needs --database-url (or CORTADO_DATABASE_URL)");
  }
  if (absl::GetFlag(FLAGS_cluster)) {
    if (storage != "postgres") {
      return absl::InvalidArgumentError(
          "--cluster needs --storage=postgres and --database-url");
    }
    const int32_t partitions = absl::GetFlag(FLAGS_partitions);
    if (partitions < 1 || partitions > 4096) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad --partitions ", partitions, " (want 1 to 4096)"));
    }
    if (absl::GetFlag(FLAGS_lease_ttl) < absl::Milliseconds(500)) {
      return absl::InvalidArgumentError("--lease-ttl must be at least 500ms");
    }
  }
  if (absl::GetFlag(FLAGS_sync) != "normal" &&
      absl::GetFlag(FLAGS_sync) != "full") {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown --sync \"", absl::GetFlag(FLAGS_sync),
                     "\" (supported: normal, full)"));
  }
  for (const auto& [flag_name, address] :
       {std::pair<const char*, std::string>{"grpc-addr",
                                            absl::GetFlag(FLAGS_grpc_addr)},
        {"http-addr", absl::GetFlag(FLAGS_http_addr)}}) {
    const size_t colon = address.rfind(':');
    if (colon == std::string::npos || colon == 0 ||
        colon + 1 == address.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bad --", flag_name, " \"", address, "\" (want HOST:PORT)"));
    }
  }
  return absl::OkStatus();
}

// Writes `contents` to `path` atomically: PATH.tmp, then rename.
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& contents) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << contents;
    out.close();
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", temp));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot rename ", temp, " to ", path));
  }
  return absl::OkStatus();
}

// Cluster mode: the node runs until SIGTERM/SIGINT, which hands its
// partitions to the other nodes before it exits.
int RunClusterNode(ClusterServerOptions options, sigset_t signals) {
  ClusterServer server(std::move(options));
  if (absl::Status started = server.Start(); !started.ok()) {
    LogError(absl::StrCat("cannot start: ", started.ToString()));
    return 1;
  }
  LogInfo(absl::StrCat("cluster node ", server.node_id(),
                       ": HTTP gateway (SQS API) listening on ",
                       server.http_address(), ", gRPC on ",
                       server.grpc_address()));
  // --config: through this node's own gRPC API, once it serves (the file's
  // queues and topics live on every node's partitions), before the node
  // says it is ready.
  const std::string config_file = absl::GetFlag(FLAGS_config);
  auto apply_config = [&server, &config_file](absl::Duration patience) {
    return ApplyClusterConfig(config_file, server.grpc_address(), patience);
  };
  if (!config_file.empty()) {
    if (absl::Status applied = apply_config(absl::Minutes(2)); !applied.ok()) {
      LogError(absl::StrCat("config not applied: ", applied.ToString()));
      server.Shutdown();
      return 1;
    }
  }
  const std::string ready_file = absl::GetFlag(FLAGS_ready_file);
  if (!ready_file.empty()) {
    absl::Status written = WriteFileAtomically(
        ready_file, absl::StrCat("grpc=", server.grpc_address(),
                                 "\nhttp=", server.http_address(), "\n"));
    if (!written.ok()) {
      LogError(written.ToString());
      return 1;
    }
  }
  std::thread signal_thread([&server, &config_file, &apply_config, signals] {
    int signal_number = 0;
    while (sigwait(&signals, &signal_number) == 0 && signal_number == SIGHUP) {
      if (config_file.empty()) {
        LogWarning("received SIGHUP without --config; nothing to re-apply");
        continue;
      }
      LogInfo(absl::StrCat("received SIGHUP, re-applying ", config_file));
      if (absl::Status applied = apply_config(absl::Seconds(30));
          !applied.ok()) {
        LogError(absl::StrCat("config not applied: ", applied.message()));
      }
    }
    LogInfo(absl::StrCat("received ", strsignal(signal_number),
                         ", handing partitions over and shutting down"));
    server.Shutdown();
  });
  server.Wait();
  signal_thread.join();
  LogInfo("stopped");
  return 0;
}

int Run(int argc, char** argv) {
#ifdef NDEBUG
  // Debian's absl runs its mutex deadlock detection (a lock graph updated on
  // every Lock) even in optimised builds: 3.3 % of the server's samples under
  // gRPC load (docs/PERFORMANCE.md). Debug builds, which the check build
  // runs the tests with, keep it on.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
  absl::SetProgramUsageMessage(kUsage);
  absl::FlagsUsageConfig usage_config;
  usage_config.contains_help_flags = [](absl::string_view path) {
    return absl::EndsWith(path, "server/main.cc");
  };
  usage_config.contains_helpshort_flags = usage_config.contains_help_flags;
  absl::SetFlagsUsageConfig(usage_config);
  std::vector<std::string> args = NormalizeFlagNames(argc, argv);
  if (WantsHelp(args)) {
    std::fputs(HelpText().c_str(), stdout);
    return 0;
  }
  if (absl::Status checked = CheckFlags(args); !checked.ok()) {
    std::fprintf(stderr, "cortado-server: %s\ncortado-server: %s\n",
                 std::string(checked.message()).c_str(), kUsage);
    return kExitBadFlags;
  }
  std::vector<char*> arg_pointers;
  for (std::string& arg : args) arg_pointers.push_back(arg.data());
  absl::ParseCommandLine(static_cast<int>(arg_pointers.size()),
                         arg_pointers.data());
  SetLogLevel(*ParseLogLevel(absl::GetFlag(FLAGS_log_level)));

  // Before any thread exists, so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  ServerOptions options;
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.grpc_addr = absl::GetFlag(FLAGS_grpc_addr);
  options.http_addr = absl::GetFlag(FLAGS_http_addr);
  options.storage = absl::GetFlag(FLAGS_storage);
  options.sync = absl::GetFlag(FLAGS_sync);
  options.database_url = DatabaseUrl();
  options.database_schema = absl::GetFlag(FLAGS_database_schema);
  options.broker.account_id = absl::GetFlag(FLAGS_account_id);
  options.broker.region = absl::GetFlag(FLAGS_region);
  options.broker.enforce_60_second_rules = absl::GetFlag(FLAGS_aws_60s_rules);
  options.sns_http_allow = absl::GetFlag(FLAGS_sns_http_allow);
  options.https_ca_file = absl::GetFlag(FLAGS_https_ca_file);
  options.on_http_push = [](const HttpPush& push, const absl::Status& outcome) {
    if (outcome.ok()) return;
    LogWarning(absl::StrCat("SNS ", push.message_type, " ", push.message_id,
                            " to ", push.url, " failed: ", outcome.message()));
  };
  const std::string config_file = absl::GetFlag(FLAGS_config);
  if (!config_file.empty()) {
    // Applied before the listeners open: no client sees a half-configured
    // server, and a bad file stops the start.
    options.before_serving = [config_file](Broker& broker) {
      return ApplyConfigFile(config_file, broker);
    };
  }

  // SigV4: a credentials file, else the environment, else an open gateway.
  const std::string credentials_file = absl::GetFlag(FLAGS_credentials);
  const char* env_key = std::getenv("CORTADO_ACCESS_KEY_ID");
  const char* env_secret = std::getenv("CORTADO_SECRET_ACCESS_KEY");
  if (!credentials_file.empty()) {
    absl::StatusOr<gateway::SigV4Credentials> loaded =
        gateway::LoadCredentialsFile(credentials_file);
    if (!loaded.ok()) {
      LogError(absl::StrCat("cannot load --credentials: ",
                            loaded.status().ToString()));
      return kExitBadFlags;
    }
    options.credentials = *std::move(loaded);
  }
  if (env_key != nullptr && env_secret != nullptr && *env_key != '\0') {
    if (!options.credentials.has_value()) options.credentials.emplace();
    options.credentials->secrets[env_key] = env_secret;
  }

  if (absl::GetFlag(FLAGS_cluster)) {
    return RunClusterNode(
        ClusterServerOptions{
            .server = options,
            .node_id = absl::GetFlag(FLAGS_node_id),
            .advertise_addr = absl::GetFlag(FLAGS_advertise_addr),
            .lease_ttl = absl::GetFlag(FLAGS_lease_ttl),
            .partitions = absl::GetFlag(FLAGS_partitions)},
        signals);
  }

  CortadoServer server(options);
  if (absl::Status started = server.Start(); !started.ok()) {
    LogError(absl::StrCat("cannot start: ", started.ToString()));
    return 1;
  }
  LogInfo(absl::StrCat("gRPC listening on ", server.grpc_address()));
  LogInfo(absl::StrCat("HTTP gateway (SQS API) listening on ",
                       server.http_address()));
  if (options.credentials.has_value()) {
    LogInfo(absl::StrCat("HTTP gateway: SigV4 enforced for ",
                         options.credentials->secrets.size(),
                         " access key(s)"));
  } else {
    LogWarning(
        "HTTP gateway is OPEN: any (or no) AWS credentials are accepted; "
        "use --credentials FILE to require signed requests");
  }
  if (options.storage == "memory") {
    LogWarning(
        "--storage=memory: all queues and messages are kept in memory only "
        "and are LOST when the process exits");
  } else if (options.storage == "postgres") {
    LogInfo(absl::StrCat("durable store: PostgreSQL, schema \"",
                         options.database_schema, "\""));
  } else {
    LogInfo(absl::StrCat("durable store: SQLite in ", options.data_dir,
                         " (--sync=", options.sync, ")"));
  }

  const std::string ready_file = absl::GetFlag(FLAGS_ready_file);
  if (!ready_file.empty()) {
    absl::Status written = WriteFileAtomically(
        ready_file, absl::StrCat("grpc=", server.grpc_address(),
                                 "\nhttp=", server.http_address(), "\n"));
    if (!written.ok()) {
      LogError(written.ToString());
      server.Shutdown();
      return 1;
    }
  }

  std::thread signal_thread([&server, &config_file, signals] {
    int signal_number = 0;
    // SIGHUP re-applies --config; a bad file is logged and changes nothing.
    while (sigwait(&signals, &signal_number) == 0 && signal_number == SIGHUP) {
      if (config_file.empty()) {
        LogWarning("received SIGHUP without --config; nothing to re-apply");
        continue;
      }
      LogInfo(absl::StrCat("received SIGHUP, re-applying ", config_file));
      if (absl::Status applied = ApplyConfigFile(config_file, server.broker());
          !applied.ok()) {
        LogError(absl::StrCat("config not applied: ", applied.message()));
      }
    }
    LogInfo(
        absl::StrCat("received ", strsignal(signal_number), ", shutting down"));
    server.Shutdown();
  });

  server.Wait();
  signal_thread.join();
  LogInfo("stopped");
  return 0;
}

}  // namespace
}  // namespace cortado

int main(int argc, char** argv) { return cortado::Run(argc, argv); }
