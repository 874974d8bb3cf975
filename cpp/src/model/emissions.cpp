#include "emissions.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "checks.hpp"
#include "full_covariance.hpp"
#include "kernels.hpp"
#include "tuning.hpp"

namespace gmmhmm::detail {

namespace {
const double kLog2Pi = std::log(2.0 * M_PI);
constexpr double kNegInf = -std::numeric_limits<double>::infinity();
}  // namespace

Eigen::MatrixXd MixtureParams::covarianceOf(int k) const {
  switch (type) {
    case CovarianceType::Diag:
    case CovarianceType::Spherical:
      return var.row(k).transpose().asDiagonal();
    case CovarianceType::Full:
      return fullCov[k];
    case CovarianceType::Tied:
      return fullCov[k / nMix];
  }
  return {};
}

Eigen::VectorXd MixtureParams::varianceOf(int k) const {
  if (!isFullType()) return var.row(k).transpose();
  return covarianceOf(k).diagonal();
}

EmissionEvaluator::EmissionEvaluator(const MixtureParams& p)
    : nStates_(p.nStates), nMix_(p.nMix), nFeatures_(p.nFeatures), full_(p.isFullType()),
      tied_(p.type == CovarianceType::Tied) {
  const int K = p.nComponents();
  const int D = p.nFeatures;
  constant_.resize(K);
  if (!full_) {
    linearQuadratic_.resize(2 * D, K);
    for (int k = 0; k < K; ++k) {
      const double w = p.weights(k / nMix_, k % nMix_);
      double c = (w > 0 ? std::log(w) : kNegInf) - 0.5 * D * kLog2Pi;
      for (int d = 0; d < D; ++d) {
        const double v = p.var(k, d);
        if (!(v > 0) || !std::isfinite(v))
          fail("covars: variance ", v, " of state ", k / nMix_, ", component ", k % nMix_, ", feature ", d,
               " is not a positive finite number");
        const double mu = p.means(k, d);
        linearQuadratic_(d, k) = mu / v;
        linearQuadratic_(D + d, k) = -0.5 / v;
        c -= 0.5 * (std::log(v) + mu * mu / v);
      }
      constant_[k] = c;
    }
    linearQuadraticRows_ = linearQuadratic_;
    useDirectFormIfFar(p);
    return;
  }
  const int nMatrices = tied_ ? nStates_ : K;
  precisionFactorT_.resize(nMatrices);
  Eigen::VectorXd logDet(nMatrices);
  for (int i = 0; i < nMatrices; ++i) {
    Eigen::MatrixXd L;
    if (!lowerCholesky(p.fullCov[i], L))
      fail("covars: the covariance matrix of ", tied_ ? "state " : "component ", tied_ ? i : i / nMix_,
           tied_ ? "" : concat(" (state ", i / nMix_, ", component ", i % nMix_, ")"),
           " is not symmetric positive definite");
    precisionFactorT_[i] = lowerTriangularInverse(L).transpose();
    logDet[i] = 2.0 * L.diagonal().array().log().sum();
  }
  centres_ = RowMatrix::Zero(nMatrices, D);
  for (int k = 0; k < K; ++k) centres_.row(tied_ ? k / nMix_ : k) += p.means.row(k) / (tied_ ? nMix_ : 1);
  centredMeans_.resize(D, K);
  for (int k = 0; k < K; ++k) {
    const int i = tied_ ? k / nMix_ : k;
    centredMeans_.col(k) = precisionFactorT_[i].transpose() * (p.means.row(k) - centres_.row(i)).transpose();
    const double w = p.weights(k / nMix_, k % nMix_);
    constant_[k] = (w > 0 ? std::log(w) : kNegInf) - 0.5 * (D * kLog2Pi + logDet[i]);
  }
}

void EmissionEvaluator::useDirectFormIfFar(const MixtureParams& p) {
  // From 1e12, where the products' rounding reaches ε·1e12 ≈ 2e-4 nat per frame and feature:
  // parameters set by hand (a mean of 1e10 with variance 1 scored 0 at the mean instead of
  // -0.92). Below it the products stay, bit for bit (and as hmmlearn's). The training E-step
  // asks scoresFromDifferences() and gives frames instead of tiles, so fit and score agree.
  constexpr double kDirectFrom = 1e12;
  const int K = nComponents(), D = nFeatures_;
  bool far = false;
  for (int k = 0; k < K && !far; ++k)
    for (int d = 0; d < D && !far; ++d) far = p.means(k, d) * p.means(k, d) > kDirectFrom * p.var(k, d);
  if (!far) return;
  directMeans_ = p.means;
  directHalfPrecision_ = (0.5 / p.var.array()).matrix();
  directConstant_.resize(K);
  for (int k = 0; k < K; ++k) {
    const double w = p.weights(k / nMix_, k % nMix_);
    directConstant_[k] = (w > 0 ? std::log(w) : kNegInf) - 0.5 * (D * kLog2Pi + p.var.row(k).array().log().sum());
  }
}

EmissionEvaluator::EmissionEvaluator(const MixtureParams& p, const FeatureTiles& tiles) : EmissionEvaluator(p) {
  if (full_ || !tiles.isFloat()) return;
  // For z = (x - shift) · inverseScale: μ_z = (μ - shift) · inverseScale, v_z = v · inverseScale²,
  // and log N(x; μ, v) = log N(z; μ_z, v_z) + log inverseScale per feature.
  const int K = nComponents(), D = nFeatures_;
  const FeatureScaling& sc = tiles.scaling();
  scaledLinearQuadraticRows_.assign(static_cast<size_t>(2 * D * K), 0.0f);
  scaledConstant_.resize(K);
  // Coefficients this small add nothing at float resolution; zero, they keep products normal.
  const auto flush = [](double w) { return std::abs(w) < kernels::kFloatFlushWeight ? 0.0f : float(w); };
  for (int k = 0; k < K; ++k) {
    const double w = p.weights(k / nMix_, k % nMix_);
    double c = (w > 0 ? std::log(w) : kNegInf) - 0.5 * D * kLog2Pi;
    for (int d = 0; d < D; ++d) {
      const double s = sc.inverseScale[d];
      const double v = p.var(k, d) * s * s;
      const double mu = (p.means(k, d) - sc.shift[d]) * s;
      // A float product of terms (1 + μ_z²)/v_z errs by ~6e-8 of it per frame and feature (and
      // z rounded to float by ~1.2e-7·|μ_z|/√v_z): past 200 (clusters 20 spreads apart) a fit
      // leaves "1e-6 relative" (measured: 450 gave 1.7e-6, 1e4 1.1e-4, 5e5 whole nats).
      if ((1.0 + mu * mu) / v > 200) floatTooCoarse_ = true;
      scaledLinearQuadraticRows_[d * K + k] = flush(mu / v);
      scaledLinearQuadraticRows_[(D + d) * K + k] = flush(-0.5 / v);
      c -= 0.5 * (std::log(v) + mu * mu / v) - std::log(s);
    }
    scaledConstant_[k] = c;
  }
}

void EmissionEvaluator::componentLogLikelihoods(const TileView& tiles, ColMatrix& out) const {
  const Index T = tiles.rows, P = tiles.P;
  const int K = nComponents();
  out.resize(T, K);
  for (Index b = 0; b < T; b += kernels::kTileFrames) {
    const Index n = std::min(kernels::kTileFrames, T - b);
    if (tiles.f32)
      kernels::emissionProduct(tiles.f32 + P * b, n, P, scaledLinearQuadraticRows_.data(), K, scaledConstant_.data(),
                               out.data() + b, T);
    else
      kernels::emissionProduct(tiles.f64 + P * b, n, P, linearQuadraticRows_.data(), K, constant_.data(),
                               out.data() + b, T);
  }
}

void EmissionEvaluator::componentLogLikelihoods(const Eigen::Ref<const RowMatrix>& X, ColMatrix& out) const {
  const Index T = X.rows();
  const int K = nComponents();
  const int D = nFeatures_;
  out.resize(T, K);
  if (!full_) {
    if (scoresFromDifferences()) {
      for (Index t = 0; t < T; ++t) {
        const auto x = X.row(t);
        for (int k = 0; k < K; ++k)
          out(t, k) = directConstant_[k] - ((x - directMeans_.row(k)).array().square() * directHalfPrecision_.row(k).array()).sum();
      }
      return;
    }
    if (kernels::kEnabled) {
      thread_local std::vector<double> xxT;
      xxT.resize(static_cast<size_t>(2 * D * kernels::kTileFrames));
      for (Index b = 0; b < T; b += kernels::kTileFrames) {
        const Index n = std::min(kernels::kTileFrames, T - b);
        kernels::buildTile(X.data() + b * X.outerStride(), n, D, X.outerStride(), xxT.data());
        kernels::emissionProduct(xxT.data(), n, 2 * D, linearQuadraticRows_.data(), K, constant_.data(),
                                 out.data() + b, T);
      }
      return;
    }
    RowMatrix xx(T, 2 * D);
    xx.leftCols(D) = X;
    xx.rightCols(D) = X.array().square();
    out.noalias() = xx * linearQuadratic_;
    out.rowwise() += constant_;
    return;
  }
  // (x − c)ᵀP − (μ − c)ᵀP with c the mean of the matrix's components (full: the component's
  // own mean, so (x − μ)ᵀP as hmmlearn's solve): xᵀP − μᵀP cancelled far from the origin (a
  // mean of 1e15 with variance 3 scored −4.00 for −4.13 at 4 from it). One product per matrix.
  RowMatrix centred;
  ColMatrix projected;
  for (int k = 0; k < K; ++k) {
    const int i = tied_ ? k / nMix_ : k;
    if (!tied_ || k % nMix_ == 0) {
      centred = X.rowwise() - centres_.row(i);
      projected.noalias() = centred * precisionFactorT_[i];
    }
    out.col(k) = (constant_[k] -
                  0.5 * (projected.rowwise() - centredMeans_.col(k).transpose()).rowwise().squaredNorm().array())
                     .matrix();
  }
}

void EmissionEvaluator::reduceToStates(ColMatrix& comps, RowMatrix& stateLogLik, bool responsibilities) const {
  const Index T = comps.rows();
  stateLogLik.resize(T, nStates_);
  if (nMix_ == 1) {
    stateLogLik = comps;
    if (responsibilities) comps.setOnes();
    return;
  }
  if (tuning().ownExp) {
    kernels::mixtureLogSumExp(comps.data(), T, nStates_, nMix_, stateLogLik.data(), responsibilities);
    return;
  }
  // With Eigen's exp and log (the benchmarks' reference for the kernel above).
  Eigen::VectorXd mx, sum;
  for (int s = 0; s < nStates_; ++s) {
    auto block = comps.middleCols(s * nMix_, nMix_);
    mx = block.col(0);
    for (int m = 1; m < nMix_; ++m) mx = mx.cwiseMax(block.col(m));  // contiguous, vectorised
    if (!mx.allFinite()) {
      // A frame no component of this state can emit (only with zero weights everywhere).
      for (Index t = 0; t < T; ++t)
        if (!std::isfinite(mx[t])) {
          mx[t] = 0;
          block.row(t).setConstant(kNegInf);
        }
    }
    // Column by column on contiguous memory, so that Eigen's vectorised exp/log are used.
    sum.setZero(T);
    for (int m = 0; m < nMix_; ++m) {
      auto column = block.col(m).array();
      column = (column - mx.array()).exp();
      sum.array() += column;
    }
    if (sum.minCoeff() > 0) {
      const Eigen::ArrayXd inverse = sum.array().inverse();
      for (int m = 0; m < nMix_; ++m) block.col(m).array() *= inverse;
      stateLogLik.col(s) = mx.array() + sum.array().log();
      continue;
    }
    for (Index t = 0; t < T; ++t) {
      if (sum[t] > 0) {
        block.row(t) /= sum[t];
        stateLogLik(t, s) = mx[t] + std::log(sum[t]);
      } else {
        block.row(t).setZero();
        stateLogLik(t, s) = kNegInf;
      }
    }
  }
}

bool EmissionEvaluator::fusesScaling() const { return nMix_ > 1 && tuning().ownExp && tuning().fuseScaling; }

bool EmissionEvaluator::scaledResponsibilities(ColMatrix& comps, Index first, Index n, ScaledEmissions& out,
                                               ColMatrix& stateShift, ColMatrix& stateSum) const {
  out.e.resize(n, nStates_);
  out.offset.resize(n);
  // e = sum · exp(gap): the exp's half ulp times the sum (at most M), and the product's.
  out.subnormalUlps = nMix_ + 1;
  stateShift.resize(n, nStates_);
  stateSum.resize(n, nStates_);
  return kernels::mixtureScaledEmissions(comps.data(), comps.rows(), first, n, nStates_, nMix_, out.e.data(),
                                         out.offset.data(), stateShift.data(), stateSum.data());
}

void EmissionEvaluator::stateLogLikelihoods(const ColMatrix& stateShift, const ColMatrix& stateSum,
                                            RowMatrix& stateLogLik) {
  stateLogLik.resize(stateSum.rows(), stateSum.cols());
  kernels::stateLogLikelihoods(stateShift.data(), stateSum.data(), stateSum.rows(), stateSum.cols(),
                               stateLogLik.data());
}

}  // namespace gmmhmm::detail
