#pragma once
// Argument checks shared by the front-end sources (internal header).

#include <cmath>
#include <string>

#include "gmmhmm/detail/message.hpp"
#include "gmmhmm/errors.hpp"

namespace gmmhmm::features::detail {

template <typename... Parts>
std::string concat(const Parts&... parts) {
  return gmmhmm::detail::message(parts...);
}

// Throws gmmhmm::InvalidArgument with the concatenated message.
template <typename... Parts>
[[noreturn]] void fail(const Parts&... parts) {
  throw InvalidArgument(concat(parts...));
}

inline void requireFinite(double value, const char* name) {
  if (!std::isfinite(value)) fail(name, " must be a finite number, got ", value);
}

}  // namespace gmmhmm::features::detail
