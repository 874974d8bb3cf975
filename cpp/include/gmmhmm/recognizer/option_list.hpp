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
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    forEachOption(o.mfcc, v);  // the front end's options (features.dither...): one section
    v(OptionInfo{"deltaOrder", Range::closed(0, 3), "orders of deltas appended (2: delta and delta-delta)"}, o.deltaOrder);
    v(OptionInfo{"deltaWindow", Range::closed(1, 10), "frames each side of the delta regression"}, o.deltaWindow);
    v(OptionInfo{"normalizeMean", Range::any(), "per-utterance cepstral mean normalisation"}, o.normalizeMean);
    v(OptionInfo{"normalizeVariance", Range::any(), "variance normalisation on top of it"}, o.normalizeVariance);
    v(OptionInfo{"edgePadding", Range::any(), "one frame length of digital silence at both ends first"}, o.edgePadding);
    v(OptionInfo{"floorDb", Range::closed(0, 200), "band energies floored this far (dB) below the loudest frame; 0 = none"}, o.floorDb);
    v(OptionInfo{"noiseEdges", Range::any(), "steady background noise at either end is cut"}, o.noiseEdges);
    v(OptionInfo{"trimOn", Range::any(), "what the trim measures: 'power' or 'c0'"}, o.trimOn);
    v(OptionInfo{"trimDb", Range::atMost(200), "frames this far (dB) below the loudest are trimmed; <= 0: no trim"}, o.trimDb);
    v(OptionInfo{"trimMarginFrames", Range::closed(0, 1000), "trimmed frames kept next to the loud ones"}, o.trimMarginFrames);
  }
};

template <>
struct OptionList<recognizer::WordModelOptions> {
  static constexpr const char* kSection = "word";
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    v(OptionInfo{"framesPerState", Range::closed(1, 100), "median example length / this = number of states"}, o.framesPerState);
    v(OptionInfo{"minStates", Range::closed(1, 100), "fewest states"}, o.minStates);
    v(OptionInfo{"maxStates", Range::closed(1, 100), "most states (>= minStates)"}, o.maxStates);
    v(OptionInfo{"maxMix", Range::closed(1, 64), "components per state when the data allow"}, o.maxMix);
    v(OptionInfo{"minFramesPerComponent", Range::closed(1, 100000), "fewer frames per component: fewer components"}, o.minFramesPerComponent);
    v(OptionInfo{"nIter", Range::closed(0, 1000), "EM iterations after the last split"}, o.nIter);
    v(OptionInfo{"splitIterations", Range::closed(0, 1000), "EM iterations after each split"}, o.splitIterations);
    v(OptionInfo{"tol", Range::openHigh(0, 1e6), "per-frame log-likelihood gain that ends EM"}, o.tol);
    v(OptionInfo{"maxJump", Range::closed(1, 3), "states a transition may skip forward"}, o.maxJump);
    v(OptionInfo{"endInLastState", Range::any(), "paths must end in the last state"}, o.endInLastState);
    v(OptionInfo{"varianceFloorFraction", Range::openHigh(0, 1), "variance floor: this fraction of the word's variance"}, o.varianceFloorFraction);
    v(OptionInfo{"varianceFloorScale", Range::closed(0, 100), "floor raised to this / sqrt(frames per component); 0 = fixed"}, o.varianceFloorScale);
    v(OptionInfo{"minCovar", Range::open(0, 1e6), "absolute variance floor"}, o.minCovar);
    v(OptionInfo{"variancePriorWeight", Range::closed(0, 1e4), "pseudo-frames of the variance prior; 0 = none"}, o.variancePriorWeight);
    v(OptionInfo{"variancePriorScale", Range::openLow(0, 10), "the prior's variance: this x the pooled variance"}, o.variancePriorScale);
    v(OptionInfo{"templateWeight", Range::closed(0, 1000), "weight of the DTW distance to the nearest template; 0 = HMM only"}, o.templateWeight);
    v(OptionInfo{"maxTemplates", Range::closed(0, 1000), "words with at most this many examples keep them as templates"}, o.maxTemplates);
    v(OptionInfo{"transmatPrior", Range::openHigh(1, 1e6), "Dirichlet pseudo-count on allowed transitions"}, o.transmatPrior);
    v(OptionInfo{"calibrationFolds", Range::closed(0, 20), "folds for held-out scores; 0 = none"}, o.calibrationFolds);
    v(OptionInfo{"maxHeldOutPerWord", Range::closed(1, 100000), "held-out examples per word at most"}, o.maxHeldOutPerWord);
    v(OptionInfo{"maxGrowExamples", Range::closed(1, 1e7), "a word grows its model on at most this many examples"}, o.maxGrowExamples);
    v(OptionInfo{"seed", Range::any(), "seed of the initialisation"}, o.seed);
  }
};

template <>
struct OptionList<recognizer::BackgroundOptions> {
  static constexpr const char* kSection = "background";
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    v(OptionInfo{"nMix", Range::closed(1, 256), "components of the one-state 'any speech' model"}, o.nMix);
    v(OptionInfo{"nIter", Range::closed(0, 1000), "EM iterations"}, o.nIter);
    v(OptionInfo{"maxFramesPerWord", Range::closed(10, 1e7), "frames taken from each word"}, o.maxFramesPerWord);
    v(OptionInfo{"varianceFloorFraction", Range::openHigh(0, 1), "variance floor: this fraction of the global variance"}, o.varianceFloorFraction);
    v(OptionInfo{"varianceFloorScale", Range::closed(0, 100), "as word.varianceFloorScale"}, o.varianceFloorScale);
    v(OptionInfo{"seed", Range::any(), "seed of the initialisation"}, o.seed);
  }
};

template <>
struct OptionList<recognizer::RejectionOptions> {
  static constexpr const char* kSection = "rejection";
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    v(OptionInfo{"threshold", Range::any(), "min per-frame log-likelihood ratio, best word vs background"}, o.threshold);
    v(OptionInfo{"sizeCorrection", Range::closed(0, 10), "weight of the model-size correction of that ratio; 0 = none"}, o.sizeCorrection);
    v(OptionInfo{"minConfidence", Range::closed(0, 1), "min calibrated probability of the best word"}, o.minConfidence);
    v(OptionInfo{"fitMargin", Range::closed(0, 1e6), "nats per frame below its worst held-out example the best word may score"}, o.fitMargin);
    v(OptionInfo{"fitFloorSpreads", Range::closed(0, 100), "poor-fit below the held-out mean minus this many pooled std-devs"}, o.fitFloorSpreads);
    v(OptionInfo{"minLevelDb", Range::closed(-200, 0), "quieter peaks (dBFS) are silence"}, o.minLevelDb);
    v(OptionInfo{"minSpreadDb", Range::closed(0, 100), "steadier levels (dB) are not-speech"}, o.minSpreadDb);
    v(OptionInfo{"minShapeSpread", Range::closed(0, 100), "steadier spectral shapes are not-speech"}, o.minShapeSpread);
    v(OptionInfo{"maxDurationRatio", Range::closed(1, 1000), "longer than this x the longest example: too-long"}, o.maxDurationRatio);
    v(OptionInfo{"templateSpreads", Range::closed(0, 100), "acceptance by templates within this many spreads; 0 = none"}, o.templateSpreads);
    v(OptionInfo{"templateMargin", Range::closed(1, 100), "the other words' templates at least this x as far"}, o.templateMargin);
    v(OptionInfo{"minTemplateMargin", Range::closed(0, 100), "low-confidence unless this x nearer than other words' templates; 0 = no test"}, o.minTemplateMargin);
  }
};

}  // namespace gmmhmm
