// cortado-bench drives a running Cortado server over gRPC or the SQS HTTP
// API (JSON protocol) and reports throughput, latency percentiles and the
// server's memory. It is bounded (--messages or --duration) and stops by
// itself.
//
//   cortado-bench --target=sqs --addr=127.0.0.1:9324 --producers=8
//       --consumers=8 --batch=10 --messages=200000 --server-pid=1234
//   cortado-bench --target=grpc --addr=127.0.0.1:50051 --rate=1000
//       --duration=10s
//   cortado-bench --target=grpc --grpc-api=stream ...   (Publish/Consume
//       streams instead of one unary rpc per call)
//   cortado-bench --target=sqs --addr=... --mode=probe   (R1: prints the
//       Unix time in ns of the first successful receive)
//
// The last line of a run is machine readable ("RESULT key=value ...") for
// bench/compare.sh.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "bench/proc_status.h"
#include "bench/transport.h"
#include "bench/workload.h"

ABSL_FLAG(std::string, target, "grpc", "grpc or sqs (HTTP JSON protocol).");
ABSL_FLAG(std::string, addr, "",
          "host:port; default 127.0.0.1:50051 for "
          "grpc, 127.0.0.1:9324 for sqs.");
ABSL_FLAG(std::string, mode, "run",
          "run (producers + consumers; consumers=0 only fills the queue) or "
          "probe (first successful receive, for recovery timing).");
ABSL_FLAG(std::string, queue, "bench", "queue name.");
ABSL_FLAG(std::string, queue_type, "standard",
          "standard or fifo (adds .fifo and a MessageGroupId per producer).");
ABSL_FLAG(int, producers, 4, "producer threads (one connection each).");
ABSL_FLAG(int, consumers, 4, "consumer threads (one connection each).");
ABSL_FLAG(int, batch, 1, "messages per send/receive/delete call (1-10).");
ABSL_FLAG(int, body_size, 100, "message body bytes (>= 20).");
ABSL_FLAG(int64_t, messages, 0, "messages to send; 0: run for --duration.");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10),
          "how long producers send when --messages=0.");
ABSL_FLAG(double, rate, 0, "total messages per second; 0: unthrottled.");
ABSL_FLAG(int, wait, 1, "long-poll seconds per ReceiveMessage.");
ABSL_FLAG(std::string, grpc_api, "unary",
          "gRPC only: unary (one rpc per send/receive/delete) or stream "
          "(Publish and Consume streams).");
ABSL_FLAG(int, grpc_window, 100,
          "gRPC stream only: unacked messages per Consume stream (RabbitMQ "
          "bench's prefetch is 100).");
ABSL_FLAG(int, server_pid, 0, "server pid, for RSS from /proc/<pid>/status.");
ABSL_FLAG(std::string, label, "run", "name printed with the RESULT line.");
ABSL_FLAG(absl::Duration, probe_timeout, absl::Seconds(60),
          "probe mode: give up after this long.");

