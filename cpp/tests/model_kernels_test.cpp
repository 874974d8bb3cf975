// The hand-tiled E-step kernels (used by the WebAssembly builds) against Eigen's products,
// on sizes that exercise every tile remainder.
#include <gtest/gtest.h>

#include <Eigen/Core>

#include "../src/model/kernels.hpp"

namespace gmmhmm::detail {
namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

TEST(ModelKernels, EmissionProductAndWeightedSumsMatchEigen) {
  for (int T : {1, 2, 3, 4, 5, 7, 8, 33}) {
    for (int D : {1, 2, 3, 13}) {
      for (int K : {1, 3, 4, 5, 8, 9}) {
        SCOPED_TRACE(testing::Message() << "T=" << T << " D=" << D << " K=" << K);
        const RowMatrix X = RowMatrix::Random(T, D) * 3;
        std::vector<double> xxT(2 * D * T);
        kernels::squaredTransposed(X.data(), T, D, D, xxT.data());
        RowMatrix xx(T, 2 * D);
        xx.leftCols(D) = X;
        xx.rightCols(D) = X.array().square();
        for (int t = 0; t < T; ++t)
          for (int p = 0; p < 2 * D; ++p) ASSERT_EQ(xxT[p * T + t], xx(t, p));
        const RowMatrix W = RowMatrix::Random(2 * D, K);
        const Eigen::RowVectorXd c = Eigen::RowVectorXd::Random(K);
        Eigen::MatrixXd out(T, K);
        kernels::emissionProduct(xxT.data(), T, 2 * D, W.data(), K, c.data(), out.data(), T);
        Eigen::MatrixXd expected = xx * W;
        expected.rowwise() += c;
        EXPECT_LT((out - expected).cwiseAbs().maxCoeff(), 1e-12 * (1 + expected.cwiseAbs().maxCoeff()));
        const Eigen::MatrixXd w = Eigen::MatrixXd::Random(T, K).cwiseAbs();
        RowMatrix S = RowMatrix::Ones(K, 2 * D);
        kernels::weightedSums(w.data(), T, K, xxT.data(), 2 * D, S.data());
        const RowMatrix expectedS = RowMatrix::Ones(K, 2 * D) + RowMatrix(w.transpose() * xx);
        EXPECT_LT((S - expectedS).cwiseAbs().maxCoeff(), 1e-12 * (1 + expectedS.cwiseAbs().maxCoeff()));
      }
    }
  }
}

}  // namespace
}  // namespace gmmhmm::detail
