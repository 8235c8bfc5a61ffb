// The hang-up watch of a parked request (ClientGoneWatch) against answers
// that come from another thread, as a broker's writer or the cluster's
// forwarder gives them: every request on a keep-alive connection gets its
// answer, one after another, and a client that hangs up is noticed.
//
// The bug this guards against: with two I/O threads, the cancelled watch's
// completion could reach the connection's strand after the response's
// write completion; the next request's read and the stale watch then raced,
// the watch took the next request into the buffer where nothing parsed it,
// and that client waited forever (docs/CLUSTER.md). The race depends on
// thread scheduling, so the test runs many watched requests over several
// connections with more I/O threads than cores: the old code lost a request
// in each of five runs (on 2 cores), the fixed one none.
#include <deque>
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
#include "tests/gateway/raw_http_client.h"
#include "tests/testing/status_matchers.h"

namespace cortado::gateway {
namespace {

// Answers the requests it is given, in order, from its own thread.
class Responder {
 public:
  Responder() : thread_([this] { Run(); }) {}
  ~Responder() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    thread_.join();
  }

  void Add(std::string body, Respond respond) {
    absl::MutexLock lock(&mu_);
    pending_.emplace_back(std::move(body), std::move(respond));
  }

 private:
  void Run() {
    while (true) {
      std::pair<std::string, Respond> next;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](Responder* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
              return self->stopping_ || !self->pending_.empty();
            },
            this));
        if (pending_.empty()) return;
        next = std::move(pending_.front());
        pending_.pop_front();
      }
      HttpResponse response;
      response.body = std::move(next.first);
      std::move(next.second)(std::move(response));
    }
  }

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::deque<std::pair<std::string, Respond>> pending_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

class HangUpWatchTest : public ::testing::Test {
 protected:
  void StartServer(int io_threads) {
    server_ = std::make_unique<HttpServer>(
        HttpServerOptions{.address = "127.0.0.1:0", .io_threads = io_threads},
        [this](HttpRequest request, Respond respond,
               std::shared_ptr<Connection>) {
          // Parks like a long poll: watches for a hang-up until answered.
          if (request.client_gone != nullptr) {
            request.client_gone->OnClientGone([this] { gone_.Notify(); });
          }
          if (request.target == "/never") {
            held_.push_back(std::move(respond));  // strand-serialized
            return;
          }
          responder_.Add(request.body, std::move(respond));
        },
        [](const HttpRequest&, int status, const std::string&) {
          HttpResponse response;
          response.status = status;
          return response;
        });
    ASSERT_OK(server_->Start());
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Stop();
  }

  Responder responder_;
  absl::Notification gone_;
  std::vector<Respond> held_;  // touched by one connection's strand only
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HangUpWatchTest, EveryWatchedRequestOnAKeepAliveConnectionIsAnswered) {
  StartServer(/*io_threads=*/16);
  constexpr int kClients = 8;
  constexpr int kRequests = 5000;
  std::vector<std::thread> clients;
  std::vector<std::string> failures(kClients);
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([this, c, &failures] {
      testing::RawHttpClient client(server_->port());
      for (int i = 0; i < kRequests; ++i) {
        const std::string body = absl::StrCat(c, "/", i);
        absl::StatusOr<testing::RawResponse> response =
            client.Request("POST", "/", {}, body, absl::Seconds(20));
        if (!response.ok()) {
          failures[c] =
              absl::StrCat("request ", body,
                           " got no answer: ", response.status().ToString());
          return;
        }
        if (response->body != body) {
          failures[c] =
              absl::StrCat("request ", body, " answered ", response->body);
          return;
        }
      }
    });
  }
  for (std::thread& client : clients) client.join();
  for (const std::string& failure : failures) EXPECT_EQ(failure, "");
}

TEST_F(HangUpWatchTest, AClientThatHangsUpIsNoticedAndTheNextOneIsServed) {
  StartServer(/*io_threads=*/2);
  {
    testing::RawHttpClient client(server_->port());
    ASSERT_OK(client.SendRaw(
        "POST /never HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
  }  // hangs up while the request is parked
  ASSERT_TRUE(gone_.WaitForNotificationWithTimeout(absl::Seconds(30)));
  held_.clear();  // the strand is done with it: the watch has fired
  testing::RawHttpClient other(server_->port());
  absl::StatusOr<testing::RawResponse> response =
      other.Request("POST", "/", {}, "still here");
  ASSERT_OK(response.status());
  EXPECT_EQ(response->body, "still here");
}

}  // namespace
}  // namespace cortado::gateway
