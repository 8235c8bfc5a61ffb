// The HTTP layer under abuse and load: garbage requests get 4xx and the
// server stays up; long polls answer as soon as a message arrives; many
// parked long polls do not block other requests; chunked bodies and
// Expect: 100-continue work.
#include <cstring>
#include <future>
#include <random>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/gateway/gateway_server_fixture.h"

namespace cortado::gateway::testing {
namespace {

using RobustnessTest = GatewayServerTest;

// The server still answers a normal request on a fresh connection.
void ExpectServerUp(RawHttpClient& client) {
  client.Close();
  absl::StatusOr<RawResponse> health =
      client.Request("GET", "/healthz", {}, "");
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(health->status, 200);
}

TEST_F(RobustnessTest, ChunkedBodiesAndExpectContinueWork) {
  std::string chunked;
  for (const char* chunk :
       {"Action=CreateQu", "eue&QueueName=chunked-q&V", "ersion=2012-11-05"}) {
    absl::StrAppend(&chunked, absl::Hex(strlen(chunk)), "\r\n", chunk, "\r\n");
  }
  ASSERT_OK(client_->SendRaw(
      absl::StrCat("POST / HTTP/1.1\r\nHost: ", Host(),
                   "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n",
                   chunked, "0\r\n\r\n")));
  absl::StatusOr<RawResponse> created = client_->ReadResponse();
  ASSERT_OK(created.status());
  EXPECT_EQ(created->status, 200) << created->body;
  EXPECT_EQ(XmlText(created->body, "QueueUrl"), QueueUrl("chunked-q"));

  const std::string body = "Action=GetQueueUrl&QueueName=chunked-q";
  ASSERT_OK(client_->SendRaw(
      absl::StrCat("POST / HTTP/1.1\r\nHost: ", Host(),
                   "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                   "Expect: 100-continue\r\nContent-Length: ",
                   body.size(), "\r\n\r\n")));
  absl::StatusOr<RawResponse> proceed = client_->ReadResponse();
  ASSERT_OK(proceed.status());
  EXPECT_EQ(proceed->status, 100);
  ASSERT_OK(client_->SendRaw(body));
  absl::StatusOr<RawResponse> got = client_->ReadResponse();
  ASSERT_OK(got.status());
  EXPECT_EQ(got->status, 200) << got->body;
}

TEST_F(RobustnessTest, GarbageGets4xxAndTheServerStaysUp) {
  const std::string host = absl::StrCat("Host: ", Host(), "\r\n");
  const std::vector<std::string> garbage = {
      "GARBAGE\r\n\r\n",
      "GET / HTTP/9.9\r\n\r\n",
      "POST / HTTP/1.1\r\n" + host + "Content-Length: abc\r\n\r\n",
      "POST / HTTP/1.1\r\n" + host +
          "Transfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n",
      "POST / HTTP/1.1\r\n" + host + "Bad Header Line\r\n\r\n",
      "POST / HTTP/1.1\r\n" + host + "X-Big: " + std::string(200000, 'a') +
          "\r\n\r\n",
      "POST / HTTP/1.1\r\n" + host + "Content-Length: 99999999\r\n\r\n",
      "POST / HTTP/1.1\r\n" + host +
          "X-Amz-Target: AmazonSQS.SendMessage\r\nContent-Length: "
          "7\r\n\r\n{\"a\":[1",
      "POST / HTTP/1.1\r\n" + host +
          "X-Amz-Target: AmazonSQS.SendMessage\r\nContent-Length: "
          "4\r\n\r\n\xff\xfe\x01\x02",
      "POST / HTTP/1.1\r\n" + host +
          "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
          "9\r\n\r\n%%%&&==%4",
      "POST / HTTP/1.1\r\n" + host +
          "X-Amz-Target: AmazonSQS.ReceiveMessage\r\nContent-Length: 41\r\n\r\n"
          "{\"QueueUrl\":[],\"MaxNumberOfMessages\":\"x\"}",
      "POST / HTTP/1.1\r\n" + host +
          "X-Amz-Target: AmazonSQS.CreateQueue\r\nContent-Length: 2\r\n\r\n[]",
  };
  for (const std::string& request : garbage) {
    SCOPED_TRACE(request.substr(0, 60));
    RawHttpClient client(server_->http_port());
    ASSERT_OK(client.SendRaw(request));
    absl::StatusOr<RawResponse> response =
        client.ReadResponse(absl::Seconds(10));
    if (response.ok()) {
      EXPECT_GE(response->status, 400) << response->body;
      EXPECT_LT(response->status, 500) << response->body;
      EXPECT_FALSE(response->Header("date").empty());
    } else {
      // The server may also just close on bytes that are not HTTP at all.
      EXPECT_TRUE(absl::IsUnavailable(response.status())) << response.status();
    }
  }
  // Deep JSON nesting and random bytes.
  {
    RawHttpClient client(server_->http_port());
    std::string deep = std::string(100000, '[');
    absl::StatusOr<RawResponse> response = client.Json("ListQueues", deep);
    ASSERT_OK(response.status());
    EXPECT_EQ(response->status, 400);
  }
  std::mt19937 random(42);
  for (int i = 0; i < 50; ++i) {
    std::string bytes(1 + random() % 2000, '\0');
    for (char& c : bytes) c = static_cast<char>(random());
    if (i % 2 == 0) bytes = "POST / HTTP/1.1\r\n" + host + bytes;
    RawHttpClient client(server_->http_port());
    (void)client.SendRaw(bytes);
    absl::StatusOr<RawResponse> response =
        client.ReadResponse(absl::Seconds(5));
    if (response.ok()) {
      EXPECT_GE(response->status, 400);
      EXPECT_LT(response->status, 500);
    }
  }
  // Truncated requests: the client goes away mid-request.
  for (int cut : {5, 20, 40}) {
    RawHttpClient client(server_->http_port());
    std::string request = "POST / HTTP/1.1\r\n" + host +
                          "Content-Length: 100\r\n\r\nAction=ListQueues";
    ASSERT_OK(client.SendRaw(request.substr(0, cut)));
    client.Close();
  }
  ExpectServerUp(*client_);
}

TEST_F(RobustnessTest, LongPollAnswersAsSoonAsAMessageIsSent) {
  const std::string url = CreateQueue("lp");
  auto receiver = NewClient();
  const absl::Time started = absl::Now();
  std::future<absl::StatusOr<RawResponse>> polled =
      std::async(std::launch::async, [&] {
        return receiver->Json("ReceiveMessage",
                              absl::StrCat(R"({"QueueUrl":")", url,
                                           R"(","WaitTimeSeconds":20})"));
      });
  ASSERT_TRUE(PollUntil(
      [&] { return server_->broker().Stats().parked_receives == 1; }));
  RawResponse sent = Json(
      "SendMessage",
      absl::StrCat(R"({"QueueUrl":")", url, R"(","MessageBody":"wake up"})"));
  ASSERT_EQ(sent.status, 200);
  ASSERT_EQ(polled.wait_for(std::chrono::seconds(10)),
            std::future_status::ready);
  absl::StatusOr<RawResponse> response = polled.get();
  ASSERT_OK(response.status());
  EXPECT_TRUE(absl::StrContains(response->body, "wake up")) << response->body;
  EXPECT_LT(absl::Now() - started, absl::Seconds(10));
}

TEST_F(RobustnessTest, ManyParkedLongPollsDoNotBlockOtherRequests) {
  const std::string url = CreateQueue("many");
  constexpr int kPolls = 200;
  std::vector<std::unique_ptr<RawHttpClient>> pollers;
  const std::string body =
      absl::StrCat(R"({"QueueUrl":")", url, R"(","WaitTimeSeconds":20})");
  for (int i = 0; i < kPolls; ++i) {
    pollers.push_back(NewClient());
    ASSERT_OK(pollers.back()->SendRaw(absl::StrCat(
        "POST / HTTP/1.1\r\nHost: ", Host(),
        "\r\nX-Amz-Target: AmazonSQS.ReceiveMessage\r\n"
        "Content-Type: application/x-amz-json-1.0\r\nContent-Length: ",
        body.size(), "\r\n\r\n", body)));
  }
  ASSERT_TRUE(PollUntil(
      [&] { return server_->broker().Stats().parked_receives == kPolls; }));
  // Other requests are served at once.
  const absl::Time started = absl::Now();
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(Json("ListQueues", "{}").status, 200);
  }
  EXPECT_LT(absl::Now() - started, absl::Seconds(5));
  // Sending messages wakes pollers; each gets a response.
  for (int i = 0; i < kPolls; ++i) {
    Json("SendMessage", absl::StrCat(R"({"QueueUrl":")", url,
                                     R"(","MessageBody":"m)", i, "\"}"));
  }
  int answered = 0;
  for (auto& poller : pollers) {
    absl::StatusOr<RawResponse> response =
        poller->ReadResponse(absl::Seconds(30));
    ASSERT_OK(response.status());
    EXPECT_EQ(response->status, 200);
    ++answered;
  }
  EXPECT_EQ(answered, kPolls);
}

