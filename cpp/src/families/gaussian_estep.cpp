// GaussianEmissions' E-step side: the frames' check, their log-likelihoods and the
// statistics, run once per sequence and iteration (the rest of the family runs once per
// iteration or call). Compiling the other file for size saved 8 KB of .wasm and seemed to
// cost 5-15 % of EM speed on a shared machine: both stay at -O3 (docs/size.md).
#include <algorithm>
#include <cmath>
#include <vector>

#include "../model/checks.hpp"
#include "../model/data_pass.hpp"  // scaledStateEmissions
#include "../model/forward_backward.hpp"
#include "../model/kernels.hpp"
#include "../model/sequence_data.hpp"  // kMaxFrameMagnitude
#include "gaussian_emissions.hpp"

namespace gmmhmm::detail {

namespace {

bool fullType(CovarianceType t) { return t == CovarianceType::Full || t == CovarianceType::Tied; }

}  // namespace

void GaussianEmissions::checkFrames(const SequenceSet& X, const char* method) const {
  const Index D = params_.nFeatures;
  require(X.nFeatures >= 1, method, ": X must have at least one feature per frame");
  if (D > 0)
    require(X.nFeatures == D, method, ": X has ", X.nFeatures, " features per frame, the model ", D, " (nFeatures)");
  for (Index i = 0; i < X.nFrames * X.nFeatures; ++i) {
    const double v = X.data[i];
    if (!(std::abs(v) <= kMaxFrameMagnitude))
      fail(method, ": X[", i / X.nFeatures, "][", i % X.nFeatures, "] is ", v,
           std::isfinite(v) ? ": values must be within +-1e100" : ": values must be finite");
  }
}

void GaussianEmissions::logLikelihoods(const double* frames, Index T, RowMatrix& out) const {
  const Eigen::Map<const RowMatrix> X(frames, T, params_.nFeatures);
  ColMatrix components;  // (not kept between calls: nothing stays allocated after a call)
  evaluator_->componentLogLikelihoods(X, components);  // T × N: a state per component, log weight 0
  out = components;
}

bool GaussianEmissions::scaledLikelihoods(const double* frames, Index T, ScaledEmissions& out) const {
  if (params_.type == CovarianceType::Tied) return false;
  return scaledStateEmissions(*evaluator_, Eigen::Map<const RowMatrix>(frames, T, params_.nFeatures), out);
}

void GaussianEmissions::clearStatistics() {
  chooseStatisticsOrigin();
  const Index N = nStates_, D = params_.nFeatures;
  post_ = Eigen::VectorXd::Zero(N);
  obs_ = RowMatrix::Zero(N, D);
  if (fullType(params_.type)) {
    obs2_.resize(0, 0);
    // Tied needs only Σ_t x xᵀ (Σ_s γ_ts = 1 per frame; the per-state terms come from obs).
    outer_.assign(params_.type == CovarianceType::Tied ? 1 : N, Eigen::MatrixXd::Zero(D, D));
  } else {
    obs2_ = RowMatrix::Zero(N, D);
    outer_.clear();
  }
}

void GaussianEmissions::accumulate(const double* frames, Index T, const Eigen::Ref<const RowMatrix>& gamma) {
  if (statsOrigin_.size() == 0) return accumulateFrames(frames, T, gamma);
  // Far from the origin: the frames minus the statistics' origin, a block of at most 256 KiB
  // at a time, whatever the sequence's length and width.
  const Index D = params_.nFeatures, block = std::clamp<Index>(32768 / D, 1, 4096);
  RowMatrix centred;
  for (Index b = 0; b < T; b += block) {
    const Index n = std::min(block, T - b);
    centred = Eigen::Map<const RowMatrix>(frames + b * D, n, D).rowwise() - statsOrigin_;
    accumulateFrames(centred.data(), n, gamma.middleRows(b, n));
  }
}

void GaussianEmissions::accumulateFrames(const double* frames, Index T, const Eigen::Ref<const RowMatrix>& gamma) {
  const Eigen::Map<const RowMatrix> X(frames, T, params_.nFeatures);
  post_ += gamma.colwise().sum().transpose();
  if (fullType(params_.type)) obs_.noalias() += gamma.transpose() * X;
  switch (params_.type) {
    case CovarianceType::Diag:
    case CovarianceType::Spherical: {
      // Σγx and Σγx² in one pass of GMMHMM's tiled kernel over [x, x²] (kernels.hpp), a tile
      // of frames at a time: no T × D temporary, and wasm's 2-lane products instead of Eigen's.
      const Index D = params_.nFeatures, N = nStates_, tileFrames = kernels::kTileFrames;
      std::vector<double> tile(size_t(2 * D * std::min(T, tileFrames))), weights(size_t(N * std::min(T, tileFrames)));
      RowMatrix sums = RowMatrix::Zero(N, 2 * D);
      for (Index b = 0; b < T; b += tileFrames) {
        const Index n = std::min(tileFrames, T - b);
        kernels::buildTile(frames + b * D, n, D, D, tile.data());
        for (Index s = 0; s < N; ++s)
          for (Index t = 0; t < n; ++t) weights[size_t(s * n + t)] = gamma(b + t, s);
        kernels::weightedSums(weights.data(), n, N, tile.data(), 2 * D, sums.data());
      }
      obs_ += sums.leftCols(D);
      obs2_ += sums.rightCols(D);
      return;
    }
    case CovarianceType::Full:
      for (Index s = 0; s < nStates_; ++s)
        outer_[s].noalias() += X.transpose() * (X.array().colwise() * gamma.col(s).array()).matrix();
      break;
    case CovarianceType::Tied: {
      const Eigen::VectorXd frameMass = gamma.rowwise().sum();  // 1 up to rounding
      outer_[0].noalias() += X.transpose() * (X.array().colwise() * frameMass.array()).matrix();
      break;
    }
  }
}

}  // namespace gmmhmm::detail
