// GET /metrics over real HTTP: the exact counts after a known sequence of
// SQS, SNS and gRPC calls (sends, receives, deletes, a redrive to a
// dead-letter queue, failing calls), the format (every sample in a declared
// family, parsed strictly), the content type, 405 for other methods, and a
// scrape of 10,000 queues.
#include <grpcpp/grpcpp.h>

#include <cmath>
#include <future>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "cortado/v1/queue.grpc.pb.h"
#include "gateway/metrics/metrics_page.h"
#include "gmock/gmock.h"
#include "tests/gateway/gateway_server_fixture.h"
#include "tests/gateway/prometheus_text.h"

namespace cortado::gateway::testing {
namespace {

using ::testing::IsEmpty;

class MetricsTest : public GatewayServerTest {
 protected:
  PrometheusPage Scrape() {
    absl::StatusOr<RawResponse> response =
        client_->Request("GET", "/metrics", {}, "");
    EXPECT_OK(response.status());
    if (!response.ok()) return {};
    EXPECT_EQ(response->status, 200) << response->body;
    EXPECT_EQ(response->Header("content-type"),
              "text/plain; version=0.0.4; charset=utf-8");
    absl::StatusOr<PrometheusPage> page = ParsePrometheusText(response->body);
    EXPECT_OK(page.status()) << response->body;
    return page.ok() ? *std::move(page) : PrometheusPage{};
  }
  RawResponse Sns(const std::string& form) {
    return Query(absl::StrCat(form, "&Version=2010-03-31"));
  }
  std::string ReceiptHandle(const RawResponse& response, int index = 0) {
    const JsonValue* messages = Body(response).Find("Messages");
    if (messages == nullptr || messages->elements.size() <= size_t(index)) {
      ADD_FAILURE() << "no message " << index << " in " << response.body;
      return "";
    }
    const JsonValue* handle = messages->elements[index].Find("ReceiptHandle");
    return handle == nullptr ? "" : handle->text;
  }
  int MessageCount(const RawResponse& response) {
    const JsonValue* messages = Body(response).Find("Messages");
    return messages == nullptr ? 0
                               : static_cast<int>(messages->elements.size());
  }
};

std::string Q(const std::string& family, const std::string& queue) {
  return absl::StrCat(family, "{queue=\"", queue, "\"}");
}
std::string Http(const std::string& api, const std::string& action,
                 const std::string& outcome) {
  return absl::StrCat("cortado_http_requests_total{action=\"", action,
                      "\",api=\"", api, "\",outcome=\"", outcome, "\"}");
}

TEST_F(MetricsTest, CountsEveryKindOfEventExactly) {
  const std::string dlq_url = CreateQueue("orders-dlq");
  ASSERT_EQ(Json("CreateQueue",
                 absl::StrCat(R"({"QueueName":"orders","Attributes":{)",
                              R"("RedrivePolicy":"{\"deadLetterTargetArn\":)",
                              R"(\"arn:aws:sqs:us-east-1:000000000000:)",
                              R"(orders-dlq\",\"maxReceiveCount\":1}"}})"))
                .status,
            200);
  const std::string url = QueueUrl("orders");
  auto send = [&](const std::string& body) {
    RawResponse sent = Json(
        "SendMessage", absl::StrCat(R"({"QueueUrl":")", url,
                                    R"(","MessageBody":")", body, R"("})"));
    EXPECT_EQ(sent.status, 200) << sent.body;
  };
  auto receive = [&](int max, int visibility) {
    RawResponse got = Json(
        "ReceiveMessage",
        absl::StrCat(R"({"QueueUrl":")", url, R"(","MaxNumberOfMessages":)",
                     max, R"(,"VisibilityTimeout":)", visibility, "}"));
    EXPECT_EQ(got.status, 200) << got.body;
    return got;
  };
  send("a");
  send("b");
  RawResponse both = receive(10, 300);
  ASSERT_EQ(MessageCount(both), 2);
  ASSERT_EQ(Json("DeleteMessage",
                 absl::StrCat(R"({"QueueUrl":")", url, R"(","ReceiptHandle":")",
                              ReceiptHandle(both), R"("})"))
                .status,
            200);
  // A poison message: received once with no visibility timeout, then the
  // next receive finds its receives used up and moves it to the DLQ.
  send("poison");
  ASSERT_EQ(MessageCount(receive(1, 0)), 1);
  ASSERT_EQ(MessageCount(receive(1, 0)), 0);

