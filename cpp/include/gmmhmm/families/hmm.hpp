#pragma once
// Hmm: a Markov chain (startprob, transmat) over the states of any EmissionFamily, with ONE
// EM loop and the inference every family shares (score, posteriors, Viterbi / MAP decoding,
// sampling, aic/bic, the stationary distribution) on the forward-backward and Viterbi of
// cpp/src/model. Concrete models (CategoricalHmm...) own one and add their family's options,
// parameters and file format.
//
// Failed calls change nothing: fit() trains a copy and installs it when it completes.

#include <cstdint>
#include <memory>
#include <vector>

#include <Eigen/Core>

#include "gmmhmm/families/chain_options.hpp"
#include "gmmhmm/families/emission_family.hpp"
#include "gmmhmm/model/config.hpp"  // DecodeAlgorithm

namespace gmmhmm {

class Hmm {
 public:
  // nStates in [1, 10000]; the chain starts uniform (as GMMHMM's ergodic models).
  Hmm(int nStates, std::unique_ptr<EmissionFamily> emissions);
  Hmm(const Hmm& other);
  Hmm& operator=(const Hmm& other);
  Hmm(Hmm&&) noexcept;
  Hmm& operator=(Hmm&&) noexcept;
  ~Hmm();

  int nStates() const { return nStates_; }
  const EmissionFamily& emissions() const { return *emissions_; }
  EmissionFamily& emissions() { return *emissions_; }
  bool ready() const;
  // Throws NotFitted naming what is missing, prefixed with `method`.
  void requireReady(const char* method) const;

  // Baum-Welch as hmmlearn's BaseHMM.fit: initialise (initParams letters, and what was never
  // set), then at most nIter iterations of E-step + M-step; history[i] is the log-likelihood
  // before iteration i's M-step; EM stops (converged) when an iteration gains less than tol,
  // keeping the parameters that log-likelihood was computed with. `onIteration` returning
  // false stops after that iteration (monitor.cancelled).
  const Monitor& fit(const SequenceSet& X, const ChainOptions& options, const IterationCallback& onIteration = {});
  const Monitor& monitor() const { return monitor_; }
  void setMonitor(const Monitor& monitor) { monitor_ = monitor; }

  double score(const SequenceSet& X) const;  // -inf when no path explains a sequence
  std::vector<double> scorePerSequence(const SequenceSet& X) const;
  // Total log-likelihood and the state posteriors (nFrames × nStates); `method` names the
  // caller in messages.
  PosteriorResult posteriors(const SequenceSet& X, const char* method) const;
  DecodeResult decode(const SequenceSet& X, DecodeAlgorithm algorithm = DecodeAlgorithm::Viterbi) const;
  // n frames; the first frame's state is currstate when >= 0, else drawn from startprob.
  SampleResult sample(Index n, std::uint64_t seed, int currstate = -1) const;

  // Structural zeros of the chain excluded, plus the family's.
  Index nFreeParameters() const;
  double aic(const SequenceSet& X) const;
  double bic(const SequenceSet& X) const;
  std::vector<double> stationaryDistribution() const;

  std::vector<double> startprob() const;  // N
  std::vector<double> transmat() const;   // N×N row-major
  bool hasStartprob() const { return hasStartprob_; }
  bool hasTransmat() const { return hasTransmat_; }
  // Validated (size, finite, in [0, 1], sums to 1 within 1e-6): InvalidArgument naming it.
  void setStartprob(const std::vector<double>& values);
  void setTransmat(const std::vector<double>& values);

 private:
  friend class ChainFitSession;       // fit() step by step (chain_fit_session.hpp)
  friend class ChainShareStatistics;  // and its E-step elsewhere
  // The frames of X checked by the family and the lengths: the sequences' (begin, length).
  struct Spans {
    std::vector<Index> begin, length;
  };
  Spans spans(const SequenceSet& X, const char* method, bool checkSizes) const;
  // Refuses (OutOfMemory) a pass over X needing more than memoryLimit(): per-frame buffers of
  // the longest sequence plus `resultValues` doubles.
  // Refuses a pass (its chain, per-sequence buffers and `resultValues` doubles, plus `otherBytes`
  // held meanwhile) that memoryLimit() cannot hold.
  void requirePassMemory(const SequenceSet& X, const Spans& s, double resultValues, const char* method,
                         double otherBytes = 0) const;

  int nStates_;
  std::unique_ptr<EmissionFamily> emissions_;
  Eigen::VectorXd startprob_;
  RowMatrix transmat_;
  bool hasStartprob_ = false, hasTransmat_ = false;
  Monitor monitor_;
};

}  // namespace gmmhmm
