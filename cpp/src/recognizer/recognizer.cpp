#include "gmmhmm/recognizer/recognizer.hpp"
#include "gmmhmm/recognizer/templates.hpp"

#include <algorithm>
#include <iterator>
#include <cmath>
#include <limits>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/features/frame_extraction.hpp"
#include "gmmhmm/recognizer/labels.hpp"
#include "../limits/json_file.hpp"
#include "../model/model_members.hpp"
#include "json_fields.hpp"
#include "stacked.hpp"
#include "uncertain_scoring.hpp"

namespace gmmhmm::recognizer {

using detail::failArgument;
using detail::read;

namespace {

constexpr const char* kFormat = "gmmhmm-recognizer";
constexpr int kVersion = 1;

// Fewest frames a model can explain: a left-to-right path that must end in the last state
// needs ceil((N-1)/maxJump)+1 frames.
Index shortestPath(const GmmHmm& model) {
  const ModelConfig& c = model.config();
  if (c.topology != Topology::LeftRight || !c.endInLastState) return 1;
  const int jump = std::clamp(c.maxJump, 1, std::max(1, c.nStates));  // same result, no overflow
  return (c.nStates - 1 + jump - 1) / jump + 1;
}

void checkLabel(const std::string& label, const char* where) {
  if (const std::string problem = labelProblem(label); !problem.empty()) failArgument(where, ": label ", problem);
}

}  // namespace

Recognizer::Recognizer(const RecognizerOptions& options) : options_(options) { validate(options_); }

void Recognizer::addExample(const std::string& label, const float* samples, std::size_t numSamples, double sampleRate) {
  checkLabel(label, "addExample");
  if (numSamples == 0) failArgument("addExample: samples are empty (label \"", label, "\")");
  UtteranceInfo info;
  RowMatrix x = wordFeatures(samples, numSamples, sampleRate, options_.features, &info);
  if (info.onlySteadyNoise)
    failArgument("addExample: the recording for \"", label, "\" holds only steady noise (no word found between its ends)");
  if (x.rows() == 0)
    failArgument("addExample: the recording for \"", label, "\" is shorter than one frame (",
                 options_.features.mfcc.frameLength, " ms)");
  if (peakLevelDb(samples, numSamples) < options_.rejection.minLevelDb)
    failArgument("addExample: the recording for \"", label, "\" is silent (peak below ",
                 options_.rejection.minLevelDb, " dBFS)");
  addFeatures(label, std::move(x));
}

void Recognizer::addFeatures(const std::string& label, RowMatrix features) {
  checkLabel(label, "addFeatures");
  const int width = featureWidth(options_.features);
  if (features.rows() == 0) failArgument("addFeatures: features for \"", label, "\" have no frames");
  if (features.cols() != width)
    failArgument("addFeatures: features must have ", width, " columns (MFCC + deltas), got ", features.cols());
  if (!features.allFinite()) failArgument("addFeatures: features for \"", label, "\" contain NaN or infinite values");
  // Checked here so that train() does not fail later naming a frame of all the words' examples
  // joined: the variance prior (up to variancePriorWeight x variancePriorScale = 1e5 times the
  // pooled variance, itself at most the features' squared magnitude) must stay within the
  // models' limit of 1e100 (sequence_data.hpp): 1e5 x (1e45)^2 = 1e95.
  constexpr double kMaxFeatureMagnitude = 1e45;
  for (Eigen::Index t = 0; t < features.rows(); ++t)
    for (Eigen::Index d = 0; d < features.cols(); ++d)
      if (std::abs(features(t, d)) > kMaxFeatureMagnitude)
        failArgument("addFeatures: features for \"", label, "\" hold ", features(t, d), " at frame ", t, ", feature ", d,
                     " (magnitudes above 1e45 are not supported)");
  // The same recording under two labels makes two identical models that split every vote
  // between them: refused, naming both (the same label twice is only a repetition).
  for (const auto& [other, list] : examples_) {
    if (other == label) continue;
    for (std::size_t i = 0; i < list.size(); ++i)
      if (list[i].rows() == features.rows() && list[i] == features)
        failArgument("examples: example ", exampleCount(label) + 1, " of \"", label, "\" is identical to example ",
                     i + 1, " of \"", other, "\" (the same recording under two labels)");
  }
  if (std::find(order_.begin(), order_.end(), label) == order_.end()) order_.push_back(label);
  examples_[label].push_back(std::move(features));
}

int Recognizer::removeExamples(const std::string& label) {
  const auto found = examples_.find(label);
  const int removed = found == examples_.end() ? 0 : static_cast<int>(found->second.size());
  examples_.erase(label);
  order_.erase(std::remove(order_.begin(), order_.end(), label), order_.end());
  removed_.insert(label);
  return removed;
}

std::vector<std::string> Recognizer::wordsTrainingWouldDrop() const {
  std::vector<std::string> out;
  for (const auto& l : wordLabels_)
    if (!examples_.count(l) && !removed_.count(l)) out.push_back(l);
  return out;
}

std::vector<std::string> Recognizer::wordsTrainingWouldShrink() const {
  std::vector<std::string> out;
  for (std::size_t w = 0; w < wordLabels_.size(); ++w) {
    const auto it = examples_.find(wordLabels_[w]);
    if (it != examples_.end() && !removed_.count(wordLabels_[w]) &&
        static_cast<int>(it->second.size()) < words_[w].nExamples)
      out.push_back(wordLabels_[w]);
  }
  return out;
}

namespace {
std::string quotedList(const std::vector<std::string>& labels) {
  constexpr std::size_t kNamed = 20;
  std::string names;
  for (std::size_t i = 0; i < labels.size() && i < kNamed; ++i) names += (i ? ", \"" : "\"") + labels[i] + "\"";
  if (labels.size() > kNamed) names += " and " + std::to_string(labels.size() - kNamed) + " more";
  return names;
}
}  // namespace

void Recognizer::checkNothingDropped(const char* where) const {
  const std::vector<std::string> lost = wordsTrainingWouldDrop();
  if (!lost.empty()) {
    const bool one = lost.size() == 1;
    failArgument(where, ": ", one ? "the word " : "the words ", quotedList(lost), one ? " has" : " have",
                 " a trained model but no examples (a recognizer loaded from a file keeps each word's model, not its "
                 "recordings), and training would drop ", one ? "it" : "them", ": add ", one ? "its" : "their",
                 " examples again (e.g. from exampleFeatures() kept beside the file), or call removeExamples(label) for "
                 "each word to drop");
  }
  const std::vector<std::string> fewer = wordsTrainingWouldShrink();
  if (!fewer.empty()) {
    const bool one = fewer.size() == 1;
    failArgument(where, ": ", one ? "the word " : "the words ", quotedList(fewer), one ? " has" : " have",
                 " a trained model of more examples than ", one ? "it has" : "they have",
                 " now (a recognizer loaded from a file keeps each word's model, not its recordings), and training "
                 "would replace ", one ? "it" : "them", " by a model of these alone: add the earlier examples again "
                 "(e.g. from exampleFeatures() kept beside the file), or call removeExamples(label) first to train ",
                 one ? "it" : "each", " from the new ones alone");
  }
}

std::vector<std::string> Recognizer::labelsWithExamples() const { return order_; }

std::vector<std::string> Recognizer::labels() const {
  std::vector<std::string> out = order_;
  for (const auto& l : wordLabels_)
    if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
  return out;
}

int Recognizer::exampleCount(const std::string& label) const {
  const auto it = examples_.find(label);
  return it == examples_.end() ? 0 : static_cast<int>(it->second.size());
}

const std::vector<RowMatrix>& Recognizer::examples(const std::string& label) const {
  const auto it = examples_.find(label);
  if (it == examples_.end()) failArgument("label \"", label, "\" has no examples");
  return it->second;
}

std::vector<std::string> Recognizer::trainedLabels() const { return wordLabels_; }

const WordModel& Recognizer::wordModel(const std::string& label) const {
  const auto it = std::find(wordLabels_.begin(), wordLabels_.end(), label);
  if (it == wordLabels_.end()) failArgument("label \"", label, "\" has no trained model");
  return words_[static_cast<std::size_t>(it - wordLabels_.begin())];
}

const GmmHmm& Recognizer::backgroundModel() const {
  if (background_.empty()) throw NotFitted("the recognizer is not trained; call train() first");
  return background_.front();
}

void Recognizer::train(const std::function<bool(const std::string&, const TrainingProgress&)>& progress) {
  if (order_.empty()) failArgument("train: no examples; add examples with addExample() first");
  checkNothingDropped("train");
  std::map<std::string, WordModel> words;
  const std::vector<double> pooled = pooledVariance();
  for (const auto& label : order_) {
    ProgressCallback cb;
    if (progress) cb = [&](const TrainingProgress& p) { return progress(label, p); };
    words.emplace(label, trainWordModel(examples_.at(label), options_.word, cb, pooled));
  }
  ProgressCallback cb;
  if (progress) cb = [&](const TrainingProgress& p) { return progress("", p); };
  GmmHmm background = trainBackgroundModel(examplesByLabel(), options_.background, cb);
  install(std::move(words), std::move(background));
}

void Recognizer::install(std::map<std::string, WordModel> words, GmmHmm background) {
  if (words.empty()) failArgument("install: no word models");
  const int width = featureWidth(options_.features);
  for (const auto& [label, word] : words) {
    checkLabel(label, "install");
    if (word.model.nFeatures() != width || !word.model.isReady())
      failArgument("install: the model of \"", label, "\" is not a trained model of ", width, "-dimensional features");
    for (const auto& h : word.heldOut) {
      if (exampleCount(label) != word.nExamples || h.example < 0 || h.example >= word.nExamples)
        failArgument("install: the examples of \"", label, "\" changed while it was trained; train again");
    }
  }
  if (background.nFeatures() != width || !background.isReady())
    failArgument("install: the background model is not a trained model of ", width, "-dimensional features");
  // Keep the order in which labels were first added (the map sorts them).
  std::vector<std::string> labels;
  for (const auto& l : order_)
    if (words.count(l)) labels.push_back(l);
  for (const auto& [l, w] : words)
    if (std::find(labels.begin(), labels.end(), l) == labels.end()) labels.push_back(l);
  std::vector<WordModel> models;
  for (const auto& l : labels) models.push_back(std::move(words.at(l)));
  wordLabels_ = std::move(labels);
  words_ = std::move(models);
  background_.clear();
  background_.push_back(std::move(background));
  // Words given up are gone now; one removed while it trained (train() in Workers) was
  // installed all the same and stays given up for the next train().
  for (auto it = removed_.begin(); it != removed_.end();)
    it = std::find(wordLabels_.begin(), wordLabels_.end(), *it) == wordLabels_.end() || examples_.count(*it) ? removed_.erase(it)
                                                                                                            : std::next(it);
  calibrate();
  computeSizeCorrections();
  computeFitFloors();
  computeTemplateSpreads();
}

std::vector<double> Recognizer::pooledVariance() const { return recognizer::pooledVariance(examplesByLabel()); }

namespace {
// The pooled spread of held-out scores never goes below this (nats per frame): near-identical
// examples would otherwise set a floor that no new recording of the word reaches.
constexpr double kMinFitSpread = 0.25;
}  // namespace

void Recognizer::computeFitFloors() {
  // Pooled within-word standard deviation of the held-out per-frame log-likelihoods.
  std::vector<double> means(words_.size(), 0.0);
  double squares = 0;
  std::size_t samples = 0, groups = 0;
  for (std::size_t w = 0; w < words_.size(); ++w) {
    const auto& heldOut = words_[w].heldOut;
    if (heldOut.empty()) continue;
    for (const auto& h : heldOut) means[w] += h.logLikelihood / static_cast<double>(h.frames);
    means[w] /= static_cast<double>(heldOut.size());
    for (const auto& h : heldOut) squares += std::pow(h.logLikelihood / static_cast<double>(h.frames) - means[w], 2);
    samples += heldOut.size();
    ++groups;
  }
  const double spread = samples > groups ? std::max(kMinFitSpread, std::sqrt(squares / static_cast<double>(samples - groups)))
                                         : kMinFitSpread;
  fitFloors_.assign(words_.size(), -std::numeric_limits<double>::infinity());
  for (std::size_t w = 0; w < words_.size(); ++w)
    if (!words_[w].heldOut.empty()) fitFloors_[w] = means[w] - options_.rejection.fitFloorSpreads * spread;
}

void Recognizer::computeTemplateSpreads() {
  templateSpreads_.clear();
  for (const auto& w : words_) templateSpreads_.push_back(templateSpread(w.templates));
}

std::vector<std::vector<const RowMatrix*>> Recognizer::examplesByLabel() const {
  std::vector<std::vector<const RowMatrix*>> all;
  for (const auto& label : order_) {
    all.emplace_back();
    for (const auto& x : examples_.at(label)) all.back().push_back(&x);
  }
  return all;
}

void Recognizer::computeSizeCorrections() {
  // The background's frames: the same selection trainBackgroundModel made from these examples.
  Index backgroundFrames = 0;
  for (const RowMatrix* x : backgroundExamples(examplesByLabel(), options_.background)) backgroundFrames += x->rows();
  const auto optimism = [](const GmmHmm& model, Index frames) {
    return static_cast<double>(model.nFreeParameters()) / (2.0 * static_cast<double>(frames));
  };
  sizeCorrections_.assign(words_.size(), 0.0);
  for (std::size_t w = 0; w < words_.size(); ++w) {
    const auto it = examples_.find(wordLabels_[w]);
    if (it == examples_.end() || backgroundFrames == 0) continue;
    Index frames = 0;
    for (const auto& x : it->second) frames += x.rows();
    if (frames > 0)
      sizeCorrections_[w] = optimism(words_[w].model, frames) - optimism(background_.front(), backgroundFrames);
  }
}

void Recognizer::calibrate() {
  // Held-out example e of word w: its own score comes from a model trained without it
  // (WordModel::heldOut); every other word's full model never saw it.
  struct HeldOut {
    std::size_t word;
    const RowMatrix* x;
    const HeldOutScore* score;
  };
  std::vector<HeldOut> heldOut;
  for (std::size_t w = 0; w < words_.size(); ++w) {
    const auto it = examples_.find(wordLabels_[w]);
    if (it == examples_.end()) continue;
    for (const auto& h : words_[w].heldOut) heldOut.push_back({w, &it->second[static_cast<std::size_t>(h.example)], &h});
  }
  // Every other word's log-likelihood of them, one scorePerSequence() per word: the same value
  // per sequence as one score() each, without a call's set-up per pair (1,800 pairs on FSDD,
  // most of the time install() took). cross[k][i]: word k's score of held-out example i.
  std::vector<std::vector<double>> cross(words_.size());
  for (std::size_t k = 0; k < words_.size(); ++k) {
    const Index shortest = shortestPath(words_[k].model);
    std::vector<const RowMatrix*> parts;
    std::vector<std::size_t> which;
    for (std::size_t i = 0; i < heldOut.size(); ++i) {
      if (heldOut[i].word == k || heldOut[i].x->rows() < shortest) continue;
      parts.push_back(heldOut[i].x);
      which.push_back(i);
    }
    if (parts.empty()) continue;
    const std::vector<double> scores = words_[k].model.scorePerSequence(detail::stack(parts).view());
    cross[k].assign(heldOut.size(), 0.0);
    for (std::size_t j = 0; j < which.size(); ++j) cross[k][which[j]] = scores[j];
  }
  std::vector<CalibrationSample> samples;
  for (std::size_t i = 0; i < heldOut.size(); ++i) {
    const std::size_t w = heldOut[i].word;
    const RowMatrix& x = *heldOut[i].x;
    const HeldOutScore& h = *heldOut[i].score;
    CalibrationSample s;
    s.truth = static_cast<int>(w);
    const double T = static_cast<double>(x.rows());
    for (std::size_t k = 0; k < words_.size(); ++k) {
      if (k == w) {
        // Its own word's templates without itself, as its HMM score comes without it (the
        // other examples of its fold stay: with 3 folds a word of 6 examples keeps one
        // template its held-out model did not see -- a small optimism, only above 3 examples).
        s.perFrameScores.push_back(h.logLikelihood / T - templateTerm(x, k, h.example));
      } else if (x.rows() < shortestPath(words_[k].model)) {
        s.perFrameScores.push_back(-std::numeric_limits<double>::infinity());
      } else {
        s.perFrameScores.push_back(cross[k][i] / T - templateTerm(x, k));
      }
    }
    samples.push_back(std::move(s));
  }
  calibration_ = fitSoftmaxScale(samples);
}

bool Recognizer::templatesActive() const {
  if (!(options_.word.templateWeight > 0) || words_.empty()) return false;
  for (const auto& w : words_)
    if (w.templates.empty()) return false;
  return true;
}

double Recognizer::templateTerm(const RowMatrix& x, std::size_t word, std::ptrdiff_t skip) const {
  if (!templatesActive()) return 0;
  const double d = nearestTemplateDistance(x, words_[word].templates, skip);
  return std::isfinite(d) ? options_.word.templateWeight * d : 0;
}

Index Recognizer::shortestAlignable() const {
  Index shortest = std::numeric_limits<Index>::max();
  for (const auto& w : words_) shortest = std::min(shortest, shortestPath(w.model));
  return shortest;
}

Index Recognizer::longestExample() const {
  Index longest = 1;
  for (const auto& w : words_) longest = std::max<Index>(longest, w.maxFrames);
  return longest;
}

Classification Recognizer::classify(const float* samples, std::size_t numSamples, double sampleRate,
                                    double sensitivity) const {
  if (!isTrained()) throw NotFitted("classify: the recognizer is not trained; call train() first");
  if (!std::isfinite(sensitivity)) failArgument("classify: sensitivity must be a finite number of nats per frame");
  // The front end's band must fit the rate before an early answer ('too-long', 'silence'),
  // else a wrong rate is reported as a word too long or too quiet; wordFeatures checks it
  // on the way to every other answer.
  const auto requireRateServedHere = [&] {
    try {
      requireRateServed(options_.features, sampleRate);
    } catch (const InvalidArgument& e) {
      failArgument("classify: ", e.what());
    }
  };
  try {
    features::validateSampleRate(sampleRate);
  } catch (const InvalidArgument& e) {
    failArgument("classify: ", e.what());
  }
  if (numSamples > 0 && samples == nullptr) failArgument("classify: samples are missing");
  for (std::size_t i = 0; i < numSamples; ++i)
    if (!std::isfinite(samples[i])) failArgument("classify: samples contain NaN or infinite values (at index ", i,
                                                 std::isnan(samples[i]) ? ": NaN)" : ": infinite; a number beyond ±3.4e38 is as a 32-bit float)");
  Classification result;
  // Far longer than anything trained: rejected before the front end spends time on it.
  const double frames = static_cast<double>(numSamples) / (sampleRate * options_.features.mfcc.frameShift / 1000.0);
  const double limit = options_.rejection.maxDurationRatio * static_cast<double>(longestExample());
  if (frames > 4.0 * limit + 200.0) {
    requireRateServedHere();
    result.rejected = true;
    result.reason = "too-long";
    result.frames = static_cast<Index>(frames);
    return result;
  }
  if (peakLevelDb(samples, numSamples) < options_.rejection.minLevelDb) {
    requireRateServedHere();
    result.rejected = true;
    result.reason = "silence";
    return result;
  }
  UtteranceInfo info;
  info.wantNoiseVariance = true;
  const RowMatrix x = wordFeatures(samples, numSamples, sampleRate, options_.features, &info);
  if (info.onlySteadyNoise) {
    result.rejected = true;
    result.reason = "not-speech";
    return result;
  }
  return score(x, info.kept.first, &info.steady, sensitivity, &info.noiseVariance);
}

Classification Recognizer::classifyFeatures(const RowMatrix& features) const {
  if (!isTrained()) throw NotFitted("classify: the recognizer is not trained; call train() first");
  const int width = featureWidth(options_.features);
  if (features.rows() > 0 && features.cols() != width)
    failArgument("classify: features must have ", width, " columns, got ", features.cols());
  if (!features.allFinite()) failArgument("classify: features contain NaN or infinite values");
  if (options_.features.normalizeVariance || features.cols() < options_.features.mfcc.numCeps)
    return score(features, 0, nullptr);  // (no columns: zero frames, "too-short")
  // The level test only: features from elsewhere need not be cepstra whose shape spread the
  // default threshold was measured on (classify() on audio applies both tests).
  Steadiness steady = steadiness(features.leftCols(1), options_.features);
  steady.shapeSpread = std::numeric_limits<double>::infinity();
  return score(features, 0, &steady);
}

Classification Recognizer::score(const RowMatrix& x, Index firstFrame, const Steadiness* steady,
                                 double sensitivity, const RowMatrix* noiseVariance) const {
  Classification result;
  result.frames = x.rows();
  result.firstFrame = firstFrame;
  const Index T = x.rows();
  if (T < shortestAlignable()) {
    result.rejected = true;
    result.reason = "too-short";
    return result;
  }
  if (static_cast<double>(T) > options_.rejection.maxDurationRatio * static_cast<double>(longestExample())) {
    result.rejected = true;
    result.reason = "too-long";
    return result;
  }
  const SequenceSet data = detail::single(x);
  std::vector<double> perFrame(words_.size());
  std::vector<double> total(words_.size());

  for (std::size_t k = 0; k < words_.size(); ++k) {
    total[k] = T < shortestPath(words_[k].model) ? -std::numeric_limits<double>::infinity()
                                                 : words_[k].model.score(data);
    perFrame[k] = total[k] / static_cast<double>(T);
  }
  // What chooses the word: the HMM's per-frame score, minus the template term when the words
  // have templates.
  std::vector<double> ranking = perFrame;
  std::vector<double> distance(words_.size(), std::numeric_limits<double>::quiet_NaN());
  if (templatesActive()) {
    for (std::size_t k = 0; k < words_.size(); ++k) {
      if (!std::isfinite(perFrame[k])) continue;
      distance[k] = nearestTemplateDistance(x, words_[k].templates);
      ranking[k] -= options_.word.templateWeight * distance[k];
    }
  }
  const std::vector<double> p = softmaxProbabilities(ranking, calibration_.scale);
  std::vector<std::size_t> rank(words_.size());
  for (std::size_t k = 0; k < rank.size(); ++k) rank[k] = k;
  std::stable_sort(rank.begin(), rank.end(), [&](std::size_t a, std::size_t b) { return ranking[a] > ranking[b]; });
  for (std::size_t k : rank) result.scores.push_back({wordLabels_[k], total[k], p[k], distance[k]});
  const std::size_t best = rank.front();
  result.label = wordLabels_[best];
  result.confidence = p[best];
  // The likelihood-ratio test, with the uncertainty the noise at the ends leaves in the frames
  // when there is one (WordFeatureOptions::noiseUncertainty): both models or neither.
  double wordScore = total[best], backgroundScore = 0;
  bool scored = false;
  if (noiseVariance && noiseVariance->rows() == T && std::isfinite(total[best])) {
    const detail::DiagonalModel word = detail::diagonalModel(words_[best].model);
    const detail::DiagonalModel background = detail::diagonalModel(background_.front());
    if (word.usable && background.usable) {
      wordScore = detail::uncertainScore(word, x, *noiseVariance);
      backgroundScore = detail::uncertainScore(background, x, *noiseVariance);
      scored = true;
    }
  }
  if (!scored) backgroundScore = background_.front().score(data);
  result.likelihoodRatio = (wordScore - backgroundScore) / static_cast<double>(T) +
                           options_.rejection.sizeCorrection * sizeCorrections_[best];
  const auto& heldOut = words_[best].heldOut;
  bool poorFit = false;
  if (!heldOut.empty()) {
    double lowest = std::numeric_limits<double>::infinity();
    for (const auto& h : heldOut) lowest = std::min(lowest, h.logLikelihood / static_cast<double>(h.frames));
    result.fit = perFrame[best] - lowest;
    poorFit = result.fit < -(options_.rejection.fitMargin + sensitivity);
  }
  const bool belowFloor = perFrame[best] < fitFloors_[best] - sensitivity;
  // The template tests (RejectionOptions::templateSpreads, minTemplateMargin): acceptance may
  // overrule the out-of-vocabulary tests (ratio, fit margin); a word about as near another
  // word's templates is refused.
  // A caller asking for stricter tests (sensitivity < 0) gets no acceptance by templates, so
  // that a lower sensitivity never accepts more.
  bool ratioRefuses = result.likelihoodRatio < options_.rejection.threshold - sensitivity;
  bool byTemplates = false;
  bool nearAnother = false;
  if (templatesActive()) {
    const RejectionOptions& r = options_.rejection;
    const TemplateEvidence evidence = templateEvidence(distance, best, templateSpreads_[best]);
    result.templateSpreads = evidence.spreads;
    result.templateMargin = evidence.margin;
    const bool byScore = r.templateScoreMinExamples > 0 &&
                         words_[best].templates.size() >= static_cast<std::size_t>(r.templateScoreMinExamples);
    const double score = byScore ? templateScore(result.likelihoodRatio, evidence, r.templateScoreMarginWeight,
                                                 r.templateScoreSpreadsWeight)
                                 : std::numeric_limits<double>::quiet_NaN();
    if (!std::isnan(score)) {
      // One score decides (RejectionOptions::templateScoreMinExamples), moved by the
      // sensitivity like the ratio test. A stricter caller (sensitivity < 0) also needs the
      // ratio test and the fit margin: the template terms can add tens of nats, and a
      // stricter caller must never get more accepted than the tests alone would give it.
      const bool testsRefuse = ratioRefuses || poorFit;
      ratioRefuses = score < r.templateScoreThreshold - sensitivity || (sensitivity < 0 && testsRefuse);
      poorFit = false;
      byTemplates = testsRefuse && !ratioRefuses;
    } else {
      nearAnother = evidence.margin < r.minTemplateMargin;  // (NaN: false)
      if ((ratioRefuses || poorFit) && !nearAnother && sensitivity >= 0 &&
          templatesAccept(evidence, r.templateSpreads, r.templateMargin)) {
        ratioRefuses = poorFit = false;
        byTemplates = true;
      }
    }
  }
  // Computed on the frames before normalisation (variance normalisation would make every
  // sound's level spread the same).
  if (steady && (steady->levelSpreadDb < options_.rejection.minSpreadDb ||
                 steady->shapeSpread < options_.rejection.minShapeSpread)) {
    result.rejected = true;
    result.reason = "not-speech";
  } else if (ratioRefuses || poorFit) {
    result.rejected = true;
    result.reason = "out-of-vocabulary";
  } else if (belowFloor) {
    result.rejected = true;
    result.reason = "poor-fit";
  } else if (nearAnother || result.confidence < options_.rejection.minConfidence) {
    result.rejected = true;
    result.reason = "low-confidence";
  }
  // A model from a file (custom topology, structural zeros) may admit no path for these frames
  // even past the shortest-path gate; decode() would throw (found by fuzzing): nothing to align.
  if (std::isfinite(total[best])) {
    result.alignment = words_[best].model.decode(data).states;
  } else if (!result.rejected) {
    result.rejected = true;
    result.reason = "out-of-vocabulary";
  }
  result.acceptedByTemplates = byTemplates && !result.rejected;
  return result;
}

std::string Recognizer::toJson() const {
  if (!isTrained()) throw NotFitted("toJSON: the recognizer is not trained; call train() first");
  nlohmann::json words = nlohmann::json::array();
  for (std::size_t k = 0; k < words_.size(); ++k) {
    nlohmann::json w = recognizer::toJson(words_[k]);
    w["label"] = wordLabels_[k];
    w["sizeCorrection"] = sizeCorrections_[k];
    if (std::isfinite(fitFloors_[k])) w["fitFloor"] = fitFloors_[k];
    if (std::isfinite(templateSpreads_[k])) w["templateSpread"] = templateSpreads_[k];
    words.push_back(std::move(w));
  }
  nlohmann::json doc = {
      {"format", kFormat},
      {"version", kVersion},
      {"options", recognizer::toJson(options_)},
      {"labels", wordLabels_},
      {"words", std::move(words)},
      {"background", background_.front().toJsonValue()},
      {"calibration",
       {{"method", "softmax of per-frame log-likelihoods, scale fitted on held-out examples (Platt targets)"},
        {"scale", calibration_.scale},
        {"samples", calibration_.samples},
        {"heldOutAccuracy", calibration_.heldOutAccuracy},
        {"heldOutLogLoss", calibration_.heldOutLogLoss}}},
  };
  return doc.dump();
}

namespace {

// The members Recognizer::fromJson reads; the others ("labels", "calibration.method", or
// anything a file adds) are skipped while parsing, never built.
std::shared_ptr<const gmmhmm::detail::JsonMembers> recognizerFileMembers() {
  using gmmhmm::detail::JsonMembers;
  static const auto members = [] {
    auto word = JsonMembers::of(toJson(WordModel()));
    word->known["model"] = gmmhmm::detail::modelFileMembers();
    word->known["label"] = nullptr;
    word->known["sizeCorrection"] = nullptr;
    word->known["fitFloor"] = nullptr;
    word->known["templateSpread"] = nullptr;
    word->known["templates"] = JsonMembers::everything();
    auto calibration = std::make_shared<JsonMembers>();
    for (const char* name : {"scale", "samples", "heldOutAccuracy", "heldOutLogLoss"}) calibration->known[name] = nullptr;
    auto root = std::make_shared<JsonMembers>();
    root->known = {{"format", nullptr},
                   {"version", nullptr},
                   {"options", JsonMembers::everything()},  // recognizerOptionsFromJson names unknown keys
                   {"words", word},
                   {"background", gmmhmm::detail::modelFileMembers()},
                   {"calibration", calibration}};
    return std::shared_ptr<const JsonMembers>(root);
  }();
  return members;
}

}  // namespace

Recognizer Recognizer::fromJson(std::string_view text, const FileLimits& limits) {
  nlohmann::json doc;
  try {
    doc = gmmhmm::detail::parseJsonFile(text, limits, *recognizerFileMembers(), "recognizer JSON");
  } catch (const nlohmann::json::exception& e) {
    throw ModelFormatError(std::string("recognizer JSON does not parse: ") + e.what());
  }
  if (!doc.is_object()) throw ModelFormatError("recognizer JSON must be an object");
  // Not doc.value("format", ...): it throws a json type_error when "format" is no string (fuzzing).
  const auto format = doc.find("format");
  if (format == doc.end() || !format->is_string() || format->get<std::string>() != kFormat)
    throw ModelFormatError(std::string("recognizer JSON: \"format\" must be \"") + kFormat + "\"");
  if (!doc.contains("version") || !doc["version"].is_number_integer() || doc["version"].get<long long>() != kVersion)
    throw ModelFormatError("recognizer JSON: unsupported \"version\" (expected 1)");
  RecognizerOptions options;
  try {
    // Keys a file lacks: the front end that files without them were trained with.
    RecognizerOptions older;
    older.features = WordFeatureOptions::olderFiles();
    older.word.variancePriorWeight = 0;  // files from before the variance prior retrain without it
    older.word.templateWeight = 0;       // and from before templates, without those
    older.word.fewExampleMaxJump = 1;    // and from before skipping states with few examples, without
    older.rejection.templateSpreads = 0;  // files from before the template tests: none
    older.rejection.minTemplateMargin = 0;
    older.rejection.templateScoreMinExamples = 0;  // and before the one score: the tests decide
    options = recognizerOptionsFromJson(doc.value("options", nlohmann::json::object()), older);
  } catch (const InvalidArgument& e) {
    throw ModelFormatError(std::string("recognizer JSON: ") + e.what());
  } catch (const nlohmann::json::exception& e) {  // a value of the wrong JSON type
    throw ModelFormatError(std::string("recognizer JSON: options: ") + e.what());
  }
  Recognizer r(options);
  const auto words = doc.find("words");
  if (words == doc.end() || !words->is_array() || words->empty())
    throw ModelFormatError("recognizer JSON: \"words\" must be a non-empty array");
  const int width = featureWidth(options.features);
  for (std::size_t i = 0; i < words->size(); ++i) {
    const auto& w = (*words)[i];
    if (!w.is_object() || !w.contains("label") || !w["label"].is_string())
      throw ModelFormatError("recognizer JSON: words[" + std::to_string(i) + "].label must be a non-empty string");
    const std::string label = w["label"].get<std::string>();
    // Before the label appears in any message.
    if (const std::string problem = labelProblem(label); !problem.empty())
      throw ModelFormatError("recognizer JSON: words[" + std::to_string(i) + "].label " + problem);
    if (std::find(r.wordLabels_.begin(), r.wordLabels_.end(), label) != r.wordLabels_.end())
      throw ModelFormatError("recognizer JSON: label \"" + label + "\" appears twice");
    WordModel model;
    try {
      model = wordModelFromJson(w);
    } catch (const Error& e) {
      throw ModelFormatError("recognizer JSON: words[" + std::to_string(i) + "] (\"" + label + "\"): " + e.what());
    } catch (const nlohmann::json::exception& e) {
      throw ModelFormatError("recognizer JSON: words[" + std::to_string(i) + "] (\"" + label + "\"): " + e.what());
    }
    if (model.model.nFeatures() != width || !model.model.isReady())
      throw ModelFormatError("recognizer JSON: the model of \"" + label + "\" must have " + std::to_string(width) +
                             " features (as the front-end options give)");
    // Optional (files written before it existed: no correction).
    double sizeCorrection = 0;
    if (const auto c = w.find("sizeCorrection"); c != w.end()) {
      if (!c->is_number() || !std::isfinite(c->get<double>()) || std::abs(c->get<double>()) > 1e3)
        throw ModelFormatError("recognizer JSON: words[" + std::to_string(i) + "].sizeCorrection must be a number in [-1000, 1000]");
      sizeCorrection = c->get<double>();
    }
    // Optional (files written before it existed: no floor, so they classify as they did).
    double fitFloor = -std::numeric_limits<double>::infinity();
    if (const auto f = w.find("fitFloor"); f != w.end()) {
      if (!f->is_number() || !std::isfinite(f->get<double>()) || std::abs(f->get<double>()) > 1e6)
        throw ModelFormatError("recognizer JSON: words[" + std::to_string(i) + "].fitFloor must be a number in [-1e6, 1e6]");
      fitFloor = f->get<double>();
    }
    // Optional (words with fewer than 2 templates, files written before it: no template
    // acceptance for the word).
    double templateSpread = std::numeric_limits<double>::quiet_NaN();
    if (const auto t = w.find("templateSpread"); t != w.end()) {
      // A distance between frames of features: as large as they are (1e6 refused a recognizer's
      // own file when its features passed about 4e5).
      if (!t->is_number() || !(t->get<double>() >= 0 && t->get<double>() <= 1e100))
        throw ModelFormatError("recognizer JSON: words[" + std::to_string(i) + "].templateSpread must be a number in [0, 1e100]");
      if (model.templates.size() < 2)
        throw ModelFormatError("recognizer JSON: words[" + std::to_string(i) +
                               "].templateSpread needs at least 2 templates (the word has " +
                               std::to_string(model.templates.size()) + ")");
      templateSpread = t->get<double>();
    }
    r.wordLabels_.push_back(label);
    r.words_.push_back(std::move(model));
    r.sizeCorrections_.push_back(sizeCorrection);
    r.fitFloors_.push_back(fitFloor);
    r.templateSpreads_.push_back(templateSpread);
  }
  const auto background = doc.find("background");
  if (background == doc.end() || !background->is_object())
    throw ModelFormatError("recognizer JSON: \"background\" must be a model object");
  try {
    r.background_.push_back(GmmHmm::fromJsonValue(*background));
  } catch (const Error& e) {
    throw ModelFormatError(std::string("recognizer JSON: background: ") + e.what());
  }
  if (r.background_.front().nFeatures() != width || !r.background_.front().isReady())
    throw ModelFormatError("recognizer JSON: the background model must have " + std::to_string(width) + " features");
  const auto calibration = doc.find("calibration");
  if (calibration == doc.end() || !calibration->is_object())
    throw ModelFormatError("recognizer JSON: \"calibration\" must be an object");
  try {
    read(*calibration, "scale", r.calibration_.scale, "calibration");
    read(*calibration, "samples", r.calibration_.samples, "calibration");
    read(*calibration, "heldOutAccuracy", r.calibration_.heldOutAccuracy, "calibration");
    read(*calibration, "heldOutLogLoss", r.calibration_.heldOutLogLoss, "calibration");
  } catch (const InvalidArgument& e) {
    throw ModelFormatError(std::string("recognizer JSON: ") + e.what());
  } catch (const nlohmann::json::exception& e) {
    throw ModelFormatError(std::string("recognizer JSON: calibration: ") + e.what());
  }
  if (!(r.calibration_.scale > 0 && r.calibration_.scale < 1e6))
    throw ModelFormatError("recognizer JSON: calibration.scale must be a positive number");
  return r;
}

}  // namespace gmmhmm::recognizer