  // Failing calls, each counted under its SQS error name.
  EXPECT_EQ(Json("DeleteMessage", absl::StrCat(R"({"QueueUrl":")", url,
                                               R"(","ReceiptHandle":"bogus"})"))
                .status,
            404);
  EXPECT_EQ(Json("GetQueueUrl", R"({"QueueName":"missing"})").status, 400);
  EXPECT_EQ(Json("Frobnicate", "{}").status, 400);
  EXPECT_EQ(Query(Form("GetQueueUrl", "&QueueName=missing")).status, 400);

  // SNS on the same port: a topic fanning out to one queue.
  CreateQueue("fanout");
  ASSERT_EQ(Sns("Action=CreateTopic&Name=news").status, 200);
  const std::string topic = "arn:aws:sns:us-east-1:000000000000:news";
  ASSERT_EQ(Sns(absl::StrCat("Action=Subscribe&TopicArn=", topic,
                             "&Protocol=sqs&Endpoint=",
                             "arn:aws:sqs:us-east-1:000000000000:fanout"))
                .status,
            200);
  ASSERT_EQ(Sns(absl::StrCat("Action=Publish&TopicArn=", topic, "&Message=hi"))
                .status,
            200);
  EXPECT_EQ(
      Sns(absl::StrCat("Action=Publish&TopicArn=", topic, "-gone&Message=hi"))
          .status,
      404);

  // gRPC: one call that succeeds, one that fails.
  auto stub = v1::Queues::NewStub(grpc::CreateChannel(
      server_->grpc_address(), grpc::InsecureChannelCredentials()));
  {
    grpc::ClientContext context;
    v1::GetQueueUrlRequest request;
    request.set_queue_name("orders");
    v1::GetQueueUrlResponse response;
    ASSERT_TRUE(stub->GetQueueUrl(&context, request, &response).ok());
  }
  {
    grpc::ClientContext context;
    v1::GetQueueUrlRequest request;
    request.set_queue_name("missing");
    v1::GetQueueUrlResponse response;
    EXPECT_EQ(stub->GetQueueUrl(&context, request, &response).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }

  const absl::Time before_scrape = absl::Now();
  const PrometheusPage page = Scrape();

  // Queue gauges: "b" in flight, the poison message in the DLQ.
  EXPECT_EQ(page.Value(Q("cortado_queue_messages_visible", "orders")), 0);
  EXPECT_EQ(page.Value(Q("cortado_queue_messages_not_visible", "orders")), 1);
  EXPECT_EQ(page.Value(Q("cortado_queue_messages_delayed", "orders")), 0);
  EXPECT_EQ(page.Value(Q("cortado_queue_messages_visible", "orders-dlq")), 1);
  EXPECT_EQ(page.Value(Q("cortado_queue_messages_visible", "fanout")), 1);
  const double age =
      page.Value(Q("cortado_queue_oldest_message_age_seconds", "orders"));
  EXPECT_GE(age, 0);
  EXPECT_LT(age, 120);
  // Counters.
  EXPECT_EQ(page.Value(Q("cortado_queue_messages_sent_total", "orders")), 3);
  EXPECT_EQ(page.Value(Q("cortado_queue_messages_received_total", "orders")),
            3);
  EXPECT_EQ(page.Value(Q("cortado_queue_messages_deleted_total", "orders")), 1);
  EXPECT_EQ(
      page.Value(Q("cortado_queue_messages_dead_lettered_total", "orders")), 1);
  EXPECT_EQ(page.Value(Q("cortado_queue_messages_expired_total", "orders")), 0);
  EXPECT_EQ(page.Value(Q("cortado_queue_messages_sent_total", "orders-dlq")),
            0);
  EXPECT_EQ(page.Value(Q("cortado_queue_messages_sent_total", "fanout")), 1);
  EXPECT_EQ(page.Value("cortado_queues"), 3);
  EXPECT_EQ(page.Value("cortado_topics"), 1);
  EXPECT_EQ(
      page.Value("cortado_topic_messages_published_total{topic=\"news\"}"), 1);
  EXPECT_EQ(page.Value("cortado_topic_copies_delivered_total{topic=\"news\"}"),
            1);

  // HTTP requests by action and outcome.
  EXPECT_EQ(page.Value(Http("sqs", "CreateQueue", "ok")), 3);
  EXPECT_EQ(page.Value(Http("sqs", "SendMessage", "ok")), 3);
  EXPECT_EQ(page.Value(Http("sqs", "ReceiveMessage", "ok")), 3);
  EXPECT_EQ(page.Value(Http("sqs", "DeleteMessage", "ok")), 1);
  EXPECT_EQ(page.Value(Http("sqs", "DeleteMessage", "ReceiptHandleIsInvalid")),
            1);
  // The same error name in both protocols.
  EXPECT_EQ(page.Value(Http("sqs", "GetQueueUrl", "QueueDoesNotExist")), 2);
  EXPECT_EQ(page.Value(Http("unknown", "unknown", "UnknownOperationException")),
            1);
  EXPECT_EQ(page.Value(Http("sns", "CreateTopic", "ok")), 1);
  EXPECT_EQ(page.Value(Http("sns", "Subscribe", "ok")), 1);
  EXPECT_EQ(page.Value(Http("sns", "Publish", "ok")), 1);
  EXPECT_EQ(page.Value(Http("sns", "Publish", "NotFound")), 1);
  EXPECT_EQ(page.SeriesOf("cortado_http_requests_total").size(), 11u);

  // gRPC calls by method and code.
  EXPECT_EQ(page.Value("cortado_grpc_calls_total{code=\"OK\",method=\"cortado."
                       "v1.Queues/GetQueueUrl\"}"),
            1);
  EXPECT_EQ(page.Value("cortado_grpc_calls_total{code=\"NOT_FOUND\",method="
                       "\"cortado.v1.Queues/GetQueueUrl\"}"),
            1);
  EXPECT_EQ(page.SeriesOf("cortado_grpc_calls_total").size(), 2u);

  // Store: every write committed; the histogram is consistent.
  const double commits = page.Value("cortado_store_commits_total");
  EXPECT_GT(commits, 0);
  EXPECT_GE(page.Value("cortado_store_committed_operations_total"), commits);
  EXPECT_EQ(page.Value("cortado_store_commit_duration_seconds_count"), commits);
  EXPECT_EQ(page.Value("cortado_store_commit_duration_seconds_bucket{le=\"+"
                       "Inf\"}"),
            commits);
  double previous = 0;
  for (const char* le : {"0.0001", "0.00025", "0.0005", "0.001", "0.0025",
                         "0.005", "0.01", "0.1", "1", "+Inf"}) {
    const double bucket = page.Value(absl::StrCat(
        "cortado_store_commit_duration_seconds_bucket{le=\"", le, "\"}"));
    EXPECT_GE(bucket, previous) << le;
    previous = bucket;
  }
  EXPECT_EQ(page.Value("cortado_store_failed"), 0);
  EXPECT_EQ(page.Value("cortado_broker_parked_receives"), 0);

  // Process.
  EXPECT_GT(page.Value("process_resident_memory_bytes"), 1 << 20);
  const double start = page.Value("process_start_time_seconds");
  EXPECT_LE(start, absl::ToUnixSeconds(before_scrape) + 1);
  EXPECT_GT(start, absl::ToUnixSeconds(before_scrape) - 24 * 3600);
  EXPECT_GE(page.Value("cortado_uptime_seconds"), 0);
  EXPECT_GE(page.Value("process_cpu_seconds_total"), 0);
  EXPECT_EQ(page.Value(absl::StrCat("cortado_build_info{version=\"",
                                    CortadoVersion(), "\"}")),
            1);
  EXPECT_NE(CortadoVersion(), "unknown");

  // Every family has its type.
  EXPECT_EQ(page.types.at("cortado_queue_messages_sent_total"), "counter");
  EXPECT_EQ(page.types.at("cortado_queue_messages_visible"), "gauge");
  EXPECT_EQ(page.types.at("cortado_store_commit_duration_seconds"),
            "histogram");
  EXPECT_EQ(page.types.at("cortado_http_requests_total"), "counter");
  EXPECT_EQ(page.types.at("cortado_grpc_calls_total"), "counter");
}

