#include "common/json.h"

#include <cstdint>
#include <utility>

namespace cortado {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A string character copied as is: not the closing quote, not an escape,
// not a control character (which JSON forbids unescaped).
bool IsPlain(char c) {
  return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// Recursive-descent parser over `text_`; every Parse* method leaves pos_ just
// past what it consumed and returns false on the first syntax error.
class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  std::optional<JsonValue> ParseDocument() {
    JsonValue value;
    SkipWhitespace();
    if (!ParseValue(value, /*depth=*/1)) return std::nullopt;
    SkipWhitespace();
    if (pos_ != text_.size()) return std::nullopt;
    return value;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  void SkipWhitespace() {
    while (!AtEnd()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }

  bool Consume(absl::string_view literal) {
    if (text_.substr(pos_, literal.size()) != literal) return false;
    pos_ += literal.size();
    return true;
  }

  bool ParseValue(JsonValue& value, int depth) {
    if (depth > kMaxJsonDepth) return false;
    switch (Peek()) {
      case '{':
        return ParseObject(value, depth);
      case '[':
        return ParseArray(value, depth);
      case '"':
        value.type = JsonValue::Type::kString;
        return ParseString(value.text);
      case 't':
        value.type = JsonValue::Type::kBool;
        value.boolean = true;
        return Consume("true");
      case 'f':
        value.type = JsonValue::Type::kBool;
        value.boolean = false;
        return Consume("false");
      case 'n':
        value.type = JsonValue::Type::kNull;
        return Consume("null");
      default:
        value.type = JsonValue::Type::kNumber;
        return ParseNumber(value.text);
    }
  }

  bool ParseObject(JsonValue& value, int depth) {
    value.type = JsonValue::Type::kObject;
    ++pos_;  // '{'
    SkipWhitespace();
    if (Peek() == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipWhitespace();
      // Parsed in place: no temporary key or member to move.
      JsonValue& member = value.members.emplace_back();
      if (Peek() != '"' || !ParseString(member.key)) return false;
      SkipWhitespace();
      if (!Consume(":")) return false;
      SkipWhitespace();
      if (!ParseValue(member, depth + 1)) return false;
      SkipWhitespace();
      if (Consume("}")) return true;
      if (!Consume(",")) return false;
    }
  }

  bool ParseArray(JsonValue& value, int depth) {
    value.type = JsonValue::Type::kArray;
    ++pos_;  // '['
    SkipWhitespace();
    if (Peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipWhitespace();
      if (!ParseValue(value.elements.emplace_back(), depth + 1)) return false;
      SkipWhitespace();
      if (Consume("]")) return true;
      if (!Consume(",")) return false;
    }
  }

  // Reads the four hex digits of a \u escape.
  bool ParseHex4(uint32_t& out) {
    if (pos_ + 4 > text_.size()) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      int digit = HexValue(text_[pos_++]);
      if (digit < 0) return false;
      out = out * 16 + static_cast<uint32_t>(digit);
    }
    return true;
  }

  bool ParseString(std::string& out) {
    ++pos_;  // '"'
    while (!AtEnd()) {
      // Copies the run of plain characters up to the next quote, escape or
      // control character in one append: the SQS JSON requests are parsed
      // on every call, and a push_back per character was the parser's main
      // cost (docs/PERFORMANCE.md).
      const size_t start = pos_;
      while (pos_ < text_.size() && IsPlain(text_[pos_])) ++pos_;
      out.append(text_.data() + start, pos_ - start);
      if (AtEnd()) break;
      char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (AtEnd()) return false;
      char escape = text_[pos_++];
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          out.push_back(escape);
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          uint32_t unit;
          if (!ParseHex4(unit)) return false;
          if (unit >= 0xDC00 && unit <= 0xDFFF) return false;  // lone low
          if (unit >= 0xD800 && unit <= 0xDBFF) {
            uint32_t low;
            if (!Consume("\\u") || !ParseHex4(low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) return false;
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(unit, out);
          break;
        }
        default:
          return false;
      }
    }
    return false;  // unterminated
  }

  // number = [ "-" ] int [ frac ] [ exp ]; int = "0" / digit1-9 *digit
  bool ParseNumber(std::string& out) {
    size_t start = pos_;
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else if (IsDigit(Peek())) {
      while (IsDigit(Peek())) ++pos_;
    } else {
      return false;
    }
    if (Peek() == '.') {
      ++pos_;
      if (!IsDigit(Peek())) return false;
      while (IsDigit(Peek())) ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!IsDigit(Peek())) return false;
      while (IsDigit(Peek())) ++pos_;
    }
    out = std::string(text_.substr(start, pos_ - start));
    return true;
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

const JsonValue* JsonValue::Find(absl::string_view key) const {
  const JsonValue* found = nullptr;
  for (const JsonValue& member : members) {
    if (member.key == key) found = &member;
  }
  return found;
}

std::optional<JsonValue> ParseJson(absl::string_view text) {
  return Parser(text).ParseDocument();
}

bool IsJsonObject(absl::string_view text) {
  std::optional<JsonValue> value = ParseJson(text);
  return value.has_value() && value->is_object();
}

void AppendJsonString(absl::string_view text, std::string& out) {
  out.push_back('"');
  size_t plain = 0;  // start of the current run of unescaped characters
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char escaped[] = {'\\', 'u',          '0',
                                '0',  kHex[c >> 4], kHex[c & 15]};
        out.append(escaped, sizeof(escaped));
      }
    }
  }
  out.append(text.data() + plain, text.size() - plain);
  out.push_back('"');
}

std::string JsonQuote(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  AppendJsonString(text, out);
  return out;
}

void AppendJson(const JsonValue& value, std::string& out) {
  switch (value.type) {
    case JsonValue::Type::kNull:
      out += "null";
      return;
    case JsonValue::Type::kBool:
      out += value.boolean ? "true" : "false";
      return;
    case JsonValue::Type::kNumber:
      out += value.text;
      return;
    case JsonValue::Type::kString:
      AppendJsonString(value.text, out);
      return;
    case JsonValue::Type::kArray:
      out.push_back('[');
      for (size_t i = 0; i < value.elements.size(); ++i) {
        if (i > 0) out.push_back(',');
        AppendJson(value.elements[i], out);
      }
      out.push_back(']');
      return;
    case JsonValue::Type::kObject:
      out.push_back('{');
      for (size_t i = 0; i < value.members.size(); ++i) {
        if (i > 0) out.push_back(',');
        AppendJsonString(value.members[i].key, out);
        out.push_back(':');
        AppendJson(value.members[i], out);
      }
      out.push_back('}');
      return;
  }
}

}  // namespace cortado
