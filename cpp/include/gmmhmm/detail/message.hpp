#pragma once
// Error messages built from parts, without iostreams: std::ostringstream pulls libc++'s
// locale machinery (every facet, money and time formatting included: about a tenth of the
// WebAssembly build, docs/size.md) into every binary that formats a message. The output is
// what `std::ostringstream out; out.precision(10); (out << ... << parts)` gave: floating-point
// values as %.10g, integers in decimal, bool as 1 or 0, characters and strings as they are;
// except NaN and infinities, spelt NaN, Infinity and -Infinity as JavaScript spells them.

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>

namespace gmmhmm::detail {

template <typename T>
void appendMessagePart(std::string& out, const T& part) {
  if constexpr (std::is_same_v<T, bool>) {
    out.push_back(part ? '1' : '0');
  } else if constexpr (std::is_same_v<T, char>) {
    out.push_back(part);
  } else if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
    if constexpr (std::is_enum_v<T>) {
      out.append(std::to_string(static_cast<std::underlying_type_t<T>>(part)));
    } else {
      out.append(std::to_string(part));
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    // Spelt as JavaScript spells them (most messages reach JS users; C++ readers know them too),
    // so that "is NaN" reads the same whichever layer refused the value.
    if (std::isnan(part)) {
      out.append("NaN");
      return;
    }
    if (std::isinf(part)) {
      out.append(part > 0 ? "Infinity" : "-Infinity");
      return;
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", static_cast<double>(part));
    out.append(text);
  } else {
    static_assert(std::is_convertible_v<const T&, std::string_view>, "a message part must be a number, a character or a string");
    out.append(std::string_view(part));
  }
}

template <typename... Parts>
std::string message(const Parts&... parts) {
  std::string out;
  (appendMessagePart(out, parts), ...);
  return out;
}

}  // namespace gmmhmm::detail
