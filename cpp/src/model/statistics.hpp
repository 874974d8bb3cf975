#pragma once
// Sufficient statistics of Baum-Welch and the exact maximum-likelihood (or MAP, with priors)
// M-step: covariances are computed around the UPDATED means.
//
// Rule for parts that receive no data (occupancy below kEmptyOccupancy): a component keeps
// its mean and covariance and its weight becomes its (tiny) share of the state; a state keeps
// all its mixture parameters and its transition row. Nothing becomes NaN.

#include <vector>

#include <Eigen/Core>

#include "emissions.hpp"
#include "feature_tiles.hpp"
#include "mixture_params.hpp"

namespace gmmhmm::detail {

constexpr double kEmptyOccupancy = 1e-8;

struct Statistics {
  Eigen::VectorXd start;  // N: expected initial occupancy
  RowMatrix trans;        // N × N: expected transition counts
  Eigen::VectorXd occupancy;  // K
  RowMatrix sum1;             // K × D: Σ w x
  RowMatrix sum2;             // K × D: Σ w x² (diag, spherical)
  std::vector<Eigen::MatrixXd> outer;  // full: K, tied: N matrices Σ w x xᵀ
  double logLikelihood = 0;

  void reset(const MixtureParams& shape);
  // One block of frames: X (T × D), within-state responsibilities (T × K), state posteriors
  // gamma (T × N). `weights`: scratch space (T × K), reused from call to call.
  void accumulate(const Eigen::Ref<const RowMatrix>& X, const ColMatrix& responsibilities,
                  const Eigen::Ref<const RowMatrix>& gamma, const MixtureParams& shape, ColMatrix& weights);
  // The same from a group's FeatureTiles (diag / spherical). Float tiles: weights below
  // kernels::kFloatFlushWeight count as 0 (in the occupancy too, so that sums and counts
  // agree), and the sums are taken back from standardised to original units.
  // `weights`: scratch space, reused from call to call.
  void accumulate(const TileView& tiles, const FeatureScaling& scaling, const ColMatrix& responsibilities,
                  const Eigen::Ref<const RowMatrix>& gamma, const MixtureParams& shape, ColMatrix& weights);

  // this += other (statistics of the same shape).
  void add(const Statistics& other);
  // Flat form (for statistics computed in another thread or module): every value, in a fixed
  // order. read() needs reset(shape) first and returns the values it did not use; throws
  // InvalidArgument when they are too few.
  void appendTo(std::vector<double>& out) const;
  const double* read(const double* begin, const double* end);
};

struct Floors {
  Eigen::VectorXd perFeature;  // variance floor for every feature
};

// The smallest variance a fit gives a feature whatever minCovar says, so that rounding stays
// small: the M-step's Σx² − nμ² (and the E-step's products [x, x²]·[μ/σ², −1/(2σ²)], until
// the evaluator scores from differences beyond μ²/σ² = 1e12, emissions.hpp) lose about
// ε·(μ/σ)². 1e-10 of the feature's variance keeps a constant feature finite; 1e-12 of its
// squared mean keeps that loss near 2e-4 relative for states near the data's mean. Data far
// from the origin (centringOrigin below) is fitted with centred statistics and passes the
// mean of centred data (about 0) here. Both are from the data's moments; states far from the
// data's mean lose more (docs/hmmlearn.md, GaussianHMM).
Eigen::VectorXd precisionFloor(const Eigen::VectorXd& mean, const Eigen::VectorXd& variance);

// Beyond this square of (distance from the origin ÷ standard deviation) in some feature —
// 1,000 standard deviations — a fit keeps its statistics centred (GMMHMM: on the data's mean,
// fit_session.cpp; GaussianHMM: on its states' mean, gaussian_estep.cpp), so that Σx² − nμ²
// loses no more than about 1e-10 of a variance, and the precision floor's squared mean is
// that of centred data. Below it nothing is centred and every bit is as before (GaussianHMM
// judges by its states' variances, so tight states far from 0 are centred too).
constexpr double kCentringRatio = 1e6;
// The origin to centre on: for each feature far from the origin (a variance above 0 and a
// mean² above kCentringRatio × the variance) its mean, for the others 0 (their values stay as
// they are, bit for bit); empty when no feature is far. A constant feature is never far.
Eigen::RowVectorXd centringOrigin(const Eigen::VectorXd& mean, const Eigen::VectorXd& variance);

// The priors of ModelConfig, every entry spelt out (broadcast to the parameters' shapes; K =
// nStates × nMix components, the rows of `means`): maximize() reads one value per entry.
struct PriorSettings {
  // Components per state of the arrays below (ModelConfig::nMix). While mixture splitting
  // grows a mixture, its m-th component takes the priors of component m.
  int nMix = 1;
  Eigen::VectorXd startprob;    // N
  RowMatrix transmat;           // N × N
  RowMatrix weights;            // N × M
  RowMatrix meansPrior;         // K × D
  Eigen::VectorXd meansWeight;  // K
  // The pseudo scatter added to the variances (full, tied: to their diagonal), with
  // covarsPriorPerFeature added in: K × D (spherical: the same value across a row but for
  // covarsPriorPerFeature; the variance is the mean over features); tied N × D.
  RowMatrix covarsPrior;
  // Pseudo-counts of the variances' denominators: diag K × D; spherical, full K × 1; tied N × 1.
  RowMatrix covarsWeight;
};

// Updates the selected parameters in place from the statistics ("stmcw" letters).
void maximize(const Statistics& stats, const std::string& params, const Floors& floors,
              const PriorSettings& priors, Eigen::VectorXd& startprob, RowMatrix& transmat,
              MixtureParams& mixtures);

// Applies the variance floors to every covariance (diag: elementwise; spherical: the largest
// floor; full/tied: Σ ⪰ diag(floor) by clamping eigenvalues in the floor-whitened space).
void applyFloors(const Floors& floors, MixtureParams& mixtures);

}  // namespace gmmhmm::detail
