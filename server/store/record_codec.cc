#include "server/store/record_codec.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace cortado::store {
namespace {

constexpr char kVersion = 1;

void PutVarint(uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void PutString(absl::string_view s, std::string& out) {
  PutVarint(s.size(), out);
  out.append(s.data(), s.size());
}

// Reads from the front of `in`, consuming what it reads.
class Reader {
 public:
  explicit Reader(absl::string_view in) : in_(in) {}
  bool done() const { return in_.empty(); }
  bool Varint(uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) return false;
      const uint8_t byte = static_cast<uint8_t>(in_.front());
      in_.remove_prefix(1);
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }
  bool String(std::string& out) {
    uint64_t size;
    if (!Varint(size) || size > in_.size()) return false;
    out.assign(in_.data(), size);
    in_.remove_prefix(size);
    return true;
  }
  bool Byte(char& out) {
    if (in_.empty()) return false;
    out = in_.front();
    in_.remove_prefix(1);
    return true;
  }

 private:
  absl::string_view in_;
};

absl::Status Corrupt(absl::string_view what) {
  return absl::DataLossError(
      absl::StrCat("corrupt ", what, " record in the store"));
}

}  // namespace

std::string EncodeAttributes(const MessageAttributes& attributes) {
  if (attributes.empty()) return "";
  std::string out(1, kVersion);
  PutVarint(attributes.size(), out);
  for (const auto& [name, value] : attributes) {
    PutString(name, out);
    PutString(value.data_type, out);
    out.push_back(value.binary ? 1 : 0);
    PutString(value.binary ? value.binary_value : value.string_value, out);
  }
  return out;
}

absl::StatusOr<MessageAttributes> DecodeAttributes(absl::string_view data) {
  MessageAttributes attributes;
  if (data.empty()) return attributes;
  Reader reader(data);
  char version;
  uint64_t count;
  if (!reader.Byte(version) || version != kVersion || !reader.Varint(count)) {
    return Corrupt("attribute");
  }
  for (uint64_t i = 0; i < count; ++i) {
    std::string name;
    MessageAttributeValue value;
    char binary;
    std::string bytes;
    if (!reader.String(name) || !reader.String(value.data_type) ||
        !reader.Byte(binary) || !reader.String(bytes)) {
      return Corrupt("attribute");
    }
    value.binary = binary != 0;
    (value.binary ? value.binary_value : value.string_value) = std::move(bytes);
    attributes.emplace(std::move(name), std::move(value));
  }
  if (!reader.done()) return Corrupt("attribute");
  return attributes;
}

std::string EncodeTags(const TagMap& tags) {
  if (tags.empty()) return "";
  std::string out(1, kVersion);
  PutVarint(tags.size(), out);
  for (const auto& [key, value] : tags) {
    PutString(key, out);
    PutString(value, out);
  }
  return out;
}

absl::StatusOr<TagMap> DecodeTags(absl::string_view data) {
  TagMap tags;
  if (data.empty()) return tags;
  Reader reader(data);
  char version;
  uint64_t count;
  if (!reader.Byte(version) || version != kVersion || !reader.Varint(count)) {
    return Corrupt("tag");
  }
  for (uint64_t i = 0; i < count; ++i) {
    std::string key, value;
    if (!reader.String(key) || !reader.String(value)) return Corrupt("tag");
    tags.emplace(std::move(key), std::move(value));
  }
  if (!reader.done()) return Corrupt("tag");
  return tags;
}

std::string EncodeTakenMessages(
    const std::vector<ReceiveAttemptRecord::Taken>& taken) {
  std::string out(1, kVersion);
  PutVarint(taken.size(), out);
  for (const ReceiveAttemptRecord::Taken& t : taken) {
    PutVarint(t.sequence, out);
    PutVarint(static_cast<uint32_t>(t.receive_count), out);
    // Deadlines are after the epoch; the cast keeps any value exact.
    PutVarint(static_cast<uint64_t>(absl::ToUnixMicros(t.visible_at)), out);
  }
  return out;
}

absl::StatusOr<std::vector<ReceiveAttemptRecord::Taken>> DecodeTakenMessages(
    absl::string_view data) {
  Reader reader(data);
  char version;
  uint64_t count;
  if (!reader.Byte(version) || version != kVersion || !reader.Varint(count) ||
      count > data.size()) {
    return Corrupt("receive attempt");
  }
  std::vector<ReceiveAttemptRecord::Taken> taken(count);
  for (ReceiveAttemptRecord::Taken& t : taken) {
    uint64_t receive_count, micros;
    if (!reader.Varint(t.sequence) || !reader.Varint(receive_count) ||
        !reader.Varint(micros)) {
      return Corrupt("receive attempt");
    }
    t.receive_count = static_cast<int32_t>(receive_count);
    t.visible_at = absl::FromUnixMicros(static_cast<int64_t>(micros));
  }
  if (!reader.done()) return Corrupt("receive attempt");
  return taken;
}

absl::Status DecodeAttributesInto(absl::string_view data,
                                  MessageAttributes& out) {
  if (data.empty()) {
    if (!out.empty()) out.clear();
    return absl::OkStatus();
  }
  absl::StatusOr<MessageAttributes> decoded = DecodeAttributes(data);
  if (!decoded.ok()) return decoded.status();
  out = *std::move(decoded);
  return absl::OkStatus();
}

}  // namespace cortado::store
