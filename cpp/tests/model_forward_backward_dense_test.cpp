// The scaled forward-backward on the dense transition matrix (forward_backward_dense.hpp)
// against the sparse scaled pass and the log-space reference: it must run (not decline) on
// ordinary ergodic data, give the same log-likelihood, posteriors and transition counts to
// 1e-12 on long sequences, decline exactly where a scaled value could underflow (emissions
// 700-1000 nats apart), and then leave the answer to the sparse pass, which stays right.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "../src/model/forward_backward.hpp"
#include "../src/model/forward_backward_dense.hpp"
#include "../src/model/transitions.hpp"

namespace gmmhmm {
namespace {

using detail::ScaledEmissions;
using detail::Transitions;

Transitions ergodicChain(std::mt19937_64& rng, int N) {
  std::uniform_real_distribution<double> u(0.01, 1.0);
  Eigen::VectorXd start(N);
  RowMatrix trans(N, N);
  for (int r = 0; r < N; ++r) {
    start[r] = u(rng);
    for (int s = 0; s < N; ++s) trans(r, s) = u(rng) * (r == s ? 10.0 : 1.0);
    trans.row(r) /= trans.row(r).sum();
  }
  start /= start.sum();
  return Transitions::build(start, trans, {});
}

// The same chain without its dense matrix: the sparse pass only.
Transitions sparseOnly(Transitions tr) {
  tr.dense.resize(0, 0);
  tr.denseTransposed.resize(0, 0);
  return tr;
}

ScaledEmissions scaled(const RowMatrix& L) {
  ScaledEmissions se;
  se.offset = L.rowwise().maxCoeff();
  se.e = (L.colwise() - se.offset).array().exp().matrix();
  return se;
}

struct Result {
  double logLikelihood;
  RowMatrix gamma, xi;
};

Result denseRun(const Transitions& tr, const ScaledEmissions& se) {
  Result r{0, RowMatrix::Zero(se.e.rows(), tr.n), RowMatrix::Zero(tr.n, tr.n)};
  r.logLikelihood = detail::denseScaledForwardBackward(tr, se, r.gamma, &r.xi);
  return r;
}

Result publicRun(const Transitions& tr, const RowMatrix& L) {
  Result r{0, RowMatrix::Zero(L.rows(), tr.n), RowMatrix::Zero(tr.n, tr.n)};
  r.logLikelihood = detail::forwardBackward(tr, L, r.gamma, &r.xi);
  return r;
}

void expectSame(const Result& a, const Result& b, double tol, const std::string& what) {
  SCOPED_TRACE(what);
  ASSERT_TRUE(std::isfinite(a.logLikelihood) && std::isfinite(b.logLikelihood));
  EXPECT_NEAR(a.logLikelihood, b.logLikelihood, tol * std::abs(b.logLikelihood));
  EXPECT_LE((a.gamma - b.gamma).cwiseAbs().maxCoeff(), tol);
  EXPECT_LE((a.xi - b.xi).cwiseAbs().maxCoeff(), tol * std::max(1.0, b.xi.cwiseAbs().maxCoeff()));
}

TEST(ForwardBackwardDense, BuiltOnlyForErgodicChainsOfAtMost256States) {
  std::mt19937_64 rng(1);
  EXPECT_TRUE(ergodicChain(rng, 10).isDense());
  EXPECT_FALSE(ergodicChain(rng, Transitions::kMaxDenseStates + 1).isDense());
  RowMatrix leftRight = RowMatrix::Zero(3, 3);
  leftRight << 0.5, 0.5, 0, 0, 0.5, 0.5, 0, 0, 1;
  EXPECT_FALSE(Transitions::build(Eigen::Vector3d(1, 0, 0), leftRight, {}).isDense());
}

TEST(ForwardBackwardDense, AgreesWithTheSparsePassOnLongSequences) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> g(0.0, 1.0);
  for (int N : {1, 2, 3, 8, 10, 17})
    for (Index T : {1, 2, 129, 5000})
      for (double spread : {1.0, 30.0, 150.0}) {
        const Transitions tr = ergodicChain(rng, N);
        RowMatrix L(T, N);
        for (Index t = 0; t < T; ++t)
          for (int s = 0; s < N; ++s) L(t, s) = -5.0 + spread * g(rng);
        const std::string what = "N=" + std::to_string(N) + " T=" + std::to_string(T) + " spread=" + std::to_string(spread);
        const ScaledEmissions se = scaled(L);
        const Result dense = denseRun(tr, se);
        // Spreads 1 and 30: a frame's emissions at most ~300 nats apart, scaled values far above
        // 1e-290: the dense pass must run. (150: it may decline some sequences.)
        if (spread < 100) {
          ASSERT_FALSE(std::isnan(dense.logLikelihood)) << what;
        }
        const Result sparse = publicRun(sparseOnly(tr), L);
        if (!std::isnan(dense.logLikelihood)) expectSame(dense, sparse, 1e-12, what + " dense vs sparse");
        // Whatever ran, the public entry agrees with the log-space reference.
        Result exact{0, RowMatrix::Zero(T, N), RowMatrix::Zero(N, N)};
        exact.logLikelihood = detail::forwardBackwardLogSpace(tr, L, exact.gamma, &exact.xi);
        const Result chosen = publicRun(tr, L);
        const double tol = 1e-9 + 64 * std::numeric_limits<double>::epsilon() * L.cwiseAbs().maxCoeff();
        EXPECT_NEAR(chosen.logLikelihood, exact.logLikelihood, 1e-10 * std::abs(exact.logLikelihood)) << what;
        EXPECT_LE((chosen.gamma - exact.gamma).cwiseAbs().maxCoeff(), tol) << what;
        // (The log-space reference's transition counts add an error of about eps |L| per frame.)
        EXPECT_LE((chosen.xi - exact.xi).cwiseAbs().maxCoeff(), 4 * tol * T) << what;
        EXPECT_NEAR(detail::forwardLogLikelihood(tr, L), exact.logLikelihood, 1e-10 * std::abs(exact.logLikelihood)) << what;
        if (!std::isnan(dense.logLikelihood)) {
          EXPECT_NEAR(detail::denseScaledForwardLogLikelihood(tr, se), dense.logLikelihood, 1e-12 * std::abs(dense.logLikelihood));
        }
      }
}

// One state's emission 700 / 1000 nats below the others in one frame of a long sequence: its
// scaled value (e^-700 ≈ 1e-304) may be subnormal, so the dense pass declines and the sparse
// pass (error bounds) or log space answers, in agreement with the reference.
TEST(ForwardBackwardDense, DeclinesAnUnderflowAndTheAnswerStaysExact) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> g(0.0, 1.0);
  const int N = 4;
  const Index T = 3000;
  const Transitions tr = ergodicChain(rng, N);
  for (double gap : {700.0, 1000.0})
    for (Index at : {Index(0), Index(1), T / 2, T - 1}) {
      RowMatrix L(T, N);
      for (Index t = 0; t < T; ++t)
        for (int s = 0; s < N; ++s) L(t, s) = -3.0 + g(rng);
      L(at, 2) -= gap;
      const std::string what = "gap=" + std::to_string(gap) + " at=" + std::to_string(at);
      const ScaledEmissions se = scaled(L);
      EXPECT_TRUE(std::isnan(denseRun(tr, se).logLikelihood)) << what;
      EXPECT_TRUE(std::isnan(detail::denseScaledForwardLogLikelihood(tr, se))) << what;
      Result exact{0, RowMatrix::Zero(T, N), RowMatrix::Zero(N, N)};
      exact.logLikelihood = detail::forwardBackwardLogSpace(tr, L, exact.gamma, &exact.xi);
      const Result chosen = publicRun(tr, L);
      SCOPED_TRACE(what);
      EXPECT_NEAR(chosen.logLikelihood, exact.logLikelihood, 1e-10 * std::abs(exact.logLikelihood));
      EXPECT_LE((chosen.gamma - exact.gamma).cwiseAbs().maxCoeff(), 1e-9);
      EXPECT_LE((chosen.xi - exact.xi).cwiseAbs().maxCoeff(), 1e-9 * T);
      EXPECT_NEAR(detail::forwardLogLikelihood(tr, L), exact.logLikelihood, 1e-10 * std::abs(exact.logLikelihood));
    }
}

}  // namespace
}  // namespace gmmhmm
