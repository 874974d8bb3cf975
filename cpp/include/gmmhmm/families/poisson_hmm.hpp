#pragma once
// PoissonHmm: hmmlearn's PoissonHMM (frames of nFeatures independent event counts) on the
// shared EM loop (families/hmm.hpp). Names follow hmmlearn in camelCase: n_components ->
// nStates, n_features -> nFeatures (taken from the first fit when not given), lambdas_
// (nStates × nFeatures rates), lambdas_prior / lambdas_weight (the Gamma prior's alpha, beta).
// Differences from hmmlearn: docs/hmmlearn.md, "PoissonHMM".

#include <string>
#include <string_view>
#include <vector>

#include "gmmhmm/families/chain_model.hpp"
#include "gmmhmm/limits.hpp"
#include "gmmhmm/options.hpp"

namespace gmmhmm {

// Fixed at construction (hmmlearn's constructor arguments); nFeatures 0: from the first fit.
struct PoissonSizes {
  int nStates = 1;
  int nFeatures = 0;
};

template <>
struct OptionList<PoissonSizes> {
  static constexpr const char* kSection = "poissonSizes";
  GMMHMM_OPTION(nStates, Range::closed(1, 10000), "number of hidden states");
  GMMHMM_OPTION(nFeatures, Range::closed(0, 1e5), "counts per frame (0: the row width of the first fit)");
  template <typename O, typename Visit>
  static void each(O& c, Visit& v) {
    v(nStates, c.nStates);
    v(nFeatures, c.nFeatures);
  }
};

// The training controls: the chain's (ChainOptions, letters s t l) and the rates' Gamma prior.
struct PoissonOptions : ChainOptions {
  // hmmlearn's defaults: every parameter, the rates' letter being l.
  PoissonOptions() { params = initParams = "stl"; }
  Prior lambdasPrior = 0.0;   // hmmlearn's lambdas_prior: the Gamma prior's alpha (0: none); a number or [nStates, nFeatures]
  Prior lambdasWeight = 0.0;  // hmmlearn's lambdas_weight: its beta (0: none); a number or [nStates, nFeatures]
};

template <>
struct OptionList<PoissonOptions> {
  static constexpr const char* kSection = "poisson";
  GMMHMM_OPTION(lambdasPrior, Range::closed(0, 1e100), "alpha of the rates' Gamma prior (hmmlearn's lambdas_prior; 0: none); a number or per rate");
  GMMHMM_OPTION(lambdasWeight, Range::closed(0, 1e100), "beta of the rates' Gamma prior (hmmlearn's lambdas_weight; 0: none); a number or per rate");
  template <typename O, typename Visit>
  static void each(O& c, Visit& v) {
    forEachBaseOption<ChainOptions>(c, v);
    v(lambdasPrior, c.lambdasPrior);
    v(lambdasWeight, c.lambdasWeight);
  }
};

class PoissonHmm : public ChainModel<PoissonOptions> {
 public:
  // Throws InvalidArgument naming the option (ranges, letters of params/initParams: s t l).
  explicit PoissonHmm(const PoissonSizes& sizes, const PoissonOptions& options = {});

  int nFeatures() const;  // 0 until known
  // Changes the training controls (validated first; nothing changes on error).
  void setOptions(const PoissonOptions& options);

  // fit/score/decode... (ChainModel): X holds rows of nFeatures counts (integers >= 0);
  // sample()'s X is n × nFeatures counts.

  std::vector<double> lambdas() const;  // nStates × nFeatures, row-major
  // Finite rates > 0; fixes nFeatures (size / nStates) if unknown.
  void setLambdas(const std::vector<double>& values);

  // {"format":"gmmhmm-poisson-hmm","version":1, nStates, nFeatures, fitted, startprob,
  //  transmat, lambdas, training, monitor}.
  std::string toJson() const;
  // The format above, or a dump of hmmlearn's attributes ({startprob_, transmat_, lambdas_,
  // n_features}, names with or without the underscore). ModelFormatError naming the problem.
  static PoissonHmm fromJson(std::string_view text, const FileLimits& limits = FileLimits());
};

}  // namespace gmmhmm