TEST_F(MetricsTest, CountersOnlyGrowAndADeletedQueuesSeriesDisappear) {
  const std::string url = CreateQueue("short-lived");
  ASSERT_EQ(Json("SendMessage", absl::StrCat(R"({"QueueUrl":")", url,
                                             R"(","MessageBody":"x"})"))
                .status,
            200);
  PrometheusPage page = Scrape();
  EXPECT_EQ(page.Value(Q("cortado_queue_messages_sent_total", "short-lived")),
            1);
  const double commits = page.Value("cortado_store_commits_total");

  ASSERT_EQ(Json("DeleteQueue", absl::StrCat(R"({"QueueUrl":")", url, R"("})"))
                .status,
            200);
  page = Scrape();
  EXPECT_THAT(page.SeriesOf("cortado_queue_messages_sent_total"), IsEmpty());
  EXPECT_THAT(page.SeriesOf("cortado_queue_messages_visible"), IsEmpty());
  EXPECT_EQ(page.Value("cortado_queues"), 0);
  EXPECT_GT(page.Value("cortado_store_commits_total"), commits);
  // The family is still declared, with no samples.
  EXPECT_EQ(page.types.at("cortado_queue_messages_sent_total"), "counter");
  EXPECT_EQ(page.Value(Http("sqs", "SendMessage", "ok")), 1);
}

