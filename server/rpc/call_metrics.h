// CallMetrics counts finished gRPC calls by method and status code, for
// /metrics (cortado_grpc_calls_total). The counting is a server interceptor
// (NewInterceptorFactory), so no service or reactor changes: it sees the
// status every call sends, unary and streaming alike.
//
// Labels are bounded: a method is one of the registered services' methods
// (from their descriptors) or "unknown", a code one of gRPC's 17.
// Cost per call: one interceptor object (gRPC allocates it), one hash
// lookup of the method when the call starts, and one relaxed atomic
// increment when its status is sent.
// Thread-safety: every method may be called from any thread.
#ifndef CORTADO_SERVER_RPC_CALL_METRICS_H_
#define CORTADO_SERVER_RPC_CALL_METRICS_H_

#include <grpcpp/support/server_interceptor.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace cortado::rpc {

class CallMetrics {
 public:
  // gRPC's codes are 0 (OK) to 16 (UNAUTHENTICATED).
  static constexpr int kCodes = 17;

  // Counts the methods of these services ("cortado.v1.Queues"); others
  // fold into "unknown".
  explicit CallMetrics(const std::vector<std::string>& service_names);

  // A factory for ServerBuilder::experimental().SetInterceptorCreators;
  // `this` must outlive the server.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
  NewInterceptorFactory();

  // The method id of a full method name ("/cortado.v1.Queues/SendMessage").
  int MethodId(absl::string_view full_name) const;
  void Count(int method, int code) {
    if (code < 0 || code >= kCodes) code = 2;  // UNKNOWN
    counts_[method * kCodes + code].fetch_add(1, std::memory_order_relaxed);
  }

  struct Sample {
    std::string method;  // "cortado.v1.Queues/SendMessage" or "unknown"
    std::string code;    // "OK", "NOT_FOUND", ...
    uint64_t count = 0;
  };
  // Every (method, code) counted at least once, methods in service order.
  std::vector<Sample> Snapshot() const;

 private:
  std::vector<std::string> methods_;           // by id; the last is "unknown"
  absl::flat_hash_map<std::string, int> ids_;  // "/<service>/<method>" -> id
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
};

// "OK", "CANCELLED", ... as gRPC's documentation spells them.
absl::string_view GrpcCodeName(int code);

}  // namespace cortado::rpc

#endif  // CORTADO_SERVER_RPC_CALL_METRICS_H_
