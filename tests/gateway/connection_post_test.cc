// Connection::Post and OnConnection: how a broker completion reaches the
// I/O thread of its request's connection instead of running on the broker's
// writer thread.
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gateway/actions/action.h"
#include "gateway/http_server.h"
#include "gtest/gtest.h"
#include "tests/gateway/raw_http_client.h"
#include "tests/testing/status_matchers.h"

namespace cortado::gateway {
namespace {

// Keeps posted work until the test runs it.
class HeldConnection : public Connection {
 public:
  void Post(absl::AnyInvocable<void() &&> work) override {
    held.push_back(std::move(work));
  }
  void RunHeld() {
    std::vector<absl::AnyInvocable<void()&&>> work = std::move(held);
    held.clear();
    for (auto& one : work) std::move(one)();
  }
  std::vector<absl::AnyInvocable<void() &&>> held;
};

TEST(OnConnectionTest, CompletionRunsOnlyWhenTheConnectionRunsIt) {
  auto connection = std::make_shared<HeldConnection>();
  ActionContext context;
  context.connection = connection;
  absl::StatusOr<int> got = 0;
  bool ran = false;
  Callback<int> done =
      OnConnection<int>(context, [&](absl::StatusOr<int> result) {
        ran = true;
        got = std::move(result);
      });
  std::move(done)(42);  // as the broker's writer would
  EXPECT_FALSE(ran);
  ASSERT_EQ(connection->held.size(), 1u);
  connection->RunHeld();
  EXPECT_TRUE(ran);
  ASSERT_OK(got.status());
  EXPECT_EQ(*got, 42);
}

TEST(OnConnectionTest, ErrorsTravelTheSameWay) {
  auto connection = std::make_shared<HeldConnection>();
  ActionContext context;
  context.connection = connection;
  absl::Status got;
  Callback<int> done = OnConnection<int>(
      context, [&](absl::StatusOr<int> result) { got = result.status(); });
  std::move(done)(absl::UnavailableError("store"));
  EXPECT_TRUE(got.ok());
  connection->RunHeld();
  EXPECT_EQ(got, absl::UnavailableError("store"));
}

TEST(OnConnectionTest, WithoutAConnectionRunsInPlace) {
  ActionContext context;
  bool ran = false;
  Callback<int> done =
      OnConnection<int>(context, [&](absl::StatusOr<int>) { ran = true; });
  std::move(done)(1);
  EXPECT_TRUE(ran);
}

// A real HttpServer: work posted from a foreign thread runs on an I/O
// thread, and a post made on the connection's own thread runs at once.
class ConnectionPostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<HttpServer>(
        HttpServerOptions{.address = "127.0.0.1:0"},
        [this](HttpRequest request, Respond respond,
               std::shared_ptr<Connection> connection) {
          Handle(std::move(request), std::move(respond), std::move(connection));
        },
        [](const HttpRequest&, int status, const std::string&) {
          HttpResponse response;
          response.status = status;
          return response;
        });
    ASSERT_OK(server_->Start());
  }
  void TearDown() override {
    server_->Stop();
    std::vector<std::thread> threads;
    {
      absl::MutexLock lock(&mu_);
      threads = std::move(threads_);
    }
    for (std::thread& thread : threads) thread.join();
  }

  void Handle(HttpRequest request, Respond respond,
              std::shared_ptr<Connection> connection) {
    const std::thread::id io_thread = std::this_thread::get_id();
    bool inline_ran = false;
    connection->Post([&inline_ran] { inline_ran = true; });
    // What a broker completion does: answer from another thread, through
    // the connection.
    absl::MutexLock lock(&mu_);
    threads_.emplace_back([this, io_thread, inline_ran,
                           respond = std::move(respond),
                           connection = std::move(connection)]() mutable {
      const std::thread::id poster = std::this_thread::get_id();
      connection->Post([this, io_thread, inline_ran, poster,
                        respond = std::move(respond)]() mutable {
        const std::thread::id runner = std::this_thread::get_id();
        HttpResponse response;
        response.body = absl::StrCat(inline_ran ? "inline" : "deferred", ",",
                                     runner == poster ? "poster" : "io",
                                     runner == io_thread ? ",same" : ",other");
        std::move(respond)(std::move(response));
      });
    });
  }

  absl::Mutex mu_;
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<HttpServer> server_;
};

TEST_F(ConnectionPostTest, PostFromAnotherThreadRunsOnAnIoThread) {
  testing::RawHttpClient client(server_->port());
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<testing::RawResponse> response =
        client.Request("POST", "/", {}, "x");
    ASSERT_OK(response.status());
    EXPECT_EQ(response->status, 200);
    // "same" or "other": either of the two I/O threads may run the strand.
    EXPECT_TRUE(response->body == "inline,io,same" ||
                response->body == "inline,io,other")
        << response->body;
  }
}

}  // namespace
}  // namespace cortado::gateway
