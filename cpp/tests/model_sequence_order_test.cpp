// hmmlearn's test_gmmhmm_multi_sequence_fit_invariant_to_sequence_ordering, ported: the data
// of hmmlearn issue 410 (3 sequences x 50 frames x 4 features, tests/data), 2 states x 2
// components, startprob and transmat uniform, initParams 'mcw', seed 1234, nIter 100; in
// every one of the 6 orders of the sequences EM must converge without the log-likelihood
// ever falling, and the 6 final scores must agree within 0.5 % (hmmlearn's rtol 5e-3).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "helpers/model_fixture.hpp"
#include "helpers/model_testing.hpp"

namespace gmmhmm {
namespace {

using namespace gmmhmm::testing;

std::vector<RowMatrix> issue410Sequences() {
  const nlohmann::json j = loadJsonFile(std::string(GMMHMM_SOURCE_DIR) + "/tests/data/hmmlearn-issue410.json");
  std::vector<RowMatrix> out;
  for (const auto& q : j.at("sequences")) {
    RowMatrix m(q.size(), q[0].size());
    for (size_t t = 0; t < q.size(); ++t)
      for (size_t d = 0; d < q[t].size(); ++d) m(t, d) = q[t][d].get<double>();
    out.push_back(m);
  }
  return out;
}

// Final score of every order of the sequences (6 for 3 sequences).
std::vector<double> scoresOverOrders(CovarianceType type, int nInit, std::uint64_t seed) {
  const std::vector<RowMatrix> sequences = issue410Sequences();
  std::vector<int> order(sequences.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<double> scores;
  do {
    Frames data;
    for (int q : order) data.append(sequences[q]);
    ModelConfig c;
    c.nStates = 2;
    c.nMix = 2;
    c.covarianceType = type;
    c.nIter = 100;
    c.initParams = "mcw";
    c.seed = seed;
    c.nInit = nInit;
    GmmHmm model(c);
    model.setStartprob({0.5, 0.5});
    model.setTransmat({0.5, 0.5, 0.5, 0.5});
    const Monitor& monitor = model.fit(data.all());
    EXPECT_TRUE(monitor.converged) << "order " << order[0] << order[1] << order[2];
    for (size_t i = 1; i < monitor.history.size(); ++i)
      EXPECT_GE(monitor.history[i], monitor.history[i - 1] - c.tol) << "EM lowered the log-likelihood at " << i;
    scores.push_back(model.score(data.all()));
  } while (std::next_permutation(order.begin(), order.end()));
  return scores;
}

void expectOrderInvariant(CovarianceType type) {
  const std::vector<double> scores = scoresOverOrders(type, ModelConfig().nInit, 1234);
  ASSERT_EQ(scores.size(), 6u);
  const double mean = std::accumulate(scores.begin(), scores.end(), 0.0) / scores.size();
  for (double s : scores) EXPECT_NEAR(s, mean, 5e-3 * std::abs(mean)) << toString(type);
}

TEST(SequenceOrder, SphericalFitIsInvariantToSequenceOrdering) { expectOrderInvariant(CovarianceType::Spherical); }
TEST(SequenceOrder, DiagFitIsInvariantToSequenceOrdering) { expectOrderInvariant(CovarianceType::Diag); }

}  // namespace
}  // namespace gmmhmm

