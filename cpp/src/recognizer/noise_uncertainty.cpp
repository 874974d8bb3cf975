#include "noise_uncertainty.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "gmmhmm/features/deltas.hpp"

namespace gmmhmm::recognizer::detail {

namespace {

// The delta filters' weights: the response of addDeltas to one impulse, per order
// (row k of the result: weights of frames -reach..reach).
RowMatrix deltaWeights(int order, int window) {
  const int reach = order * window;
  const int length = 2 * reach + 1;
  RowMatrix impulse = RowMatrix::Zero(length + 2 * reach, 1);
  impulse(2 * reach, 0) = 1.0;  // in the middle, far enough from the edges' replication
  const RowMatrix response = features::addDeltas(impulse, order, window);
  RowMatrix weights(order + 1, length);
  // Output frame t takes input frame t + j with weight w_j; the impulse at frame c gives
  // out(t) = w_{c - t}, so w_j = out(c - j).
  for (int o = 0; o <= order; ++o)
    for (int j = -reach; j <= reach; ++j) weights(o, j + reach) = response(2 * reach - j, o);
  return weights;
}

}  // namespace

RowMatrix noiseVariance(const RowMatrix& bandEnergies, const Eigen::RowVectorXd& noise,
                        const features::CepstralTransform& dct, int deltaOrder, int deltaWindow, double scale) {
  const Eigen::Index T = bandEnergies.rows(), B = bandEnergies.cols();
  const int C = dct.numCeps();
  // The DCT's squared coefficients (the transform is linear: its columns are its responses).
  RowMatrix squared(C, B);
  std::vector<double> unit(static_cast<std::size_t>(B), 0.0), column(static_cast<std::size_t>(C));
  for (Eigen::Index b = 0; b < B; ++b) {
    unit[static_cast<std::size_t>(b)] = 1.0;
    dct.apply(unit.data(), column.data());
    unit[static_cast<std::size_t>(b)] = 0.0;
    for (int c = 0; c < C; ++c) squared(c, b) = column[static_cast<std::size_t>(c)] * column[static_cast<std::size_t>(c)];
  }
  RowMatrix bandVariance(T, B);
  for (Eigen::Index t = 0; t < T; ++t)
    for (Eigen::Index b = 0; b < B; ++b) {
      const double share = std::min(noise[b] / std::max(bandEnergies(t, b), 1e-300), 0.95);
      const double shift = share > 0 ? -std::log1p(-share) * scale : 0.0;
      bandVariance(t, b) = shift * shift;
    }
  const RowMatrix staticVariance = bandVariance * squared.transpose();  // T x C
  RowMatrix out(T, static_cast<Eigen::Index>(C) * (deltaOrder + 1));
  const RowMatrix w = deltaWeights(deltaOrder, deltaWindow);
  const int reach = deltaOrder * deltaWindow;
  // Near the ends addDeltas replicates the first and last frames, so several taps read the
  // same frame: their weights add up before they are squared (frames independent).
  std::vector<double> tapsOnFrame(static_cast<std::size_t>(2 * reach + 1));
  for (int o = 0; o <= deltaOrder; ++o)
    for (Eigen::Index t = 0; t < T; ++t) {
      const Eigen::Index first = std::max<Eigen::Index>(t - reach, 0);
      std::fill(tapsOnFrame.begin(), tapsOnFrame.end(), 0.0);
      for (int j = -reach; j <= reach; ++j) {
        const Eigen::Index u = std::clamp<Eigen::Index>(t + j, 0, T - 1);
        tapsOnFrame[static_cast<std::size_t>(u - first)] += w(o, j + reach);
      }
      Eigen::RowVectorXd v = Eigen::RowVectorXd::Zero(C);
      for (Eigen::Index u = first; u <= std::min<Eigen::Index>(t + reach, T - 1); ++u) {
        const double weight = tapsOnFrame[static_cast<std::size_t>(u - first)];
        if (weight != 0) v += weight * weight * staticVariance.row(u);
      }
      out.block(t, static_cast<Eigen::Index>(o) * C, 1, C) = v;
    }
  return out;
}

}  // namespace gmmhmm::recognizer::detail
