// The per-frame scaled forward-backward (fast path) against the exact log-space version:
// log-likelihood, state posteriors and expected transition counts must agree, on random
// chains and emissions, and on hard cases built to push the scaled path into its log-space
// fallback (an outlier frame of 1e4, a component or state far from every frame, 39-dim data).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "../src/model/forward_backward.hpp"
#include "../src/model/transitions.hpp"
#include "helpers/model_testing.hpp"

namespace gmmhmm {
namespace {

using namespace gmmhmm::testing;
using detail::Transitions;

std::vector<char> lastStateOnly(int n) {
  std::vector<char> mask(n, 0);
  mask.back() = 1;
  return mask;
}

Transitions transitionsOf(const GmmHmm& model) {
  const int N = model.nStates();
  const auto s = model.startprob();
  const auto t = model.transmat();
  return Transitions::build(Eigen::Map<const Eigen::VectorXd>(s.data(), N), Eigen::Map<const RowMatrix>(t.data(), N, N),
                            model.config().endInLastState ? lastStateOnly(N) : std::vector<char>{});
}

// Random chain: dense, banded (left-right, jump 1 or 2), or sparse with random zeros.
Transitions randomChain(std::mt19937_64& rng, int N, int kind, bool endInLast) {
  std::uniform_real_distribution<double> u(0.05, 1.0);
  Eigen::VectorXd start(N);
  RowMatrix trans(N, N);
  for (int r = 0; r < N; ++r) {
    start[r] = kind == 0 || kind == 3 ? u(rng) : (r == 0 ? 1.0 : 0.0);
    for (int s = 0; s < N; ++s) {
      bool allowed = true;
      if (kind == 1) allowed = s == r || s == r + 1;
      if (kind == 2) allowed = s >= r && s <= r + 2;
      if (kind == 3) allowed = s == r || u(rng) < 0.5;
      trans(r, s) = allowed ? u(rng) : 0.0;
    }
    trans.row(r) /= trans.row(r).sum();
  }
  start /= start.sum();
  return Transitions::build(start, trans, endInLast ? lastStateOnly(N) : std::vector<char>{});
}

struct Result {
  double logLikelihood;
  RowMatrix gamma, xi;
};

Result run(const Transitions& tr, const RowMatrix& L, bool logSpace) {
  Result r;
  r.gamma = RowMatrix::Constant(L.rows(), tr.n, -7.0);  // sentinel: must be overwritten
  r.xi = RowMatrix::Zero(tr.n, tr.n);
  r.logLikelihood = logSpace ? detail::forwardBackwardLogSpace(tr, L, r.gamma, &r.xi)
                             : detail::forwardBackward(tr, L, r.gamma, &r.xi);
  return r;
}

// Scaled == log space, and the results are sane (finite, rows of gamma sum to 1). The log-space
// reference itself is only accurate to about eps x |log-likelihood values| (1e8 for an
// outlier of 1e4), so the tolerance grows with the largest magnitude in L.
void expectAgreement(const Transitions& tr, const RowMatrix& L, const std::string& what) {
  SCOPED_TRACE(what);
  const Result scaled = run(tr, L, false), exact = run(tr, L, true);
  const double tol = 1e-9 + 64 * std::numeric_limits<double>::epsilon() * L.cwiseAbs().maxCoeff();
  ASSERT_TRUE(std::isfinite(exact.logLikelihood)) << "reference log-likelihood " << exact.logLikelihood;
  EXPECT_NEAR(scaled.logLikelihood, exact.logLikelihood, 1e-10 * std::max(1.0, std::abs(exact.logLikelihood)));
  EXPECT_NEAR(detail::forwardLogLikelihood(tr, L), exact.logLikelihood,
              1e-10 * std::max(1.0, std::abs(exact.logLikelihood)));
  ASSERT_TRUE(scaled.gamma.allFinite());
  ASSERT_TRUE(scaled.xi.allFinite());
  EXPECT_LE((scaled.gamma - exact.gamma).cwiseAbs().maxCoeff(), tol);
  EXPECT_LE((scaled.gamma.rowwise().sum().array() - 1.0).abs().maxCoeff(), 1e-12);
  EXPECT_GE(scaled.gamma.minCoeff(), 0.0);
  // Transition counts sum to T - 1 and agree entry by entry.
  EXPECT_NEAR(scaled.xi.sum(), static_cast<double>(L.rows() - 1), 1e-9 * L.rows());
  EXPECT_LE((scaled.xi - exact.xi).cwiseAbs().maxCoeff(), tol * std::max<double>(1.0, L.rows()));
}

TEST(ForwardBackwardScaledVsLogSpace, RandomChainsAndEmissions) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> g(0.0, 1.0);
  for (int N : {1, 2, 3, 5, 8})
    for (int kind = 0; kind < 4; ++kind)
      for (bool endInLast : {false, true})
        for (Index T : {1, 2, 7, 60, 400})
          for (double spread : {0.5, 5.0, 40.0}) {
            if (endInLast && kind != 0 && T < (N - 1) / (kind == 2 ? 2 : 1) + 1) continue;  // impossible
            const Transitions tr = randomChain(rng, N, kind, endInLast);
            RowMatrix L(T, N);
            for (Index t = 0; t < T; ++t)
              for (int s = 0; s < N; ++s) L(t, s) = -10.0 + spread * g(rng);
            const Result exact = run(tr, L, true);
            if (!std::isfinite(exact.logLikelihood)) continue;  // sparse chain without a path of this length
            expectAgreement(tr, L,
                            "N=" + std::to_string(N) + " kind=" + std::to_string(kind) + " end=" +
                                std::to_string(endInLast) + " T=" + std::to_string(T) + " spread=" +
                                std::to_string(spread));
          }
}

TEST(ForwardBackwardScaledVsLogSpace, RandomModelsEveryCovarianceType) {
  for (CovarianceType type : allCovarianceTypes())
    for (Topology topology : {Topology::Ergodic, Topology::LeftRight}) {
      ModelConfig c = makeConfig(4, 3, 3, type, topology, 1, topology == Topology::LeftRight);
      const GmmHmm model = randomModel(c, 7);
      const Frames data = sampledFrames(model, {200}, 3);
      expectAgreement(transitionsOf(model), model.emissionLogLikelihoods(data.all()),
                      std::string(toString(type)) + " " + toString(topology));
    }
}

// Only state 1 can follow state 0 at t = 1 (start in 0) and its emission is e^-1000 below the
// others: the scaled forward variable of frame 0 is exactly zero, so the fast path must fall
// back to log space.
TEST(ForwardBackwardScaledVsLogSpace, FrameWhoseReachableStatesUnderflowFallsBack) {
  Eigen::VectorXd start(2);
  start << 1.0, 0.0;
  RowMatrix trans(2, 2);
  trans << 0.6, 0.4, 0.0, 1.0;
  const Transitions tr = Transitions::build(start, trans, {});
  RowMatrix L(5, 2);
  L << -1000, 0, -3, -2, -1, -4, -2, -2, -5, -1;
  ASSERT_EQ(std::exp(L(0, 0) - L.row(0).maxCoeff()), 0.0);  // the scaled emission underflows
  expectAgreement(tr, L, "underflowing first frame");
  EXPECT_NEAR(run(tr, L, false).logLikelihood, run(tr, L, true).logLikelihood, 1e-12 * 1000);
}

// Two branches that never meet (start in either, stay forever). Branch 0 is e^-1000 worse at
// the first and the last frame and e^100 better at each of the 30 frames between, so it
// dominates (-2000 against -3000) — but the forward pass sees it vanish at frame 0 and the
// backward pass at the last frame. Nothing can refill a branch, so a scaled pass that
// only checks its own normalisers loses the dominant path in both directions.
TEST(ForwardBackwardScaledVsLogSpace, PathLostByBothScaledPassesIsStillFound) {
  Eigen::VectorXd start(2);
  start << 0.5, 0.5;
  const RowMatrix trans = RowMatrix::Identity(2, 2);
  const Transitions tr = Transitions::build(start, trans, {});
  RowMatrix L(32, 2);
  for (Index t = 0; t < 32; ++t) {
    const bool edge = t == 0 || t == 31;
    L(t, 0) = edge ? -1000.0 : 0.0;
    L(t, 1) = edge ? 0.0 : -100.0;
  }
  const double expected = std::log(0.5) - 2000.0 + std::log1p(std::exp(-1000.0));
  EXPECT_NEAR(detail::forwardLogLikelihood(tr, L), expected, 1e-9);
  expectAgreement(tr, L, "parallel branches");
  const Result r = run(tr, L, false);
  EXPECT_NEAR(r.logLikelihood, expected, 1e-9);
  EXPECT_NEAR(r.gamma(15, 0), 1.0, 1e-12);
}

// A left-right chain that must end in its last state and whose middle state is 1e3 standard
// deviations from every frame: every path crosses it, so every path has probability near
// e^-500000 and the scaled path underflows.
TEST(ForwardBackwardScaledVsLogSpace, StateFarFromEveryFrameInAForcedPath) {
  for (CovarianceType type : allCovarianceTypes()) {
    ModelConfig c = makeConfig(3, 2, 2, type, Topology::LeftRight, 1, true);
    GmmHmm model = randomModel(c, 11);
    std::vector<double> means = model.means();
    for (int m = 0; m < 2; ++m)
      for (int d = 0; d < 2; ++d) means[(1 * 2 + m) * 2 + d] = 1e3 + m;
    model.setMeans(means);
    const Frames data = gaussianFrames({30}, 2, 5);
    const RowMatrix L = model.emissionLogLikelihoods(data.all());
    const Transitions tr = transitionsOf(model);
    expectAgreement(tr, L, std::string("far middle state, ") + toString(type));
    const Result r = run(tr, L, false);
    EXPECT_LT(r.logLikelihood, -1e5);
    // Every path visits the far state at least once.
    EXPECT_GE(r.gamma.col(1).sum(), 1.0 - 1e-9);
    EXPECT_NEAR(model.score(data.all()), r.logLikelihood, 1e-10 * std::abs(r.logLikelihood));
  }
}

// One mixture component (per state) sits far from every frame; the others explain the data.
TEST(ForwardBackwardScaledVsLogSpace, ComponentFarFromEveryFrame) {
  for (CovarianceType type : allCovarianceTypes()) {
    ModelConfig c = makeConfig(3, 3, 2, type);
    GmmHmm model = randomModel(c, 13);
    std::vector<double> means = model.means();
    for (int s = 0; s < 3; ++s)
      for (int d = 0; d < 2; ++d) means[(s * 3 + 2) * 2 + d] = -5e3;
    model.setMeans(means);
    const Frames data = gaussianFrames({100}, 2, 6);
    const RowMatrix L = model.emissionLogLikelihoods(data.all());
    ASSERT_TRUE(L.allFinite());
    expectAgreement(transitionsOf(model), L, std::string("far component, ") + toString(type));
  }
}

TEST(ForwardBackwardScaledVsLogSpace, OutlierFrameOf1e4) {
  for (CovarianceType type : allCovarianceTypes())
    for (Topology topology : {Topology::Ergodic, Topology::LeftRight}) {
      ModelConfig c = makeConfig(4, 2, 3, type, topology, 1, topology == Topology::LeftRight);
      const GmmHmm model = randomModel(c, 17);
      Frames data = gaussianFrames({80}, 3, 8);
      data.X[40 * 3 + 1] = 1e4;
      const RowMatrix L = model.emissionLogLikelihoods(data.all());
      ASSERT_TRUE(L.allFinite());
      EXPECT_LT(L.row(40).maxCoeff(), -1e6);
      expectAgreement(transitionsOf(model), L, std::string("outlier, ") + toString(type) + " " + toString(topology));
    }
}

TEST(ForwardBackwardScaledVsLogSpace, ThirtyNineDimensionalData) {
  for (CovarianceType type : allCovarianceTypes())
    for (Topology topology : {Topology::Ergodic, Topology::LeftRight}) {
      ModelConfig c = makeConfig(6, 4, 39, type, topology, 2, topology == Topology::LeftRight);
      const GmmHmm model = randomModel(c, 19, 1.0, 0.5);
      // Data from elsewhere: emission log-likelihoods differ by hundreds between states.
      const Frames data = gaussianFrames({300}, 39, 9, 2.0, 1.0);
      const RowMatrix L = model.emissionLogLikelihoods(data.all());
      ASSERT_TRUE(L.allFinite());
      expectAgreement(transitionsOf(model), L, std::string("39-dim, ") + toString(type) + " " + toString(topology));
    }
}

}  // namespace
}  // namespace gmmhmm
