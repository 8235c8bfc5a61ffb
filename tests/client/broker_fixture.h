// BrokerTest runs an in-process CortadoServer (memory store, real clock) on
// 127.0.0.1:0 and gives each test a libcortado Client connected to it.
// Thread-safety: the fixture belongs to its test; client_ is thread-safe.
#ifndef CORTADO_TESTS_CLIENT_BROKER_FIXTURE_H_
#define CORTADO_TESTS_CLIENT_BROKER_FIXTURE_H_

#include <memory>
#include <string>

#include "cortado/client.h"
#include "gtest/gtest.h"
#include "cmd/cortado-server/cortado_server.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::client {

class BrokerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.grpc_addr = "127.0.0.1:0";
    options.http_addr = "127.0.0.1:0";
    options.data_dir = data_dir_.path();
    server_ = std::make_unique<CortadoServer>(options);
    ASSERT_OK(server_->Start());
    absl::StatusOr<std::unique_ptr<Client>> client =
        Client::Connect(server_->grpc_address());
    ASSERT_OK(client);
    client_ = *std::move(client);
  }

  void TearDown() override {
    client_.reset();
    if (server_ != nullptr) server_->Shutdown();
  }

  // One queue attribute, e.g. "ApproximateNumberOfMessagesNotVisible".
  std::string QueueAttribute(const std::string& queue,
                             const std::string& name) {
    absl::StatusOr<StringMap> attributes =
        client_->GetQueueAttributes(queue, {name});
    EXPECT_OK(attributes);
    if (!attributes.ok()) return "";
    auto it = attributes->find(name);
    return it == attributes->end() ? "" : it->second;
  }

  // "visible/not visible", e.g. "0/1", for compact expectations.
  std::string Counts(const std::string& queue) {
    return QueueAttribute(queue, "ApproximateNumberOfMessages") + "/" +
           QueueAttribute(queue, "ApproximateNumberOfMessagesNotVisible");
  }

  void CreateQueue(const std::string& name, const StringMap& attributes = {}) {
    ASSERT_OK(client_->CreateQueue(name, attributes));
  }

  testing::TempDir data_dir_;
  std::unique_ptr<CortadoServer> server_;
  std::unique_ptr<Client> client_;
};

}  // namespace cortado::client

#endif  // CORTADO_TESTS_CLIENT_BROKER_FIXTURE_H_
