// ParkedReceives maps the tokens that clients put on their long-poll
// ReceiveMessage calls to the broker's receive ids, so that a CancelReceive
// rpc can end a parked long poll gently: the broker answers the receive
// (empty, or with the messages it already took) and the call finishes
// normally. Cancelling the call itself instead (gRPC TryCancel) can drop an
// answer that is already on its way, hiding its messages for the whole
// visibility timeout.
// A cancel may overtake its receive (they are separate calls), so a token
// that is not parked is remembered, and a receive arriving later with it is
// cancelled at once. The memory for such tokens is bounded: the oldest are
// forgotten first.
// Thread-safety: thread-safe.
#ifndef CORTADO_SERVER_RPC_PARKED_RECEIVES_H_
#define CORTADO_SERVER_RPC_PARKED_RECEIVES_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "server/core/broker.h"

namespace cortado::rpc {

// A parked receive: its id in the broker that parked it (in cluster mode,
// one of several: its partition's).
struct ParkedReceive {
  uint64_t receive_id = 0;
  std::shared_ptr<Broker> broker;
};

class ParkedReceives {
 public:
  // How many early cancels are remembered at most.
  static constexpr size_t kMaxRemembered = 4096;

  // Records that the receive with `token` is parked as `receive`.
  // Returns false if the token was cancelled already: the caller then
  // cancels the receive itself (and nothing is recorded).
  bool Park(const std::string& token, ParkedReceive receive);
  // Forgets a parked token (its receive was answered).
  void Unpark(const std::string& token);
  // Removes and returns the receive parked under `token`; if there is none,
  // remembers the token so that Park() refuses it later.
  std::optional<ParkedReceive> Cancel(const std::string& token);

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, ParkedReceive> parked_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::string> cancelled_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> cancelled_order_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cortado::rpc

#endif  // CORTADO_SERVER_RPC_PARKED_RECEIVES_H_
