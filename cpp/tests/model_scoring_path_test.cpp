// Scoring and posteriors take a shorter path than training: the scaled forward pass gets its
// emissions straight from the component log-likelihoods (kernels::scaledStateEmissions, tile
// by tile), without the states' log-sum-exp, and the log-space path is used only for a
// sequence the scaled pass cannot vouch for. Checked here against the exact log-space
// computation from the state log-likelihoods, for every covariance type, zero-weight
// components, left-right chains that must end in their last state (impossible sequences:
// -inf), sequences of one frame and of several tiles, and outlier frames that force the
// fallback.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "../src/model/forward_backward.hpp"
#include "../src/model/kernels.hpp"
#include "../src/model/transitions.hpp"
#include "helpers/model_testing.hpp"

namespace gmmhmm {
namespace {

using namespace gmmhmm::testing;

struct Case {
  CovarianceType type;
  Topology topology;
  int nMix;
  bool zeroWeights;  // some components of every state get weight 0 (log weight -inf)
};

std::string caseName(const ::testing::TestParamInfo<Case>& info) {
  const Case& c = info.param;
  const char* types[] = {"Diag", "Full", "Spherical", "Tied"};
  return std::string(types[static_cast<int>(c.type)]) + (c.topology == Topology::LeftRight ? "LeftRight" : "Ergodic") +
         "Mix" + std::to_string(c.nMix) + (c.zeroWeights ? "ZeroWeights" : "");
}

std::vector<char> endMaskOf(const GmmHmm& model) {
  std::vector<char> mask;
  if (model.config().endInLastState) {
    mask.assign(model.nStates(), 0);
    mask.back() = 1;
  }
  return mask;
}

detail::Transitions transitionsOf(const GmmHmm& model) {
  const int N = model.nStates();
  const auto s = model.startprob();
  const auto t = model.transmat();
  return detail::Transitions::build(Eigen::Map<const Eigen::VectorXd>(s.data(), N),
                                    Eigen::Map<const RowMatrix>(t.data(), N, N), endMaskOf(model));
}

double relativeError(double a, double b) {
  if (a == b) return 0;
  return std::abs(a - b) / std::max(1.0, std::abs(b));
}

class ScoringPath : public ::testing::TestWithParam<Case> {};

TEST_P(ScoringPath, ScoresAndPosteriorsMatchTheLogSpaceComputation) {
  const Case& tc = GetParam();
  ModelConfig c;
  c.nStates = 4;
  c.nMix = tc.nMix;
  c.nFeatures = 3;
  c.covarianceType = tc.type;
  c.topology = tc.topology;
  c.endInLastState = tc.topology == Topology::LeftRight;
  GmmHmm model = randomModel(c, 11 + static_cast<unsigned>(tc.type) * 7 + tc.nMix, 1.5);
  if (tc.zeroWeights) {
    std::vector<double> w(c.nStates * c.nMix, 0.0);
    for (int s = 0; s < c.nStates; ++s) {
      w[s * c.nMix + s % c.nMix] = 0.7;
      w[s * c.nMix + (s + 1) % c.nMix] += 0.3;
    }
    model.setWeights(w);
  }
  // One frame; within a tile; a tile and one frame; several tiles; a left-right model's
  // impossible sequence (shorter than its chain when it must end in its last state).
  const std::vector<Index> lengths = {1, 37, 257, 1200, 2};
  Frames data = sampledFrames(model, lengths, 5);
  // An outlier frame inside the long sequence: its emissions underflow in the scaled pass.
  data.X[(1 + 37 + 257 + 600) * c.nFeatures] = 400.0;

  const detail::Transitions tr = transitionsOf(model);
  const std::vector<double> scores = model.scorePerSequence(data.all());
  ASSERT_EQ(scores.size(), lengths.size());
  for (size_t q = 0; q < lengths.size(); ++q) {
    const SequenceSet one = data.sequence(q);
    const RowMatrix L = model.emissionLogLikelihoods(one);
    RowMatrix gamma(L.rows(), c.nStates);
    const double exact = detail::forwardBackwardLogSpace(tr, L, gamma, nullptr);
    SCOPED_TRACE("sequence " + std::to_string(q) + " of " + std::to_string(lengths[q]) + " frames");
    if (!std::isfinite(exact)) {
      EXPECT_EQ(scores[q], -std::numeric_limits<double>::infinity());
      EXPECT_THROW(model.scoreSamples(one), InvalidArgument);
      continue;
    }
    EXPECT_LE(relativeError(scores[q], exact), 1e-12) << scores[q] << " vs " << exact;
    const PosteriorResult post = model.scoreSamples(one);
    EXPECT_LE(relativeError(post.logLikelihood, exact), 1e-12);
    EXPECT_LE((post.posteriors - gamma).cwiseAbs().maxCoeff(), 1e-9);
  }
}

std::vector<Case> allCases() {
  std::vector<Case> out;
  for (CovarianceType type : {CovarianceType::Diag, CovarianceType::Spherical, CovarianceType::Full, CovarianceType::Tied})
    for (Topology topology : {Topology::Ergodic, Topology::LeftRight})
      for (int nMix : {1, 3}) {
        out.push_back({type, topology, nMix, false});
        if (nMix > 1) out.push_back({type, topology, nMix, true});
      }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Models, ScoringPath, ::testing::ValuesIn(allCases()), caseName);

// The kernel alone: scaled state emissions against exp(log-sum-exp - largest component), for
// frame counts that leave a partial vector, with -inf components; false when a frame has no
// finite component.
TEST(ScoringPathKernel, ScaledStateEmissionsMatchTheLogSumExpAndReportFramesNoComponentEmits) {
  const Index N = 3, M = 2, K = N * M;
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-800.0, 5.0);
  for (Index T : {1, 2, 3, 8, 9}) {
    Eigen::MatrixXd comps(T, K);
    for (Index t = 0; t < T; ++t)
      for (Index k = 0; k < K; ++k) comps(t, k) = (t + k) % 5 == 0 ? kNegInf : u(rng);
    comps(0, 2) = comps(0, 3) = kNegInf;  // a state no component of which emits frame 0
    const Eigen::MatrixXd before = comps;
    RowMatrix e(T, N);
    Eigen::VectorXd offset(T);
    ASSERT_TRUE(detail::kernels::scaledStateEmissions(comps.data(), T, N, M, e.data(), offset.data()));
    EXPECT_EQ(comps, before);  // left unchanged
    for (Index t = 0; t < T; ++t) {
      EXPECT_EQ(offset[t], comps.row(t).maxCoeff());
      for (Index s = 0; s < N; ++s) {
        // In long double from the components (exp(log-sum-exp - offset) in double would carry
        // the rounding error of a log-likelihood of magnitude 800).
        long double expected = 0;
        for (Index m = 0; m < M; ++m) expected += std::exp(static_cast<long double>(comps(t, s * M + m)) - offset[t]);
        EXPECT_NEAR(e(t, s), static_cast<double>(expected), 4e-16 * M) << "t " << t << ", s " << s;
      }
    }
    comps.row(T - 1).setConstant(kNegInf);
    EXPECT_FALSE(detail::kernels::scaledStateEmissions(comps.data(), T, N, M, e.data(), offset.data()));
  }
}

}  // namespace
}  // namespace gmmhmm
