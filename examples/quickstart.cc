// quickstart: the README's C++ tour, compiled and run by `make test`
// (tests/examples/), so the README's code cannot drift from the library.
// Creates the queue "orders", sends one order, and handles it with a
// Consumer, which long polls, deletes each message its handler accepted and
// keeps slow handlers' messages invisible.
//
// Usage: quickstart [HOST:PORT]   (default: $CORTADO_SERVER or
// 127.0.0.1:50051). Prints "handled <body>" for the message it consumed.
#include <iostream>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cortado/client.h"
#include "cortado/consumer.h"
#include "examples/server_address.h"

namespace {

absl::Status Run(const std::string& server) {
  // [START readme_cpp]
  absl::StatusOr<std::unique_ptr<cortado::client::Client>> client =
      cortado::client::Client::Connect(server);  // e.g. "127.0.0.1:50051"
  if (!client.ok()) return client.status();
  if (auto queue = (*client)->CreateQueue("orders"); !queue.ok()) {
    return queue.status();
  }
  if (auto sent = (*client)->SendMessage("orders", "Latte|2025-02-26 10:30:00");
      !sent.ok()) {
    return sent.status();
  }

  cortado::client::ConsumerOptions options;
  options.queue = "orders";
  options.concurrency = 4;
  cortado::client::Consumer consumer(
      client->get(), options, [](const cortado::client::Message& m) {
        std::cout << "handled " << m.body << std::endl;
        return absl::OkStatus();  // OK: the consumer deletes the message
      });
  // Long polls, deletes on success, extends visibility of slow handlers.
  if (absl::Status started = consumer.Start(); !started.ok()) return started;
  // [END readme_cpp]
  const bool handled = consumer.WaitFor(
      [](const cortado::client::ConsumerStats& stats) {
        return stats.processed >= 1;
      },
      absl::Seconds(30));
  consumer.Stop();  // waits for running handlers
  if (!handled)
    return absl::DeadlineExceededError("no message handled in 30 s");
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string server = cortado::examples::ServerAddress(argc, argv);
  if (absl::Status status = Run(server); !status.ok()) {
    std::cerr << "quickstart: " << status << std::endl;
    return 1;
  }
  return 0;
}
