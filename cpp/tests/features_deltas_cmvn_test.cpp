// addDeltas on hand-checkable inputs; cmvn properties.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/features/cmvn.hpp"
#include "gmmhmm/features/deltas.hpp"

using namespace gmmhmm::features;

TEST(Deltas, FiltersMatchKaldiRegression) {
  const auto taps = deltaFilters(2, 2);
  ASSERT_EQ(taps.size(), 3u);
  ASSERT_EQ(taps[1].size(), 5u);
  ASSERT_EQ(taps[2].size(), 9u);
  // delta: j / 10 for j = -2..2
  for (int j = -2; j <= 2; ++j) EXPECT_DOUBLE_EQ(taps[1][j + 2], j / 10.0);
  // delta-delta: the delta filter convolved with itself: [4, 4, 1, -4, -10, -4, 1, 4, 4] / 100
  const double expected[9] = {4, 4, 1, -4, -10, -4, 1, 4, 4};
  for (int i = 0; i < 9; ++i) EXPECT_NEAR(taps[2][i], expected[i] / 100.0, 1e-15);
}

TEST(Deltas, LinearRampHasConstantSlopeInside) {
  // x_t = 3t + 1 in one column, constant 5 in another.
  RowMatrix x(10, 2);
  for (int t = 0; t < 10; ++t) {
    x(t, 0) = 3 * t + 1;
    x(t, 1) = 5;
  }
  const RowMatrix d = addDeltas(x, 2, 2);
  ASSERT_EQ(d.rows(), 10);
  ASSERT_EQ(d.cols(), 6);
  EXPECT_EQ(d.leftCols(2), x);
  for (int t = 0; t < 10; ++t) {
    EXPECT_NEAR(d(t, 3), 0.0, 1e-15);  // delta of a constant
    EXPECT_NEAR(d(t, 5), 0.0, 1e-15);
  }
  for (int t = 2; t < 8; ++t) EXPECT_NEAR(d(t, 2), 3.0, 1e-12);  // slope 3 away from edges
  for (int t = 4; t < 6; ++t) EXPECT_NEAR(d(t, 4), 0.0, 1e-12);  // no curvature
  // Edge, frame 0, frames -2,-1 replaced by frame 0: (-2*1 - 1*1 + 0 + 1*4 + 2*7) / 10 = 1.5
  EXPECT_NEAR(d(0, 2), 1.5, 1e-12);
  // Last frame: x = 28, 25, 22 ... : (-2*22 - 25 + 0 + 28 + 2*28) / 10 = 1.5
  EXPECT_NEAR(d(9, 2), 1.5, 1e-12);
}

TEST(Deltas, ImpulseResponseIsTheFilter) {
  RowMatrix x = RowMatrix::Zero(21, 1);
  x(10, 0) = 1;
  const RowMatrix d = addDeltas(x, 2, 2);
  const auto taps = deltaFilters(2, 2);
  // out_t = sum_j tap[j] x_{t+j}  -> impulse at 10 gives tap[10 - t]
  for (int t = 0; t < 21; ++t) {
    const int j1 = 10 - t, j2 = 10 - t;
    EXPECT_NEAR(d(t, 1), std::abs(j1) <= 2 ? taps[1][j1 + 2] : 0.0, 1e-15) << t;
    EXPECT_NEAR(d(t, 2), std::abs(j2) <= 4 ? taps[2][j2 + 4] : 0.0, 1e-15) << t;
  }
}

TEST(Deltas, OrderWindowAndEmptyInput) {
  RowMatrix x(3, 4);
  x.setRandom();
  EXPECT_EQ(addDeltas(x, 0, 2), x);
  EXPECT_EQ(addDeltas(x, 3, 1).cols(), 16);
  const RowMatrix single = addDeltas(x.topRows(1), 2, 2);
  EXPECT_EQ(single.rows(), 1);
  EXPECT_NEAR(single.rightCols(8).cwiseAbs().maxCoeff(), 0.0, 1e-15);  // one frame: no motion
  const RowMatrix none = addDeltas(RowMatrix(0, 4), 2, 2);
  EXPECT_EQ(none.rows(), 0);
  EXPECT_EQ(none.cols(), 12);
  EXPECT_THROW(addDeltas(x, -1, 2), gmmhmm::InvalidArgument);
  EXPECT_THROW(addDeltas(x, 2, 0), gmmhmm::InvalidArgument);
  RowMatrix bad = x;
  bad(1, 2) = std::numeric_limits<double>::quiet_NaN();
  try {
    addDeltas(bad);
    FAIL();
  } catch (const gmmhmm::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("features[1][2]"), std::string::npos) << e.what();
  }
}

TEST(Cmvn, MeanAndVarianceNormalisation) {
  std::mt19937 rng(3);
  std::normal_distribution<double> g;
  RowMatrix x(200, 5);
  for (int t = 0; t < 200; ++t)
    for (int j = 0; j < 5; ++j) x(t, j) = 10 * j - 7 + (j + 1) * g(rng);
  const RowMatrix m = cmvn(x);
  const RowMatrix v = cmvn(x, true);
  for (int j = 0; j < 5; ++j) {
    EXPECT_NEAR(m.col(j).mean(), 0.0, 1e-12);
    EXPECT_NEAR(v.col(j).mean(), 0.0, 1e-12);
    EXPECT_NEAR(v.col(j).squaredNorm() / 200, 1.0, 1e-12);
    // Mean normalisation keeps the spread.
    EXPECT_NEAR(m.col(j).squaredNorm(), (x.col(j).array() - x.col(j).mean()).matrix().squaredNorm(), 1e-9);
  }
  // Invariant to a per-column offset and (for variance) a positive scale.
  RowMatrix shifted = x;
  shifted.col(2).array() += 1000;
  shifted.col(3) *= 0.01;
  EXPECT_LT((cmvn(shifted) - m).leftCols(3).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_LT((cmvn(shifted, true) - v).cwiseAbs().maxCoeff(), 1e-9);
}

TEST(Cmvn, ConstantColumnsAndSingleFrameGiveZerosNotNan) {
  RowMatrix x(4, 3);
  x << 1, 0.1, 7, 2, 0.1, 7, 3, 0.1, 7, 4, 0.1, 7;
  const RowMatrix v = cmvn(x, true);
  EXPECT_TRUE(v.allFinite());
  EXPECT_EQ(v.col(1).cwiseAbs().maxCoeff(), 0.0);
  EXPECT_EQ(v.col(2).cwiseAbs().maxCoeff(), 0.0);
  EXPECT_NEAR(v(0, 0), -1.5 / std::sqrt(1.25), 1e-12);
  const RowMatrix one = cmvn(x.topRows(1), true);
  EXPECT_EQ(one.cwiseAbs().maxCoeff(), 0.0);
  EXPECT_EQ(cmvn(RowMatrix(0, 3), true).rows(), 0);
  RowMatrix bad = x;
  bad(2, 0) = std::numeric_limits<double>::infinity();
  EXPECT_THROW(cmvn(bad), gmmhmm::InvalidArgument);
}
