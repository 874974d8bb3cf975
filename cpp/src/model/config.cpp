#include "gmmhmm/model/config.hpp"

#include <cmath>
#include <limits>

#include "checks.hpp"

namespace gmmhmm {

using detail::require;

const char* toString(CovarianceType type) {
  switch (type) {
    case CovarianceType::Diag: return "diag";
    case CovarianceType::Full: return "full";
    case CovarianceType::Spherical: return "spherical";
    case CovarianceType::Tied: return "tied";
  }
  return "diag";
}

CovarianceType parseCovarianceType(const std::string& name) {
  if (name == "diag") return CovarianceType::Diag;
  if (name == "full") return CovarianceType::Full;
  if (name == "spherical") return CovarianceType::Spherical;
  if (name == "tied") return CovarianceType::Tied;
  detail::fail("covarianceType: '", name, "' is not one of 'diag', 'full', 'spherical', 'tied'");
}

const char* toString(Topology topology) {
  switch (topology) {
    case Topology::Ergodic: return "ergodic";
    case Topology::LeftRight: return "left-right";
    case Topology::Custom: return "custom";
  }
  return "ergodic";
}

Topology parseTopology(const std::string& name) {
  if (name == "ergodic") return Topology::Ergodic;
  if (name == "left-right" || name == "leftright" || name == "bakis") return Topology::LeftRight;
  if (name == "custom") return Topology::Custom;
  detail::fail("topology: '", name, "' is not one of 'ergodic', 'left-right', 'custom'");
}

const char* toString(InitMethod method) {
  switch (method) {
    case InitMethod::Auto: return "auto";
    case InitMethod::KMeans: return "kmeans";
    case InitMethod::Segmental: return "segmental";
  }
  return "auto";
}

InitMethod parseInitMethod(const std::string& name) {
  if (name == "auto") return InitMethod::Auto;
  if (name == "kmeans") return InitMethod::KMeans;
  if (name == "segmental") return InitMethod::Segmental;
  detail::fail("init: '", name, "' is not one of 'auto', 'kmeans', 'segmental'");
}

const char* toString(DecodeAlgorithm algorithm) { return algorithm == DecodeAlgorithm::Map ? "map" : "viterbi"; }

DecodeAlgorithm parseDecodeAlgorithm(const std::string& name) {
  if (name == "viterbi") return DecodeAlgorithm::Viterbi;
  if (name == "map") return DecodeAlgorithm::Map;
  detail::fail("algorithm: '", name, "' is not one of 'viterbi', 'map'");
}

const char* toString(Precision precision) {
  return precision == Precision::Float32 ? "float32" : "float64";
}

Precision parsePrecision(const std::string& name) {
  if (name == "float64") return Precision::Float64;
  if (name == "float32") return Precision::Float32;
  detail::fail("precision: '", name, "' is not one of 'float64', 'float32'");
}

static void requireLetters(const std::string& value, const char* name) {
  for (char c : value)
    require(c == 's' || c == 't' || c == 'w' || c == 'm' || c == 'c', name, ": '", value,
            "' may only contain the letters s (startprob), t (transmat), w (weights), m (means), c (covars)");
}

void validateConfig(const ModelConfig& c) {
  require(c.nStates >= 1 && c.nStates <= 10000, "nStates must be an integer in [1, 10000], got ", c.nStates);
  require(c.nMix >= 1 && c.nMix <= 4096, "nMix must be an integer in [1, 4096], got ", c.nMix);
  require(c.nFeatures >= 0 && c.nFeatures <= 100000, "nFeatures must be an integer in [1, 100000], got ",
          c.nFeatures);
  {
    // Parameter storage must stay addressable (and reasonable for a browser heap).
    const double D = c.nFeatures > 0 ? c.nFeatures : 1;
    const double perComponent = c.covarianceType == CovarianceType::Full ? D * D : D;
    require(double(c.nStates) * c.nMix * perComponent <= 1e8 && double(c.nStates) * c.nStates <= 1e8,
            "model too large: nStates x nMix x nFeatures", c.covarianceType == CovarianceType::Full ? "²" : "",
            " exceeds 1e8 parameters");
  }
  require(c.maxJump >= 1, "maxJump must be >= 1, got ", c.maxJump);
  require(c.nIter >= 0 && c.nIter <= 1000000, "nIter must be an integer in [0, 1000000], got ", c.nIter);
  // As hmmlearn: EM stops when an iteration gains less than tol, so tol <= 0 runs every
  // iteration (but stops should the log-likelihood fall by more than -tol) and -Infinity
  // runs every iteration whatever happens.
  require(std::abs(c.tol) <= 1e100 || c.tol == -std::numeric_limits<double>::infinity(),
          "tol must be a number in [-1e100, 1e100] or -Infinity, got ", c.tol);
  require(std::isfinite(c.minCovar) && c.minCovar >= 0, "minCovar must be a finite number >= 0, got ", c.minCovar);
  require(std::isfinite(c.varianceFloorFraction) && c.varianceFloorFraction >= 0 && c.varianceFloorFraction < 1,
          "varianceFloorFraction must be in [0, 1), got ", c.varianceFloorFraction);
  require(c.splitIterations >= 0 && c.splitIterations <= 10000, "splitIterations must be in [0, 10000], got ",
          c.splitIterations);
  require(c.nInit >= 1 && c.nInit <= 1000, "nInit must be an integer in [1, 1000], got ", c.nInit);
  requireLetters(c.params, "params");
  requireLetters(c.initParams, "initParams");
  require(std::isfinite(c.startprobPrior) && c.startprobPrior > 0, "startprobPrior must be > 0, got ", c.startprobPrior);
  require(std::isfinite(c.transmatPrior) && c.transmatPrior > 0, "transmatPrior must be > 0, got ", c.transmatPrior);
  require(std::isfinite(c.weightsPrior) && c.weightsPrior > 0, "weightsPrior must be > 0, got ", c.weightsPrior);
  require(std::isfinite(c.meansPrior), "meansPrior must be finite, got ", c.meansPrior);
  require(std::isfinite(c.meansWeight) && c.meansWeight >= 0, "meansWeight must be >= 0, got ", c.meansWeight);
  require(std::isfinite(c.covarsPrior) && c.covarsPrior >= 0, "covarsPrior must be >= 0, got ", c.covarsPrior);
  require(std::isfinite(c.covarsWeight) && c.covarsWeight >= 0, "covarsWeight must be >= 0, got ", c.covarsWeight);
  for (double v : c.covarsPriorPerFeature)
    require(std::isfinite(v) && v >= 0 && v <= 1e100, "covarsPriorPerFeature must hold numbers in [0, 1e100], got ", v);
  require(c.covarsPriorPerFeature.empty() || c.nFeatures == 0 ||
              c.covarsPriorPerFeature.size() == static_cast<std::size_t>(c.nFeatures),
          "covarsPriorPerFeature must have one value per feature (", c.nFeatures, "), got ",
          c.covarsPriorPerFeature.size());
  // The same magnitude limit as for data (data_pass.cpp): floors, priors and pseudo-counts
  // near 1e300 overflowed the emission products and left posteriors summing to 0 (fuzzing).
  for (const auto& [name, value] : {std::pair<const char*, double>{"minCovar", c.minCovar}, {"meansPrior", c.meansPrior},
                                    {"meansWeight", c.meansWeight}, {"covarsPrior", c.covarsPrior},
                                    {"covarsWeight", c.covarsWeight}, {"startprobPrior", c.startprobPrior},
                                    {"transmatPrior", c.transmatPrior}, {"weightsPrior", c.weightsPrior}})
    require(std::abs(value) <= 1e100, name, " must be at most 1e100 in magnitude, got ", value);
  require(!(c.endInLastState && c.topology == Topology::Ergodic),
          "endInLastState needs a 'left-right' or 'custom' topology");
}

}  // namespace gmmhmm
