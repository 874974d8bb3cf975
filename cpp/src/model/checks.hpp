#pragma once
// Argument checks shared by the model sources (internal header): every failure is an
// InvalidArgument whose message names the argument and the problem.

#include <cmath>
#include <string>

#include "gmmhmm/detail/message.hpp"
#include "gmmhmm/errors.hpp"

namespace gmmhmm::detail {

template <typename... Parts>
std::string concat(const Parts&... parts) {
  return gmmhmm::detail::message(parts...);
}

template <typename... Parts>
[[noreturn]] void fail(const Parts&... parts) {
  throw InvalidArgument(concat(parts...));
}

template <typename... Parts>
void require(bool condition, const Parts&... parts) {
  if (!condition) fail(parts...);
}

// Index of the first non-finite value in [data, data + n), or -1.
inline long firstNonFinite(const double* data, long n) {
  for (long i = 0; i < n; ++i)
    if (!std::isfinite(data[i])) return i;
  return -1;
}

}  // namespace gmmhmm::detail
