// CreateCafeteriaQueues is `coffee-consumer --create-queue`: it creates the
// dead-letter queue and the order queue, and points the order queue's
// RedrivePolicy at the dead-letter queue, so that a malformed order ends
// there after `max_receive_count` receives. Safe to run again: existing
// queues are kept and their redrive policy and visibility timeout set.
// Thread-safety: a plain function.
#ifndef CORTADO_CLIENT_COFFEE_QUEUE_SETUP_H_
#define CORTADO_CLIENT_COFFEE_QUEUE_SETUP_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "cortado/client.h"

namespace cortado::coffee {

struct QueueSetup {
  std::string queue = "cafeteria-queue";
  std::string dead_letter_queue = "cafeteria-dlq";
  int max_receive_count = 5;
  absl::Duration visibility_timeout = absl::Seconds(30);
};

absl::Status CreateCafeteriaQueues(client::Client& client,
                                   const QueueSetup& setup);

}  // namespace cortado::coffee

#endif  // CORTADO_CLIENT_COFFEE_QUEUE_SETUP_H_
