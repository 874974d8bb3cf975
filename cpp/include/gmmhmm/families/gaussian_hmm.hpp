#pragma once
// GaussianHmm: hmmlearn's GaussianHMM (one Gaussian per state) on the shared EM loop
// (families/hmm.hpp). Names follow hmmlearn in camelCase: n_components -> nStates,
// covariance_type -> covarianceType (spherical, diag, full, tied; hmmlearn's `tied` is ONE
// matrix shared by every state, where GMMHMM's is one per state), means_ (nStates ×
// nFeatures), covars_ (spherical nStates, diag nStates × nFeatures, full nStates × nFeatures
// × nFeatures, tied nFeatures × nFeatures), min_covar, means_prior, means_weight,
// covars_prior, covars_weight. GMMHMM with nMix 1 is the same model for spherical, diag and
// full, with GMMHMM's priors. Differences from hmmlearn: docs/hmmlearn.md, "GaussianHMM".

#include <string>
#include <string_view>
#include <vector>

#include "gmmhmm/families/chain_model.hpp"
#include "gmmhmm/limits.hpp"
#include "gmmhmm/model/config.hpp"  // CovarianceType
#include "gmmhmm/options.hpp"

namespace gmmhmm {

// Fixed at construction (hmmlearn's constructor arguments); nFeatures 0: from the first fit
// or the first means / covars set.
struct GaussianSizes {
  int nStates = 1;
  int nFeatures = 0;
  CovarianceType covarianceType = CovarianceType::Diag;
};

template <>
struct OptionList<GaussianSizes> {
  static constexpr const char* kSection = "gaussianSizes";
  GMMHMM_OPTION(nStates, Range::closed(1, 10000), "number of hidden states");
  GMMHMM_OPTION(nFeatures, Range::closed(0, 100000), "values per frame (0: from the first fit)");
  GMMHMM_OPTION(covarianceType, kByHand, "'spherical', 'diag', 'full' or 'tied' (one matrix shared by all states)");
  template <typename O, typename Visit>
  static void each(O& c, Visit& v) {
    v(nStates, c.nStates);
    v(nFeatures, c.nFeatures);
    v(covarianceType, c.covarianceType);
  }
};

// The training controls: the chain's (ChainOptions, letters s t m c) and the emissions'.
struct GaussianOptions : ChainOptions {
  GaussianOptions() { params = initParams = "stmc"; }
  double minCovar = 1e-3;     // added to the data's covariance at initialisation (not a floor afterwards)
  // The priors: each a number or an array (shapes: detail::GaussianEmissions::checkPriors;
  // docs/hmmlearn.md, "GaussianHMM").
  Prior meansPrior = 0.0;     // mean of the means' normal prior: [nStates, nFeatures]
  Prior meansWeight = 0.0;    // its weight (pseudo-frames; 0: none): [nStates]
  Prior covarsPrior = 1e-2;   // pseudo scatter added to the covariances (full/tied: every entry, as hmmlearn)
  Prior covarsWeight = 1.0;   // hmmlearn's covars_weight (diag/spherical: adds max(w - 1, 0) frames; full/tied: max(w - D, 0))
  int nInit = 10;             // k-means runs initialising the means, the lowest inertia kept
};

template <>
struct OptionList<GaussianOptions> {
  static constexpr const char* kSection = "gaussian";
  GMMHMM_OPTION(minCovar, Range::atLeast(0), "added to the data's covariance at initialisation, as hmmlearn's min_covar (not a floor after the M-steps)");
  GMMHMM_OPTION(meansPrior, Range::closed(-1e100, 1e100), "mean of the means' normal prior");
  GMMHMM_OPTION(meansWeight, Range::closed(0, 1e100), "weight of the means' prior in frames (0: none)");
  GMMHMM_OPTION(covarsPrior, Range::closed(-1e100, 1e100), "scatter added to the covariances (full, tied: to every entry); variances and diagonal entries >= 0 (checked by the family)");
  GMMHMM_OPTION(covarsWeight, Range::closed(0, 1e100), "hmmlearn's covars_weight: max(w - 1, 0) (full, tied: max(w - nFeatures, 0)) frames added to the denominator");
  GMMHMM_OPTION(nInit, Range::closed(1, 1000), "k-means runs initialising the means, the lowest inertia kept");
  template <typename O, typename Visit>
  static void each(O& c, Visit& v) {
    forEachBaseOption<ChainOptions>(c, v);
    v(minCovar, c.minCovar);
    v(meansPrior, c.meansPrior);
    v(meansWeight, c.meansWeight);
    v(covarsPrior, c.covarsPrior);
    v(covarsWeight, c.covarsWeight);
    v(nInit, c.nInit);
  }
};

class GaussianHmm : public ChainModel<GaussianOptions> {
 public:
  // Throws InvalidArgument naming the option (ranges, letters of params/initParams: s t m c).
  explicit GaussianHmm(const GaussianSizes& sizes, const GaussianOptions& options = {});

  int nFeatures() const;  // 0 until known
  CovarianceType covarianceType() const;
  // Changes the training controls (validated first; nothing changes on error).
  void setOptions(const GaussianOptions& options);

  // fit/score/decode... (ChainModel): X holds rows of nFeatures finite values within ±1e100.

  std::vector<double> means() const;   // nStates × nFeatures, row-major
  std::vector<double> covars() const;  // hmmlearn's shape for the type (see above)
  // Every state's matrix, nStates × nFeatures × nFeatures (hmmlearn's covars_ property).
  std::vector<double> fullCovars() const;
  // Finite, within ±1e100; fixes nFeatures (size / nStates) if unknown.
  void setMeans(const std::vector<double>& values);
  // covars()'s shape, or a matrix per state (nStates × D × D); positive (definite).
  void setCovars(const std::vector<double>& values);

  // {"format":"gmmhmm-gaussian-hmm","version":1, nStates, nFeatures, covarianceType, fitted,
  //  startprob, transmat, means, covars (covars()'s shape), training, monitor}.
  std::string toJson() const;
  // The format above, or a dump of hmmlearn's attributes ({startprob_, transmat_, means_,
  // covars_ (its property's N × D × D, or _covars_'s shape), covariance_type, n_features}).
  // ModelFormatError naming the problem, also for a file over `limits`.
  static GaussianHmm fromJson(std::string_view text, const FileLimits& limits = FileLimits());
};

}  // namespace gmmhmm