TEST_F(RobustnessTest, ClientHangingUpDuringALongPollLeavesNoWaiter) {
  // Without the hang-up watch the departed poll would stay parked for its
  // 20 s and take the next message into a dead connection, hiding it for
  // the visibility timeout.
  const std::string url = CreateQueue("hangup");
  auto quitter = NewClient();
  const std::string body =
      absl::StrCat(R"({"QueueUrl":")", url, R"(","WaitTimeSeconds":20})");
  ASSERT_OK(quitter->SendRaw(absl::StrCat(
      "POST / HTTP/1.1\r\nHost: ", Host(),
      "\r\nX-Amz-Target: AmazonSQS.ReceiveMessage\r\n"
      "Content-Type: application/x-amz-json-1.0\r\nContent-Length: ",
      body.size(), "\r\n\r\n", body)));
  ASSERT_TRUE(PollUntil(
      [&] { return server_->broker().Stats().parked_receives == 1; }));
  quitter->Close();
  ASSERT_TRUE(
      PollUntil([&] { return server_->broker().Stats().parked_receives == 0; },
                absl::Seconds(5)))
      << "the hung-up long poll is still parked";

  Json("SendMessage", absl::StrCat(R"({"QueueUrl":")", url,
                                   R"(","MessageBody":"for the living"})"));
  RawResponse received =
      Json("ReceiveMessage",
           absl::StrCat(R"({"QueueUrl":")", url, R"(","WaitTimeSeconds":5})"));
  EXPECT_TRUE(absl::StrContains(received.body, "for the living"))
      << received.body;
}

