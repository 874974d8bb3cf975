#pragma once
// A vocabulary of word models: collect examples, train, classify, reject, save.
//
// Classification of an utterance:
//  1. gates before any model: a peak level below rejection.minLevelDb is "silence"; fewer
//     frames than the shortest model can align, or far more than the longest training
//     example, is "too-short" / "too-long" (documented results, never an exception);
//  2. every word model scores the features (forward algorithm, log P(X | word));
//  3. probabilities: softmax of per-frame log-likelihoods times the calibrated scale
//     (calibration.hpp);
//  4. "not-speech": a sound whose level and spectral shape hardly change (steady noise, hum);
//     out-of-vocabulary rejection: the best word's per-frame log-likelihood minus the
//     background model's ("any speech", trained on every word's frames), corrected for the
//     sizes of the two models (below), must reach rejection.threshold, its per-frame log-likelihood must not fall more than
//     rejection.fitMargin below the worst of its held-out examples', and the calibrated
//     confidence must reach rejection.minConfidence.
//     Both defaults were chosen by measurement (README, "Word recognition accuracy").
//  5. the Viterbi state alignment of the best word (for drawing).

#include <cstddef>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gmmhmm/model/gmm_hmm.hpp"
#include "gmmhmm/recognizer/calibration.hpp"
#include "gmmhmm/recognizer/word_features.hpp"
#include "gmmhmm/recognizer/word_trainer.hpp"

