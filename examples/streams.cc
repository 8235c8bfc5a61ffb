// streams: many messages over one stream each way, the README's throughput
// path. A Publisher sends N messages with SendAsync (many in flight, each
// acked after the broker committed it); a StreamConsumer takes the pushed
// messages and acks them (the broker deletes them in the background).
//
// Usage: streams [HOST:PORT] [N]   (defaults: $CORTADO_SERVER or
// 127.0.0.1:50051, 1000). Prints "published N" and "consumed N".
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "cortado/client.h"
#include "cortado/publisher.h"
#include "cortado/stream_consumer.h"
#include "examples/server_address.h"

namespace {

using cortado::client::Client;
using cortado::client::Message;
using cortado::client::Publisher;
using cortado::client::SendResult;
using cortado::client::StreamConsumer;
using cortado::client::StreamConsumerOptions;

// Sends `count` messages asynchronously and waits for every ack.
absl::Status Publish(Client* client, int count) {
  absl::StatusOr<std::unique_ptr<Publisher>> publisher =
      Publisher::Open(client);
  if (!publisher.ok()) return publisher.status();
  absl::Mutex mu;
  int acked = 0;
  absl::Status first_error;
  for (int i = 0; i < count; ++i) {
    (*publisher)
        ->SendAsync("events", absl::StrCat("event ", i), {},
                    [&](absl::StatusOr<SendResult> sent) {
                      absl::MutexLock lock(&mu);
                      ++acked;
                      if (!sent.ok() && first_error.ok())
                        first_error = sent.status();
                    });
  }
  (*publisher)->Close();  // waits for the acks still pending
  absl::MutexLock lock(&mu);
  if (!first_error.ok()) return first_error;
  if (acked != count) {
    return absl::UnavailableError(absl::StrCat(acked, " of ", count, " acked"));
  }
  return absl::OkStatus();
}

// Takes `count` messages from the stream, acking each.
absl::Status Consume(Client* client, int count) {
  StreamConsumerOptions options;
  options.queue = "events";
  options.window = 100;
  absl::StatusOr<std::unique_ptr<StreamConsumer>> consumer =
      StreamConsumer::Open(client, options);
  if (!consumer.ok()) return consumer.status();
  int consumed = 0;
  while (consumed < count) {
    absl::StatusOr<std::vector<Message>> got =
        (*consumer)->Next(100, absl::Seconds(10));
    if (!got.ok()) return got.status();
    if (got->empty()) return absl::DeadlineExceededError("stream went quiet");
    for (const Message& message : *got) {
      if (absl::Status acked = (*consumer)->Ack(message); !acked.ok()) {
        return acked;
      }
      ++consumed;
    }
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string server = cortado::examples::ServerAddress(argc, argv);
  int count = 1000;
  if (argc > 2 && (!absl::SimpleAtoi(argv[2], &count) || count < 1)) {
    std::cerr << "streams: N must be a positive number" << std::endl;
    return 2;
  }
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Connect(server);
  absl::Status status = client.status();
  if (status.ok()) status = (*client)->CreateQueue("events").status();
  if (status.ok()) status = Publish(client->get(), count);
  if (status.ok()) std::cout << "published " << count << std::endl;
  if (status.ok()) status = Consume(client->get(), count);
  if (status.ok()) std::cout << "consumed " << count << std::endl;
  if (!status.ok()) {
    std::cerr << "streams: " << status << std::endl;
    return 1;
  }
  return 0;
}
