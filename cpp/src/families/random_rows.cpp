#include "random_rows.hpp"

#include "../model/random.hpp"

namespace gmmhmm::detail {

RowMatrix randomStochasticRows(Index rows, Index cols, Random& rng) {
  RowMatrix p(rows, cols);
  for (Index s = 0; s < rows; ++s) {
    for (Index k = 0; k < cols; ++k) p(s, k) = rng.uniform();
    const double sum = p.row(s).sum();
    if (sum > 0) p.row(s) /= sum;
    else p.row(s).setConstant(1.0 / double(cols));
  }
  return p;
}

}  // namespace gmmhmm::detail