namespace gmmhmm::recognizer {

struct RejectionOptions {
  double threshold = 0.0;       // min per-frame log-likelihood ratio, best word vs background
  // Model-size correction of that ratio (weight; 0 = none). A model with p parameters fitted
  // to N frames scores new data about p / (2N) nats per frame worse than the data it was
  // fitted to (Akaike's bias); a word model from 3 recordings pays far more of this than the
  // background model fitted to every word's frames, so without the correction few-example
  // words are rejected about half the time. The ratio gets
  // + sizeCorrection * (p_word / (2 N_word) - p_background / (2 N_background)).
  double sizeCorrection = 1.0;
  double minConfidence = 0.0;   // min calibrated probability of the best word
  // The best word's per-frame log-likelihood may be at most this far below the lowest
  // per-frame log-likelihood of its held-out examples (an absolute fit test: noise or sounds
  // unlike every word score badly under the background model too, so the ratio alone
  // cannot catch them). Words trained from one example have no held-out scores: no test.
  double fitMargin = 10.0;
  // An absolute fit floor calibrated on the vocabulary at training: word w's floor is the
  // mean per-frame log-likelihood of its held-out examples minus fitFloorSpreads pooled
  // within-word standard deviations of those scores (every word's held-out examples pooled,
  // at least kMinFitSpread). A best word scoring below its floor is "poor-fit": fruit words
  // and noise fit no digit model as well as the digits' own recordings, even when the
  // likelihood ratio against the background is passable. Words without held-out scores
  // (1 example) and files saved before the floor existed: no test.
  // 5: on FSDD development data 3-5 gave the same results, and 3 refused noisy (20 dB SNR)
  // words of the robustness tests.
  double fitFloorSpreads = 5.0;
  double minLevelDb = -55.0;    // quieter peaks are silence (dBFS)
  // A word's loudness changes from frame to frame; a steady noise or hum hardly does. Sounds
  // whose C0 (overall level) varies by less than this (Steadiness::levelSpreadDb, a robust
  // standard deviation in dB) are "not-speech". Measured on 2,605 FSDD and fruit words:
  // 1.75 dB at the 1st percentile, 8 words below 1.3; white, pink and brown noise bursts
  // between silences 0.5-1.1 dB, and 24 of 30 hums and tones.
  double minSpreadDb = 1.3;
  // The same for the spectral shape (Steadiness::shapeSpread, C1..C12). Below it:
  // "not-speech". Measured: the same words 4.4 at the lowest; hums and tones 1.2-3.2, which
  // the level test misses when a low tone beats against the frames (its level then varies
  // by 2-3.5 dB); noise 5.6-6.8 (left to the models).
  double minShapeSpread = 3.5;
  double maxDurationRatio = 3.0;  // longer than this x the longest training example: too long
  // The template tests, when the words are ranked with templates (few examples: every word
  // has at most WordModelOptions::maxTemplates examples). Chosen on FSDD development data
  // only (docs/accuracy.md, "Accepting by the templates"); files saved before they existed
  // load with both off (0).
  // Acceptance: a best word refused as "out-of-vocabulary" -- by the likelihood-ratio test
  // or the fit margin, not by the fit floor or the confidence -- is accepted when its
  // nearest template is clearly nearer than any other word's -- every other word's nearest template at least
  // templateMargin x as far -- and within templateSpreads x the word's own spread of
  // examples (the mean DTW distance from each of its templates to the nearest other one,
  // computed at training and saved with the word; words with fewer than 2 templates have
  // none). A word model from 3 recordings scores a third of its own new recordings below
  // the background model or far below its held-out examples, while the nearest of those
  // recordings still matches them about as closely as they match each other; an impostor
  // is far from every template or about as near to two words. 0 = no acceptance by
  // templates.
  double templateSpreads = 1.4;
  double templateMargin = 1.15;
  // Refusal: a best word whose nearest template is not at least minTemplateMargin x nearer
  // than every other word's is "low-confidence" (the recording is about as near two words'
  // examples: most of the fruit words and noise that 5-example digit models accepted).
  // 0 = no test.
  double minTemplateMargin = 1.075;
  // One score in place of the ratio test, the fit margin and both template tests, for a best
  // word with at least templateScoreMinExamples templates (0 = never): accepted when
  //   likelihoodRatio + templateScoreMarginWeight x ln(templateMargin)
  //                   - templateScoreSpreadsWeight x ln(templateSpreads) >= templateScoreThreshold
  // (the fit floor, not-speech and minConfidence still apply; without finite template evidence
  // -- one word, a zero spread, a recording identical to a template -- the tests above decide).
  // The tests above are thresholds on each number alone, chosen at 3 examples; with 5 the
  // three numbers are better calibrated and a right word weak on one is strong on another,
  // which one score can use: on FSDD development data it accepts 82.3 -> 85.2 % of the right
  // words at 5 examples with no more impostors and fewer of the speaker's own other words
  // (4.2 -> 4.4 % mean, no speaker above the worst before), while at 3 examples no score did
  // better than the tests (docs/accuracy.md, "One score for five examples"). Files saved
  // before it existed: 0 (the tests decide, as they did).
  int templateScoreMinExamples = 5;
  double templateScoreMarginWeight = 70.0;
  double templateScoreSpreadsWeight = 20.0;
  double templateScoreThreshold = 3.0;
};

struct RecognizerOptions {
  WordFeatureOptions features;
  WordModelOptions word;
  BackgroundOptions background;
  RejectionOptions rejection;
};

void validate(const RejectionOptions& options);
void validate(const RecognizerOptions& options);
nlohmann::json toJson(const RecognizerOptions& options);
// Missing keys keep the values of `base` (the defaults); bad values throw InvalidArgument
// naming the key.
RecognizerOptions recognizerOptionsFromJson(const nlohmann::json& json, const RecognizerOptions& base = RecognizerOptions());

struct WordScore {
  std::string label;
  double logLikelihood = 0;  // log P(X | word), total over the frames
  double probability = 0;    // calibrated posterior over the vocabulary
  // DTW distance per frame to the word's nearest template (templates.hpp); NaN when the
  // ranking used no templates (or the word was too short to score)
  double templateDistance = 0;
};

struct Classification {
  std::string label;           // best word; empty when nothing could be scored
  double confidence = 0;       // probability of the best word (0 when nothing was scored)
  bool rejected = false;
  // "" (accepted), "silence", "too-short", "too-long", "not-speech", "out-of-vocabulary",
  // "poor-fit", "low-confidence" (below rejection.minConfidence, or as near another word's
  // templates: rejection.minTemplateMargin)
  std::string reason;
  // per frame, best word vs background, with the model-size correction: the value compared
  // with rejection.threshold (0 when not scored)
  double likelihoodRatio = 0;
  // per frame, best word's log-likelihood minus the lowest of its held-out examples'
  // (0 when not scored or the word has no held-out scores)
  double fit = 0;
  // The template tests (RejectionOptions::templateSpreads, minTemplateMargin): the best
  // word's nearest template distance in units of its spread of examples (NaN when it has
  // fewer than 2 templates), and the second-nearest word's distance divided by the best
  // word's. Both NaN when the words were ranked without templates.
  double templateSpreads = std::numeric_limits<double>::quiet_NaN();
  double templateMargin = std::numeric_limits<double>::quiet_NaN();
  bool acceptedByTemplates = false;  // accepted although the ratio test or the fit margin refused
  std::ptrdiff_t frames = 0;   // feature frames scored (after the silence trim)
  std::ptrdiff_t firstFrame = 0;  // where the scored frames start in the untrimmed features
  std::vector<WordScore> scores;  // best first
  std::vector<int> alignment;     // Viterbi state of every scored frame for `label`
};

class Recognizer {
 public:
  explicit Recognizer(const RecognizerOptions& options = RecognizerOptions());

