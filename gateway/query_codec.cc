#include "gateway/query_codec.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace cortado::gateway {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void RenderMembers(const Output& object, std::string& out);

// The content of one element (without its own tags).
void RenderContent(const Output& value, std::string& out) {
  switch (value.kind()) {
    case Output::Kind::kString:
    case Output::Kind::kNumber:
    case Output::Kind::kBool:
      out += XmlEscape(value.text());
      return;
    case Output::Kind::kObject:
      RenderMembers(value, out);
      return;
    case Output::Kind::kList:
    case Output::Kind::kMap:
      // Nested collections only occur as members (flattened there).
      return;
  }
}

void RenderElement(const std::string& name, const Output& value,
                   std::string& out) {
  absl::StrAppend(&out, "<", name, ">");
  RenderContent(value, out);
  absl::StrAppend(&out, "</", name, ">");
}

// <xml_name><KeyTag>key</KeyTag><ValueTag>value</ValueTag></xml_name>
void RenderMapEntry(absl::string_view xml_name, const Output& map,
                    const std::string& key, const Output& value,
                    std::string& out) {
  absl::StrAppend(&out, "<", xml_name, "><", map.key_tag(), ">", XmlEscape(key),
                  "</", map.key_tag(), ">");
  RenderElement(map.value_tag(), value, out);
  absl::StrAppend(&out, "</", xml_name, ">");
}

// A collection in its own element, one <item_tag> per item (SNS).
void RenderWrapped(const std::string& name, const Output& collection,
                   std::string& out) {
  const std::string& item = collection.item_tag();
  if (collection.elements().empty() && collection.entries().empty() &&
      collection.empty_xml() == Output::EmptyXml::kSelfClosing) {
    absl::StrAppend(&out, "<", name, "/>");
    return;
  }
  absl::StrAppend(&out, "<", name, ">");
  for (const Output& element : collection.elements()) {
    RenderElement(item, element, out);
  }
  for (const auto& [key, value] : collection.entries()) {
    RenderMapEntry(item, collection, key, value, out);
  }
  absl::StrAppend(&out, "</", name, ">");
}

void RenderMembers(const Output& object, std::string& out) {
  for (const Output::Member& member : object.members()) {
    const Output& value = member.value;
    const bool collection = value.kind() == Output::Kind::kList ||
                            value.kind() == Output::Kind::kMap;
    if (collection && !value.item_tag().empty()) {
      RenderWrapped(member.xml_name, value, out);
    } else if (value.kind() == Output::Kind::kList) {
      for (const Output& element : value.elements()) {
        RenderElement(member.xml_name, element, out);
      }
    } else if (value.kind() == Output::Kind::kMap) {
      for (const auto& [key, entry] : value.entries()) {
        RenderMapEntry(member.xml_name, value, key, entry, out);
      }
    } else {
      RenderElement(member.xml_name, value, out);
    }
  }
}

}  // namespace

absl::StatusOr<std::string> FormDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) {
        return MakeGatewayError(GatewayError::kMalformedQueryString,
                                "Truncated percent escape in the request.");
      }
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) {
        return MakeGatewayError(GatewayError::kMalformedQueryString,
                                "Invalid percent escape in the request.");
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

absl::Status ParseForm(absl::string_view text, QueryParams& params) {
  for (absl::string_view pair : absl::StrSplit(text, '&')) {
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    absl::StatusOr<std::string> name = FormDecode(pair.substr(0, equals));
    if (!name.ok()) return name.status();
    absl::StatusOr<std::string> value =
        equals == absl::string_view::npos ? std::string()
                                          : FormDecode(pair.substr(equals + 1));
    if (!value.ok()) return value.status();
    if (name->empty()) continue;
    params[*std::move(name)] = *std::move(value);
  }
  return absl::OkStatus();
}

std::string XmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\r':
        out += "&#xD;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string RenderXmlResponse(const QueryXmlDialect& dialect,
                              absl::string_view action, const Output& result,
                              bool has_output, absl::string_view request_id) {
  std::string out =
      absl::StrCat("<?xml version=\"1.0\"?><", action, "Response xmlns=\"",
                   dialect.xml_namespace, "\">");
  if (has_output) {
    std::string members;
    RenderMembers(result, members);
    if (members.empty()) {
      absl::StrAppend(&out, "<", action, "Result/>");
    } else {
      absl::StrAppend(&out, "<", action, "Result>", members, "</", action,
                      "Result>");
    }
  }
  absl::StrAppend(&out, "<ResponseMetadata><RequestId>", XmlEscape(request_id),
                  "</RequestId></ResponseMetadata></", action, "Response>");
  return out;
}

std::string RenderXmlError(const QueryXmlDialect& dialect,
                           const WireError& error,
                           absl::string_view request_id) {
  return absl::StrCat("<?xml version=\"1.0\"?><ErrorResponse xmlns=\"",
                      dialect.xml_namespace, "\"><Error><Type>", error.Type(),
                      "</Type><Code>", XmlEscape(error.query_code),
                      "</Code><Message>", XmlEscape(error.message),
                      "</Message>", dialect.error_detail ? "<Detail/>" : "",
                      "</Error><RequestId>", XmlEscape(request_id),
                      "</RequestId></ErrorResponse>");
}

}  // namespace cortado::gateway
