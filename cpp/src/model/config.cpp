#include "gmmhmm/model/config.hpp"

#include <cmath>
#include <limits>

#include "checks.hpp"
#include "gmmhmm/model/option_list.hpp"

namespace gmmhmm {

using detail::fail;
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

namespace {

// What the dimensions of priorShape() are, for messages.
const char* shapeNames(const ModelConfig& c, const PriorOption& option) {
  const std::string name = option.name;
  if (name == "startprobPrior") return "[nStates]";
  if (name == "transmatPrior") return "[nStates, nStates]";
  if (name == "meansPrior") return "[nStates, nMix, nFeatures]";
  if (name == "covarsPrior" || name == "covarsWeight") {
    if (c.covarianceType == CovarianceType::Spherical) return "[nStates, nMix]";
    if (c.covarianceType == CovarianceType::Tied) return name == "covarsPrior" ? "[nStates, nFeatures]" : "[nStates]";
    if (c.covarianceType == CovarianceType::Full && name == "covarsWeight") return "[nStates, nMix]";
    return "[nStates, nMix, nFeatures]";
  }
  return "[nStates, nMix]";
}

void validatePrior(const ModelConfig& c, const PriorOption& option) {
  const Prior& p = c.*option.field;
  const char* name = option.name;
  checkPriorLayout(p, name);
  checkPriorBroadcasts(p, name, priorShape(c, option), shapeNames(c, option),
                       detail::concat(" (covarianceType '", toString(c.covarianceType), "')"));
  for (std::size_t i = 0; i < p.values.size(); ++i) {
    const double v = p.values[i];
    if (std::isfinite(v) && std::abs(v) <= 1e100 && (v > option.lowest || (option.lowestAllowed && v == option.lowest)))
      continue;
    const std::string entry = name + priorEntry(p, i);
    require(std::isfinite(v) && std::abs(v) <= 1e100, entry, " must be a finite number at most 1e100 in magnitude, got ", v);
    fail(entry, " must be ", option.lowestAllowed ? ">= " : "> ", option.lowest, ", got ", v);
  }
}

}  // namespace

const std::vector<PriorOption>& priorOptions() {
  static const std::vector<PriorOption> options = {
      {"startprobPrior", &ModelConfig::startprobPrior, 0, false},
      {"transmatPrior", &ModelConfig::transmatPrior, 0, false},
      {"weightsPrior", &ModelConfig::weightsPrior, 0, false},
      {"meansPrior", &ModelConfig::meansPrior, -1e100, true},
      {"meansWeight", &ModelConfig::meansWeight, 0, true},
      {"covarsPrior", &ModelConfig::covarsPrior, 0, true},
      {"covarsWeight", &ModelConfig::covarsWeight, 0, true},
  };
  return options;
}

std::vector<long> priorShape(const ModelConfig& c, const PriorOption& option) {
  const long N = c.nStates, M = c.nMix, D = c.nFeatures;
  const Prior ModelConfig::*f = option.field;
  if (f == &ModelConfig::startprobPrior) return {N};
  if (f == &ModelConfig::transmatPrior) return {N, N};
  if (f == &ModelConfig::meansPrior) return {N, M, D};
  const bool covars = f == &ModelConfig::covarsPrior, weight = f == &ModelConfig::covarsWeight;
  if (covars || weight) {
    switch (c.covarianceType) {
      case CovarianceType::Diag: return {N, M, D};
      case CovarianceType::Spherical: return {N, M};
      case CovarianceType::Full: return covars ? std::vector<long>{N, M, D} : std::vector<long>{N, M};
      case CovarianceType::Tied: return covars ? std::vector<long>{N, D} : std::vector<long>{N};
    }
  }
  return {N, M};  // weightsPrior, meansWeight
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
  checkRanges(c, "");  // the training controls' declared ranges (gmmhmm/model/option_list.hpp)
  // As hmmlearn: EM stops when an iteration gains less than tol, so tol <= 0 runs every
  // iteration (but stops should the log-likelihood fall by more than -tol) and -Infinity
  // runs every iteration whatever happens.
  require(std::abs(c.tol) <= 1e100 || c.tol == -std::numeric_limits<double>::infinity(),
          "tol must be a number in [-1e100, 1e100] or -Infinity, got ", c.tol);
  requireLetters(c.params, "params");
  requireLetters(c.initParams, "initParams");
  for (const PriorOption& option : priorOptions()) validatePrior(c, option);
  for (double v : c.covarsPriorPerFeature)
    require(std::isfinite(v) && v >= 0 && v <= 1e100, "covarsPriorPerFeature must hold numbers in [0, 1e100], got ", v);
  require(c.covarsPriorPerFeature.empty() || c.nFeatures == 0 ||
              c.covarsPriorPerFeature.size() == static_cast<std::size_t>(c.nFeatures),
          "covarsPriorPerFeature must have one value per feature (", c.nFeatures, "), got ",
          c.covarsPriorPerFeature.size());
  // The same magnitude limit as for data (data_pass.cpp): floors, priors and pseudo-counts
  // near 1e300 overflowed the emission products and left posteriors summing to 0 (fuzzing).
  require(std::abs(c.minCovar) <= 1e100, "minCovar must be at most 1e100 in magnitude, got ", c.minCovar);
  require(!(c.endInLastState && c.topology == Topology::Ergodic),
          "endInLastState needs a 'left-right' or 'custom' topology");
}

}  // namespace gmmhmm
