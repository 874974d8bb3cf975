#pragma once
// The median of a few values (example lengths, frame statistics): the middle one, or the mean
// of the two middle ones for an even count. Expects at least one value.

#include <algorithm>
#include <cstddef>
#include <vector>

namespace gmmhmm::recognizer::detail {

inline double median(std::vector<double> values) {
  const std::size_t n = values.size();
  const auto upper = values.begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(values.begin(), upper, values.end());
  if (n % 2) return *upper;
  // The lower middle value is the largest of the lower half.
  return 0.5 * (*upper + *std::max_element(values.begin(), upper));
}

}  // namespace gmmhmm::recognizer::detail
