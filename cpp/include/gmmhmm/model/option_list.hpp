#pragma once
// The model's training controls, declared once (gmmhmm/options.hpp): model files write and
// read the "training" section from this list (model_json.cpp), the binding reads the
// constructor's and fit()'s options and writes info() (GMMHMM.config) from it, and
// validateConfig() checks the ranges declared here (tol's, params' and initParams' rules are
// its own: kByHand). Not declared here: the sizes and structure
// (nStates, nMix, nFeatures, covarianceType, topology, maxJump, endInLastState: fixed at
// construction, inferred from the arrays of hmmlearn dumps), the priors (priorOptions(): a
// number or an array each) and covarsPriorPerFeature (the recognizer's, not an option of
// GMMHMM).

#include "gmmhmm/model/config.hpp"
#include "gmmhmm/options.hpp"

namespace gmmhmm {

template <>
struct OptionList<ModelConfig> {
  static constexpr const char* kSection = "model";
  GMMHMM_OPTION(nIter, Range::closed(0, 1e6), "maximum number of EM iterations");
  GMMHMM_OPTION(tol, kByHand.orMinusInfinity(), "EM stops when an iteration gains less than this; -Infinity: every iteration runs");
  GMMHMM_OPTION(minCovar, Range::atLeast(0), "absolute variance floor");
  GMMHMM_OPTION(varianceFloorFraction, Range::openHigh(0, 1), "variance floor: this fraction of each feature's global variance");
  GMMHMM_OPTION(seed, Range::any(), "seed of the initialisation");
  GMMHMM_OPTION(params, kByHand, "letters s t w m c: what EM updates");
  GMMHMM_OPTION(initParams, kByHand, "letters s t w m c: what initialisation sets");
  GMMHMM_OPTION(init, kByHand, "'auto', 'kmeans' or 'segmental'");
  GMMHMM_OPTION(nInit, Range::closed(1, 1000), "k-means runs per clustering, the lowest inertia kept");
  GMMHMM_OPTION(precision, kByHand, "'float64' or 'float32' E-step products (diag, spherical)");
  GMMHMM_OPTION(mixtureSplitting, kByHand, "grow from 1 component per state by splitting");
  GMMHMM_OPTION(splitIterations, Range::closed(0, 10000), "EM iterations after each split");
  template <typename O, typename Visit>
  static void each(O& c, Visit& v) {
    v(nIter, c.nIter);
    v(tol, c.tol);
    v(minCovar, c.minCovar);
    v(varianceFloorFraction, c.varianceFloorFraction);
    v(seed, c.seed);
    v(params, c.params);
    v(initParams, c.initParams);
    v(init, c.init);
    v(nInit, c.nInit);
    v(precision, c.precision);
    v(mixtureSplitting, c.mixtureSplitting);
    v(splitIterations, c.splitIterations);
  }
};

}  // namespace gmmhmm
