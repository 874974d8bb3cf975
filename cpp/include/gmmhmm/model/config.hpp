#pragma once
// Configuration of a GMM-HMM: sizes, covariance type, topology, training controls and priors.
// Names follow hmmlearn's GMMHMM (params/initParams letters, nIter, tol, minCovar...) and HTK's
// training ideas (variance floors relative to the global variance, mixture splitting).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gmmhmm/prior.hpp"

namespace gmmhmm {

// hmmlearn's covariance types; shapes of `covars`: diag N×M×D, full N×M×D×D, spherical N×M,
// tied N×D×D (one matrix per state, shared by its components).
enum class CovarianceType { Diag, Full, Spherical, Tied };

const char* toString(CovarianceType type);
// Throws InvalidArgument for anything but "diag", "full", "spherical", "tied".
CovarianceType parseCovarianceType(const std::string& name);

// "ergodic": every transition allowed. "left-right" (Bakis): state i goes to i..i+maxJump and
// starts in state 0. "custom": the start/transition matrices the user sets; their zeros are
// structural either way (they stay exactly zero through training).
enum class Topology { Ergodic, LeftRight, Custom };

const char* toString(Topology topology);
Topology parseTopology(const std::string& name);

// How initial parameters are found when initParams asks for them.
//  Auto: segmental for left-right models, k-means for the others.
//  KMeans: seeded k-means++ over all frames (per state: components from the state's cluster).
//  Segmental: HTK HInit style: uniform segmentation of every sequence over the states, then
//             Viterbi re-segmentation until the alignment stops changing (at most 10 passes).
enum class InitMethod { Auto, KMeans, Segmental };

const char* toString(InitMethod method);
InitMethod parseInitMethod(const std::string& name);

// Arithmetic of the training E-step's products for diagonal and spherical models (full and
// tied models always use Float64).
//  Float64: every product in double precision (the exact path; the default).
//  Float32: emission and statistics products in single precision on standardised features
//           (the global mean subtracted, divided by the global standard deviation), summed
//           into doubles per tile of 256 frames; about 1.2-1.4 times faster training. Final
//           log-likelihoods agree with Float64 to about 1e-7 relative (docs/performance.md);
//           components much narrower than their distance from the data's mean lose digits.
//           Scoring, decoding and the forward-backward are always double precision.
enum class Precision { Float64, Float32 };

const char* toString(Precision precision);
Precision parsePrecision(const std::string& name);

// Viterbi: the single most probable state path. Map (hmmlearn's "map", smoothing): the most
// probable state of every frame on its own (argmax of the posteriors; the path may contain
// transitions the model forbids).
enum class DecodeAlgorithm { Viterbi, Map };

const char* toString(DecodeAlgorithm algorithm);
// Throws InvalidArgument for anything but "viterbi" and "map".
DecodeAlgorithm parseDecodeAlgorithm(const std::string& name);

// The parse functions under one name, for the option declarations' readers (options.hpp).
inline void fromString(const std::string& name, CovarianceType& out) { out = parseCovarianceType(name); }
inline void fromString(const std::string& name, Topology& out) { out = parseTopology(name); }
inline void fromString(const std::string& name, InitMethod& out) { out = parseInitMethod(name); }
inline void fromString(const std::string& name, Precision& out) { out = parsePrecision(name); }

struct ModelConfig {
  int nStates = 1;
  int nMix = 1;
  int nFeatures = 0;  // 0: taken from the first data seen (fit) or parameters set
  CovarianceType covarianceType = CovarianceType::Diag;
  Topology topology = Topology::Ergodic;
  int maxJump = 1;                 // left-right only: 1 = linear, 2 = may skip one state
  bool endInLastState = false;     // left-right: paths must end in the last state (HTK exit)

  int nIter = 10;                  // maximum number of EM iterations
  double tol = 1e-2;               // stop when the log-likelihood gains less than this
  double minCovar = 1e-3;          // absolute variance floor (hmmlearn's min_covar)
  double varianceFloorFraction = 0.0;  // HTK vFloors: floor = fraction × global variance
  std::uint64_t seed = 0;
  std::string params = "stmcw";       // what EM updates
  std::string initParams = "stmcw";   // what initialisation sets (other letters: user's values)
  InitMethod init = InitMethod::Auto;
  // k-means runs per clustering of the initialisation (sklearn's n_init; the lowest inertia
  // wins): one run depends on the order of the frames, several do not (docs/hmmlearn.md).
  int nInit = 10;
  Precision precision = Precision::Float64;  // E-step products of diag/spherical training

  // Mixture splitting (HTK HHEd MU): start from 1 component per state and split the heaviest
  // component (means ±0.2σ) until nMix, running splitIterations EM iterations after each split.
  bool mixtureSplitting = false;
  int splitIterations = 4;

  // Conjugate priors (hmmlearn-style MAP smoothing). Defaults have no effect. Each is a number
  // or an array per state / entry (Prior; shapes in priorShape()).
  Prior startprobPrior = 1.0;  // Dirichlet concentration (1 = none)
  Prior transmatPrior = 1.0;   // Dirichlet concentration on every allowed transition
  Prior weightsPrior = 1.0;    // Dirichlet concentration on mixture weights
  Prior meansPrior = 0.0;      // prior mean μ0
  Prior meansWeight = 0.0;     // pseudo-count β of the mean prior (0 = none)
  Prior covarsPrior = 0.0;     // pseudo scatter added to every variance (full/tied: to the diagonal)
  Prior covarsWeight = 0.0;    // pseudo-count added to the variance denominator
  // Per-feature pseudo scatter added on top of covarsPrior (diag/spherical: each dimension;
  // full/tied: the diagonal); empty = none, else one value >= 0 per feature. With
  // covarsWeight = τ and values τ·ψ_d this is the MAP estimate that pulls a variance
  // estimated from n frames towards ψ_d with weight τ / (n + τ).
  std::vector<double> covarsPriorPerFeature;
};

// The priors, declared once: validation, model files, the binding's reader and info() go
// through this list. Values must be finite, at most 1e100 in magnitude and above `lowest`
// (or equal to it when `lowestAllowed`).
struct PriorOption {
  const char* name;
  Prior ModelConfig::*field;
  double lowest;
  bool lowestAllowed;
};
const std::vector<PriorOption>& priorOptions();

// The shape a prior broadcasts to, hmmlearn's (N states, M components, D features):
// startprobPrior N; transmatPrior N×N; weightsPrior, meansWeight N×M; meansPrior N×M×D;
// covarsPrior diag/full N×M×D (full: the diagonal of the pseudo scatter), spherical N×M,
// tied N×D; covarsWeight diag N×M×D, spherical/full N×M, tied N. D is 0 while nFeatures is
// unknown (any size fits it then).
std::vector<long> priorShape(const ModelConfig& config, const PriorOption& option);
// broadcastPrior (gmmhmm/prior.hpp) gives a prior's entries in that shape; validateConfig
// checks that it broadcasts.

// Throws InvalidArgument naming the field for sizes < 1, absurd sizes, bad letters,
// negative floors or tolerance, NaN anywhere.
void validateConfig(const ModelConfig& config);

}  // namespace gmmhmm
