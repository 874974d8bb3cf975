#pragma once
// The Gaussian emission family (internal header): state s emits x ~ N(means_s, covars_s),
// hmmlearn's GaussianHMM. Covariance types as hmmlearn's: spherical (one variance per state),
// diag (a variance per state and feature), full (a matrix per state) and tied (ONE matrix
// shared by every state; GMMHMM's `tied` shares within a state instead).
//
// The log-likelihoods are GMMHMM's (EmissionEvaluator on one-component mixtures: matrix
// products for diag/spherical, Cholesky factors for full/tied), so both classes score alike.
// Statistics: occupancy, Σγx, Σγx² (diag/spherical) or Σγxxᵀ (full/tied) per state.
// M-step: hmmlearn's GaussianHMM._do_mstep (its priors and their shapes), then only the
// precision floor (statistics.hpp); minCovar is added at initialisation only, as hmmlearn's
// min_covar.

#include <optional>
#include <string>
#include <vector>

#include "../model/emissions.hpp"
#include "../model/mixture_params.hpp"
#include "../model/statistics.hpp"  // Floors
#include "gmmhmm/families/emission_family.hpp"
#include "gmmhmm/model/config.hpp"

namespace gmmhmm::detail {

struct GlobalStatistics;  // ../model/initialization.hpp

// The family's training controls, set by the model (families/gaussian_hmm.hpp declares them).
struct GaussianSettings {
  double minCovar = 1e-3;     // added to the data's covariance at initialisation (hmmlearn's min_covar)
  // The priors, each a number or an array (shapes: GaussianEmissions::checkPriors).
  Prior meansPrior = 0.0;     // hmmlearn's means_prior
  Prior meansWeight = 0.0;    // hmmlearn's means_weight
  Prior covarsPrior = 1e-2;   // hmmlearn's covars_prior (full/tied: added to every entry, as hmmlearn)
  Prior covarsWeight = 1.0;   // hmmlearn's covars_weight
  int nInit = 10;             // k-means runs of the means' initialisation (hmmlearn: KMeans n_init=10)
};

class GaussianEmissions final : public EmissionFamily {
 public:
  GaussianEmissions(int nStates, int nFeatures, CovarianceType type);

  std::unique_ptr<EmissionFamily> clone() const override { return std::make_unique<GaussianEmissions>(*this); }
  int nStates() const override { return nStates_; }
  Index frameWidth() const override { return params_.nFeatures; }
  const char* letters() const override { return "mc"; }
  void checkFrames(const SequenceSet& X, const char* method) const override;
  void adoptSizes(const SequenceSet& X) override;
  bool ready() const override { return hasMeans_ && hasCovars_; }
  std::string missing() const override;
  void logLikelihoods(const double* frames, Index T, RowMatrix& out) const override;
  // Straight from the evaluator's column-major log-likelihoods, a tile at a time (GMMHMM's
  // scaledStateEmissions); tied (one evaluator state of N components): false.
  bool scaledLikelihoods(const double* frames, Index T, ScaledEmissions& out) const override;
  void initialize(const SequenceSet& X, const std::string& initParams, Random& rng) override;
  void prepareFit(const SequenceSet& X) override;
  void clearStatistics() override;
  void accumulate(const double* frames, Index T, const Eigen::Ref<const RowMatrix>& gamma) override;
  void maximize(const std::string& params) override;
  Index statisticsSize() const override;
  void writeStatistics(double* out) const override;
  void readStatistics(const double* in) override;
  Index parameterValuesSize() const override;
  void writeParameterValues(double* out) const override;
  void readParameterValues(const double* in) override;
  Index nFreeParameters() const override;
  void sampleFrame(int state, Random& rng, double* out) const override;
  double bytes() const override;
  void writeParameters(nlohmann::json& out) const override;

  CovarianceType covarianceType() const { return params_.type; }
  bool hasMeans() const { return hasMeans_; }
  bool hasCovars() const { return hasCovars_; }
  int nFeatures() const override { return params_.nFeatures; }
  // nStates × nFeatures, row-major.
  std::vector<double> means() const;
  // hmmlearn's shapes (its `_covars_`): spherical N, diag N × D, full N × D × D, tied D × D.
  std::vector<double> covars() const;
  // Every state's covariance as a D × D matrix (hmmlearn's `covars_` property): N × D × D.
  std::vector<double> fullCovars() const;
  // Validated (finite; sizes; fixes nFeatures when unknown): InvalidArgument naming the value.
  void setMeans(const std::vector<double>& values);
  // In covars()'s shape, or N × D × D for every type (values off the diagonal must then be 0
  // for diag/spherical, equal across states for tied); positive (definite), finite.
  void setCovars(const std::vector<double>& values);
  // Values in covars()'s shape for a model of these sizes.
  static Index covarsValues(CovarianceType type, Index N, Index D);
  // Free parameters of the covariances (hmmlearn's _get_n_fit_scalars_per_param()['c']).
  static Index covarsFreeParameters(CovarianceType type, Index N, Index D);

  const GaussianSettings& settings() const { return settings_; }
  // Checks the priors' shapes against the sizes known (nothing changes on error), then keeps them.
  void setSettings(const GaussianSettings& settings);
  // meansPrior [nStates, nFeatures], meansWeight [nStates]; covarsPrior in the covariances'
  // shape (spherical [nStates], diag [nStates, nFeatures], full [nStates, nFeatures,
  // nFeatures], tied [nFeatures, nFeatures]); covarsWeight spherical and full [nStates], diag
  // [nStates, nFeatures], tied a number (hmmlearn's max(covars_weight - nFeatures, 0)).
  void checkPriors() const override;

 private:
  void installCovars(MixtureParams next);  // rebuilds the evaluator and the sampling factors
  // The data's statistics that initialize() and prepareFit() take (the covariance for full
  // and tied models), and the floors from them.
  GlobalStatistics globalStatistics(const SequenceSet& X) const;
  void setFloors(const GlobalStatistics& global);
  void requireFeatures(Index D, const char* what) const;
  // statsOrigin_ from the parameters: the centringOrigin (statistics.hpp) of their states' mean
  // against each feature's smallest variance. The E-step (here or in a share, which holds the
  // same parameters) and the M-step choose the same.
  void chooseStatisticsOrigin();
  // accumulate() of frames as they are (the caller centred them if need be).
  void accumulateFrames(const double* frames, Index T, const Eigen::Ref<const RowMatrix>& gamma);

  int nStates_;
  GaussianSettings settings_;
  // GMMHMM's layout, a component per state with weight 1: N one-component states; tied: ONE
  // state of N components sharing fullCov[0], so that the evaluator factors and projects the
  // frames through the shared matrix once, not once per state.
  MixtureParams params_;
  std::optional<EmissionEvaluator> evaluator_;
  std::vector<Eigen::MatrixXd> choleskyL_;  // per covariance matrix (full: N; tied: 1), for sampling
  bool hasMeans_ = false, hasCovars_ = false;
  Floors floors_;  // of the data of the fit under way (set by initialize)
  // Statistics of the E-step.
  Eigen::VectorXd post_;               // N
  RowMatrix obs_, obs2_;               // N × D (obs2: diag / spherical)
  std::vector<Eigen::MatrixXd> outer_;  // N matrices D × D (full / tied)
  // Empty: the statistics are of the frames as given; else of the frames minus this.
  Eigen::RowVectorXd statsOrigin_;
};

}  // namespace gmmhmm::detail
