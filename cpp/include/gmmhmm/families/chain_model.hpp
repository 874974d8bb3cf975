#pragma once
// ChainModel<Options>: what every concrete family model (CategoricalHmm, PoissonHmm,
// MultinomialHmm) exposes of its shared Hmm -- training, inference, the chain's parameters --
// written once. A model derives from it and adds its constructor (sizes, family), setOptions
// (which hands the family its prior), the emission parameters and its file format.

#include <cstdint>
#include <memory>
#include <vector>

#include "gmmhmm/families/chain_fit_session.hpp"
#include "gmmhmm/families/hmm.hpp"

namespace gmmhmm {

template <typename Options>
class ChainModel {
 public:
  int nStates() const { return hmm_.nStates(); }
  const Options& options() const { return options_; }
  bool isReady() const { return hmm_.ready(); }

  // Baum-Welch with the model's options (Hmm::fit): on failure the model is unchanged.
  const Monitor& fit(const SequenceSet& X, const IterationCallback& onIteration = {}) {
    return hmm_.fit(X, options_, onIteration);
  }
  // fit() step by step, for E-steps that run elsewhere (families/chain_fit_session.hpp): the
  // session trains a copy and installs it into this model on finish(); `where` its
  // initialisation runs.
  std::unique_ptr<ChainFitSession> fitSession(const SequenceSet& X,
                                              ChainFitSession::Initialisation where = ChainFitSession::Initialisation::Here) {
    return std::make_unique<ChainFitSession>(hmm_, X, options_, where);
  }
  // A share of such a fit, on this model as the prototype: it must have the family and sizes
  // of the session's model (nFeatures included).
  std::unique_ptr<ChainShareStatistics> shareStatistics(const SequenceSet& frames, const std::vector<Index>& groupSizes) const {
    return std::make_unique<ChainShareStatistics>(hmm_, frames, groupSizes);
  }
  const Monitor& monitor() const { return hmm_.monitor(); }
  double score(const SequenceSet& X) const { return hmm_.score(X); }
  std::vector<double> scorePerSequence(const SequenceSet& X) const { return hmm_.scorePerSequence(X); }
  PosteriorResult scoreSamples(const SequenceSet& X) const { return hmm_.posteriors(X, "scoreSamples"); }
  DecodeResult decode(const SequenceSet& X, DecodeAlgorithm algorithm = DecodeAlgorithm::Viterbi) const {
    return hmm_.decode(X, algorithm);
  }
  // X of the result: n frames of the family's width.
  SampleResult sample(Index n, std::uint64_t seed, int currstate = -1) const { return hmm_.sample(n, seed, currstate); }
  std::vector<double> stationaryDistribution() const { return hmm_.stationaryDistribution(); }
  Index nFreeParameters() const { return hmm_.nFreeParameters(); }
  double aic(const SequenceSet& X) const { return hmm_.aic(X); }
  double bic(const SequenceSet& X) const { return hmm_.bic(X); }

  std::vector<double> startprob() const { return hmm_.startprob(); }
  std::vector<double> transmat() const { return hmm_.transmat(); }
  void setStartprob(const std::vector<double>& values) { hmm_.setStartprob(values); }
  void setTransmat(const std::vector<double>& values) { hmm_.setTransmat(values); }

 protected:
  ChainModel(const Options& options, Hmm hmm) : options_(options), hmm_(std::move(hmm)) {}

  Options options_;
  Hmm hmm_;
};

}  // namespace gmmhmm
