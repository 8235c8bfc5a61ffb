// The SQS side of cortado-bench: the JSON protocol (what current AWS SDKs
// speak) over HttpClient. Requests are built by hand and responses scanned
// for the two fields the benchmark needs, so the client stays cheap.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bench/http_client.h"
#include "bench/transport.h"
#include "common/json.h"

namespace cortado::bench {
namespace {

// Finds the next `"key": "value"` at or after `*pos`; unescapes the value
// (enough for \" \\ \/, which is all bodies and handles here can hold) and
// moves `*pos` past it. False when there is none.
bool NextString(absl::string_view json, absl::string_view key, size_t* pos,
                std::string* value) {
  const std::string quoted = absl::StrCat("\"", key, "\"");
  size_t at = json.find(quoted, *pos);
  if (at == absl::string_view::npos) return false;
  at += quoted.size();
  while (at < json.size() && (json[at] == ' ' || json[at] == ':')) ++at;
  if (at >= json.size() || json[at] != '"') return false;
  value->clear();
  for (++at; at < json.size() && json[at] != '"'; ++at) {
    if (json[at] == '\\' && at + 1 < json.size()) ++at;
    value->push_back(json[at]);
  }
  *pos = at + 1;
  return true;
}

absl::Status ReplyStatus(const absl::StatusOr<HttpReply>& reply,
                         absl::string_view action) {
  if (!reply.ok()) return reply.status();
  if (reply->status != 200) {
    return absl::InternalError(absl::StrCat(action, ": HTTP ", reply->status,
                                            " ", reply->body.substr(0, 300)));
  }
  // Batch actions answer 200 with per-entry failures.
  if (absl::StrContains(reply->body, "\"Failed\":[{")) {
    return absl::InternalError(
        absl::StrCat(action, ": entry failed: ", reply->body.substr(0, 300)));
  }
  return absl::OkStatus();
}

class SqsConnection : public Connection {
 public:
  SqsConnection(const std::string& host_port, std::string queue_url)
      : http_(host_port), queue_url_(std::move(queue_url)) {}

  absl::Status Send(const std::vector<std::string>& bodies,
                    const std::string& group_id) override {
    body_.clear();
    absl::StrAppend(&body_, "{\"QueueUrl\":");
    AppendJsonString(queue_url_, body_);
    if (bodies.size() == 1) {
      absl::StrAppend(&body_, ",\"MessageBody\":");
      AppendJsonString(bodies[0], body_);
      AppendGroup(group_id);
      body_.push_back('}');
      return ReplyStatus(http_.PostJson("AmazonSQS.SendMessage", body_),
                         "SendMessage");
    }
    absl::StrAppend(&body_, ",\"Entries\":[");
    for (size_t i = 0; i < bodies.size(); ++i) {
      absl::StrAppend(&body_, i ? "," : "", "{\"Id\":\"", i,
                      "\",\"MessageBody\":");
      AppendJsonString(bodies[i], body_);
      AppendGroup(group_id);
      body_.push_back('}');
    }
    body_.append("]}");
    return ReplyStatus(http_.PostJson("AmazonSQS.SendMessageBatch", body_),
                       "SendMessageBatch");
  }

  absl::StatusOr<std::vector<Received>> Receive(int max,
                                                int wait_seconds) override {
    body_.clear();
    absl::StrAppend(&body_, "{\"QueueUrl\":");
    AppendJsonString(queue_url_, body_);
    absl::StrAppend(&body_, ",\"MaxNumberOfMessages\":", max,
                    ",\"WaitTimeSeconds\":", wait_seconds, "}");
    absl::StatusOr<HttpReply> reply =
        http_.PostJson("AmazonSQS.ReceiveMessage", body_);
    if (absl::Status s = ReplyStatus(reply, "ReceiveMessage"); !s.ok()) {
      return s;
    }
    std::vector<Received> out;
    size_t pos = 0;
    Received message;
    // Each message object holds Body before ReceiptHandle (keys sorted), but
    // look each up from the message's start so the order does not matter.
    while (true) {
      size_t body_pos = pos, handle_pos = pos;
      if (!NextString(reply->body, "Body", &body_pos, &message.body) ||
          !NextString(reply->body, "ReceiptHandle", &handle_pos,
                      &message.receipt_handle)) {
        break;
      }
      pos = std::max(body_pos, handle_pos);
      out.push_back(message);
    }
    return out;
  }

  absl::Status Delete(const std::vector<std::string>& handles) override {
    body_.clear();
    absl::StrAppend(&body_, "{\"QueueUrl\":");
    AppendJsonString(queue_url_, body_);
    if (handles.size() == 1) {
      absl::StrAppend(&body_, ",\"ReceiptHandle\":");
      AppendJsonString(handles[0], body_);
      body_.push_back('}');
      return ReplyStatus(http_.PostJson("AmazonSQS.DeleteMessage", body_),
                         "DeleteMessage");
    }
    absl::StrAppend(&body_, ",\"Entries\":[");
    for (size_t i = 0; i < handles.size(); ++i) {
      absl::StrAppend(&body_, i ? "," : "", "{\"Id\":\"", i,
                      "\",\"ReceiptHandle\":");
      AppendJsonString(handles[i], body_);
      body_.push_back('}');
    }
    body_.append("]}");
    return ReplyStatus(http_.PostJson("AmazonSQS.DeleteMessageBatch", body_),
                       "DeleteMessageBatch");
  }

 private:
  void AppendGroup(const std::string& group_id) {
    if (group_id.empty()) return;
    absl::StrAppend(&body_, ",\"MessageGroupId\":");
    AppendJsonString(group_id, body_);
  }

  HttpClient http_;
  const std::string queue_url_;
  std::string body_;
};

class SqsTransport : public Transport {
 public:
  explicit SqsTransport(std::string host_port)
      : host_port_(std::move(host_port)) {}

  absl::Status CreateQueue(const std::string& name) override {
    HttpClient http(host_port_);
    std::string body = "{\"QueueName\":";
    AppendJsonString(name, body);
    if (absl::EndsWith(name, ".fifo")) {
      body.append(
          ",\"Attributes\":{\"FifoQueue\":\"true\","
          "\"ContentBasedDeduplication\":\"true\"}");
    }
    body.push_back('}');
    absl::StatusOr<HttpReply> reply =
        http.PostJson("AmazonSQS.CreateQueue", body);
    if (absl::Status s = ReplyStatus(reply, "CreateQueue"); !s.ok()) return s;
    size_t pos = 0;
    if (!NextString(reply->body, "QueueUrl", &pos, &queue_url_)) {
      return absl::InternalError(
          absl::StrCat("CreateQueue: no QueueUrl in ", reply->body));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::unique_ptr<Connection>> Connect() override {
    return std::make_unique<SqsConnection>(host_port_, queue_url_);
  }

 private:
  const std::string host_port_;
  std::string queue_url_;
};

}  // namespace

std::unique_ptr<Transport> MakeSqsTransport(const std::string& host_port) {
  return std::make_unique<SqsTransport>(host_port);
}

}  // namespace cortado::bench
