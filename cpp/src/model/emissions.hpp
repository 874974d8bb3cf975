#pragma once
// Emission log-likelihoods of frames under every (state, component) pair, as matrix products
// with constants precomputed from the parameters (Kaldi's DiagGmm approach):
//   diag/spherical: log w + log N(x; μ, σ²) = c_k + [x, x²] · [μ/σ²; -1/(2σ²)]_k
//   full/tied:      c_k - ½‖P_k (x - c) - P_k (μ_k - c)‖² with P_k = L_k⁻¹, Σ_k = L_k L_kᵀ
//                   (Cholesky), c the mean of the means sharing P_k (full: μ_k itself)
// Rebuilt whenever the parameters change (cheap next to one pass over the data).

#include <vector>

#include <Eigen/Core>

#include "feature_tiles.hpp"
#include "forward_backward.hpp"  // ScaledEmissions
#include "mixture_params.hpp"

namespace gmmhmm::detail {

using ColMatrix = Eigen::MatrixXd;

class EmissionEvaluator {
 public:
  // Throws InvalidArgument when a covariance is not positive definite.
  explicit EmissionEvaluator(const MixtureParams& params);
  // For the training E-step on FeatureTiles: with float tiles (Precision::Float32) the
  // constants are built for the tiles' standardised features.
  EmissionEvaluator(const MixtureParams& params, const FeatureTiles& tiles);

  int nStates() const { return nStates_; }
  int nComponents() const { return nStates_ * nMix_; }

  // Log-likelihoods (including log weights) of the rows of X for every component: T × K.
  void componentLogLikelihoods(const Eigen::Ref<const RowMatrix>& X, ColMatrix& out) const;

  // The same for the frames of one group of FeatureTiles (diag / spherical only; not when
  // scoresFromDifferences(): the tiles' products would cancel, give the frames instead).
  void componentLogLikelihoods(const TileView& tiles, ColMatrix& out) const;
  // Whether frames are scored from their differences to the means (some mean far from the
  // origin relative to its spread), which tiles of [x, x²] cannot give.
  bool scoresFromDifferences() const { return directConstant_.size() > 0; }
  // Whether float tiles (Precision::Float32) would cost more than their stated precision with
  // these parameters: a component narrow against the feature's spread over all the data (the
  // float products then lose whole nats). The E-step then takes the frames in double.
  bool floatTilesTooCoarse() const { return floatTooCoarse_; }

  // Turns component log-likelihoods (T × K) into state log-likelihoods (T × N, row-major) and,
  // in place, into each component's responsibility within its state (rows of a state sum to 1;
  // without `responsibilities`, components may be left as they were).
  void reduceToStates(ColMatrix& components, RowMatrix& stateLogLik, bool responsibilities = true) const;

  // The training E-step's fast path, for the frames [first, first + n) of components: the
  // responsibilities in place as reduceToStates leaves them, and the scaled emissions of those
  // frames (out.e, out.offset) without the state log-likelihoods; stateShift and stateSum
  // (n × N) let stateLogLikelihoods give them if the scaled pass fails. False when a frame has
  // no state that can emit it (the log-space path then decides). Used when fusesScaling():
  // several components per state, the package's own exp and tuning().fuseScaling.
  bool fusesScaling() const;
  bool scaledResponsibilities(ColMatrix& components, Index first, Index n, ScaledEmissions& out, ColMatrix& stateShift,
                              ColMatrix& stateSum) const;
  // reduceToStates's state log-likelihoods, bit for bit, from scaledResponsibilities's
  // stateShift and stateSum.
  static void stateLogLikelihoods(const ColMatrix& stateShift, const ColMatrix& stateSum, RowMatrix& stateLogLik);

 private:
  void useDirectFormIfFar(const MixtureParams& params);

  int nStates_, nMix_, nFeatures_;
  bool full_;
  // diag / spherical
  ColMatrix linearQuadratic_;      // 2D × K
  RowMatrix linearQuadraticRows_;  // the same, row-major (kernels.hpp)
  Eigen::RowVectorXd constant_;  // K
  // diag / spherical with some mean far from the origin relative to its spread (μ²/σ² above
  // 1e12, useDirectFormIfFar): every component scored as c_k − ½Σ(x − μ)²/σ² from the
  // differences, since [x, x²]·[μ/σ², −1/(2σ²)] cancels there (ε·(μ/σ)² of rounding; hmmlearn's
  // formula has it). Empty otherwise.
  RowMatrix directMeans_;              // K × D
  RowMatrix directHalfPrecision_;      // K × D: 1/(2σ²)
  Eigen::RowVectorXd directConstant_;  // K: log w − ½ Σ log(2πσ²)
  // diag / spherical with float tiles: the same for z = (x - shift) · inverseScale
  std::vector<float> scaledLinearQuadraticRows_;  // 2D × K row-major, |values| < 2^-59 set to 0
  Eigen::RowVectorXd scaledConstant_;             // K
  bool floatTooCoarse_ = false;
  // full / tied
  std::vector<Eigen::MatrixXd> precisionFactorT_;  // per component (full) or state (tied): P^T
  RowMatrix centres_;                                // per matrix: the mean of its components' means
  ColMatrix centredMeans_;                           // D × K: P_kᵀ(μ_k − centre)
  bool tied_;
};

}  // namespace gmmhmm::detail