TEST_F(RobustnessTest, PipelinedRequestBehindALongPollIsServedAfterIt) {
  // The hang-up watch reads while the poll is parked; the bytes of a
  // pipelined request that it reads must still be parsed afterwards.
  const std::string url = CreateQueue("pipelined");
  auto client = NewClient();
  const std::string poll =
      absl::StrCat(R"({"QueueUrl":")", url, R"(","WaitTimeSeconds":20})");
  const std::string list = "{}";
  auto request = [&](const std::string& action, const std::string& body) {
    return absl::StrCat("POST / HTTP/1.1\r\nHost: ", Host(),
                        "\r\nX-Amz-Target: AmazonSQS.", action,
                        "\r\nContent-Type: application/x-amz-json-1.0\r\n"
                        "Content-Length: ",
                        body.size(), "\r\n\r\n", body);
  };
  ASSERT_OK(client->SendRaw(request("ReceiveMessage", poll)));
  ASSERT_TRUE(PollUntil(
      [&] { return server_->broker().Stats().parked_receives == 1; }));
  ASSERT_OK(client->SendRaw(request("ListQueues", list)));
  Json("SendMessage",
       absl::StrCat(R"({"QueueUrl":")", url, R"(","MessageBody":"first"})"));
  absl::StatusOr<RawResponse> first = client->ReadResponse();
  ASSERT_OK(first.status());
  EXPECT_TRUE(absl::StrContains(first->body, "first")) << first->body;
  absl::StatusOr<RawResponse> second = client->ReadResponse();
  ASSERT_OK(second.status());
  EXPECT_EQ(second->status, 200);
  EXPECT_TRUE(absl::StrContains(second->body, "QueueUrls")) << second->body;
}

}  // namespace
}  // namespace cortado::gateway::testing
