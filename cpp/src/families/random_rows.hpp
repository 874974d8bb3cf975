#pragma once
// The emissionprob of the categorical and multinomial families (internal header), one copy
// for both: hmmlearn's initialisation (random_state.rand(n_components, n_features) with its
// rows normalised, from gmmhmm's seeded generator), the checks of a given one, its file form
// and the M-step's normalisation of a row.

#include <cmath>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "gmmhmm/model/gmm_hmm.hpp"  // RowMatrix, Index

namespace gmmhmm::detail {

class Random;

// rows × cols uniform numbers, each row divided by its sum (uniform if the sum is 0).
RowMatrix randomStochasticRows(Index rows, Index cols, Random& rng);

// emissionprob given as nStates × nFeatures values (nFeatures 0: inferred from the count):
// checks the shape, at most maxCols columns ("emissionprob: at most <limitText> per state")
// and that every row is a probability vector; returns the number of columns.
Index checkedEmissionprobCols(const std::vector<double>& v, Index nStates, int nFeatures, double maxCols,
                              const char* limitText);

// emissionprob as the files hold it: one array per state.
nlohmann::json emissionprobJson(const RowMatrix& emissionprob);

// M-step: row s of `next` becomes `mass` normalised, when its sum is positive and finite; a
// state with no mass keeps its row (hmmlearn's would be 0/0 or zeros, not a distribution).
inline void setNormalizedRow(RowMatrix& next, Index s, const Eigen::Ref<const Eigen::RowVectorXd>& mass) {
  const double sum = mass.sum();
  if (sum > 0 && std::isfinite(sum)) next.row(s) = mass / sum;
}

}  // namespace gmmhmm::detail
