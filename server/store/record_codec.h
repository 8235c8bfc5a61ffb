// Compact binary encodings of the map-valued fields the SQLite store keeps
// in BLOB columns: message attributes and tags. Length-prefixed (varint), so
// any bytes round-trip exactly; a leading version byte leaves room to change.
// Thread-safety: pure functions.
#ifndef CORTADO_SERVER_STORE_RECORD_CODEC_H_
#define CORTADO_SERVER_STORE_RECORD_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/core/api.h"
#include "server/core/message_attributes.h"

namespace cortado::store {

std::string EncodeAttributes(const MessageAttributes& attributes);
absl::StatusOr<MessageAttributes> DecodeAttributes(absl::string_view data);

std::string EncodeTags(const TagMap& tags);
absl::StatusOr<TagMap> DecodeTags(absl::string_view data);

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_RECORD_CODEC_H_
