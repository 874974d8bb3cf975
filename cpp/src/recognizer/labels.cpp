#include "gmmhmm/recognizer/labels.hpp"

#include <cstdint>
#include <cstdio>
#include <vector>

namespace gmmhmm::recognizer {

namespace {

// Decodes strict UTF-8 (no overlong forms, no encoded surrogates, nothing above U+10FFFF).
// False when `s` is not valid UTF-8.
bool decodeUtf8(const std::string& s, std::vector<char32_t>& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    int extra = 0;
    char32_t cp = 0, min = 0;
    if (b0 < 0x80) {
      cp = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      extra = 1, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      extra = 2, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      extra = 3, cp = b0 & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (s.size() - i <= static_cast<std::size_t>(extra)) return false;  // truncated sequence
    for (int k = 1; k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    out.push_back(cp);
    i += 1 + extra;
  }
  return true;
}

bool isWhitespace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}

// Where a label holds characters outside the BMP, why its count is not what a reader sees.
constexpr const char* kAstralNote = " (counted as JavaScript's length counts: an emoji or another character beyond U+FFFF counts 2)";

// The kind of character `c` is when labels may not contain it; nullptr otherwise.
const char* forbiddenKind(char32_t c) {
  if (c <= 0x1F || (c >= 0x7F && c <= 0x9F)) return "a control character";
  if (c == 0x2028 || c == 0x2029) return "a line or paragraph separator";
  // Embeddings, overrides and isolates change how the text after them is shown. The marks
  // (U+061C, U+200E, U+200F) are invisible letters of right-to-left text, common in pasted
  // Arabic, Hebrew and Persian, and in files written before: allowed.
  if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) return "a bidirectional control character";
  return nullptr;
}

std::string codePoint(char32_t c) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(c));
  return buffer;
}

}  // namespace

std::string labelProblem(const std::string& label) {
  if (label.empty()) return "must be a non-empty string";
  std::vector<char32_t> cps;
  if (!decodeUtf8(label, cps)) return "must be valid UTF-8 text";
  std::size_t length = 0;  // UTF-16 code units, as JavaScript counts
  for (char32_t c : cps) length += c >= 0x10000 ? 2 : 1;
  if (length > static_cast<std::size_t>(kMaxLabelLength))
    return "must be at most " + std::to_string(kMaxLabelLength) + " characters, got " + std::to_string(length) +
           (length != cps.size() ? std::string(kAstralNote) : std::string());
  std::size_t index = 0;
  for (char32_t c : cps) {
    if (const char* kind = forbiddenKind(c))
      return std::string("contains ") + kind + " (" + codePoint(c) + " at index " + std::to_string(index) + ")";
    index += c >= 0x10000 ? 2 : 1;
  }
  if (isWhitespace(cps.front()) || isWhitespace(cps.back())) return "must not start or end with whitespace";
  return "";
}

}  // namespace gmmhmm::recognizer
