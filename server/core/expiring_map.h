// ExpiringMap: entries by string key, each alive until its own `expires`
// time, with the earliest expiry at hand. The FIFO deduplication windows (of
// queues and topics) and a queue's receive attempts are this one shape.
// Expired entries stay until ExpireUpTo drops them (the broker calls it from
// its timers, or on use), but Find never returns one.
// Thread-safety: none; the Broker guards its instances.
#ifndef CORTADO_SERVER_CORE_EXPIRING_MAP_H_
#define CORTADO_SERVER_CORE_EXPIRING_MAP_H_

#include <string>
#include <utility>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"

namespace cortado {

// `Value` has a member `absl::Time expires`.
template <typename Value>
class ExpiringMap {
 public:
  // The value of `key` if it is still alive at `now`, or nullptr.
  const Value* Find(const std::string& key, absl::Time now) const {
    auto it = values_.find(key);
    if (it == values_.end() || it->second.expires <= now) return nullptr;
    return &it->second;
  }
  Value* Find(const std::string& key, absl::Time now) {
    return const_cast<Value*>(std::as_const(*this).Find(key, now));
  }

  // Adds or replaces the value of `key`.
  void Put(const std::string& key, Value value) {
    auto it = values_.find(key);
    if (it != values_.end()) {
      by_expiry_.erase({it->second.expires, key});
      it->second = std::move(value);
    } else {
      it = values_.emplace(key, std::move(value)).first;
    }
    by_expiry_.insert({it->second.expires, key});
  }

  // Drops the values whose time ended at or before `now`; true if any did.
  bool ExpireUpTo(absl::Time now) {
    bool any = false;
    while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
      values_.erase(by_expiry_.begin()->second);
      by_expiry_.erase(by_expiry_.begin());
      any = true;
    }
    return any;
  }

  // When the next value expires, or InfiniteFuture.
  absl::Time NextExpiry() const {
    return by_expiry_.empty() ? absl::InfiniteFuture()
                              : by_expiry_.begin()->first;
  }

  size_t size() const { return values_.size(); }

 private:
  absl::flat_hash_map<std::string, Value> values_;
  absl::btree_set<std::pair<absl::Time, std::string>> by_expiry_;
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_EXPIRING_MAP_H_
