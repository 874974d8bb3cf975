#pragma once
// The recognizer's options, declared once (gmmhmm/options.hpp): the ranges below are what
// validate() checks (with messages "word.nIter must be in [0, 1000], got ..."), and the lists
// are what recognizer files and the binding's options JSON hold, read and write
// (toJson / *FromJson). Rules between options (maxStates >= minStates, useEnergy false,
// trimOn's two values, the front end's own rules) stay in validate(). The comments on the
// structs (recognizer.hpp, word_trainer.hpp, word_features.hpp) say why each default is what
// it is.

#include "gmmhmm/features/option_list.hpp"
#include "gmmhmm/options.hpp"
#include "gmmhmm/recognizer/recognizer.hpp"

namespace gmmhmm {

template <>
struct OptionList<recognizer::WordFeatureOptions> {
  static constexpr const char* kSection = "features";
  GMMHMM_OPTION(deltaOrder, Range::closed(0, 3), "orders of deltas appended (2: delta and delta-delta)");
  GMMHMM_OPTION(deltaWindow, Range::closed(1, 10), "frames each side of the delta regression");
  GMMHMM_OPTION(normalizeMean, Range::any(), "per-utterance cepstral mean normalisation");
  GMMHMM_OPTION(normalizeVariance, Range::any(), "variance normalisation on top of it");
  GMMHMM_OPTION(edgePadding, Range::any(), "one frame length of digital silence at both ends first");
  GMMHMM_OPTION(floorDb, Range::closed(0, 200), "band energies floored this far (dB) below the loudest frame; 0 = none");
  GMMHMM_OPTION(noiseEdges, Range::any(), "steady background noise at either end is cut");
  GMMHMM_OPTION(trimOn, Range::any(), "what the trim measures: 'power' or 'c0'");
  GMMHMM_OPTION(trimDb, Range::atMost(200), "frames this far (dB) below the loudest are trimmed; <= 0: no trim");
  GMMHMM_OPTION(trimMarginFrames, Range::closed(0, 1000), "trimmed frames kept next to the loud ones");
  GMMHMM_OPTION(noiseUncertainty, Range::closed(0, 10),
                "scale of the uncertainty the noise cut at the ends leaves in the kept frames (likelihood-ratio test); 0 = none");
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    forEachOption(o.mfcc, v);  // the front end's options (features.dither...): one section
    v(deltaOrder, o.deltaOrder);
    v(deltaWindow, o.deltaWindow);
    v(normalizeMean, o.normalizeMean);
    v(normalizeVariance, o.normalizeVariance);
    v(edgePadding, o.edgePadding);
    v(floorDb, o.floorDb);
    v(noiseEdges, o.noiseEdges);
    v(trimOn, o.trimOn);
    v(trimDb, o.trimDb);
    v(trimMarginFrames, o.trimMarginFrames);
    v(noiseUncertainty, o.noiseUncertainty);
  }
};

template <>
struct OptionList<recognizer::WordModelOptions> {
  static constexpr const char* kSection = "word";
  GMMHMM_OPTION(framesPerState, Range::closed(1, 100), "median example length / this = number of states");
  GMMHMM_OPTION(minStates, Range::closed(1, 100), "fewest states");
  GMMHMM_OPTION(maxStates, Range::closed(1, 100), "most states (>= minStates)");
  GMMHMM_OPTION(maxMix, Range::closed(1, 64), "components per state when the data allow");
  GMMHMM_OPTION(minFramesPerComponent, Range::closed(1, 100000), "fewer frames per component: fewer components");
  GMMHMM_OPTION(nIter, Range::closed(0, 1000), "EM iterations after the last split");
  GMMHMM_OPTION(splitIterations, Range::closed(0, 1000), "EM iterations after each split");
  GMMHMM_OPTION(tol, Range::openHigh(0, 1e6), "per-frame log-likelihood gain that ends EM");
  GMMHMM_OPTION(maxJump, Range::closed(1, 3), "states a transition may skip forward");
  GMMHMM_OPTION(endInLastState, Range::any(), "paths must end in the last state");
  GMMHMM_OPTION(varianceFloorFraction, Range::openHigh(0, 1), "variance floor: this fraction of the word's variance");
  GMMHMM_OPTION(varianceFloorScale, Range::closed(0, 100), "floor raised to this / sqrt(frames per component); 0 = fixed");
  GMMHMM_OPTION(minCovar, Range::open(0, 1e6), "absolute variance floor");
  GMMHMM_OPTION(variancePriorWeight, Range::closed(0, 1e4), "pseudo-frames of the variance prior; 0 = none");
  GMMHMM_OPTION(variancePriorScale, Range::openLow(0, 10), "the prior's variance: this x the pooled variance");
  GMMHMM_OPTION(templateWeight, Range::closed(0, 1000), "weight of the DTW distance to the nearest template; 0 = HMM only");
  GMMHMM_OPTION(maxTemplates, Range::closed(0, 1000), "words with at most this many examples keep them as templates");
  GMMHMM_OPTION(fewExampleMaxJump, Range::closed(1, 3), "a word that keeps templates may skip this many states forward (1 = as maxJump)");
  GMMHMM_OPTION(transmatPrior, Range::openHigh(1, 1e6), "Dirichlet pseudo-count on allowed transitions");
  GMMHMM_OPTION(calibrationFolds, Range::closed(0, 20), "folds for held-out scores; 0 = none");
  GMMHMM_OPTION(maxHeldOutPerWord, Range::closed(1, 100000), "held-out examples per word at most");
  GMMHMM_OPTION(maxGrowExamples, Range::closed(1, 1e7), "a word grows its model on at most this many examples");
  GMMHMM_OPTION(seed, Range::any(), "seed of the initialisation");
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    v(framesPerState, o.framesPerState);
    v(minStates, o.minStates);
    v(maxStates, o.maxStates);
    v(maxMix, o.maxMix);
    v(minFramesPerComponent, o.minFramesPerComponent);
    v(nIter, o.nIter);
    v(splitIterations, o.splitIterations);
    v(tol, o.tol);
    v(maxJump, o.maxJump);
    v(endInLastState, o.endInLastState);
    v(varianceFloorFraction, o.varianceFloorFraction);
    v(varianceFloorScale, o.varianceFloorScale);
    v(minCovar, o.minCovar);
    v(variancePriorWeight, o.variancePriorWeight);
    v(variancePriorScale, o.variancePriorScale);
    v(templateWeight, o.templateWeight);
    v(maxTemplates, o.maxTemplates);
    v(fewExampleMaxJump, o.fewExampleMaxJump);
    v(transmatPrior, o.transmatPrior);
    v(calibrationFolds, o.calibrationFolds);
    v(maxHeldOutPerWord, o.maxHeldOutPerWord);
    v(maxGrowExamples, o.maxGrowExamples);
    v(seed, o.seed);
  }
};

