#pragma once
// Training one word model from a word's examples: a standalone job (features in, model out)
// so that callers can train the words of a vocabulary in parallel (Web Workers,
// worker_threads, threads).
//
// The model is a left-to-right GMM-HMM whose number of states follows the typical (median)
// length of the examples, with mixtures grown by splitting, segmental (Viterbi)
// initialisation and variance floors relative to the word's global variance. The number of
// mixture components is limited by the amount of data, so 3 examples give a small model
// and 200 a rich one.
//
// The job also produces honest held-out scores for calibration: the examples are split into
// folds, a model is trained without each fold and scores the fold's examples. The other words'
// models never see these examples either, so comparing the held-out score with the other
// words' full-model scores is a fair test of how the recognizer behaves on new recordings.
// A word with many examples needs a single fold: its held-out model (grown on at most
// maxGrowExamples of the other examples) scores the fold and then becomes the word model after
// a few EM iterations on every example, instead of a second training from scratch.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "gmmhmm/model/gmm_hmm.hpp"
#include "gmmhmm/recognizer/word_features.hpp"

namespace gmmhmm::recognizer {

struct WordModelOptions {
  double framesPerState = 4.0;  // median example length / this = number of states
  int minStates = 3;
  int maxStates = 15;
  int maxMix = 4;                   // components per state when data allow
  int minFramesPerComponent = 20;   // fewer frames per state and component -> fewer components
  int nIter = 5;                    // EM iterations after the last split
  int splitIterations = 2;          // EM iterations after each split
  double tol = 1e-3;                // per-frame log-likelihood gain that ends EM
  int maxJump = 1;
  bool endInLastState = true;
  double varianceFloorFraction = 0.05;
  // The floor rises when the components have few frames: the fraction used is
  // max(varianceFloorFraction, varianceFloorScale / sqrt(frames per component)), at most 0.5
  // (0 = a fixed floor). Measured on FSDD training data (README): 1.0 raises few-shot accuracy
  // (3 examples per digit 86 % -> 91 %) and cuts the false rejects of 3-example words from
  // 80 % to 49 %, while noise stays rejected; 1.5 went further but let broad 3-example models
  // accept pink noise (demo test) and 3 cost full-data accuracy.
  double varianceFloorScale = 1.0;
  double minCovar = 1e-3;
  // A variance prior that knows nothing of the words: every component's variances are MAP
  // estimates pulled towards variancePriorScale × the per-feature variance of every word's
  // frames pooled (pooledVariance(), the user's own examples of the whole vocabulary), as if
  // variancePriorWeight frames had that variance. A component fitted to n frames moves
  // τ / (n + τ) of the way: much for 3 examples, hardly for 200. 0 = no prior (files saved
  // before it existed). Chosen by measurement on training data only (docs/accuracy.md).
  double variancePriorWeight = 10.0;
  double variancePriorScale = 0.3;
  double transmatPrior = 2.0;       // Dirichlet pseudo-count on allowed transitions
  // Templates beside the HMM (templates.hpp): a word with at most maxTemplates examples keeps
  // them all, and classification ranks the words by their per-frame log-likelihood minus
  // templateWeight x the DTW distance to their nearest example -- when every word has
  // templates (a mix would favour the words without). With more examples the HMM alone is
  // better. 0 = HMM scores only. Chosen on training data only (docs/accuracy.md).
  double templateWeight = 1.5;  // 1 before the states could be skipped (docs/accuracy.md)
  int maxTemplates = 10;
  // A word that keeps templates (at most maxTemplates examples) may skip states: its model's
  // maxJump is max(maxJump, fewExampleMaxJump). A few recordings of one speaker vary in
  // length and in what their ends hold more than a model that must pass through every state
  // (its states sized by the examples' median length) follows (FSDD few-shot development set,
  // 3 examples: 95.0 -> 95.7 % correct); with many examples from several speakers skipping
  // states gained nothing (official split 100 -> 99.6 %, leave-one-speaker-out 86.4 -> 86.2 %),
  // hence only here.
  // 1 = as maxJump (files saved before it existed). docs/accuracy.md.
  int fewExampleMaxJump = 2;
  int calibrationFolds = 3;         // folds for held-out scores (0 = none)
  int maxHeldOutPerWord = 20;       // at most this many held-out examples per word
  // A word with many examples grows its model (initialisation, splitting, EM) on at most this
  // many of them (evenly spaced, never the held-out ones), then refines it with a few EM
  // iterations on every example. Measured on FSDD (225 examples per digit): 100 keeps the
  // accuracy and halves the training time.
  int maxGrowExamples = 100;
  std::uint64_t seed = 0;
};

struct BackgroundOptions {
  int nMix = 32;             // components of the one-state "any speech" model
  int nIter = 8;
  int maxFramesPerWord = 3000;  // frames taken from each word (evenly spaced examples)
  double varianceFloorFraction = 0.05;
  double varianceFloorScale = 1.0;  // as WordModelOptions::varianceFloorScale
  std::uint64_t seed = 0;
};

void validate(const WordModelOptions& options);
void validate(const BackgroundOptions& options);
nlohmann::json toJson(const WordModelOptions& options);
nlohmann::json toJson(const BackgroundOptions& options);
// Missing keys keep the values of `base`.
WordModelOptions wordModelOptionsFromJson(const nlohmann::json& json, const WordModelOptions& base = WordModelOptions());
BackgroundOptions backgroundOptionsFromJson(const nlohmann::json& json);

// One progress report: which stage ("word" = the word's model; "fold" = a held-out model;
// "background"), EM iteration (1-based) of total planned, log-likelihood of the stage's
// training data after that iteration and its number of frames. Return false to cancel.
struct TrainingProgress {
  std::string stage;
  int iteration = 0;
  int nIter = 0;
  double logLikelihood = 0;
  std::ptrdiff_t frames = 0;
};
using ProgressCallback = std::function<bool(const TrainingProgress&)>;

// Held-out score of one example: log-likelihood under a model trained without it.
struct HeldOutScore {
  int example = 0;  // index into the word's examples
  double logLikelihood = 0;
  std::ptrdiff_t frames = 0;
};

struct WordModel {
  GmmHmm model{ModelConfig{}};
  int nExamples = 0;
  double medianFrames = 0;
  std::ptrdiff_t minFrames = 0;
  std::ptrdiff_t maxFrames = 0;
  std::vector<double> history;  // per-frame log-likelihood at each iteration of the word model
  std::vector<HeldOutScore> heldOut;
  // The examples' features when there are at most WordModelOptions::maxTemplates, else none.
  std::vector<RowMatrix> templates;
};

// Per-feature variance of the frames of every word's examples pooled: the word-independent
// reference of the variance prior (WordModelOptions::variancePriorWeight).
std::vector<double> pooledVariance(const std::vector<std::vector<const RowMatrix*>>& words);

// The GmmHmm configuration the trainer uses for examples of these lengths (`pooled`: see
// trainWordModel).
ModelConfig wordModelConfig(const std::vector<RowMatrix>& examples, const WordModelOptions& options,
                            const std::vector<double>& pooled = {});

// Trains one word. `pooled`: pooledVariance() of the whole vocabulary for the variance prior;
// empty: the word's own examples' variance stands in. Throws InvalidArgument for no examples,
// examples of different widths, NaN, a `pooled` of the wrong width, or an example shorter
// than the model can align; Cancelled when progress returns false.
WordModel trainWordModel(const std::vector<RowMatrix>& examples, const WordModelOptions& options,
                         const ProgressCallback& progress = {}, const std::vector<double>& pooled = {});

// A one-state GMM over frames of every word: the "any speech" reference against which a word's
// score is compared for out-of-vocabulary rejection. `words` holds each word's examples; at
// most maxFramesPerWord frames of whole, evenly spaced examples are taken from each word, so
// every word weighs about the same and the cost does not grow with the data set.
GmmHmm trainBackgroundModel(const std::vector<std::vector<const RowMatrix*>>& words,
                            const BackgroundOptions& options, const ProgressCallback& progress = {});
// The examples trainBackgroundModel trains on (every k-th example of each word, k chosen so
// that about maxFramesPerWord frames remain).
std::vector<const RowMatrix*> backgroundExamples(const std::vector<std::vector<const RowMatrix*>>& words,
                                                 const BackgroundOptions& options);

// The WordModel as JSON (model as an object, statistics, held-out scores) and back.
nlohmann::json toJson(const WordModel& word);
WordModel wordModelFromJson(const nlohmann::json& json);

}  // namespace gmmhmm::recognizer
