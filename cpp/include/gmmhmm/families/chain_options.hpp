#pragma once
// The training controls every emission family shares (the Markov chain's side of hmmlearn's
// BaseHMM): declared once (gmmhmm/options.hpp), so that validation, model files, the binding's
// readers and info() follow from this list. A family's own options extend it
// (e.g. CategoricalOptions, families/categorical_hmm.hpp).

#include <cstdint>
#include <string>

#include "gmmhmm/options.hpp"

namespace gmmhmm {

struct ChainOptions {
  int nIter = 10;             // maximum number of EM iterations
  double tol = 1e-2;          // EM stops when an iteration gains less; <= 0 or -inf: every iteration
  std::uint64_t seed = 0;     // seed of the initialisation
  std::string params = "ste";      // what EM updates: s startprob, t transmat, and the family's letters
  std::string initParams = "ste";  // what initialisation sets (the others keep the values set)
  Prior startprobPrior = 1.0;      // Dirichlet concentration (1 = none): a number or [nStates]
  Prior transmatPrior = 1.0;       // on every allowed transition: a number or [nStates, nStates]
};

template <>
struct OptionList<ChainOptions> {
  static constexpr const char* kSection = "hmm";
  GMMHMM_OPTION(nIter, Range::closed(0, 1e6), "maximum number of EM iterations");
  GMMHMM_OPTION(tol, kByHand.orMinusInfinity(), "EM stops when an iteration gains less than this; -Infinity: every iteration runs");
  GMMHMM_OPTION(seed, Range::any(), "seed of the initialisation");
  GMMHMM_OPTION(params, kByHand, "letters: what EM updates (s startprob, t transmat, the family's)");
  GMMHMM_OPTION(initParams, kByHand, "letters: what initialisation sets");
  GMMHMM_OPTION(startprobPrior, Range::openLow(0, 1e100), "Dirichlet concentration of startprob (1: none); a number or per state");
  GMMHMM_OPTION(transmatPrior, Range::openLow(0, 1e100), "Dirichlet concentration of transmat (1: none); a number or per entry");
  template <typename O, typename Visit>
  static void each(O& c, Visit& v) {
    v(nIter, c.nIter);
    v(tol, c.tol);
    v(seed, c.seed);
    v(params, c.params);
    v(initParams, c.initParams);
    v(startprobPrior, c.startprobPrior);
    v(transmatPrior, c.transmatPrior);
  }
};

// Throws InvalidArgument naming the option: declared ranges, tol (a number in [-1e100,
// 1e100] or -Infinity), and letters of params / initParams outside "st" + familyLetters.
void validateChainOptions(const ChainOptions& options, const char* familyLetters);
// Throws InvalidArgument naming the prior unless startprobPrior broadcasts to [nStates] and
// transmatPrior to [nStates, nStates] (numpy's rule, gmmhmm/prior.hpp).
void checkChainPriors(const ChainOptions& options, int nStates);

}  // namespace gmmhmm
