#include "server/rpc/call_metrics.h"

#include <google/protobuf/descriptor.h>

#include "absl/strings/str_cat.h"

namespace cortado::rpc {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Counts one call: its method is resolved when gRPC creates it, its code
// when the server sends the status.
class CountingInterceptor final : public grpc::experimental::Interceptor {
 public:
  CountingInterceptor(CallMetrics* metrics, int method)
      : metrics_(metrics), method_(method) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      metrics_->Count(method_, methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  CallMetrics* const metrics_;
  const int method_;
};

class CountingFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CountingFactory(CallMetrics* metrics) : metrics_(metrics) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CountingInterceptor(metrics_,
                                   metrics_->MethodId(info->method()));
  }

 private:
  CallMetrics* const metrics_;
};

}  // namespace

CallMetrics::CallMetrics(const std::vector<std::string>& service_names) {
  const google::protobuf::DescriptorPool* pool =
      google::protobuf::DescriptorPool::generated_pool();
  for (const std::string& service_name : service_names) {
    const google::protobuf::ServiceDescriptor* service =
        pool->FindServiceByName(service_name);
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      const std::string method =
          absl::StrCat(service_name, "/", service->method(i)->name());
      ids_[absl::StrCat("/", method)] = static_cast<int>(methods_.size());
      methods_.push_back(method);
    }
  }
  methods_.push_back("unknown");
  counts_ = std::make_unique<std::atomic<uint64_t>[]>(methods_.size() * kCodes);
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
CallMetrics::NewInterceptorFactory() {
  return std::make_unique<CountingFactory>(this);
}

int CallMetrics::MethodId(absl::string_view full_name) const {
  auto it = ids_.find(full_name);
  return it == ids_.end() ? static_cast<int>(methods_.size()) - 1 : it->second;
}

std::vector<CallMetrics::Sample> CallMetrics::Snapshot() const {
  std::vector<Sample> samples;
  for (size_t method = 0; method < methods_.size(); ++method) {
    for (int code = 0; code < kCodes; ++code) {
      const uint64_t count =
          counts_[method * kCodes + code].load(std::memory_order_relaxed);
      if (count == 0) continue;
      samples.push_back(
          {methods_[method], std::string(GrpcCodeName(code)), count});
    }
  }
  return samples;
}

absl::string_view GrpcCodeName(int code) {
  static constexpr absl::string_view kNames[] = {
      "OK",
      "CANCELLED",
      "UNKNOWN",
      "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED",
      "NOT_FOUND",
      "ALREADY_EXISTS",
      "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION",
      "ABORTED",
      "OUT_OF_RANGE",
      "UNIMPLEMENTED",
      "INTERNAL",
      "UNAVAILABLE",
      "DATA_LOSS",
      "UNAUTHENTICATED",
  };
  if (code < 0 || code >= CallMetrics::kCodes) return "UNKNOWN";
  return kNames[code];
}

}  // namespace cortado::rpc
