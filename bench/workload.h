// The load cortado-bench puts on a broker: producer and consumer threads,
// each with its own Connection, bounded by a message count or a duration,
// optionally paced to a fixed rate. Every message body starts with the
// CLOCK_MONOTONIC time (ns) of its send, so a consumer can measure
// end-to-end delivery (send start -> received through a long poll).
// Thread-safety: Run* functions are called from one thread; they start and
// join their own workers.
#ifndef CORTADO_BENCH_WORKLOAD_H_
#define CORTADO_BENCH_WORKLOAD_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/histogram.h"
#include "bench/transport.h"

namespace cortado::bench {

struct WorkloadOptions {
  int producers = 4;
  int consumers = 4;
  int batch = 1;         // messages per send, receive and delete call (1-10)
  int body_size = 100;   // bytes per message body (>= 20, the timestamp)
  int64_t messages = 0;  // total messages to send; 0: use `duration`
  absl::Duration duration = absl::Seconds(10);
  double rate = 0;       // total sends per second; 0: as fast as possible
  int wait_seconds = 1;  // long poll of each ReceiveMessage
  bool fifo = false;     // set a MessageGroupId per producer
  // After the producers stop, how long consumers may take to drain.
  absl::Duration drain_timeout = absl::Seconds(30);
};

struct WorkloadResult {
  int64_t sent = 0;
  int64_t received = 0;  // deleted after receipt
  int64_t errors = 0;
  std::string first_error;
  double send_seconds = 0;   // first send to last send ack
  double total_seconds = 0;  // first send to last delete
  Histogram send_ack;        // per send call (a batch is one sample)
  Histogram end_to_end;      // per message: send start -> receive returned
};

// Producers send while consumers receive and delete (consumers = 0: fill
// only, nothing is received).
absl::StatusOr<WorkloadResult> RunWorkload(Transport& transport,
                                           const WorkloadOptions& options);

// Calls Receive (no wait) until one message comes back, reconnecting as
// needed (the server may still be starting), and returns the wall-clock
// time (Unix ns) of that first successful receive. Gives up after `timeout`.
absl::StatusOr<int64_t> ProbeFirstReceive(Transport& transport,
                                          const std::string& queue,
                                          absl::Duration timeout);

// MonotonicNs is the clock stamped into bodies (CLOCK_MONOTONIC, the same in
// every process of the machine).
int64_t MonotonicNs();

}  // namespace cortado::bench

#endif  // CORTADO_BENCH_WORKLOAD_H_
