#pragma once
// The emission side of a hidden Markov model, apart from its Markov chain: what one EM loop
// (families/hmm.hpp) needs from every family (hmmlearn's base.py hooks; Kaldi's model /
// accumulator / estimator split). A family holds its parameters, its prior and the statistics
// of the E-step being accumulated; the loop owns the chain, the forward-backward, the
// monitor and the rules shared by every family (params letters, tol, priors of the chain).
//
// Frames are rows of frameWidth() doubles (a categorical symbol is one integer-valued double;
// count or rate vectors are nFeatures wide), in a SequenceSet as GmmHmm takes them.

#include <memory>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "gmmhmm/model/gmm_hmm.hpp"  // RowMatrix, Index, SequenceSet, Monitor, results

namespace gmmhmm::detail {
class Random;
struct ScaledEmissions;  // cpp/src/model/forward_backward.hpp
}

namespace gmmhmm {

class EmissionFamily {
 public:
  virtual ~EmissionFamily() = default;
  virtual std::unique_ptr<EmissionFamily> clone() const = 0;

  virtual int nStates() const = 0;
  // Values per frame; 0 while the family does not know it yet.
  virtual Index frameWidth() const = 0;
  // The model's nFeatures as its sizes say it (the number of symbols for categorical frames,
  // which are one value wide); 0 while unknown.
  virtual int nFeatures() const = 0;
  // hmmlearn's parameter letters of the family ("e" for emissionprob).
  virtual const char* letters() const = 0;

  // Throws InvalidArgument naming the first frame of X this family cannot read (its width,
  // a value out of the family's domain), prefixed with `method`. Sizes the family does not
  // know yet are not checked here: adoptSizes() takes them from X.
  virtual void checkFrames(const SequenceSet& X, const char* method) const = 0;
  // Sizes unknown until data (hmmlearn's _check_and_set_n_features), taken from checked X.
  virtual void adoptSizes(const SequenceSet& X) = 0;
  // Throws InvalidArgument naming a prior array that does not broadcast to its parameter's
  // shape, now that every size is known (the model checked what it knew when given it).
  virtual void checkPriors() const {}

  // True when every parameter has a value; missing() names those that have none.
  virtual bool ready() const = 0;
  virtual std::string missing() const = 0;

  // log p(frame t | state s) of the T frames at `frames` (T × frameWidth(), row-major) into
  // out (resized to T × nStates()).
  virtual void logLikelihoods(const double* frames, Index T, RowMatrix& out) const = 0;
  // Optional fast path: the same as probabilities scaled per frame (out.e(t, s) =
  // p(frame t | s) / c_t, out.offset[t] = log c_t, the largest of each frame near 1), which
  // the forward-backward's scaled pass takes without an exp per entry. False (the default, or
  // a frame no state can emit): the loop uses logLikelihoods().
  virtual bool scaledLikelihoods(const double* /*frames*/, Index /*T*/, detail::ScaledEmissions& /*out*/) const {
    return false;
  }

  // Sets the parameters whose letter is in initParams, and those never set (hmmlearn's
  // _needs_init), from the checked data X and the seeded generator.
  virtual void initialize(const SequenceSet& X, const std::string& initParams, detail::Random& rng) = 0;
  // What initialize() takes from the data besides the parameters and the M-step needs (a
  // family's floors), for a fit whose initialisation runs elsewhere (chain_fit_session.hpp):
  // the same values as initialize() would leave.
  virtual void prepareFit(const SequenceSet& /*X*/) {}

  // The E-step's statistics: cleared, then added to sequence by sequence from the state
  // posteriors gamma (T × nStates()) of its frames.
  virtual void clearStatistics() = 0;
  virtual void accumulate(const double* frames, Index T, const Eigen::Ref<const RowMatrix>& gamma) = 0;
  // The M-step of the parameters whose letter is in `params`, with the family's prior.
  virtual void maximize(const std::string& params) = 0;

  // For fits whose E-steps run elsewhere (families/chain_fit_session.hpp), everything that
  // crosses as one vector of doubles: the statistics (written after accumulate(), read back,
  // replacing them, before maximize()) and the parameters the E-step reads (written by the
  // fitting model, installed exactly, derived tables rebuilt, by a model of the same family
  // and sizes). The sizes are those of the model as it is (nFeatures known).
  virtual Index statisticsSize() const = 0;
  virtual void writeStatistics(double* out) const = 0;
  virtual void readStatistics(const double* in) = 0;
  virtual Index parameterValuesSize() const = 0;
  virtual void writeParameterValues(double* out) const = 0;
  virtual void readParameterValues(const double* in) = 0;

  // Free scalar parameters of the emissions (for aic/bic).
  virtual Index nFreeParameters() const = 0;
  // One frame (frameWidth() values) drawn from state `state`'s distribution.
  virtual void sampleFrame(int state, detail::Random& rng, double* out) const = 0;
  // Bytes of the parameters plus the statistics (memory checks before fits and copies).
  virtual double bytes() const = 0;

  // The parameters that have a value into a model file (hmmlearn's names and shapes): all of
  // them when ready(), those set before that.
  virtual void writeParameters(nlohmann::json& out) const = 0;
};

}  // namespace gmmhmm
