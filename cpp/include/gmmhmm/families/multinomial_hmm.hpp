#pragma once
// MultinomialHmm: hmmlearn 0.3's MultinomialHMM (a frame counts the outcomes of nTrials draws
// among nFeatures) on the shared EM loop (families/hmm.hpp). Names follow hmmlearn in
// camelCase: n_components -> nStates, n_features -> nFeatures, n_trials -> nTrials,
// emissionprob_ (nStates × nFeatures). Differences from hmmlearn: docs/hmmlearn.md,
// "MultinomialHMM".

#include <string>
#include <string_view>
#include <vector>

#include "gmmhmm/families/chain_model.hpp"
#include "gmmhmm/limits.hpp"
#include "gmmhmm/options.hpp"

namespace gmmhmm {

// Fixed at construction (hmmlearn's constructor arguments); nFeatures 0: from the first fit.
struct MultinomialSizes {
  int nStates = 1;
  int nFeatures = 0;
  // The draws of every frame: its counts must add up to it. 0: each frame's own total
  // (hmmlearn's n_trials=None; sample() then needs a fixed nTrials).
  double nTrials = 0;
};

template <>
struct OptionList<MultinomialSizes> {
  static constexpr const char* kSection = "multinomialSizes";
  GMMHMM_OPTION(nStates, Range::closed(1, 10000), "number of hidden states");
  GMMHMM_OPTION(nFeatures, Range::closed(0, 1e5), "outcomes counted per frame (0: the row width of the first fit)");
  GMMHMM_OPTION(nTrials, Range::closed(0, 1e6), "draws per frame, the sum of its counts (0: any; sample() needs one)");
  template <typename O, typename Visit>
  static void each(O& c, Visit& v) {
    v(nStates, c.nStates);
    v(nFeatures, c.nFeatures);
    v(nTrials, c.nTrials);
  }
};

// The training controls: the chain's (ChainOptions, letters s t e); hmmlearn's
// MultinomialHMM has no emission prior.
struct MultinomialOptions : ChainOptions {};

template <>
struct OptionList<MultinomialOptions> {
  static constexpr const char* kSection = "multinomial";
  template <typename O, typename Visit>
  static void each(O& c, Visit& v) {
    forEachBaseOption<ChainOptions>(c, v);
  }
};

class MultinomialHmm : public ChainModel<MultinomialOptions> {
 public:
  // Throws InvalidArgument naming the option (ranges, an nTrials that is not an integer,
  // letters of params/initParams: s t e).
  explicit MultinomialHmm(const MultinomialSizes& sizes, const MultinomialOptions& options = {});

  int nFeatures() const;  // 0 until known
  double nTrials() const;
  // Changes the training controls (validated first; nothing changes on error).
  void setOptions(const MultinomialOptions& options);

  // fit/score/decode... (ChainModel): X holds rows of nFeatures counts (integers >= 0)
  // adding up to nTrials (when > 0). sample()'s X: n × nFeatures counts (InvalidArgument
  // while nTrials is 0).
  SampleResult sample(Index n, std::uint64_t seed, int currstate = -1) const;

  std::vector<double> emissionprob() const;  // nStates × nFeatures, row-major
  // Rows in [0, 1] summing to 1 within 1e-6; fixes nFeatures (size / nStates) if unknown.
  void setEmissionprob(const std::vector<double>& values);

  // {"format":"gmmhmm-multinomial-hmm","version":1, nStates, nFeatures, nTrials, fitted,
  //  startprob, transmat, emissionprob, training, monitor}.
  std::string toJson() const;
  // The format above, or a dump of hmmlearn's attributes ({startprob_, transmat_,
  // emissionprob_, n_features, n_trials}; n_trials an integer, or per-frame totals: all
  // equal, that value, else 0). ModelFormatError naming the problem.
  static MultinomialHmm fromJson(std::string_view text, const FileLimits& limits = FileLimits());
};

}  // namespace gmmhmm
