#include "gateway/metrics/http_request_metrics.h"

#include <algorithm>
#include <vector>

#include "gateway/actions/action.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway {
namespace {

int SqsCount() { return static_cast<int>(SqsActions().size()); }
int SnsCount() { return static_cast<int>(sns::SnsActions().size()); }

// (api, action) of a dense id.
std::pair<absl::string_view, absl::string_view> Describe(int action) {
  if (action < SqsCount()) return {"sqs", SqsActions()[action].name};
  action -= SqsCount();
  if (action < SnsCount()) return {"sns", sns::SnsActions()[action].name};
  return {"unknown", "unknown"};
}

}  // namespace

HttpRequestMetrics::HttpRequestMetrics()
    : ok_(std::make_unique<std::atomic<uint64_t>[]>(UnknownAction() + 1)) {}

int HttpRequestMetrics::ActionId(Api api, const ActionSpec* spec) {
  if (spec == nullptr) return UnknownAction();
  switch (api) {
    case Api::kSqs:
      return static_cast<int>(spec - SqsActions().data());
    case Api::kSns:
      return SqsCount() + static_cast<int>(spec - sns::SnsActions().data());
  }
  return UnknownAction();
}

int HttpRequestMetrics::UnknownAction() { return SqsCount() + SnsCount(); }

void HttpRequestMetrics::CountError(int action, absl::string_view error_name) {
  absl::MutexLock lock(&mu_);
  ++errors_[{action, std::string(error_name)}];
}

void HttpRequestMetrics::Render(MetricsText& out) const {
  // (action, outcome) -> count, actions in table order, "ok" first.
  std::vector<std::pair<std::pair<int, std::string>, uint64_t>> samples;
  for (int action = 0; action <= UnknownAction(); ++action) {
    const uint64_t ok = ok_[action].load(std::memory_order_relaxed);
    if (ok != 0) samples.push_back({{action, "ok"}, ok});
  }
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [key, count] : errors_) samples.push_back({key, count});
  }
  std::stable_sort(samples.begin(), samples.end(),
                   [](const auto& a, const auto& b) {
                     return a.first.first < b.first.first;
                   });
  out.Family("cortado_http_requests_total", "counter",
             "SQS and SNS API requests on the HTTP listener, by action and "
             "outcome (\"ok\" or the error's name).");
  for (const auto& [key, count] : samples) {
    const auto [api, action] = Describe(key.first);
    out.Sample("cortado_http_requests_total",
               {{"api", api}, {"action", action}, {"outcome", key.second}},
               count);
  }
}

}  // namespace cortado::gateway
