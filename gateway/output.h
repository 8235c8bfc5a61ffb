// Output: a protocol-neutral response tree built by the action files and
// rendered by the codecs. Members carry both names, because SQS's JSON and
// query protocols name lists differently ("QueueUrls" vs flattened
// <QueueUrl>, "Messages" vs <Message>, "Successful" vs
// <SendMessageBatchResultEntry>).
//
// Rendering rules (json_codec.cc / query_codec.cc):
//   scalar           JSON value            <xml>text</xml>
//   object           {"a":..}              <xml>children</xml>
//   list             [..]                  <xml>elem</xml> per element
//   (flattened) map              {"k":v}
//   <xml><KeyTag>k</KeyTag><ValueTag>v</ValueTag></xml>
//                                          per entry (flattened)
// SQS flattens its collections; SNS wraps them in the member's element,
// one <ItemTag> per element or entry (WrappedList, WrappedMap):
//   wrapped list     [..]                  <xml><Item>elem</Item>..</xml>
//   wrapped map      {"k":v}               <xml><Item><KeyTag>k</KeyTag>
//                                          <ValueTag>v</ValueTag></Item>..
//                                          </xml>
// An empty wrapped collection is <xml></xml>, or <xml/> when built with
// EmptyXml::kSelfClosing (SNS's PublishBatch writes <Failed/>).
// Thread-safety: value type.
#ifndef CORTADO_GATEWAY_OUTPUT_H_
#define CORTADO_GATEWAY_OUTPUT_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace cortado::gateway {

class Output {
 public:
  enum class Kind { kString, kNumber, kBool, kObject, kList, kMap };
  // How an empty wrapped collection is written in XML.
  enum class EmptyXml { kOpenAndClose, kSelfClosing };

  struct Member;

  // Everything that makes or moves an Output is defined below Member: clang
  // instantiates vector<Member>'s destructor there and needs the whole type.
  static Output String(std::string text);
  static Output Number(long long value);
  static Output Bool(bool value);
  static Output Object();
  static Output List();
  // A map rendered in XML as <KeyTag>/<ValueTag> pairs.
  static Output Map(std::string key_tag, std::string value_tag);
  // A map of strings, e.g. Attributes (Name/Value) or Tags (Key/Value).
  static Output StringMap(const std::map<std::string, std::string>& values,
                          std::string key_tag, std::string value_tag);
  // A list whose XML element holds one <item_tag> per element.
  static Output WrappedList(std::string item_tag,
                            EmptyXml empty = EmptyXml::kOpenAndClose);
  // A map of strings whose XML element holds one <item_tag> per entry,
  // e.g. SNS's <Attributes><entry><key/><value/></entry></Attributes>.
  static Output WrappedStringMap(
      const std::map<std::string, std::string>& values, std::string item_tag,
      std::string key_tag, std::string value_tag);

  // Object: adds a member named `json_name` in JSON, `xml_name` in XML.
  Output& Add(std::string json_name, std::string xml_name, Output value);
  // Object: same name in both protocols.
  Output& Add(const std::string& name, Output value);
  // List: appends an element.
  Output& Append(Output value);
  // Map: adds an entry.
  Output& Put(std::string key, Output value);

  Kind kind() const { return kind_; }
  const std::string& text() const { return text_; }
  const std::vector<Member>& members() const { return members_; }
  const std::vector<Output>& elements() const { return elements_; }
  const std::vector<std::pair<std::string, Output>>& entries() const {
    return entries_;
  }
  const std::string& key_tag() const { return key_tag_; }
  const std::string& value_tag() const { return value_tag_; }
  // Collections: the per-item element of a wrapped one, "" when flattened.
  const std::string& item_tag() const { return item_tag_; }
  EmptyXml empty_xml() const { return empty_xml_; }

 private:
  explicit Output(Kind kind);

  Kind kind_;
  std::string text_;
  std::vector<Member> members_;
  std::vector<Output> elements_;
  std::vector<std::pair<std::string, Output>> entries_;
  std::string key_tag_, value_tag_;
  std::string item_tag_;
  EmptyXml empty_xml_ = EmptyXml::kOpenAndClose;
};

struct Output::Member {
  std::string json_name;
  std::string xml_name;
  Output value;
};

inline Output& Output::Add(std::string json_name, std::string xml_name,
                           Output value) {
  members_.push_back(
      Member{std::move(json_name), std::move(xml_name), std::move(value)});
  return *this;
}

inline Output::Output(Kind kind) : kind_(kind) {}

inline Output Output::String(std::string text) {
  Output out(Kind::kString);
  out.text_ = std::move(text);
  return out;
}
inline Output Output::Number(long long value) {
  Output out(Kind::kNumber);
  out.text_ = std::to_string(value);
  return out;
}
inline Output Output::Bool(bool value) {
  Output out(Kind::kBool);
  out.text_ = value ? "true" : "false";
  return out;
}
inline Output Output::Object() { return Output(Kind::kObject); }
inline Output Output::List() { return Output(Kind::kList); }
inline Output Output::Map(std::string key_tag, std::string value_tag) {
  Output out(Kind::kMap);
  out.key_tag_ = std::move(key_tag);
  out.value_tag_ = std::move(value_tag);
  return out;
}
inline Output Output::StringMap(
    const std::map<std::string, std::string>& values, std::string key_tag,
    std::string value_tag) {
  Output out = Map(std::move(key_tag), std::move(value_tag));
  for (const auto& [key, value] : values) out.Put(key, String(value));
  return out;
}
inline Output Output::WrappedList(std::string item_tag, EmptyXml empty) {
  Output out(Kind::kList);
  out.item_tag_ = std::move(item_tag);
  out.empty_xml_ = empty;
  return out;
}
inline Output Output::WrappedStringMap(
    const std::map<std::string, std::string>& values, std::string item_tag,
    std::string key_tag, std::string value_tag) {
  Output out = Map(std::move(key_tag), std::move(value_tag));
  out.item_tag_ = std::move(item_tag);
  for (const auto& [key, value] : values) out.Put(key, String(value));
  return out;
}

inline Output& Output::Add(const std::string& name, Output value) {
  return Add(name, name, std::move(value));
}
inline Output& Output::Append(Output value) {
  elements_.push_back(std::move(value));
  return *this;
}
inline Output& Output::Put(std::string key, Output value) {
  entries_.emplace_back(std::move(key), std::move(value));
  return *this;
}

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_OUTPUT_H_