  const RecognizerOptions& options() const { return options_; }

  // Examples. addExample computes the features (wordFeatures with options().features).
  // Throws InvalidArgument for an empty label, NaN samples, a bad sample rate, or audio with
  // no speech frames (empty, shorter than one frame, or silent) -- naming the problem.
  void addExample(const std::string& label, const float* samples, std::size_t numSamples, double sampleRate);
  void addFeatures(const std::string& label, RowMatrix features);
  // Returns how many examples `label` had (0: none, e.g. a misspelt label, or a trained word
  // whose examples are not kept: its model is given up at the next train() all the same).
  int removeExamples(const std::string& label);
  // Labels with examples (in the order first added), then trained labels without examples.
  std::vector<std::string> labels() const;
  int exampleCount(const std::string& label) const;
  const std::vector<RowMatrix>& examples(const std::string& label) const;  // throws if none
  std::vector<std::string> labelsWithExamples() const;
  // Trained words that have no examples (loaded from a file, which keeps models, not
  // recordings) and were not given up with removeExamples(): training would drop them, so
  // train() refuses, naming them (checkNothingDropped; callers that train in parts call it).
  std::vector<std::string> wordsTrainingWouldDrop() const;
  // Trained words with fewer examples now than their model was trained on (a file's word given
  // a new example), not given up with removeExamples(): training would replace their models
  // by models of these alone, so train() refuses that too.
  std::vector<std::string> wordsTrainingWouldShrink() const;
  void checkNothingDropped(const char* where) const;

  // Training, all in this thread: every label with examples, then the background model and
  // the calibration. progress gets the label ("" for the background). Replaces any models.
  // Throws InvalidArgument without examples, Cancelled when progress returns false (the
  // previous models are kept).
  void train(const std::function<bool(const std::string& label, const TrainingProgress&)>& progress = {});

  // Training in parts, for callers that train the words in parallel: trainWordModel for
  // each label of labelsWithExamples() and trainBackgroundModel on all examples, anywhere;
  // then install(...) validates and calibrates in one step (all-or-nothing).
  void install(std::map<std::string, WordModel> words, GmmHmm background);

  bool isTrained() const { return !words_.empty(); }
  std::vector<std::string> trainedLabels() const;
  const CalibrationFit& calibration() const { return calibration_; }
  // Per trained word (in trainedLabels() order): the per-frame log-likelihood below which it is
  // "poor-fit" (-infinity: no floor).
  const std::vector<double>& fitFloors() const { return fitFloors_; }
  // Per trained word: its spread of examples, the mean DTW distance from each of its
  // templates to the nearest other one (NaN: fewer than 2 templates, or a file without it).
  const std::vector<double>& templateSpreads() const { return templateSpreads_; }
  // pooledVariance() of the current examples: the variance prior's reference that train()
  // gives every word (callers training words elsewhere pass it to trainWordModel).
  std::vector<double> pooledVariance() const;
  const WordModel& wordModel(const std::string& label) const;
  const GmmHmm& backgroundModel() const;

