// HttpForwarder against a real owner (an HttpServer on 127.0.0.1:0): calls
// reuse keep-alive connections, a pooled connection the owner closed is
// replaced without failing the call, a cancelled call hangs up on the owner,
// and a deadline ends a call the owner never answers.
#include "gateway/http_forwarder.h"

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gateway/http_server.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace cortado::gateway {
namespace {

// The owner: echoes the body of a POST to "/", parks "/hold" until the
// caller hangs up.
class Owner {
 public:
  explicit Owner(const std::string& address = "127.0.0.1:0") {
    server_ = std::make_unique<HttpServer>(
        HttpServerOptions{.address = address},
        [this](HttpRequest request, Respond respond,
               std::shared_ptr<Connection>) {
          if (request.target == "/hold") {
            request.client_gone->OnClientGone([this] { hung_up.Notify(); });
            absl::MutexLock lock(&mu_);
            held_.push_back(std::move(respond));
            return;
          }
          HttpResponse response;
          response.headers.emplace_back("x-echo", request.Header("x-test"));
          response.body = request.body;
          std::move(respond)(std::move(response));
        },
        [](const HttpRequest&, int status, const std::string&) {
          HttpResponse response;
          response.status = status;
          return response;
        });
  }
  ~Owner() {
    server_->Stop(absl::ZeroDuration());
    absl::MutexLock lock(&mu_);
    held_.clear();
  }

  absl::Status Start() { return server_->Start(); }
  std::string address() const { return server_->address(); }

  absl::Notification hung_up;

 private:
  absl::Mutex mu_;
  std::vector<Respond> held_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<HttpServer> server_;
};

HttpRequest Post(const std::string& target, const std::string& body) {
  HttpRequest request;
  request.method = "POST";
  request.target = target;
  request.AddHeader("x-test", body);
  request.body = body;
  return request;
}

// Forwards and waits for the answer.
absl::StatusOr<HttpResponse> Call(HttpForwarder& forwarder,
                                  const std::string& address,
                                  const HttpRequest& request,
                                  absl::Duration timeout = absl::Seconds(10)) {
  absl::Notification done;
  absl::StatusOr<HttpResponse> got;
  forwarder.Forward(address, request, timeout,
                    [&](absl::StatusOr<HttpResponse> response) {
                      got = std::move(response);
                      done.Notify();
                    });
  done.WaitForNotification();
  return got;
}

TEST(HttpForwarderTest, SequentialCallsShareOneConnection) {
  Owner owner;
  ASSERT_OK(owner.Start());
  HttpForwarder forwarder;
  for (int i = 0; i < 50; ++i) {
    const std::string body = absl::StrCat("call ", i);
    absl::StatusOr<HttpResponse> response =
        Call(forwarder, owner.address(), Post("/", body));
    ASSERT_OK(response.status());
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, body);
    bool echoed = false;
    for (const auto& [name, value] : response->headers) {
      if (name == "x-echo") echoed = value == body;
    }
    EXPECT_TRUE(echoed);
  }
  EXPECT_EQ(forwarder.forwarded(), 50u);
  EXPECT_EQ(forwarder.connections_opened(), 1u);
}

TEST(HttpForwarderTest, ConcurrentCallsOpenMoreConnectionsAndAllAnswer) {
  Owner owner;
  ASSERT_OK(owner.Start());
  HttpForwarder forwarder;
  std::vector<std::thread> callers;
  std::vector<std::string> failures(8);
  for (int c = 0; c < 8; ++c) {
    callers.emplace_back([&, c] {
      for (int i = 0; i < 200; ++i) {
        const std::string body = absl::StrCat(c, "/", i);
        absl::StatusOr<HttpResponse> response =
            Call(forwarder, owner.address(), Post("/", body));
        if (!response.ok() || response->body != body) {
          failures[c] = absl::StrCat(body, ": ", response.status().ToString());
          return;
        }
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  for (const std::string& failure : failures) EXPECT_EQ(failure, "");
  EXPECT_GE(forwarder.connections_opened(), 1u);
  EXPECT_LE(forwarder.connections_opened(), 8u);  // at most one per caller
}

TEST(HttpForwarderTest, AConnectionTheOwnerClosedIsReplacedWithoutAnError) {
  HttpForwarder forwarder;
  std::string address;
  {
    Owner first;
    ASSERT_OK(first.Start());
    address = first.address();
    ASSERT_OK(Call(forwarder, address, Post("/", "one")).status());
  }  // the owner restarts: the pooled connection is dead
  Owner second(address);
  ASSERT_OK(second.Start());
  absl::StatusOr<HttpResponse> response =
      Call(forwarder, address, Post("/", "two"));
  ASSERT_OK(response.status());
  EXPECT_EQ(response->body, "two");
  EXPECT_EQ(forwarder.connections_opened(), 2u);
}

TEST(HttpForwarderTest, CancelHangsUpOnTheOwner) {
  Owner owner;
  ASSERT_OK(owner.Start());
  HttpForwarder forwarder;
  absl::Notification done;
  absl::Status status;
  std::shared_ptr<ForwardCall> call =
      forwarder.Forward(owner.address(), Post("/hold", ""), absl::Seconds(30),
                        [&](absl::StatusOr<HttpResponse> response) {
                          status = response.status();
                          done.Notify();
                        });
  // Cancelled before or after it reached the owner: either way the owner
  // sees no caller and the call ends Cancelled.
  call->Cancel();
  done.WaitForNotification();
  EXPECT_TRUE(absl::IsCancelled(status)) << status;
  // The next call does not get the cancelled call's connection.
  absl::StatusOr<HttpResponse> next =
      Call(forwarder, owner.address(), Post("/", "after"));
  ASSERT_OK(next.status());
  EXPECT_EQ(next->body, "after");
}

TEST(HttpForwarderTest, AnOwnerThatNeverAnswersEndsInDeadlineExceeded) {
  Owner owner;
  ASSERT_OK(owner.Start());
  HttpForwarder forwarder;
  ASSERT_OK(Call(forwarder, owner.address(), Post("/", "warm")).status());
  absl::StatusOr<HttpResponse> held = Call(
      forwarder, owner.address(), Post("/hold", ""), absl::Milliseconds(200));
  EXPECT_TRUE(absl::IsDeadlineExceeded(held.status())) << held.status();
  // The timed-out connection was closed, not pooled: the owner saw it go.
  EXPECT_TRUE(owner.hung_up.WaitForNotificationWithTimeout(absl::Seconds(30)));
  absl::StatusOr<HttpResponse> next =
      Call(forwarder, owner.address(), Post("/", "after"));
  ASSERT_OK(next.status());
  EXPECT_EQ(next->body, "after");
}

TEST(HttpForwarderTest, NoOwnerListeningIsUnavailable) {
  std::string address;
  {
    Owner gone;
    ASSERT_OK(gone.Start());
    address = gone.address();
  }
  HttpForwarder forwarder;
  absl::StatusOr<HttpResponse> response =
      Call(forwarder, address, Post("/", "x"));
  EXPECT_TRUE(absl::IsUnavailable(response.status())) << response.status();
}

}  // namespace
}  // namespace cortado::gateway