namespace cortado::bench {
namespace {

double Us(uint64_t ns) { return ns / 1000.0; }

int Run() {
  const std::string target = absl::GetFlag(FLAGS_target);
  std::string addr = absl::GetFlag(FLAGS_addr);
  std::unique_ptr<Transport> transport;
  if (target == "grpc") {
    if (addr.empty()) addr = "127.0.0.1:50051";
    const std::string api = absl::GetFlag(FLAGS_grpc_api);
    if (api != "unary" && api != "stream") {
      std::fprintf(stderr,
                   "cortado-bench: --grpc-api must be unary or stream\n");
      return 2;
    }
    transport = MakeGrpcTransport(
        addr, api == "stream" ? GrpcApi::kStream : GrpcApi::kUnary,
        absl::GetFlag(FLAGS_grpc_window));
  } else if (target == "sqs") {
    if (addr.empty()) addr = "127.0.0.1:9324";
    transport = MakeSqsTransport(addr);
  } else {
    std::fprintf(stderr, "cortado-bench: --target must be grpc or sqs\n");
    return 2;
  }
  std::string queue = absl::GetFlag(FLAGS_queue);
  const bool fifo = absl::GetFlag(FLAGS_queue_type) == "fifo";
  if (fifo && !queue.ends_with(".fifo")) queue += ".fifo";

  if (absl::GetFlag(FLAGS_mode) == "probe") {
    absl::StatusOr<int64_t> at = ProbeFirstReceive(
        *transport, queue, absl::GetFlag(FLAGS_probe_timeout));
    if (!at.ok()) {
      std::fprintf(stderr, "cortado-bench: %s\n",
                   at.status().ToString().c_str());
      return 1;
    }
    std::printf("RESULT label=%s first_receive_unix_ns=%lld\n",
                absl::GetFlag(FLAGS_label).c_str(),
                static_cast<long long>(*at));
    return 0;
  }

  if (absl::Status s = transport->CreateQueue(queue); !s.ok()) {
    std::fprintf(stderr, "cortado-bench: CreateQueue: %s\n",
                 s.ToString().c_str());
    return 1;
  }
  WorkloadOptions options;
  options.producers = absl::GetFlag(FLAGS_producers);
  options.consumers = absl::GetFlag(FLAGS_consumers);
  options.batch = absl::GetFlag(FLAGS_batch);
  options.body_size = absl::GetFlag(FLAGS_body_size);
  options.messages = absl::GetFlag(FLAGS_messages);
  options.duration = absl::GetFlag(FLAGS_duration);
  options.rate = absl::GetFlag(FLAGS_rate);
  options.wait_seconds = absl::GetFlag(FLAGS_wait);
  options.fifo = fifo;
  const int pid = absl::GetFlag(FLAGS_server_pid);
  const int64_t rss_before = pid > 0 ? ProcStatusKb(pid, "VmRSS") : -1;
  const double server_cpu_before = pid > 0 ? ProcCpuSeconds(pid) : -1;
  const double self_cpu_before = SelfCpuSeconds();

  absl::StatusOr<WorkloadResult> result = RunWorkload(*transport, options);
  if (!result.ok()) {
    std::fprintf(stderr, "cortado-bench: %s\n",
                 result.status().ToString().c_str());
    return 2;
  }
  const int64_t rss_after = pid > 0 ? ProcStatusKb(pid, "VmRSS") : -1;
  const int64_t rss_peak = pid > 0 ? ProcStatusKb(pid, "VmHWM") : -1;
  // CPU per message is the figure least disturbed by other load on the
  // machine: it says what a message costs, not how long it waited for a core.
  const double server_cpu =
      pid > 0 ? ProcCpuSeconds(pid) - server_cpu_before : -1;
  const double self_cpu = SelfCpuSeconds() - self_cpu_before;
  const WorkloadResult& r = *result;
  const double send_rate = r.send_seconds > 0 ? r.sent / r.send_seconds : 0;
  const double lifecycle_rate =
      r.total_seconds > 0 ? r.received / r.total_seconds : 0;
  std::printf(
      "%s: %s %s, %d producers, %d consumers, batch %d, %d-byte "
      "bodies%s\n",
      absl::GetFlag(FLAGS_label).c_str(), target.c_str(), addr.c_str(),
      options.producers, options.consumers, options.batch, options.body_size,
      fifo ? ", FIFO" : "");
  std::printf(
      "  sent %lld in %.2f s (%.0f msgs/s); received+deleted %lld in "
      "%.2f s (%.0f msgs/s); errors %lld\n",
      static_cast<long long>(r.sent), r.send_seconds, send_rate,
      static_cast<long long>(r.received), r.total_seconds, lifecycle_rate,
      static_cast<long long>(r.errors));
  std::printf(
      "  send ack   p50 %8.0f us  p99 %8.0f us  p99.9 %8.0f us  max "
      "%8.0f us\n",
      Us(r.send_ack.Percentile(0.5)), Us(r.send_ack.Percentile(0.99)),
      Us(r.send_ack.Percentile(0.999)), Us(r.send_ack.max()));
  if (r.end_to_end.count() > 0) {
    std::printf(
        "  end-to-end p50 %8.0f us  p99 %8.0f us  p99.9 %8.0f us  max "
        "%8.0f us\n",
        Us(r.end_to_end.Percentile(0.5)), Us(r.end_to_end.Percentile(0.99)),
        Us(r.end_to_end.Percentile(0.999)), Us(r.end_to_end.max()));
  }
  const int64_t lifecycles =
      std::max<int64_t>(1, r.received > 0 ? r.received : r.sent);
  const double server_us = server_cpu >= 0 ? 1e6 * server_cpu / lifecycles : -1;
  const double self_us = 1e6 * self_cpu / lifecycles;
  std::printf("  CPU per message: server %.1f us, cortado-bench %.1f us\n",
              server_us, self_us);
  if (pid > 0) {
    std::printf("  server RSS %lld kB before, %lld kB after, peak %lld kB\n",
                static_cast<long long>(rss_before),
                static_cast<long long>(rss_after),
                static_cast<long long>(rss_peak));
  }
  if (!r.first_error.empty()) {
    std::printf("  first error: %s\n", r.first_error.c_str());
  }
  std::printf(
      "RESULT label=%s sent=%lld received=%lld errors=%lld send_rate=%.0f "
      "lifecycle_rate=%.0f send_p50_us=%.0f send_p99_us=%.0f "
      "send_p999_us=%.0f e2e_p50_us=%.0f e2e_p99_us=%.0f e2e_p999_us=%.0f "
      "rss_before_kb=%lld rss_after_kb=%lld rss_peak_kb=%lld "
      "server_cpu_us_per_msg=%.1f bench_cpu_us_per_msg=%.1f\n",
      absl::GetFlag(FLAGS_label).c_str(), static_cast<long long>(r.sent),
      static_cast<long long>(r.received), static_cast<long long>(r.errors),
      send_rate, lifecycle_rate, Us(r.send_ack.Percentile(0.5)),
      Us(r.send_ack.Percentile(0.99)), Us(r.send_ack.Percentile(0.999)),
      Us(r.end_to_end.Percentile(0.5)), Us(r.end_to_end.Percentile(0.99)),
      Us(r.end_to_end.Percentile(0.999)), static_cast<long long>(rss_before),
      static_cast<long long>(rss_after), static_cast<long long>(rss_peak),
      server_us, self_us);
  return r.errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace cortado::bench

int main(int argc, char** argv) {
  // absl's debug-only mutex deadlock detection is on in Debian's build of
  // absl and shows up in profiles (GraphCycles); the benchmark client must
  // not pay for it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::SetProgramUsageMessage("benchmarks a Cortado server; see bench/");
  // Accept --server-pid as well as --server_pid, like cortado-server.
  std::vector<std::string> args(argv, argv + argc);
  std::vector<char*> pointers;
  for (std::string& arg : args) {
    if (arg.starts_with("--")) {
      const size_t end = std::min(arg.find('='), arg.size());
      for (size_t i = 2; i < end; ++i) {
        if (arg[i] == '-') arg[i] = '_';
      }
    }
    pointers.push_back(arg.data());
  }
  absl::ParseCommandLine(static_cast<int>(pointers.size()), pointers.data());
  return cortado::bench::Run();
}