  // Throws NotFitted before training, InvalidArgument for NaN samples, bad rates or a wrong
  // feature width; everything else is a Classification (possibly rejected).
  // `sensitivity` (nats per frame, finite): how far the best word may fall short of the
  // rejection tests measured in nats per frame (threshold, fitMargin, fit floor) and still
  // be accepted; 0 applies them as trained, negative values reject more. A caller's knob
  // (a listener's), so that a page can tune refusals without retraining or editing options.
  // The template tests (rejection.templateSpreads, minTemplateMargin) compare distances and
  // do not move with it, except that a negative sensitivity switches the acceptance by
  // templates off (a stricter caller never gets more words accepted). The one template score
  // (rejection.templateScoreThreshold) moves with it like the ratio test; below 0 the ratio
  // test and fit margin must pass as well.
  Classification classify(const float* samples, std::size_t numSamples, double sampleRate,
                          double sensitivity = 0.0) const;
  // Features given directly get the level test of "not-speech" on column 0 (unless the options
  // normalise the variance, which hides level changes), not the spectral-shape test.
  Classification classifyFeatures(const RowMatrix& features) const;

  // {"format":"gmmhmm-recognizer","version":1, options, labels, words: [{label, model,
  //  stats}], background, calibration}. Examples are not saved.
  std::string toJson() const;
  // Throws ModelFormatError naming the problem for anything malformed or inconsistent, also
  // for a file over `limits` (checked before parsing; members it does not read are skipped).
  static Recognizer fromJson(std::string_view text, const FileLimits& limits = FileLimits());

 private:
  // noiseVariance: per frame and feature, the observation uncertainty added to every
  // Gaussian's variance (empty or null: none).
  Classification score(const RowMatrix& features, std::ptrdiff_t firstFrame, const Steadiness* steady,
                       double sensitivity = 0.0, const RowMatrix* noiseVariance = nullptr) const;
  void calibrate();
  void computeSizeCorrections();
  void computeFitFloors();
  // Every label's examples (in order_), as trainBackgroundModel takes them.
  std::vector<std::vector<const RowMatrix*>> examplesByLabel() const;
  std::ptrdiff_t shortestAlignable() const;
  // Whether classification adds the template term (WordModelOptions::templateWeight), and
  // that term for frames x and one word (skipping its template `skip`; 0 when inactive).
  bool templatesActive() const;
  double templateTerm(const RowMatrix& x, std::size_t word, std::ptrdiff_t skip = -1) const;
  std::ptrdiff_t longestExample() const;

  RecognizerOptions options_;
  std::vector<std::string> order_;                         // labels in the order first added
  std::map<std::string, std::vector<RowMatrix>> examples_;
  // Labels given to removeExamples() (their trained models are given up, or retrained from
  // the examples added since), until an install() trains them from their examples.
  std::set<std::string> removed_;
  std::vector<std::string> wordLabels_;                    // trained labels, in order
  std::vector<WordModel> words_;
  std::vector<GmmHmm> background_;                         // 0 or 1
  CalibrationFit calibration_;
  // Per word: p_word / (2 N_word) - p_background / (2 N_background), nats per frame (0 for
  // words trained elsewhere whose frame counts are unknown).
  std::vector<double> sizeCorrections_;
  std::vector<double> fitFloors_;  // per word, nats per frame; -infinity: none
  // Per word: the mean DTW distance from each template to its nearest other template
  // (RejectionOptions::templateSpreads); NaN: fewer than 2 templates, or a file without it.
  std::vector<double> templateSpreads_;
  void computeTemplateSpreads();
};

}  // namespace gmmhmm::recognizer
