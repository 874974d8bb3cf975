// hmmlearn behaviours beyond fit/score: decode's 'map' algorithm, sample's currstate and
// get_stationary_distribution (base.py: _decode_map, sample, get_stationary_distribution).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "helpers/model_testing.hpp"

namespace gmmhmm {
namespace {

using namespace gmmhmm::testing;

TEST(HmmlearnBehaviours, MapDecodeIsTheArgmaxOfThePosteriorsWithHmmlearnsValue) {
  for (CovarianceType type : allCovarianceTypes()) {
    const ModelConfig config = makeConfig(3, 2, 2, type);
    const GmmHmm model = randomModel(config, 11, 1.0);  // overlapping states: MAP and Viterbi differ
    const Frames data = sampledFrames(model, {40, 25, 60}, 5);
    const DecodeResult map = model.decode(data.all(), DecodeAlgorithm::Map);
    ASSERT_EQ(map.states.size(), 125u);
    double expected = 0;
    for (size_t q = 0; q < data.lengths.size(); ++q) {
      // Per sequence, as hmmlearn's decode loops over them: Σ_t max_s γ_t(s).
      const PosteriorResult post = model.scoreSamples(data.sequence(q));
      Index begin = 0;
      for (size_t i = 0; i < q; ++i) begin += data.lengths[i];
      for (Index t = 0; t < post.posteriors.rows(); ++t) {
        Index best = 0;
        expected += post.posteriors.row(t).maxCoeff(&best);
        EXPECT_EQ(map.states[begin + t], best) << toString(type) << " frame " << begin + t;
      }
    }
    EXPECT_NEAR(map.logLikelihood, expected, 1e-12 * expected);
    EXPECT_GT(map.logLikelihood, 125.0 / 3);  // each frame's largest posterior is >= 1/N
    EXPECT_LE(map.logLikelihood, 125.0 + 1e-9);
    // Viterbi stays the default, and its value is a log-probability.
    const DecodeResult viterbi = model.decode(data.all());
    EXPECT_EQ(viterbi.logLikelihood, model.decode(data.all(), DecodeAlgorithm::Viterbi).logLikelihood);
    EXPECT_LT(viterbi.logLikelihood, 0);
  }
}

TEST(HmmlearnBehaviours, MapDecodeOfAnImpossibleSequenceIsAnError) {
  ModelConfig config = makeConfig(3, 1, 1, CovarianceType::Diag, Topology::LeftRight);
  config.endInLastState = true;
  const GmmHmm model = randomModel(config, 3, 1.0);
  const std::vector<double> one = {0.0};  // one frame cannot go from state 0 to the last state
  SequenceSet X{one.data(), 1, 1, {}};
  EXPECT_THROW_WITH(model.decode(X, DecodeAlgorithm::Map), Error, "decode: sequence 0");
}

TEST(HmmlearnBehaviours, DecodeAlgorithmNames) {
  EXPECT_EQ(parseDecodeAlgorithm("map"), DecodeAlgorithm::Map);
  EXPECT_EQ(parseDecodeAlgorithm("viterbi"), DecodeAlgorithm::Viterbi);
  EXPECT_STREQ(toString(DecodeAlgorithm::Map), "map");
  EXPECT_THROW_WITH(parseDecodeAlgorithm("MAP"), InvalidArgument, "algorithm: 'MAP' is not one of 'viterbi', 'map'");
}

TEST(HmmlearnBehaviours, SampleStartsInCurrstate) {
  const ModelConfig config = makeConfig(4, 2, 3, CovarianceType::Full);
  const GmmHmm model = randomModel(config, 21, 2.0);
  for (int s = 0; s < 4; ++s)
    for (std::uint64_t seed : {0u, 7u}) {
      const SampleResult r = model.sample(50, seed, s);
      EXPECT_EQ(r.states[0], s);
      EXPECT_EQ(r.X.rows(), 50);
    }
  // Continuing a sample (hmmlearn's example: sample(10, currstate=Z[-1])) follows transmat.
  ModelConfig leftRight = makeConfig(3, 1, 2, CovarianceType::Diag, Topology::LeftRight);
  const GmmHmm chain = randomModel(leftRight, 4, 2.0);
  const SampleResult tail = chain.sample(30, 1, 2);
  for (int s : tail.states) EXPECT_EQ(s, 2) << "the last state of a left-right model is absorbing";
  // Without currstate the first state is drawn from startprob, as before (seeded).
  EXPECT_EQ(chain.sample(30, 1).states[0], 0);
  EXPECT_EQ(model.sample(20, 3).states, model.sample(20, 3, -1).states);
  EXPECT_THROW_WITH(model.sample(5, 0, 4), InvalidArgument, "currstate must be a state index in [0, 3], got 4");
  EXPECT_THROW_WITH(model.sample(5, 0, -2), InvalidArgument, "currstate");
}

// The Cesàro average (1/T) Σ_t startprob · A^t by brute force: the independent reference.
std::vector<double> longRunAverage(const std::vector<double>& start, const std::vector<double>& A, int steps) {
  const size_t N = start.size();
  std::vector<double> p = start, sum(N, 0.0), next(N);
  for (int t = 0; t < steps; ++t) {
    for (size_t i = 0; i < N; ++i) sum[i] += p[i];
    std::fill(next.begin(), next.end(), 0.0);
    for (size_t i = 0; i < N; ++i)
      for (size_t j = 0; j < N; ++j) next[j] += p[i] * A[i * N + j];
    p = next;
  }
  for (double& v : sum) v /= steps;
  return sum;
}

GmmHmm chainModel(const std::vector<double>& start, const std::vector<double>& A) {
  ModelConfig c = makeConfig(static_cast<int>(start.size()), 1, 1, CovarianceType::Diag, Topology::Custom);
  GmmHmm model(c);
  model.setStartprob(start);
  model.setTransmat(A);
  return model;
}

TEST(HmmlearnBehaviours, StationaryDistributionOfIrreduciblePeriodicAndReducibleChains) {
  struct Case {
    const char* name;
    std::vector<double> start, A, expected;
  };
  const std::vector<Case> cases = {
      {"irreducible", {1, 0, 0}, {0.5, 0.3, 0.2, 0.1, 0.6, 0.3, 0.4, 0.4, 0.2}, {}},
      {"periodic (period 2)", {1, 0}, {0, 1, 1, 0}, {0.5, 0.5}},
      {"periodic (period 3)", {0, 0, 1}, {0, 1, 0, 0, 0, 1, 1, 0, 0}, {1.0 / 3, 1.0 / 3, 1.0 / 3}},
      {"left-right (absorbing last state)", {1, 0, 0}, {0.6, 0.4, 0, 0, 0.7, 0.3, 0, 0, 1}, {0, 0, 1}},
      // A transient state 0 feeding two closed classes {1, 2} and {3}: 30 % of its mass ends
      // in {1, 2} (split 1 : 2 by that class's own balance), 70 % in {3}.
      {"two closed classes",
       {1, 0, 0, 0},
       {0, 0.3, 0, 0.7, 0, 0.5, 0.5, 0, 0, 0.25, 0.75, 0, 0, 0, 0, 1},
       {0, 0.1, 0.2, 0.7}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const GmmHmm model = chainModel(c.start, c.A);
    const std::vector<double> pi = model.stationaryDistribution();
    ASSERT_EQ(pi.size(), c.start.size());
    double sum = 0;
    for (double v : pi) {
      EXPECT_GE(v, 0);
      sum += v;
    }
    EXPECT_NEAR(sum, 1, 1e-12);
    // π = π A.
    const size_t N = pi.size();
    for (size_t j = 0; j < N; ++j) {
      double flow = 0;
      for (size_t i = 0; i < N; ++i) flow += pi[i] * c.A[i * N + j];
      EXPECT_NEAR(flow, pi[j], 1e-12) << j;
    }
    expectAllNear(pi, longRunAverage(c.start, c.A, 60000), 1e-4, "long-run average");
    if (!c.expected.empty()) expectAllNear(pi, c.expected, 1e-12, "expected");
  }
  // The irreducible chain's answer does not depend on where it starts.
  expectAllNear(chainModel({0, 0, 1}, cases[0].A).stationaryDistribution(),
                chainModel({1, 0, 0}, cases[0].A).stationaryDistribution(), 1e-12, "start");
}

TEST(HmmlearnBehaviours, StationaryDistributionNeedsTheChain) {
  GmmHmm custom(makeConfig(2, 1, 1, CovarianceType::Diag, Topology::Custom));
  EXPECT_THROW_WITH(custom.stationaryDistribution(), NotFitted, "stationaryDistribution");
  // An ergodic model has its uniform chain from the start (as hmmlearn's after _init).
  const std::vector<double> pi = GmmHmm(makeConfig(4, 1, 1, CovarianceType::Diag)).stationaryDistribution();
  expectAllNear(pi, {0.25, 0.25, 0.25, 0.25}, 1e-12, "uniform");
}

}  // namespace
}  // namespace gmmhmm
