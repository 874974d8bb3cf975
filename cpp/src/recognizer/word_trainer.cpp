#include "gmmhmm/recognizer/word_trainer.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include <nlohmann/json.hpp>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/recognizer/templates.hpp"
#include "json_fields.hpp"
#include "median.hpp"
#include "stacked.hpp"

namespace gmmhmm::recognizer {

using detail::failArgument;
using detail::median;
using detail::read;


namespace {

// EM iterations that turn a large word's held-out model into the word model (see below).
constexpr int kRefineIterations = 3;
// The data-scaled variance floor never exceeds this fraction of the global variance.
constexpr double kMaxScaledFloor = 0.5;

void checkExamples(const std::vector<const RowMatrix*>& examples, const char* what) {
  if (examples.empty()) failArgument(what, ": no examples to train on");
  const auto width = examples.front()->cols();
  for (std::size_t i = 0; i < examples.size(); ++i) {
    const RowMatrix& x = *examples[i];
    if (x.rows() == 0) failArgument(what, ": example ", i, " has no frames");
    if (x.cols() != width || width == 0)
      failArgument(what, ": example ", i, " has ", x.cols(), " features per frame, example 0 has ", width);
    if (!x.allFinite()) failArgument(what, ": example ", i, " contains NaN or infinite values");
  }
}

// Few frames per component make noisy variances: the floor (a fraction of the global
// variance) rises towards it as the data shrink, scale / sqrt(frames per component), never
// below `base` nor above kMaxScaledFloor.
double scaledFloorFraction(double base, double scale, double framesPerComponent) {
  return std::max(base, std::min(kMaxScaledFloor, scale / std::sqrt(std::max(1.0, framesPerComponent))));
}

Index totalFrames(const std::vector<const RowMatrix*>& examples) {
  Index total = 0;
  for (const RowMatrix* x : examples) total += x->rows();
  return total;
}

// Per-feature variance of the frames of `examples` (population variance; >= 0).
std::vector<double> frameVariance(const std::vector<const RowMatrix*>& examples) {
  const Index width = examples.empty() ? 0 : examples.front()->cols();
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(width), sum2 = Eigen::VectorXd::Zero(width);
  double n = 0;
  for (const RowMatrix* x : examples) {
    sum += x->colwise().sum().transpose();
    sum2 += x->array().square().colwise().sum().matrix().transpose();
    n += static_cast<double>(x->rows());
  }
  std::vector<double> out(static_cast<std::size_t>(width), 0.0);
  if (n == 0) return out;
  for (Index d = 0; d < width; ++d) {
    const double mean = sum[d] / n;
    out[static_cast<std::size_t>(d)] = std::max(0.0, sum2[d] / n - mean * mean);
  }
  return out;
}

// The prior's reference variance: the vocabulary's pooled one when given, else the word's own.
std::vector<double> priorReference(const std::vector<const RowMatrix*>& examples, const WordModelOptions& o,
                                   const std::vector<double>& pooled) {
  if (o.variancePriorWeight == 0) return {};
  const std::size_t width = static_cast<std::size_t>(examples.front()->cols());
  if (pooled.empty()) return frameVariance(examples);
  if (pooled.size() != width)
    failArgument("trainWordModel: the pooled variance has ", pooled.size(), " values, the examples have ", width,
                 " features");
  for (double v : pooled)
    if (!(std::isfinite(v) && v >= 0 && v <= 1e100))
      failArgument("trainWordModel: the pooled variance must hold numbers in [0, 1e100], got ", v);
  return pooled;
}

ModelConfig configFor(const std::vector<const RowMatrix*>& examples, const WordModelOptions& o,
                      const std::vector<double>& reference) {
  std::vector<double> lengths;
  Index total = 0, shortest = examples.front()->rows();
  for (const RowMatrix* x : examples) {
    lengths.push_back(static_cast<double>(x->rows()));
    total += x->rows();
    shortest = std::min(shortest, x->rows());
  }
  int states = static_cast<int>(std::lround(median(lengths) / o.framesPerState));
  states = std::clamp(states, o.minStates, o.maxStates);
  // A path that must end in the last state needs ceil((N-1)/maxJump)+1 frames: every
  // example must be alignable.
  if (o.endInLastState) {
    const Index maxStatesForShortest = (shortest - 1) * o.maxJump + 1;
    states = static_cast<int>(std::min<Index>(states, std::max<Index>(1, maxStatesForShortest)));
  }
  const Index perState = total / states;
  const int mix = static_cast<int>(std::clamp<Index>(perState / o.minFramesPerComponent, 1, o.maxMix));

  ModelConfig c;
  c.nStates = states;
  c.nMix = mix;
  c.nFeatures = static_cast<int>(examples.front()->cols());
  c.covarianceType = CovarianceType::Diag;
  c.topology = Topology::LeftRight;
  c.maxJump = std::min(o.maxJump, std::max(1, states - 1));
  c.endInLastState = o.endInLastState;
  c.init = InitMethod::Segmental;
  c.mixtureSplitting = mix > 1;
  c.splitIterations = o.splitIterations;
  c.nIter = o.nIter;
  c.tol = o.tol * static_cast<double>(total);  // the engine's tol is on the total
  c.minCovar = o.minCovar;
  c.varianceFloorFraction =
      scaledFloorFraction(o.varianceFloorFraction, o.varianceFloorScale, static_cast<double>(perState) / mix);
  c.transmatPrior = o.transmatPrior;
  if (!reference.empty()) {
    c.covarsWeight = o.variancePriorWeight;
    c.covarsPriorPerFeature.resize(reference.size());
    for (std::size_t d = 0; d < reference.size(); ++d)
      c.covarsPriorPerFeature[d] = o.variancePriorWeight * o.variancePriorScale * reference[d];
  }
  c.seed = o.seed;
  // One k-means run, as when the recogniser's accuracy was measured (docs/accuracy.md): the
  // segmental start only uses k-means to propose one of its two cuts, and keeps the better.
  c.nInit = 1;
  return c;
}

// Progress numbering across the two fits of a large word (held-out model, then its
// refinement on every example): the second fit continues the first one's iterations.
struct IterationOffset {
  int done = 0;        // iterations reported before this fit
  int plannedLater = 0;  // iterations planned after this fit
};

// EM on `examples` from `model`'s state (fresh: initialised by fit(); refined: initParams "").
// Appends the per-frame log-likelihood of every iteration to `history` when given.
void fitModel(GmmHmm& model, const std::vector<const RowMatrix*>& examples, const std::string& stage,
              const ProgressCallback& progress, std::vector<double>* history, IterationOffset offset = {}) {
  const detail::Stacked data = detail::stack(examples);
  const Index frames = data.data.rows();
  IterationCallback onIteration;
  if (progress) {
    onIteration = [&](int iteration, double logLikelihood, int nIter) {
      TrainingProgress p;
      p.stage = stage;
      p.iteration = offset.done + iteration + 1;
      p.nIter = offset.done + nIter + offset.plannedLater;
      p.logLikelihood = logLikelihood;
      p.frames = frames;
      return progress(p);
    };
  }
  const Monitor& monitor = model.fit(data.view(), onIteration);
  if (monitor.cancelled) throw Cancelled("training cancelled");
  if (history)
    for (double ll : monitor.history) history->push_back(ll / static_cast<double>(frames));
}

GmmHmm fitModel(const ModelConfig& config, const std::vector<const RowMatrix*>& examples, const std::string& stage,
                const ProgressCallback& progress, std::vector<double>* history) {
  GmmHmm model(config);
  fitModel(model, examples, stage, progress, history);
  return model;
}

}  // namespace

std::vector<double> pooledVariance(const std::vector<std::vector<const RowMatrix*>>& words) {
  std::vector<const RowMatrix*> all;
  for (const auto& word : words) all.insert(all.end(), word.begin(), word.end());
  if (all.empty()) return {};
  checkExamples(all, "pooledVariance");
  return frameVariance(all);
}

namespace {

// The options a word of n examples trains with: a word that keeps templates may skip states
// (WordModelOptions::fewExampleMaxJump); every fold's model follows the word's own choice.
WordModelOptions optionsForWord(WordModelOptions o, std::size_t nExamples) {
  if (static_cast<long long>(nExamples) <= o.maxTemplates) o.maxJump = std::max(o.maxJump, o.fewExampleMaxJump);
  return o;
}

}  // namespace

ModelConfig wordModelConfig(const std::vector<RowMatrix>& examples, const WordModelOptions& wordOptions,
                            const std::vector<double>& pooled) {
  validate(wordOptions);
  const WordModelOptions options = optionsForWord(wordOptions, examples.size());
  std::vector<const RowMatrix*> parts;
  for (const auto& x : examples) parts.push_back(&x);
  checkExamples(parts, "trainWordModel");
  return configFor(parts, options, priorReference(parts, options, pooled));
}

WordModel trainWordModel(const std::vector<RowMatrix>& examples, const WordModelOptions& wordOptions,
                         const ProgressCallback& progress, const std::vector<double>& pooled) {
  validate(wordOptions);
  const WordModelOptions options = optionsForWord(wordOptions, examples.size());
  std::vector<const RowMatrix*> all;
  for (const auto& x : examples) all.push_back(&x);
  checkExamples(all, "trainWordModel");
  // The same reference for every fold's model and the word's own.
  const std::vector<double> reference = priorReference(all, options, pooled);

  WordModel word;
  word.nExamples = static_cast<int>(examples.size());
  std::vector<double> lengths;
  word.minFrames = examples.front().rows();
  for (const auto& x : examples) {
    lengths.push_back(static_cast<double>(x.rows()));
    word.minFrames = std::min<std::ptrdiff_t>(word.minFrames, x.rows());
    word.maxFrames = std::max<std::ptrdiff_t>(word.maxFrames, x.rows());
  }
  word.medianFrames = median(lengths);
  // Kept as the file stores them (16 bits per number), so that a saved and reloaded
  // recognizer ranks exactly as the one that trained.
  if (word.nExamples <= options.maxTemplates)
    word.templates = templatesFromJson(templatesToJson(examples), examples.front().cols());

  // Grows the word model on `growOn` (at most maxGrowExamples of them, evenly spaced), hands it
  // to `between` (held-out scoring), then refines it with a few EM iterations on every example.
  const int refine = options.nIter > 0 ? kRefineIterations : 0;
  auto growThenRefine = [&](std::vector<const RowMatrix*> growOn, const std::function<void(const GmmHmm&)>& between) {
    const std::size_t cap = static_cast<std::size_t>(options.maxGrowExamples);
    if (growOn.size() > cap) {
      std::vector<const RowMatrix*> spaced;
      for (std::size_t i = 0; i < cap; ++i) spaced.push_back(growOn[i * growOn.size() / cap]);
      growOn = std::move(spaced);
    }
    // Sizes from every example (so that the shortest one stays alignable), tolerance from the
    // frames this fit sees.
    ModelConfig start = configFor(all, options, reference);
    start.tol = options.tol * static_cast<double>(totalFrames(growOn));
    GmmHmm model(start);
    fitModel(model, growOn, "word", progress, &word.history, {0, refine});
    if (between) between(model);
    if (refine > 0) {
      ModelConfig c = model.config();
      c.initParams = "";
      c.mixtureSplitting = false;
      c.nIter = refine;
      c.tol = options.tol * static_cast<double>(totalFrames(all));
      model.setTrainingConfig(c);
      fitModel(model, all, "word", progress, &word.history, {static_cast<int>(word.history.size()), 0});
    }
    word.model = std::move(model);
  };
  // The word model from every example: from scratch, or grown on a subset when there are many.
  auto trainOnAll = [&] {
    if (word.nExamples > options.maxGrowExamples)
      growThenRefine(all, {});
    else
      word.model = fitModel(configFor(all, options, reference), all, "word", progress, &word.history);
  };

  // Held-out scores. Which examples: all of them when there are few; otherwise
  // maxHeldOutPerWord evenly spaced ones. Folds: round-robin over those, at most
  // calibrationFolds, and a single fold when one fold holds enough examples already.
  const int n = word.nExamples;
  if (options.calibrationFolds == 0 || n < 2) {
    trainOnAll();
    return word;
  }
  std::vector<int> chosen;
  const int heldOut = std::min(n, options.maxHeldOutPerWord);
  for (int i = 0; i < heldOut; ++i) chosen.push_back(static_cast<int>((static_cast<long long>(i) * n) / heldOut));
  int folds = std::min(options.calibrationFolds, heldOut);
  if (n - heldOut >= heldOut) folds = 1;  // training on the rest still leaves most of the data
  auto withoutFold = [&](int f, std::vector<int>& fold) {
    std::vector<bool> out(static_cast<std::size_t>(n), false);
    for (std::size_t i = static_cast<std::size_t>(f); i < chosen.size(); i += static_cast<std::size_t>(folds)) {
      out[static_cast<std::size_t>(chosen[i])] = true;
      fold.push_back(chosen[i]);
    }
    std::vector<const RowMatrix*> rest;
    for (int i = 0; i < n; ++i)
      if (!out[static_cast<std::size_t>(i)]) rest.push_back(&examples[static_cast<std::size_t>(i)]);
    return rest;
  };
  auto scoreFold = [&](const GmmHmm& model, const std::vector<int>& fold) {
    if (fold.empty()) return;
    // One call for the fold (the same value per example as one score() each).
    std::vector<const RowMatrix*> parts;
    for (int e : fold) parts.push_back(&examples[static_cast<std::size_t>(e)]);
    const std::vector<double> scores = model.scorePerSequence(detail::stack(parts).view());
    for (std::size_t i = 0; i < fold.size(); ++i) word.heldOut.push_back({fold[i], scores[i], parts[i]->rows()});
  };
  auto sortHeldOut = [&] {
    std::sort(word.heldOut.begin(), word.heldOut.end(),
              [](const HeldOutScore& a, const HeldOutScore& b) { return a.example < b.example; });
  };

  if (folds == 1) {
    // A large word: the held-out model scores the held-out examples and then becomes the word
    // model after a few EM iterations on every example, instead of a second training from
    // scratch (which was half of the training time for a similar model).
    std::vector<int> fold;
    const std::vector<const RowMatrix*> rest = withoutFold(0, fold);
    growThenRefine(rest, [&](const GmmHmm& model) { scoreFold(model, fold); });
    sortHeldOut();
    return word;
  }

  // Few examples: one model per fold, then the word model on all of them.
  // The held-out folds run first and the word's own model last, so that progress reports
  // of the "word" stage end when the job ends.
  for (int f = 0; f < folds; ++f) {
    std::vector<int> fold;
    const std::vector<const RowMatrix*> rest = withoutFold(f, fold);
    if (rest.empty()) continue;
    scoreFold(fitModel(configFor(rest, options, reference), rest, "fold", progress, nullptr), fold);
  }
  sortHeldOut();
  trainOnAll();
  return word;
}

GmmHmm trainBackgroundModel(const std::vector<std::vector<const RowMatrix*>>& words,
                            const BackgroundOptions& options, const ProgressCallback& progress) {
  validate(options);
  const std::vector<const RowMatrix*> examples = backgroundExamples(words, options);
  checkExamples(examples, "trainBackgroundModel");
  const detail::Stacked data = detail::stack(examples);
  ModelConfig c;
  c.nStates = 1;
  c.nFeatures = static_cast<int>(data.data.cols());
  c.nMix = static_cast<int>(std::clamp<Index>(data.data.rows() / 20, 1, options.nMix));
  c.covarianceType = CovarianceType::Diag;
  c.topology = Topology::Ergodic;
  c.init = InitMethod::KMeans;
  c.nInit = 1;  // as measured (docs/accuracy.md); one run on up to 20,000 frames of all words
  c.nIter = options.nIter;
  c.tol = 1e-4 * static_cast<double>(data.data.rows());
  // The same data-scaled floor as the words' (see configFor): with few frames, word models
  // with raised floors against a sharp background would fail the likelihood-ratio test.
  c.varianceFloorFraction = scaledFloorFraction(options.varianceFloorFraction, options.varianceFloorScale,
                                                static_cast<double>(data.data.rows()) / c.nMix);
  c.seed = options.seed;
  return fitModel(c, examples, "background", progress, nullptr);
}

std::vector<const RowMatrix*> backgroundExamples(const std::vector<std::vector<const RowMatrix*>>& words,
                                                 const BackgroundOptions& options) {
  std::vector<const RowMatrix*> examples;
  for (const auto& word : words) {
    Index total = 0;
    for (const RowMatrix* x : word) total += x->rows();
    const std::size_t step = static_cast<std::size_t>(std::max<Index>(1, (total + options.maxFramesPerWord - 1) / options.maxFramesPerWord));
    for (std::size_t i = 0; i < word.size(); i += step) examples.push_back(word[i]);
  }
  return examples;
}

nlohmann::json toJson(const WordModel& w) {
  nlohmann::json heldOut = nlohmann::json::array();
  for (const auto& h : w.heldOut) heldOut.push_back({h.example, h.logLikelihood, h.frames});
  nlohmann::json j = {{"model", w.model.toJsonValue()}, {"nExamples", w.nExamples},
                      {"medianFrames", w.medianFrames}, {"minFrames", w.minFrames}, {"maxFrames", w.maxFrames},
                      {"history", w.history}, {"heldOut", heldOut}};
  if (!w.templates.empty()) j["templates"] = templatesToJson(w.templates);
  return j;
}

WordModel wordModelFromJson(const nlohmann::json& j) {
  if (!j.is_object()) throw ModelFormatError("word model must be a JSON object");
  const auto model = j.find("model");
  if (model == j.end() || !model->is_object()) throw ModelFormatError("word model: \"model\" must be an object");
  WordModel w;
  w.model = GmmHmm::fromJsonValue(*model);
  try {
    const std::string where = "word model";
    // Written by every version: a missing one is damage, not 0.
    for (const char* key : {"nExamples", "medianFrames", "minFrames", "maxFrames"})
      if (!j.contains(key)) throw ModelFormatError(detail::concat("word model: \"", key, "\" is missing"));
    read(j, "nExamples", w.nExamples, where);
    read(j, "medianFrames", w.medianFrames, where);
    int minFrames = 0, maxFrames = 0;
    read(j, "minFrames", minFrames, where);
    read(j, "maxFrames", maxFrames, where);
    w.minFrames = minFrames;
    w.maxFrames = maxFrames;
    // A word is trained on examples of at least one frame; 0 frames made every sound 'too-long'.
    if (w.nExamples < 1 || w.minFrames < 1 || w.maxFrames < w.minFrames ||
        !(w.medianFrames >= static_cast<double>(w.minFrames) && w.medianFrames <= static_cast<double>(w.maxFrames)))
      throw ModelFormatError(detail::concat("word model: nExamples ", w.nExamples, ", minFrames ", w.minFrames, ", medianFrames ",
                                            w.medianFrames, ", maxFrames ", w.maxFrames,
                                            " are inconsistent (at least 1 example and 1 frame; min <= median <= max)"));
    if (const auto h = j.find("history"); h != j.end()) {
      if (!h->is_array()) throw ModelFormatError("word model: \"history\" must be an array of numbers");
      for (const auto& v : *h) {
        if (!v.is_number()) throw ModelFormatError("word model: \"history\" must be an array of numbers");
        w.history.push_back(v.get<double>());
      }
    }
    if (const auto h = j.find("heldOut"); h != j.end()) {
      if (!h->is_array()) throw ModelFormatError("word model: \"heldOut\" must be an array");
      for (const auto& v : *h) {
        if (!v.is_array() || v.size() != 3 || !v[0].is_number_integer() || !v[1].is_number() || !v[2].is_number_integer())
          throw ModelFormatError("word model: every \"heldOut\" entry must be [example, logLikelihood, frames]");
        w.heldOut.push_back({v[0].get<int>(), v[1].get<double>(), v[2].get<std::ptrdiff_t>()});
      }
    }
    if (const auto t = j.find("templates"); t != j.end()) {
      w.templates = templatesFromJson(*t, w.model.nFeatures());
      if (w.templates.empty() || static_cast<int>(w.templates.size()) > w.nExamples)
        throw ModelFormatError("word model: \"templates\" must hold between 1 and nExamples templates");
    }
  } catch (const InvalidArgument& e) {
    throw ModelFormatError(e.what());
  }
  return w;
}

}  // namespace gmmhmm::recognizer