template <>
struct OptionList<recognizer::BackgroundOptions> {
  static constexpr const char* kSection = "background";
  GMMHMM_OPTION(nMix, Range::closed(1, 256), "components of the one-state 'any speech' model");
  GMMHMM_OPTION(nIter, Range::closed(0, 1000), "EM iterations");
  GMMHMM_OPTION(maxFramesPerWord, Range::closed(10, 1e7), "frames taken from each word");
  GMMHMM_OPTION(varianceFloorFraction, Range::openHigh(0, 1), "variance floor: this fraction of the global variance");
  GMMHMM_OPTION(varianceFloorScale, Range::closed(0, 100), "as word.varianceFloorScale");
  GMMHMM_OPTION(seed, Range::any(), "seed of the initialisation");
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    v(nMix, o.nMix);
    v(nIter, o.nIter);
    v(maxFramesPerWord, o.maxFramesPerWord);
    v(varianceFloorFraction, o.varianceFloorFraction);
    v(varianceFloorScale, o.varianceFloorScale);
    v(seed, o.seed);
  }
};

template <>
struct OptionList<recognizer::RejectionOptions> {
  static constexpr const char* kSection = "rejection";
  GMMHMM_OPTION(threshold, Range::any(), "min per-frame log-likelihood ratio, best word vs background");
  GMMHMM_OPTION(sizeCorrection, Range::closed(0, 10), "weight of the model-size correction of that ratio; 0 = none");
  GMMHMM_OPTION(minConfidence, Range::closed(0, 1), "min calibrated probability of the best word");
  GMMHMM_OPTION(fitMargin, Range::closed(0, 1e6), "nats per frame below its worst held-out example the best word may score");
  GMMHMM_OPTION(fitFloorSpreads, Range::closed(0, 100), "poor-fit below the held-out mean minus this many pooled std-devs");
  GMMHMM_OPTION(minLevelDb, Range::closed(-200, 0), "quieter peaks (dBFS) are silence");
  GMMHMM_OPTION(minSpreadDb, Range::closed(0, 100), "steadier levels (dB) are not-speech");
  GMMHMM_OPTION(minShapeSpread, Range::closed(0, 100), "steadier spectral shapes are not-speech");
  GMMHMM_OPTION(maxDurationRatio, Range::closed(1, 1000), "longer than this x the longest example: too-long");
  GMMHMM_OPTION(templateSpreads, Range::closed(0, 100), "acceptance by templates within this many spreads; 0 = none");
  GMMHMM_OPTION(templateMargin, Range::closed(1, 100), "the other words' templates at least this x as far");
  GMMHMM_OPTION(minTemplateMargin, Range::closed(0, 100), "low-confidence unless this x nearer than other words' templates; 0 = no test");
  GMMHMM_OPTION(templateScoreMinExamples, Range::closed(0, 1000), "words with at least this many templates are decided by one template score; 0 = never");
  GMMHMM_OPTION(templateScoreMarginWeight, Range::closed(0, 1e4), "weight of ln(templateMargin) in that score");
  GMMHMM_OPTION(templateScoreSpreadsWeight, Range::closed(0, 1e4), "weight of -ln(templateSpreads) in that score");
  GMMHMM_OPTION(templateScoreThreshold, Range::closed(-1e6, 1e6), "accepted when likelihoodRatio + those terms reach this");
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    v(threshold, o.threshold);
    v(sizeCorrection, o.sizeCorrection);
    v(minConfidence, o.minConfidence);
    v(fitMargin, o.fitMargin);
    v(fitFloorSpreads, o.fitFloorSpreads);
    v(minLevelDb, o.minLevelDb);
    v(minSpreadDb, o.minSpreadDb);
    v(minShapeSpread, o.minShapeSpread);
    v(maxDurationRatio, o.maxDurationRatio);
    v(templateSpreads, o.templateSpreads);
    v(templateMargin, o.templateMargin);
    v(minTemplateMargin, o.minTemplateMargin);
    v(templateScoreMinExamples, o.templateScoreMinExamples);
    v(templateScoreMarginWeight, o.templateScoreMarginWeight);
    v(templateScoreSpreadsWeight, o.templateScoreSpreadsWeight);
    v(templateScoreThreshold, o.templateScoreThreshold);
  }
};

}  // namespace gmmhmm
