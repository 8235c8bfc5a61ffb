#include "tests/e2e/cluster_fixture.h"

#include <signal.h>

#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/json.h"
#include "gtest/gtest.h"
#include "server/store/postgres_helpers.h"
#include "tests/testing/poll.h"

namespace cortado::e2e {

using gateway::testing::RawHttpClient;
using gateway::testing::RawResponse;
using testing::PollUntil;
using testing::ServerProcess;

int PortOf(const std::string& address) {
  int port = 0;
  (void)absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &port);
  return port;
}

std::string Quote(const std::string& text) {
  return absl::StrCat("\"", text, "\"");
}

std::string ClusterQueueUrl(const std::string& name) {
  return absl::StrCat("http://127.0.0.1/000000000000/", name);
}

void Cluster::StartNode(int i) {
  ServerProcess::Options options;
  options.extra_args = {"--cluster",
                        "--storage=postgres",
                        absl::StrCat("--database-url=", options_.url),
                        absl::StrCat("--database-schema=", options_.schema),
                        absl::StrCat("--node-id=n", i),
                        absl::StrCat("--lease-ttl=", options_.lease_ttl),
                        absl::StrCat("--partitions=", options_.partitions)};
  options.extra_args.insert(options.extra_args.end(),
                            options_.extra_args.begin(),
                            options_.extra_args.end());
  auto started = ServerProcess::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  absl::MutexLock lock(&mu_);
  nodes_[i] = *std::move(started);
}

int Cluster::AnyPort(std::mt19937& random) {
  absl::MutexLock lock(&mu_);
  std::vector<int> ports;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i] != nullptr && !frozen_[i]) {
      ports.push_back(PortOf(nodes_[i]->http_address()));
    }
  }
  if (ports.empty()) return 0;
  return ports[random() % ports.size()];
}

int Cluster::PortOfNode(int i) {
  absl::MutexLock lock(&mu_);
  return PortOf(nodes_[i]->http_address());
}

std::string Cluster::GrpcAddressOfNode(int i) {
  absl::MutexLock lock(&mu_);
  return nodes_[i]->grpc_address();
}

void Cluster::Kill(int i) {
  std::unique_ptr<ServerProcess> node;
  {
    absl::MutexLock lock(&mu_);
    node = std::move(nodes_[i]);
  }
  node->Kill();
}

void Cluster::Freeze(int i, bool frozen) {
  absl::MutexLock lock(&mu_);
  frozen_[i] = frozen;
  kill(nodes_[i]->pid(), frozen ? SIGSTOP : SIGCONT);
}

absl::StatusOr<RawResponse> Cluster::Call(const std::string& action,
                                          const std::string& body,
                                          std::mt19937& random,
                                          absl::Duration patience) {
  return Send({{"X-Amz-Target", absl::StrCat("AmazonSQS.", action)},
               {"Content-Type", "application/x-amz-json-1.0"}},
              body, random, patience);
}

absl::StatusOr<RawResponse> Cluster::Sns(const std::string& form,
                                         std::mt19937& random,
                                         absl::Duration patience) {
  return Send({{"Content-Type", "application/x-www-form-urlencoded"}},
              absl::StrCat(form, "&Version=2010-03-31"), random, patience);
}

absl::StatusOr<RawResponse> Cluster::Send(
    const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& body, std::mt19937& random, absl::Duration patience) {
  const absl::Time deadline = absl::Now() + patience;
  absl::StatusOr<RawResponse> last = absl::UnavailableError("no node");
  for (bool first = true; first || absl::Now() < deadline; first = false) {
    const int port = AnyPort(random);
    if (port != 0) {
      RawHttpClient client(port);
      last = client.Request("POST", "/", headers, body, absl::Seconds(5));
      if (last.ok() && last->status < 500) return last;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return last;
}

absl::StatusOr<RawResponse> CallNode(int port, const std::string& action,
                                     const std::string& body) {
  absl::StatusOr<RawResponse> response;
  PollUntil(
      [&] {
        RawHttpClient client(port);
        response = client.Json(action, body);
        return response.ok() && response->status < 500;
      },
      absl::Seconds(60), absl::Milliseconds(100));
  return response;
}

std::vector<std::pair<std::string, std::string>> Receive(Cluster& cluster,
                                                         const std::string& url,
                                                         std::mt19937& random,
                                                         int wait_seconds,
                                                         int visibility) {
  std::vector<std::pair<std::string, std::string>> out;
  auto received = cluster.Call(
      "ReceiveMessage",
      absl::StrCat("{\"QueueUrl\":", Quote(url),
                   ",\"MaxNumberOfMessages\":10,\"WaitTimeSeconds\":",
                   wait_seconds, ",\"VisibilityTimeout\":", visibility, "}"),
      random, absl::Seconds(10));
  if (!received.ok() || received->status != 200) return out;
  std::optional<JsonValue> json = ParseJson(received->body);
  const JsonValue* messages = json ? json->Find("Messages") : nullptr;
  if (messages == nullptr) return out;
  for (const JsonValue& m : messages->elements) {
    const JsonValue* body = m.Find("Body");
    const JsonValue* handle = m.Find("ReceiptHandle");
    if (body && handle) out.emplace_back(body->text, handle->text);
  }
  return out;
}

std::set<std::string> StoredBodies(const std::string& url,
                                   const std::string& schema, int partitions) {
  std::set<std::string> bodies;
  store::PgConnection connection(PQconnectdb(url.c_str()));
  EXPECT_EQ(PQstatus(connection.get()), CONNECTION_OK);
  for (int p = 0; p < partitions; ++p) {
    const std::string sql =
        absl::StrCat("SELECT convert_from(body, 'UTF8') FROM ", schema, "_p",
                     absl::StrFormat("%04d", p), ".messages");
    store::PgResult result(PQexec(connection.get(), sql.c_str()));
    if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) continue;  // unused
    for (int row = 0; row < PQntuples(result.get()); ++row) {
      bodies.insert(PQgetvalue(result.get(), row, 0));
    }
  }
  return bodies;
}

}  // namespace cortado::e2e
