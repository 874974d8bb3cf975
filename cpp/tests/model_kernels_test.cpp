// The hand-tiled E-step kernels against Eigen's products, on sizes that exercise every tile
// remainder: the double kernels to rounding, the float kernels within float's resolution; and
// the mixture log-sum-exp against a long-double reference, including frames no component
// can emit; the training E-step's fused form of it against the log-sum-exp, bit for bit.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include <Eigen/Core>

#include "../src/model/kernels.hpp"

namespace gmmhmm::detail {
namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

TEST(ModelKernels, DoubleEmissionProductAndWeightedSumsMatchEigen) {
  for (int T : {1, 2, 3, 4, 5, 7, 8, 9, 17, 33}) {
    for (int D : {1, 2, 3, 13}) {
      for (int K : {1, 3, 4, 5, 8, 9}) {
        SCOPED_TRACE(testing::Message() << "T=" << T << " D=" << D << " K=" << K);
        const RowMatrix X = RowMatrix::Random(T, D) * 3;
        std::vector<double> tile(2 * D * T);
        kernels::buildTile(X.data(), T, D, D, tile.data());
        RowMatrix xx(T, 2 * D);
        xx.leftCols(D) = X;
        xx.rightCols(D) = X.array().square();
        for (int t = 0; t < T; ++t)
          for (int p = 0; p < 2 * D; ++p) ASSERT_EQ(tile[p * T + t], xx(t, p));
        const RowMatrix W = RowMatrix::Random(2 * D, K);
        const Eigen::RowVectorXd c = Eigen::RowVectorXd::Random(K);
        Eigen::MatrixXd out(T, K);
        kernels::emissionProduct(tile.data(), T, 2 * D, W.data(), K, c.data(), out.data(), T);
        Eigen::MatrixXd expected = xx * W;
        expected.rowwise() += c;
        EXPECT_LT((out - expected).cwiseAbs().maxCoeff(), 1e-12 * (1 + expected.cwiseAbs().maxCoeff()));
        const Eigen::MatrixXd w = Eigen::MatrixXd::Random(T, K).cwiseAbs();
        RowMatrix S = RowMatrix::Ones(K, 2 * D);
        kernels::weightedSums(w.data(), T, K, tile.data(), 2 * D, S.data());
        const RowMatrix expectedS = RowMatrix::Ones(K, 2 * D) + RowMatrix(w.transpose() * xx);
        EXPECT_LT((S - expectedS).cwiseAbs().maxCoeff(), 1e-12 * (1 + expectedS.cwiseAbs().maxCoeff()));
      }
    }
  }
}

TEST(ModelKernels, FloatKernelsAgreeWithDoubleWithinFloatResolution) {
  for (int T : {1, 3, 8, 9, 31, 64, 256}) {
    for (int D : {1, 5, 13}) {
      for (int K : {1, 4, 7}) {
        SCOPED_TRACE(testing::Message() << "T=" << T << " D=" << D << " K=" << K);
        // Features far from 0 and of unequal scales: the tile standardises them.
        RowMatrix X = RowMatrix::Random(T, D);
        for (int d = 0; d < D; ++d) X.col(d) = X.col(d) * (0.1 + d) + Eigen::VectorXd::Constant(T, 50.0 * d);
        std::vector<double> shift(D), inverse(D);
        for (int d = 0; d < D; ++d) {
          shift[d] = 50.0 * d;
          inverse[d] = 1.0 / (0.1 + d);
        }
        std::vector<float> tile(2 * D * T);
        kernels::buildTile(X.data(), T, D, D, shift.data(), inverse.data(), tile.data());
        RowMatrix zz(T, 2 * D);
        for (int d = 0; d < D; ++d) {
          zz.col(d) = (X.col(d).array() - shift[d]) * inverse[d];
          zz.col(D + d) = zz.col(d).array().square();
        }
        for (int t = 0; t < T; ++t)
          for (int p = 0; p < 2 * D; ++p) ASSERT_EQ(tile[p * T + t], float(zz(t, p)));
        const RowMatrix W = RowMatrix::Random(2 * D, K);
        const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> Wf = W.cast<float>();
        const Eigen::RowVectorXd c = Eigen::RowVectorXd::Random(K) * 100;
        Eigen::MatrixXd out(T, K);
        kernels::emissionProduct(tile.data(), T, 2 * D, Wf.data(), K, c.data(), out.data(), T);
        Eigen::MatrixXd expected = zz * Wf.cast<double>();
        // Float products: errors relative to the sum of the terms' magnitudes.
        const Eigen::MatrixXd magnitude = zz.cwiseAbs() * Wf.cast<double>().cwiseAbs();
        expected.rowwise() += c;
        EXPECT_LT(((out - expected).cwiseAbs().array() / (magnitude.array() + 1e-30)).maxCoeff(), 4e-6);
        const Eigen::MatrixXd w = Eigen::MatrixXd::Random(T, K).cwiseAbs();
        const Eigen::MatrixXf wf = w.cast<float>();
        RowMatrix S = RowMatrix::Zero(K, 2 * D);
        kernels::weightedSums(wf.data(), T, K, tile.data(), 2 * D, S.data());
        const RowMatrix expectedS = wf.cast<double>().transpose() * zz;
        const RowMatrix sizeS = wf.cast<double>().transpose() * zz.cwiseAbs();
        EXPECT_LT(((S - expectedS).cwiseAbs().array() / (sizeS.array() + 1e-30)).maxCoeff(), 4e-6);
      }
    }
  }
}

TEST(ModelKernels, FloatTilesFlushFeaturesThatWouldMakeSubnormalProducts) {
  const double X[4] = {1.0, 1.0 + 1e-12, 1.0 + 1e-9, 3.0};
  const double shift = 1.0, inverse = 1.0;
  float tile[8];
  kernels::buildTile(X, 4, 1, 1, &shift, &inverse, tile);
  EXPECT_EQ(tile[0], 0.0f);
  EXPECT_EQ(tile[1], 0.0f);  // |z| = 1e-12 < 2^-33 (1.16e-10): flushed, z² would be 1e-24
  EXPECT_NE(tile[2], 0.0f);  // 1e-9 stays, and its square 1e-18 is a normal float
  EXPECT_EQ(tile[3], 2.0f);
  EXPECT_EQ(tile[7], 4.0f);
  for (float v : tile) EXPECT_TRUE(v == 0.0f || std::fpclassify(v) == FP_NORMAL) << v;
}

// log Σ exp over a state's components and the responsibilities, in long double.
void referenceLogSumExp(const Eigen::MatrixXd& comps, int N, int M, Eigen::MatrixXd& resp, RowMatrix& ll) {
  const Eigen::Index T = comps.rows();
  resp.resize(T, N * M);
  ll.resize(T, N);
  for (Eigen::Index t = 0; t < T; ++t)
    for (int s = 0; s < N; ++s) {
      long double mx = -std::numeric_limits<long double>::infinity();
      bool bad = false;
      for (int m = 0; m < M; ++m) {
        const double v = comps(t, s * M + m);
        bad = bad || std::isnan(v) || v == std::numeric_limits<double>::infinity();
        mx = std::max<long double>(mx, v);
      }
      long double sum = 0;
      if (!bad && std::isfinite(static_cast<double>(mx)))
        for (int m = 0; m < M; ++m) sum += std::exp(static_cast<long double>(comps(t, s * M + m)) - mx);
      for (int m = 0; m < M; ++m)
        resp(t, s * M + m) = sum > 0 ? static_cast<double>(std::exp(comps(t, s * M + m) - mx) / sum) : 0.0;
      ll(t, s) = sum > 0 ? static_cast<double>(mx + std::log(sum)) : kNegInf;
    }
}

TEST(ModelKernels, MixtureLogSumExpMatchesLongDoubleReference) {
  for (int T : {1, 2, 3, 5, 8, 13}) {
    for (int M : {1, 2, 3, 4, 7}) {
      const int N = 3;
      SCOPED_TRACE(testing::Message() << "T=" << T << " M=" << M);
      Eigen::MatrixXd comps = Eigen::MatrixXd::Random(T, N * M) * 300 - Eigen::MatrixXd::Constant(T, N * M, 200);
      // Frames no component of state 1 can emit, a -inf component, a NaN, and a +inf.
      comps.block(0, M, 1, M).setConstant(kNegInf);
      if (T > 1) comps(1, 0) = kNegInf;
      if (T > 2) comps(2, 2 * M) = std::numeric_limits<double>::quiet_NaN();
      if (T > 3) comps(3, 2 * M) = std::numeric_limits<double>::infinity();
      Eigen::MatrixXd expectedResp;
      RowMatrix expectedLL;
      referenceLogSumExp(comps, N, M, expectedResp, expectedLL);
      RowMatrix ll(T, N);
      kernels::mixtureLogSumExp(comps.data(), T, N, M, ll.data());
      for (int t = 0; t < T; ++t)
        for (int s = 0; s < N; ++s) {
          if (std::isinf(expectedLL(t, s))) {
            EXPECT_EQ(ll(t, s), kNegInf) << t << "," << s;
          } else {
            EXPECT_NEAR(ll(t, s), expectedLL(t, s), 2e-15 * std::max(1.0, std::abs(expectedLL(t, s)))) << t << "," << s;
          }
          for (int m = 0; m < M; ++m)
            EXPECT_NEAR(comps(t, s * M + m), expectedResp(t, s * M + m), 1e-15) << t << "," << s << "," << m;
        }
    }
  }
}

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Component log-likelihoods with the awkward cases of MixtureLogSumExpMatchesLongDoubleReference
// placed in the frames [first, first + n) of a taller matrix.
Eigen::MatrixXd awkwardComponents(int rows, int first, int n, int N, int M) {
  Eigen::MatrixXd comps = Eigen::MatrixXd::Random(rows, N * M) * 300 - Eigen::MatrixXd::Constant(rows, N * M, 200);
  comps.block(first, M, 1, M).setConstant(kNegInf);  // state 1 emits nothing
  if (n > 1) comps(first + 1, 0) = kNegInf;
  if (n > 2) comps(first + 2, 2 * M) = std::numeric_limits<double>::quiet_NaN();
  if (n > 3) comps(first + 3, 2 * M) = std::numeric_limits<double>::infinity();
  if (n > 4) comps(first + 4, N * M - 1) = std::numeric_limits<double>::quiet_NaN();  // a later component
  return comps;
}

// e(t, s) = exp(state log-likelihood - offset), without the log in between: to a few ulp,
// plus what the roundings of the log-likelihood, the offset and their difference (an ulp of
// their magnitudes) make of an exp; 0 where the state emits nothing.
void expectScaledEmission(double e, double logLik, double offset) {
  if (logLik == kNegInf) {
    EXPECT_EQ(e, 0.0);
    return;
  }
  const double expected = std::exp(logLik - offset);
  const double ulps = 8 + 2 * (std::abs(logLik) + std::abs(offset));
  EXPECT_NEAR(e, expected, ulps * 2.2e-16 * expected) << "log-likelihood " << logLik << ", offset " << offset;
}

// mixtureLogSumExp on a copy of the frames [first, first + n) of comps (the expectation), and
// mixtureScaledEmissions, then stateLogLikelihoods, on comps itself.
struct BothKernels {
  Eigen::MatrixXd expectedResp;
  RowMatrix expectedLL, e, ll;
  Eigen::VectorXd offset;
  bool allFinite;
  BothKernels(Eigen::MatrixXd& comps, int first, int n, int N, int M)
      : expectedResp(comps.middleRows(first, n)), expectedLL(n, N), e(n, N), ll(n, N), offset(n) {
    kernels::mixtureLogSumExp(expectedResp.data(), n, N, M, expectedLL.data());
    Eigen::MatrixXd shift(n, N), sum(n, N);
    allFinite = kernels::mixtureScaledEmissions(comps.data(), comps.rows(), first, n, N, M, e.data(), offset.data(),
                                                shift.data(), sum.data());
    kernels::stateLogLikelihoods(shift.data(), sum.data(), n, N, ll.data());
  }
};

TEST(ModelKernels, MixtureScaledEmissionsGiveTheLogSumExpsBitsAndTheScaledEmissions) {
  for (int n : {1, 2, 3, 5, 8, 13}) {
    for (int M : {1, 2, 3, 4, 7}) {
      const int N = 3, first = 3, rows = n + 6;
      SCOPED_TRACE(testing::Message() << "n=" << n << " M=" << M);
      Eigen::MatrixXd comps = awkwardComponents(rows, first, n, N, M);
      const Eigen::MatrixXd before = comps;
      const BothKernels k(comps, first, n, N, M);
      ASSERT_TRUE(k.allFinite);
      for (int t = 0; t < rows; ++t)
        for (int c = 0; c < N * M; ++c) {
          const bool inside = t >= first && t < first + n;
          EXPECT_TRUE(sameBits(comps(t, c), inside ? k.expectedResp(t - first, c) : before(t, c))) << t << "," << c;
        }
      for (int t = 0; t < n; ++t) {
        double largest = 0;
        ASSERT_TRUE(std::isfinite(k.offset[t]));
        for (int s = 0; s < N; ++s) {
          EXPECT_TRUE(sameBits(k.ll(t, s), k.expectedLL(t, s))) << t << "," << s << ": " << k.ll(t, s) << " vs "
                                                                << k.expectedLL(t, s);
          expectScaledEmission(k.e(t, s), k.expectedLL(t, s), k.offset[t]);
          largest = std::max(largest, k.e(t, s));
        }
        EXPECT_GE(largest, 1.0) << t;
        EXPECT_LE(largest, M) << t;
      }
    }
  }
}

TEST(ModelKernels, MixtureScaledEmissionsReportAFrameNoStateCanEmitAndStillFinishTheOthers) {
  const int N = 2, M = 3, n = 7, rows = 9, first = 1;
  Eigen::MatrixXd comps = Eigen::MatrixXd::Random(rows, N * M) * 50;
  comps.row(first + 4).setConstant(kNegInf);
  const BothKernels k(comps, first, n, N, M);
  EXPECT_FALSE(k.allFinite);
  EXPECT_EQ(k.offset[4], 0.0);
  EXPECT_EQ(k.e(4, 0), 0.0);
  EXPECT_EQ(k.e(4, 1), 0.0);
  for (int t = 0; t < n; ++t)
    for (int s = 0; s < N; ++s) {
      EXPECT_TRUE(sameBits(k.ll(t, s), k.expectedLL(t, s))) << t << "," << s;
      if (t != 4) expectScaledEmission(k.e(t, s), k.expectedLL(t, s), k.offset[t]);  // the other frames
      for (int m = 0; m < M; ++m)
        EXPECT_TRUE(sameBits(comps(first + t, s * M + m), k.expectedResp(t, s * M + m))) << t << "," << s << "," << m;
    }
}

}  // namespace
}  // namespace gmmhmm::detail
