// validateChainOptions: the declared ranges, and the rules checked by hand (tol, letters);
// checkChainPriors: the shapes of the chain's priors.
#include "gmmhmm/families/chain_options.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "../model/checks.hpp"

namespace gmmhmm {

namespace {

void requireLetters(const std::string& letters, const std::string& allowed, const char* name) {
  for (char c : letters)
    detail::require(allowed.find(c) != std::string::npos, name, " '", letters, "' may only contain the letters ",
                    allowed, " (s startprob, t transmat, ", allowed.substr(2), " the emissions)");
}

}  // namespace

void validateChainOptions(const ChainOptions& o, const char* familyLetters) {
  checkRanges(o, "");
  // As hmmlearn: EM stops when an iteration gains less than tol, so tol <= 0 runs every
  // iteration (unless the log-likelihood falls by more than -tol) and -Infinity every one.
  detail::require(std::abs(o.tol) <= 1e100 || o.tol == -std::numeric_limits<double>::infinity(),
                  "tol must be a number in [-1e100, 1e100] or -Infinity, got ", o.tol);
  const std::string allowed = std::string("st") + familyLetters;
  requireLetters(o.params, allowed, "params");
  requireLetters(o.initParams, allowed, "initParams");
}

void checkChainPriors(const ChainOptions& o, int nStates) {
  const long N = nStates;
  checkPriorBroadcasts(o.startprobPrior, "startprobPrior", {N}, "[nStates]");
  checkPriorBroadcasts(o.transmatPrior, "transmatPrior", {N, N}, "[nStates, nStates]");
}

}  // namespace gmmhmm
