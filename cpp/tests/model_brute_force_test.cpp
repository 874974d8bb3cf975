// Tiny models checked against brute-force enumeration of every state path and every
// component choice: total log-likelihood, state posteriors, expected transition counts,
// emission log-likelihoods, Viterbi path and its log-probability. Covers each covariance
// type, ergodic, left-right (maxJump 1 ending in the last state; maxJump 2) and a custom
// chain with zeros. Sequences too short for a path give -inf in the enumeration and must
// give -inf (score) or InvalidArgument (scoreSamples, decode) in the engine.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "../src/model/forward_backward.hpp"
#include "../src/model/transitions.hpp"
#include "helpers/model_testing.hpp"

namespace gmmhmm {
namespace {

using namespace gmmhmm::testing;

enum class Chain { Ergodic, LeftRightEndInLast, LeftRightJump2, CustomWithZeros };

struct Case {
  int nStates;
  int nMix;
  CovarianceType type;
  Chain chain;
};

void PrintTo(const Case& c, std::ostream* out) {
  *out << toString(c.type) << " N=" << c.nStates << " M=" << c.nMix << " chain=" << static_cast<int>(c.chain);
}

std::string caseName(const ::testing::TestParamInfo<Case>& info) {
  const Case& c = info.param;
  const char* chain = c.chain == Chain::Ergodic              ? "ergodic"
                      : c.chain == Chain::LeftRightEndInLast ? "leftRightEnd"
                      : c.chain == Chain::LeftRightJump2     ? "leftRightJump2"
                                                             : "customZeros";
  return std::string(toString(c.type)) + "_N" + std::to_string(c.nStates) + "_M" + std::to_string(c.nMix) + "_" +
         chain;
}

GmmHmm modelFor(const Case& c, unsigned seed) {
  const int D = 2;
  ModelConfig config = makeConfig(c.nStates, c.nMix, D, c.type);
  if (c.chain == Chain::LeftRightEndInLast) {
    config.topology = Topology::LeftRight;
    config.endInLastState = true;
  } else if (c.chain == Chain::LeftRightJump2) {
    config.topology = Topology::LeftRight;
    config.maxJump = 2;
  } else if (c.chain == Chain::CustomWithZeros) {
    config.topology = Topology::Custom;
  }
  GmmHmm model = randomModel(config, seed, 1.5);
  if (c.chain == Chain::CustomWithZeros) {
    if (c.nStates == 2) {
      model.setStartprob({1.0, 0.0});
      model.setTransmat({0.7, 0.3, 0.0, 1.0});
    } else {
      model.setStartprob({0.7, 0.3, 0.0});
      model.setTransmat({0.6, 0.4, 0.0, 0.0, 0.5, 0.5, 0.3, 0.0, 0.7});
    }
  }
  return model;
}

struct Enumeration {
  double logLikelihood = kNegInf;
  std::vector<double> gamma;  // T × N
  std::vector<double> xi;     // N × N summed over t
  double viterbiLogProb = kNegInf;
  std::vector<int> viterbiPath;
};

// Every (state path, component path) pair of one sequence.
Enumeration enumerate(const ReferenceModel& ref, const double* X, int T) {
  const int N = ref.N, M = ref.M, D = ref.D;
  std::vector<double> logComp(T * N * M), logEmit(T * N);
  for (int t = 0; t < T; ++t)
    for (int s = 0; s < N; ++s) {
      for (int m = 0; m < M; ++m) logComp[(t * N + s) * M + m] = ref.logComponent(s, m, X + t * D);
      logEmit[t * N + s] = ref.logEmission(s, X + t * D);
    }
  int nStatePaths = 1, nCompPaths = 1;
  for (int t = 0; t < T; ++t) nStatePaths *= N, nCompPaths *= M;

  std::vector<int> path(T), comp(T);
  const auto decodeIndex = [](int index, int base, std::vector<int>& digits) {
    for (int& d : digits) {
      d = index % base;
      index /= base;
    }
  };
  std::vector<double> joint;  // indexed [statePath * nCompPaths + compPath]
  joint.assign(static_cast<size_t>(nStatePaths) * nCompPaths, kNegInf);
  Enumeration out;
  for (int p = 0; p < nStatePaths; ++p) {
    decodeIndex(p, N, path);
    if (!ref.mayEnd(path[T - 1])) continue;
    double chain = ref.logStart(path[0]);
    for (int t = 1; t < T; ++t) chain += ref.logTrans(path[t - 1], path[t]);
    if (chain == kNegInf) continue;
    double viterbi = chain;
    for (int t = 0; t < T; ++t) viterbi += logEmit[t * N + path[t]];
    if (viterbi > out.viterbiLogProb) {
      out.viterbiLogProb = viterbi;
      out.viterbiPath = path;
    }
    for (int q = 0; q < nCompPaths; ++q) {
      decodeIndex(q, M, comp);
      double v = chain;
      for (int t = 0; t < T; ++t) v += logComp[(t * N + path[t]) * M + comp[t]];
      joint[static_cast<size_t>(p) * nCompPaths + q] = v;
    }
  }
  out.logLikelihood = logSumExp(joint);
  if (out.logLikelihood == kNegInf) return out;
  out.gamma.assign(T * N, 0.0);
  out.xi.assign(N * N, 0.0);
  for (int p = 0; p < nStatePaths; ++p) {
    decodeIndex(p, N, path);
    double mass = 0;
    for (int q = 0; q < nCompPaths; ++q) {
      const double v = joint[static_cast<size_t>(p) * nCompPaths + q];
      if (v > kNegInf) mass += std::exp(v - out.logLikelihood);
    }
    for (int t = 0; t < T; ++t) {
      out.gamma[t * N + path[t]] += mass;
      if (t + 1 < T) out.xi[path[t] * N + path[t + 1]] += mass;
    }
  }
  return out;
}

class BruteForce : public ::testing::TestWithParam<Case> {};

TEST_P(BruteForce, ScorePosteriorsTransitionsAndViterbiMatchEnumeration) {
  const Case c = GetParam();
  for (unsigned seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const GmmHmm model = modelFor(c, seed);
    const ReferenceModel ref(model);
    // Lengths 1..6: with endInLastState and N = 3, lengths 1 and 2 have no valid path.
    const Frames data = gaussianFrames({1, 2, 3, 4, 6, 5}, 2, 100 + seed, 1.5);

    // Emission log-likelihoods of all frames.
    const RowMatrix emissions = model.emissionLogLikelihoods(data.all());
    for (Index t = 0; t < data.nFrames(); ++t)
      for (int s = 0; s < ref.N; ++s) {
        const double expected = ref.logEmission(s, data.X.data() + t * 2);
        EXPECT_NEAR(emissions(t, s), expected, 1e-10 * std::max(1.0, std::abs(expected)));
      }

    const std::vector<double> perSequence = model.scorePerSequence(data.all());
    ASSERT_EQ(perSequence.size(), data.lengths.size());
    double total = 0;
    const detail::Transitions tr = detail::Transitions::build(
        Eigen::Map<const Eigen::VectorXd>(ref.startprob.data(), ref.N),
        Eigen::Map<const RowMatrix>(ref.transmat.data(), ref.N, ref.N),
        ref.endInLastState ? [&] { std::vector<char> m(ref.N, 0); m.back() = 1; return m; }()
                           : std::vector<char>{});
    for (size_t q = 0; q < data.lengths.size(); ++q) {
      SCOPED_TRACE("sequence " + std::to_string(q));
      const int T = static_cast<int>(data.lengths[q]);
      const SequenceSet one = data.sequence(q);
      const Enumeration e = enumerate(ref, one.data, T);
      total += e.logLikelihood;
      if (e.logLikelihood == kNegInf) {
        EXPECT_EQ(perSequence[q], kNegInf);
        EXPECT_EQ(model.score(one), kNegInf);
        EXPECT_THROW(model.scoreSamples(one), InvalidArgument);
        EXPECT_THROW(model.decode(one), InvalidArgument);
        continue;
      }
      const double tolLL = 1e-10 * std::max(1.0, std::abs(e.logLikelihood));
      EXPECT_NEAR(perSequence[q], e.logLikelihood, tolLL);
      EXPECT_NEAR(model.score(one), e.logLikelihood, tolLL);

      const PosteriorResult post = model.scoreSamples(one);
      EXPECT_NEAR(post.logLikelihood, e.logLikelihood, tolLL);
      for (int t = 0; t < T; ++t)
        for (int s = 0; s < ref.N; ++s) EXPECT_NEAR(post.posteriors(t, s), e.gamma[t * ref.N + s], 1e-10);

      const DecodeResult dec = model.decode(one);
      EXPECT_NEAR(dec.logLikelihood, e.viterbiLogProb, 1e-10 * std::max(1.0, std::abs(e.viterbiLogProb)));
      EXPECT_EQ(dec.states, e.viterbiPath);

      // Expected transition counts, scaled and log-space implementations.
      const RowMatrix L = model.emissionLogLikelihoods(one);
      for (bool logSpace : {false, true}) {
        RowMatrix gamma(T, ref.N), xi = RowMatrix::Zero(ref.N, ref.N);
        const double ll = logSpace ? detail::forwardBackwardLogSpace(tr, L, gamma, &xi)
                                   : detail::forwardBackward(tr, L, gamma, &xi);
        EXPECT_NEAR(ll, e.logLikelihood, tolLL) << (logSpace ? "log space" : "scaled");
        for (int r = 0; r < ref.N; ++r)
          for (int s = 0; s < ref.N; ++s)
            EXPECT_NEAR(xi(r, s), e.xi[r * ref.N + s], 1e-10) << (logSpace ? "log space" : "scaled");
      }
    }
    if (total == kNegInf)
      EXPECT_EQ(model.score(data.all()), kNegInf);  // one impossible sequence makes the total impossible
    else
      EXPECT_NEAR(model.score(data.all()), total, 1e-10 * std::max(1.0, std::abs(total)));
  }
}

std::vector<Case> allCases() {
  std::vector<Case> cases;
  for (CovarianceType type : allCovarianceTypes())
    for (int N : {2, 3})
      for (Chain chain : {Chain::Ergodic, Chain::LeftRightEndInLast, Chain::LeftRightJump2, Chain::CustomWithZeros})
        cases.push_back({N, N == 2 ? 2 : 1, type, chain});
  // Three states with two components each (M^T component paths on top of N^T state paths).
  for (CovarianceType type : allCovarianceTypes()) cases.push_back({3, 2, type, Chain::Ergodic});
  cases.push_back({3, 2, CovarianceType::Full, Chain::LeftRightEndInLast});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(TinyModels, BruteForce, ::testing::ValuesIn(allCases()), caseName);

}  // namespace
}  // namespace gmmhmm
