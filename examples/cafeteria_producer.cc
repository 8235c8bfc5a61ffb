// cafeteria-producer: the cafeteria's side of the project's first flow
// (README "The cafeteria in five minutes"): it sends orders to
// cafeteria-queue, where coffee-consumer turns each into a row of
// coffee_orders. The same thing as the tutorial's `aws sqs send-message`
// lines, from C++ with libcortado.
//
// Usage: cafeteria-producer [--server=HOST:PORT] [--queue=NAME] ORDER...
//   ORDER is a coffee type ("Latte", stamped with the current local time)
//   or a whole order ("Latte|2025-02-26 10:30:00", sent as it is).
// Each order is checked with coffee-consumer's own parser first, so a
// malformed one is refused here instead of ending in the dead-letter queue.
// Prints "sent MESSAGE_ID BODY" per order; exits 1 on the first error.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/coffee/order.h"
#include "cortado/client.h"
#include "cortado/errors.h"

namespace {

struct Options {
  std::string server = "127.0.0.1:50051";
  std::string queue = "cafeteria-queue";
  std::vector<std::string> orders;
};

// "Latte" -> "Latte|<now, local time>"; a whole order stays as it is.
std::string OrderBody(const std::string& order) {
  if (absl::StrContains(order, '|')) return order;
  return absl::StrCat(order, "|",
                      absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::Now(),
                                       absl::LocalTimeZone()));
}

absl::Status SendOrders(const Options& options) {
  absl::StatusOr<std::unique_ptr<cortado::client::Client>> client =
      cortado::client::Client::Connect(options.server);
  if (!client.ok()) return client.status();
  for (const std::string& order : options.orders) {
    const std::string body = OrderBody(order);
    if (absl::StatusOr<cortado::coffee::Order> parsed =
            cortado::coffee::ParseOrder("", body);
        !parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("order \"", order, "\": ", parsed.status().message()));
    }
    absl::StatusOr<cortado::client::SendResult> sent =
        (*client)->SendMessage(options.queue, body);
    if (!sent.ok()) return sent.status();
    std::cout << "sent " << sent->message_id << " " << body << std::endl;
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (const char* env = std::getenv("CORTADO_SERVER"); env != nullptr) {
    options.server = env;
  }
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (absl::StartsWith(arg, "--server=")) {
      options.server = arg.substr(9);
    } else if (absl::StartsWith(arg, "--queue=")) {
      options.queue = arg.substr(8);
    } else if (absl::StartsWith(arg, "--")) {
      std::cerr << "cafeteria-producer: unknown flag " << arg << std::endl;
      return 2;
    } else {
      options.orders.push_back(arg);
    }
  }
  if (options.orders.empty()) {
    std::cerr << "usage: cafeteria-producer [--server=HOST:PORT] "
                 "[--queue=NAME] ORDER...   (ORDER: Latte or "
                 "\"Latte|2025-02-26 10:30:00\")"
              << std::endl;
    return 2;
  }
  if (absl::Status status = SendOrders(options); !status.ok()) {
    // Broker errors carry SQS's name (QueueDoesNotExist, ...): say it first.
    const std::string name = cortado::client::ErrorName(status);
    std::cerr << "cafeteria-producer: " << (name.empty() ? "" : name + ": ")
              << status.message() << std::endl;
    return 1;
  }
  return 0;
}
