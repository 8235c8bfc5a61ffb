// HttpServer's idle deadline: a connection that sits idle (or trickles a
// request in) for idle_timeout is closed, while one that keeps exchanging
// requests, or waits for a slow answer, is not. The deadline is checked
// lazily (one timer wait per period, re-armed when it fires early), so these
// tests cover the cases where a stale wait could wrongly cut a connection.
#include <memory>
#include <string>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gateway/http_server.h"
#include "gtest/gtest.h"
#include "tests/gateway/raw_http_client.h"
#include "tests/testing/status_matchers.h"

namespace cortado::gateway {
namespace {

constexpr absl::Duration kIdle = absl::Milliseconds(200);

class IdleTimeoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<HttpServer>(
        HttpServerOptions{.address = "127.0.0.1:0", .idle_timeout = kIdle},
        [this](HttpRequest request, Respond respond,
               std::shared_ptr<Connection>) {
          if (request.target == "/slow") {
            absl::MutexLock lock(&mu_);
            held_ = std::move(respond);  // answered by the test
            return;
          }
          HttpResponse response;
          response.body = "ok";
          std::move(respond)(std::move(response));
        },
        [](const HttpRequest&, int status, const std::string&) {
          HttpResponse response;
          response.status = status;
          return response;
        });
    ASSERT_OK(server_->Start());
  }
  void TearDown() override { server_->Stop(); }

  // Answers the held /slow request (from the test's thread, as a broker
  // completion would from its own).
  void AnswerHeld() {
    Respond respond;
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(
          absl::Condition(
              +[](Respond* held) { return *held != nullptr; }, &held_),
          absl::Seconds(10));
      respond = std::move(held_);
    }
    ASSERT_TRUE(respond != nullptr);
    HttpResponse response;
    response.body = "slow";
    std::move(respond)(std::move(response));
  }

  absl::Mutex mu_;
  Respond held_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<HttpServer> server_;
};

TEST_F(IdleTimeoutTest, SilentConnectionIsClosed) {
  testing::RawHttpClient client(server_->port());
  ASSERT_OK(client.Connect());
  EXPECT_TRUE(client.ServerClosed(absl::Seconds(10)));
}

TEST_F(IdleTimeoutTest, TricklingRequestIsClosed) {
  testing::RawHttpClient client(server_->port());
  ASSERT_OK(client.SendRaw("POST / HTTP/1.1\r\nHost: x\r\n"));
  EXPECT_TRUE(client.ServerClosed(absl::Seconds(10)));
}

TEST_F(IdleTimeoutTest, ConnectionIdleAfterAnAnswerIsClosed) {
  testing::RawHttpClient client(server_->port());
  absl::StatusOr<testing::RawResponse> response =
      client.Request("POST", "/", {}, "x");
  ASSERT_OK(response.status());
  EXPECT_EQ(response->body, "ok");
  EXPECT_TRUE(client.ServerClosed(absl::Seconds(10)));
}

TEST_F(IdleTimeoutTest, BusyConnectionOutlivesManyIdlePeriods) {
  testing::RawHttpClient client(server_->port());
  const absl::Time until = absl::Now() + 4 * kIdle;
  int answered = 0;
  while (absl::Now() < until) {
    absl::StatusOr<testing::RawResponse> response =
        client.Request("POST", "/", {}, "x");
    ASSERT_OK(response.status()) << "after " << answered << " answers";
    EXPECT_EQ(response->body, "ok");
    ++answered;
  }
  EXPECT_GT(answered, 0);
}

TEST_F(IdleTimeoutTest, SlowAnswerIsNotCutByTheIdleDeadline) {
  testing::RawHttpClient client(server_->port());
  ASSERT_OK(client.SendRaw(
      "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx"));
  // Several idle periods pass while the request waits for its answer.
  EXPECT_FALSE(client.ServerClosed(3 * kIdle));
  AnswerHeld();
  absl::StatusOr<testing::RawResponse> response = client.ReadResponse();
  ASSERT_OK(response.status());
  EXPECT_EQ(response->body, "slow");
  // Then the connection is idle again, and closed.
  EXPECT_TRUE(client.ServerClosed(absl::Seconds(10)));
}

}  // namespace
}  // namespace cortado::gateway
