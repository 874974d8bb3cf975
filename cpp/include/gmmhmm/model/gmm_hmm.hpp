#pragma once
// GmmHmm: a hidden Markov model whose states emit Gaussian mixtures (hmmlearn's GMMHMM),
// trained with exact maximum-likelihood Baum-Welch. Data are row-major double matrices,
// rows are frames; several sequences are concatenated and described by `lengths`.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <Eigen/Core>

#include "gmmhmm/limits.hpp"
#include "gmmhmm/model/config.hpp"

namespace gmmhmm {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Index = std::ptrdiff_t;

// Frames of one or more sequences: data is nFrames × nFeatures row-major, lengths sum to
// nFrames (an empty lengths vector means one sequence of all frames). Not owning.
struct SequenceSet {
  const double* data = nullptr;
  Index nFrames = 0;
  Index nFeatures = 0;
  std::vector<Index> lengths;
};

// Convergence monitor (hmmlearn's ConvergenceMonitor): total log-likelihood of the training
// data at the start of every EM iteration (history[i] is the value before iteration i's
// M-step), how many iterations ran, whether tol was reached, whether the callback cancelled.
struct Monitor {
  std::vector<double> history;
  int iterations = 0;
  bool converged = false;
  bool cancelled = false;
};

// Called after every EM iteration: (iteration index from 0, log-likelihood, total planned).
// Return false to cancel; fit() then keeps the parameters of the last complete iteration.
using IterationCallback = std::function<bool(int iteration, double logLikelihood, int nIter)>;

struct PosteriorResult {
  double logLikelihood = 0;  // total over the sequences
  RowMatrix posteriors;      // nFrames × nStates
};

struct DecodeResult {
  // Viterbi: log-probability of the best path; Map: as hmmlearn, the sum over frames of the
  // largest state posterior (not a log-probability). Summed over the sequences.
  double logLikelihood = 0;
  std::vector<int> states;  // nFrames
};

struct SampleResult {
  RowMatrix X;              // n × nFeatures
  std::vector<int> states;  // n
};

class GmmHmm {
 public:
  explicit GmmHmm(const ModelConfig& config);
  GmmHmm(const GmmHmm&);
  GmmHmm& operator=(const GmmHmm&);
  GmmHmm(GmmHmm&&) noexcept;
  GmmHmm& operator=(GmmHmm&&) noexcept;
  ~GmmHmm();

  const ModelConfig& config() const;
  // Changes training controls (nIter, tol, params, initParams, minCovar, floors, priors,
  // seed, init, splitting). Sizes, covariance type and topology cannot change: throws.
  void setTrainingConfig(const ModelConfig& config);

  int nStates() const;
  int nMix() const;
  int nFeatures() const;  // 0 until known
  CovarianceType covarianceType() const;
  // True when every parameter has a valid value (after fit(), fromJson or set...()).
  bool isReady() const;

  // Baum-Welch. Returns the monitor. Throws InvalidArgument for bad data, Cancelled never
  // (cancellation is reported in the monitor).
  const Monitor& fit(const SequenceSet& X, const IterationCallback& onIteration = {});
  const Monitor& monitor() const;

  double score(const SequenceSet& X) const;                        // total log-likelihood
  std::vector<double> scorePerSequence(const SequenceSet& X) const;  // one per sequence
  PosteriorResult scoreSamples(const SequenceSet& X) const;
  DecodeResult decode(const SequenceSet& X, DecodeAlgorithm algorithm = DecodeAlgorithm::Viterbi) const;
  // n frames; the first frame's state is currstate when given (>= 0), else drawn from startprob
  // (hmmlearn: sample(n, random_state, currstate)). Throws InvalidArgument for a bad currstate.
  SampleResult sample(Index n, std::uint64_t seed, int currstate = -1) const;

  // hmmlearn's get_stationary_distribution(): the state distribution the chain settles into,
  // π = π·transmat, Σπ = 1. For an irreducible chain (every state reachable from every other)
  // it is unique; for a reducible one (e.g. left-right) the long-run average distribution of
  // the chain started from startprob (periodic chains: averaged over the period).
  std::vector<double> stationaryDistribution() const;

  // Emission log-likelihoods log p(x_t | state s), nFrames × nStates.
  RowMatrix emissionLogLikelihoods(const SequenceSet& X) const;

  Index nFreeParameters() const;
  double aic(const SequenceSet& X) const;
  double bic(const SequenceSet& X) const;

  // Parameters, flat row-major in hmmlearn's shapes (see CovarianceType).
  std::vector<double> startprob() const;  // N
  std::vector<double> transmat() const;   // N×N
  std::vector<double> weights() const;    // N×M
  std::vector<double> means() const;      // N×M×D
  std::vector<double> covars() const;     // by covariance type
  std::vector<Index> covarsShape() const;
  // Setters validate (sizes, finiteness, sums to 1 within 1e-6, positive definiteness) and
  // throw InvalidArgument naming the parameter. setMeans fixes nFeatures if it was unknown.
  void setStartprob(const std::vector<double>& values);
  void setTransmat(const std::vector<double>& values);
  void setWeights(const std::vector<double>& values);
  void setMeans(const std::vector<double>& values);
  void setCovars(const std::vector<double>& values);

  // Model file: {"format":"gmmhmm-model","version":1, sizes, covarianceType, topology,
  // startprob, transmat, weights, means, covars (hmmlearn shapes), training config}.
  std::string toJson() const;
  // Accepts the format above and bare hmmlearn dumps (startprob/transmat/weights/means/covars,
  // with or without trailing underscores). Throws ModelFormatError naming the problem, also
  // for a file over `limits` (checked before parsing; members it does not read are skipped).
  static GmmHmm fromJson(std::string_view text, const FileLimits& limits = FileLimits());
  // The same as a parsed JSON value (for files that embed models, e.g. a recognizer's):
  // no text round trip. fromJsonValue applies every check of fromJson.
  nlohmann::json toJsonValue() const;
  static GmmHmm fromJsonValue(const nlohmann::json& value);

 private:
  friend class FitSession;  // fit() step by step (fit_session.hpp)
  struct State;
  // scoreSamples, and decode's MAP: messages name `method`.
  PosteriorResult posteriors(const SequenceSet& X, const char* method) const;
  std::unique_ptr<State> state_;
};

}  // namespace gmmhmm
