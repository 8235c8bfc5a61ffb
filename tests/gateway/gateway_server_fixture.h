// GatewayServerTest runs an in-process CortadoServer (SQLite store in a
// temporary directory, real clock) with its HTTP gateway on 127.0.0.1:0 and
// gives each test a RawHttpClient plus helpers for both SQS protocols.
// Thread-safety: a fixture is used by its test's threads.
#ifndef CORTADO_TESTS_GATEWAY_GATEWAY_SERVER_FIXTURE_H_
#define CORTADO_TESTS_GATEWAY_GATEWAY_SERVER_FIXTURE_H_

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cmd/cortado-server/cortado_server.h"
#include "common/json.h"
#include "gtest/gtest.h"
#include "tests/gateway/raw_http_client.h"
#include "tests/testing/poll.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::gateway::testing {

using ::cortado::testing::PollUntil;

// A query-protocol form for SQS `action`; `rest` starts with "&".
inline std::string Form(const std::string& action,
                        const std::string& rest = "") {
  return absl::StrCat("Action=", action, "&Version=2012-11-05", rest);
}

class GatewayServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(); }

  // Starts a server on the data directory (new ports each time).
  void StartServer() {
    ServerOptions options;
    options.grpc_addr = "127.0.0.1:0";
    options.http_addr = "127.0.0.1:0";
    options.data_dir = data_dir_.path();
    Configure(options);
    server_ = std::make_unique<CortadoServer>(options);
    ASSERT_OK(server_->Start());
    ASSERT_GT(server_->http_port(), 0);
    client_ = NewClient();
  }

  // Stops the server and starts another on the same data directory.
  void Restart() {
    client_.reset();
    server_->Shutdown();
    server_.reset();
    StartServer();
  }

  void TearDown() override {
    client_.reset();
    if (server_ != nullptr) server_->Shutdown();
  }

  // Lets a test adjust the options (e.g. credentials) before Start().
  virtual void Configure(ServerOptions& options) {}

  std::unique_ptr<RawHttpClient> NewClient() {
    return std::make_unique<RawHttpClient>(server_->http_port());
  }

  std::string Host() const {
    return absl::StrCat("127.0.0.1:", server_->http_port());
  }
  std::string QueueUrl(const std::string& name) const {
    return absl::StrCat("http://", Host(), "/000000000000/", name);
  }

  // JSON request; the response must parse as JSON.
  RawResponse Json(const std::string& action, const std::string& body) {
    absl::StatusOr<RawResponse> response = client_->Json(action, body);
    EXPECT_OK(response.status());
    return response.ok() ? *response : RawResponse{};
  }
  // The parsed JSON body of a response (kept alive until the test ends, so
  // pointers into it stay valid).
  const JsonValue& Body(const RawResponse& response) {
    std::optional<JsonValue> value = ParseJson(response.body);
    EXPECT_TRUE(value.has_value()) << response.body;
    return parsed_.emplace_back(value.value_or(JsonValue{}));
  }
  RawResponse Query(const std::string& form, const std::string& path = "/") {
    absl::StatusOr<RawResponse> response = client_->Query(form, path);
    EXPECT_OK(response.status());
    return response.ok() ? *response : RawResponse{};
  }

  // Creates a queue through the JSON protocol; returns its URL.
  std::string CreateQueue(const std::string& name) {
    RawResponse response =
        Json("CreateQueue", absl::StrCat("{\"QueueName\":\"", name, "\"}"));
    EXPECT_EQ(response.status, 200) << response.body;
    const JsonValue* url = Body(response).Find("QueueUrl");
    return url == nullptr ? "" : url->text;
  }

  cortado::testing::TempDir data_dir_;
  std::unique_ptr<CortadoServer> server_;
  std::unique_ptr<RawHttpClient> client_;
  std::deque<JsonValue> parsed_;
};

}  // namespace cortado::gateway::testing

#endif  // CORTADO_TESTS_GATEWAY_GATEWAY_SERVER_FIXTURE_H_
