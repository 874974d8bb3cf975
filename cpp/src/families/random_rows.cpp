#include "random_rows.hpp"

#include <string>

#include <nlohmann/json.hpp>

#include "../model/checks.hpp"
#include "../model/model_state.hpp"  // checkProbabilityVector
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

Index checkedEmissionprobCols(const std::vector<double>& v, Index nStates, int nFeatures, double maxCols,
                              const char* limitText) {
  const Index N = nStates;
  require(!v.empty() && v.size() % N == 0, "emissionprob: expected nStates x nFeatures = ", N,
          " x nFeatures values, got ", v.size());
  const Index M = static_cast<Index>(v.size()) / N;
  if (nFeatures > 0)
    require(M == nFeatures, "emissionprob: expected ", N, " x ", nFeatures, " = ", N * nFeatures,
            " values (nStates x nFeatures), got ", v.size());
  require(M <= maxCols, "emissionprob: at most ", limitText, " per state, got ", M);
  for (Index s = 0; s < N; ++s) {
    const std::string name = concat("emissionprob row ", s);
    checkProbabilityVector(v.data() + s * M, static_cast<int>(M), name.c_str());
  }
  return M;
}

nlohmann::json emissionprobJson(const RowMatrix& emissionprob) {
  nlohmann::json rows = nlohmann::json::array();
  for (Index s = 0; s < emissionprob.rows(); ++s)
    rows.push_back(std::vector<double>(emissionprob.row(s).data(), emissionprob.row(s).data() + emissionprob.cols()));
  return rows;
}

}  // namespace gmmhmm::detail
