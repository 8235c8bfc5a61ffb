// SenderIds interns the sender ids of messages (SenderId: the account, or
// the access key that signed the send). A broker sees a handful of distinct
// ones, so each message keeps a 4-byte index into this table instead of a
// string (at a million messages, ~40 MB less).
// Entries are never removed; the table grows with distinct senders only.
// Thread-safety: not thread-safe; the Broker guards it with its mu_.
#ifndef CORTADO_SERVER_CORE_SENDER_IDS_H_
#define CORTADO_SERVER_CORE_SENDER_IDS_H_

#include <cstdint>
#include <deque>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace cortado {

class SenderIds {
 public:
  // The index of `id`, added if new.
  uint32_t Intern(absl::string_view id) {
    auto it = index_.find(id);
    if (it != index_.end()) return it->second;
    const uint32_t index = static_cast<uint32_t>(ids_.size());
    ids_.emplace_back(id);
    index_.emplace(ids_.back(), index);
    return index;
  }
  // The id of an index Intern returned.
  const std::string& Get(uint32_t index) const { return ids_[index]; }
  size_t size() const { return ids_.size(); }

 private:
  std::deque<std::string> ids_;  // a deque: references stay valid
  absl::flat_hash_map<absl::string_view, uint32_t> index_;  // views of ids_
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_SENDER_IDS_H_