TEST_F(MetricsTest, OtherMethodsAreNotAllowed) {
  for (const char* method : {"POST", "PUT", "DELETE"}) {
    absl::StatusOr<RawResponse> response =
        client_->Request(method, "/metrics", {}, "");
    ASSERT_OK(response.status());
    EXPECT_EQ(response->status, 405) << method;
    EXPECT_EQ(response->Header("allow"), "GET") << method;
  }
  // Still served to GET afterwards, and a refused scrape counts nothing.
  const PrometheusPage page = Scrape();
  EXPECT_THAT(page.SeriesOf("cortado_http_requests_total"), IsEmpty());
}

// The figure for docs/PERFORMANCE.md: a scrape with 10,000 queues.
TEST_F(MetricsTest, ScrapeOfTenThousandQueuesHasEverySeries) {
  constexpr int kQueues = 10000;
  std::vector<std::shared_ptr<std::promise<absl::Status>>> done;
  for (int i = 0; i < kQueues; ++i) {
    auto promise = std::make_shared<std::promise<absl::Status>>();
    done.push_back(promise);
    CreateQueueRequest request;
    request.queue_name = absl::StrFormat("queue-%05d", i);
    server_->broker().CreateQueue(
        std::move(request), [promise](absl::StatusOr<QueueRecord> created) {
          promise->set_value(created.status());
        });
  }
  for (auto& promise : done) ASSERT_OK(promise->get_future().get());

  // Timed: the request alone (snapshot, rendering, transfer), not the
  // test's parsing.
  const absl::Time start = absl::Now();
  absl::StatusOr<RawResponse> response =
      client_->Request("GET", "/metrics", {}, "");
  const absl::Duration took = absl::Now() - start;
  ASSERT_OK(response.status());
  ASSERT_EQ(response->status, 200);
  absl::StatusOr<PrometheusPage> parsed = ParsePrometheusText(response->body);
  ASSERT_OK(parsed.status());
  const PrometheusPage& page = *parsed;
  EXPECT_EQ(page.Value("cortado_queues"), kQueues);
  EXPECT_EQ(page.SeriesOf("cortado_queue_messages_visible").size(),
            size_t{kQueues});
  EXPECT_EQ(page.Value(Q("cortado_queue_messages_sent_total", "queue-09999")),
            0);
  // Generous: a loaded 2-core CI machine; typically tens of milliseconds.
  EXPECT_LT(took, absl::Seconds(20));
  std::cout << "scrape of " << kQueues << " queues: " << took << ", "
            << response->body.size() << " bytes\n";
}

}  // namespace
}  // namespace cortado::gateway::testing
