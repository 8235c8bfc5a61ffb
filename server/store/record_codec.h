// Compact binary encodings of the map- and list-valued fields the SQLite
// store keeps in BLOB columns: message attributes, tags and the messages of
// a receive attempt. Length-prefixed (varint), so
// any bytes round-trip exactly; a leading version byte leaves room to change.
// Thread-safety: pure functions.
#ifndef CORTADO_SERVER_STORE_RECORD_CODEC_H_
#define CORTADO_SERVER_STORE_RECORD_CODEC_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/core/api.h"
#include "server/core/message_attributes.h"
#include "server/core/store.h"

namespace cortado::store {

std::string EncodeAttributes(const MessageAttributes& attributes);
absl::StatusOr<MessageAttributes> DecodeAttributes(absl::string_view data);
// Into `out`, for a record reused row after row while loading: attributes
// are empty on most messages, and those skip the decoder (and the map's
// clear when it is already empty).
absl::Status DecodeAttributesInto(absl::string_view data,
                                  MessageAttributes& out);

std::string EncodeTags(const TagMap& tags);
absl::StatusOr<TagMap> DecodeTags(absl::string_view data);

// Times keep microseconds, the store's resolution.
std::string EncodeTakenMessages(
    const std::vector<ReceiveAttemptRecord::Taken>& taken);
absl::StatusOr<std::vector<ReceiveAttemptRecord::Taken>> DecodeTakenMessages(
    absl::string_view data);

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_RECORD_CODEC_H_
