#pragma once
// CategoricalHmm: hmmlearn's CategoricalHMM (integer symbols 0 .. nFeatures - 1), the first
// family on the shared EM loop (families/hmm.hpp). Names follow hmmlearn in camelCase:
// n_components -> nStates, n_features -> nFeatures (the number of symbols; taken from the data
// as max + 1 when not given), emissionprob_ (nStates × nFeatures), emissionprob_prior.
// Differences from hmmlearn: docs/hmmlearn.md, "CategoricalHMM".

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gmmhmm/families/chain_model.hpp"
#include "gmmhmm/limits.hpp"
#include "gmmhmm/options.hpp"

namespace gmmhmm {

// Fixed at construction (hmmlearn's constructor arguments); nFeatures 0: from the first fit.
struct CategoricalSizes {
  int nStates = 1;
  int nFeatures = 0;
};

template <>
struct OptionList<CategoricalSizes> {
  static constexpr const char* kSection = "categoricalSizes";
  GMMHMM_OPTION(nStates, Range::closed(1, 10000), "number of hidden states");
  GMMHMM_OPTION(nFeatures, Range::closed(0, 1e7), "number of symbols (0: the largest symbol of the first fit + 1)");
  template <typename O, typename Visit>
  static void each(O& c, Visit& v) {
    v(nStates, c.nStates);
    v(nFeatures, c.nFeatures);
  }
};

// The training controls: the chain's (ChainOptions) and the emissions' prior.
struct CategoricalOptions : ChainOptions {
  Prior emissionprobPrior = 1.0;  // Dirichlet concentration of emissionprob (1: none): a number or [nStates, nFeatures]
};

template <>
struct OptionList<CategoricalOptions> {
  static constexpr const char* kSection = "categorical";
  GMMHMM_OPTION(emissionprobPrior, Range::openLow(0, 1e100), "Dirichlet concentration of emissionprob (1: none); a number or per entry");
  template <typename O, typename Visit>
  static void each(O& c, Visit& v) {
    forEachBaseOption<ChainOptions>(c, v);
    v(emissionprobPrior, c.emissionprobPrior);
  }
};

class CategoricalHmm : public ChainModel<CategoricalOptions> {
 public:
  // Throws InvalidArgument naming the option (ranges, letters of params/initParams: s t e).
  explicit CategoricalHmm(const CategoricalSizes& sizes, const CategoricalOptions& options = {});

  int nFeatures() const;  // 0 until known
  // Changes the training controls (validated first; nothing changes on error).
  void setOptions(const CategoricalOptions& options);

  // fit/score/decode... (ChainModel): X holds one symbol per frame (nFeatures == 1 in the
  // SequenceSet), integers in [0, nFeatures - 1] (any non-negative integer while nFeatures
  // is unknown); sample()'s X is n × 1 symbols.

  std::vector<double> emissionprob() const;  // nStates × nFeatures, row-major (empty until known)
  // Rows in [0, 1] summing to 1 within 1e-6; fixes nFeatures (size / nStates) if unknown.
  void setEmissionprob(const std::vector<double>& values);

  // {"format":"gmmhmm-categorical-hmm","version":1, nStates, nFeatures, fitted, startprob,
  //  transmat, emissionprob, training, monitor}.
  std::string toJson() const;
  // The format above, or a dump of hmmlearn's attributes ({startprob_, transmat_,
  // emissionprob_, n_features}, names with or without the underscore). ModelFormatError
  // naming the problem, also for a file over `limits`.
  static CategoricalHmm fromJson(std::string_view text, const FileLimits& limits = FileLimits());
};

}  // namespace gmmhmm
