// Word-model training and the Recognizer on features sampled from known GMM-HMMs: model
// sizes follow the data, held-out folds, cancellation, classification, rejection, JSON.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/model/gmm_hmm.hpp"
#include "gmmhmm/recognizer/recognizer.hpp"
#include "gmmhmm/recognizer/word_trainer.hpp"
#include "helpers/model_testing.hpp"

using namespace gmmhmm;
using namespace gmmhmm::recognizer;

namespace {

constexpr int kDim = 39;  // the recognizer's feature width (13 MFCC + deltas)

// A left-to-right "word": nStates states with random means (spread `spread`), unit variances.
GmmHmm makeWord(std::uint64_t seed, int nStates = 5, double spread = 1.5) {
  ModelConfig c;
  c.nStates = nStates;
  c.nMix = 1;
  c.nFeatures = kDim;
  c.topology = Topology::LeftRight;
  GmmHmm m(c);
  std::vector<double> start(static_cast<std::size_t>(nStates), 0.0);
  start[0] = 1;
  std::vector<double> trans(static_cast<std::size_t>(nStates * nStates), 0.0);
  for (int i = 0; i < nStates; ++i) {
    if (i + 1 < nStates) {
      trans[static_cast<std::size_t>(i * nStates + i)] = 0.85;
      trans[static_cast<std::size_t>(i * nStates + i + 1)] = 0.15;
    } else {
      trans[static_cast<std::size_t>(i * nStates + i)] = 1.0;
    }
  }
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> gauss(0.0, spread);
  std::vector<double> means;
  for (int i = 0; i < nStates * kDim; ++i) means.push_back(gauss(rng));
  m.setStartprob(start);
  m.setTransmat(trans);
  m.setWeights(std::vector<double>(static_cast<std::size_t>(nStates), 1.0));
  m.setMeans(means);
  m.setCovars(std::vector<double>(static_cast<std::size_t>(nStates * kDim), 1.0));
  return m;
}

std::vector<RowMatrix> sampleExamples(const GmmHmm& word, int n, int frames, std::uint64_t seed) {
  std::vector<RowMatrix> out;
  for (int i = 0; i < n; ++i) out.push_back(word.sample(frames + (i % 7) - 3, seed * 1000 + static_cast<std::uint64_t>(i)).X);
  return out;
}

}  // namespace

TEST(WordTrainer, StatesFollowTheTypicalLengthAndMixturesTheData) {
  const GmmHmm truth = makeWord(1);
  WordModelOptions o;  // framesPerState 4
  const ModelConfig few = wordModelConfig(sampleExamples(truth, 3, 40, 1), o);
  EXPECT_EQ(few.nStates, 10);
  EXPECT_EQ(few.nMix, 1);  // 120 frames over 10 states: too few for more components
  EXPECT_EQ(few.topology, Topology::LeftRight);
  EXPECT_EQ(few.init, InitMethod::Segmental);
  EXPECT_TRUE(few.endInLastState);
  const ModelConfig many = wordModelConfig(sampleExamples(truth, 200, 40, 2), o);
  EXPECT_EQ(many.nMix, o.maxMix);
  EXPECT_TRUE(many.mixtureSplitting);
  EXPECT_GT(many.varianceFloorFraction, 0.0);
  const ModelConfig longer = wordModelConfig(sampleExamples(truth, 3, 200, 3), o);
  EXPECT_EQ(longer.nStates, o.maxStates);
  const ModelConfig tiny = wordModelConfig(sampleExamples(truth, 3, 6, 4), o);
  EXPECT_GE(tiny.nStates, 1);
  EXPECT_LE(tiny.nStates, 3);  // every example (3 to 5 frames) must be alignable
  // The variance floor rises as the frames per component shrink: 3 examples (114 frames,
  // 11 per state and component) -> 1 / sqrt(11) = 0.30 of the global variance by default,
  // 1.5 / sqrt(11) = 0.45 at scale 1.5; 200 examples (7,997 frames: 799 per state,
  // 4 components) -> 1.5 / sqrt(199.75) = 0.106; never below varianceFloorFraction.
  EXPECT_NEAR(few.varianceFloorFraction, 1.0 / std::sqrt(11.0), 1e-12);
  o.varianceFloorScale = 1.5;
  EXPECT_NEAR(wordModelConfig(sampleExamples(truth, 3, 40, 1), o).varianceFloorFraction, 1.5 / std::sqrt(11.0), 1e-12);
  EXPECT_NEAR(wordModelConfig(sampleExamples(truth, 200, 40, 2), o).varianceFloorFraction, 1.5 / std::sqrt(799.0 / 4.0), 1e-12);
  o.varianceFloorScale = 0;
  EXPECT_EQ(wordModelConfig(sampleExamples(truth, 3, 40, 1), o).varianceFloorFraction, o.varianceFloorFraction);
  o.varianceFloorScale = 100;
  EXPECT_EQ(wordModelConfig(sampleExamples(truth, 3, 40, 1), o).varianceFloorFraction, 0.5);
}

TEST(WordTrainer, HeldOutScoresComeFromFoldModels) {
  const GmmHmm truth = makeWord(2);
  WordModelOptions o;
  const WordModel three = trainWordModel(sampleExamples(truth, 3, 40, 5), o);
  ASSERT_EQ(three.heldOut.size(), 3u);  // leave-one-out
  EXPECT_EQ(three.nExamples, 3);
  for (const auto& h : three.heldOut) {
    EXPECT_TRUE(std::isfinite(h.logLikelihood));
    EXPECT_GT(h.frames, 30);
  }
  const auto examples = sampleExamples(truth, 60, 40, 6);
  const WordModel sixty = trainWordModel(examples, o);
  EXPECT_EQ(static_cast<int>(sixty.heldOut.size()), o.maxHeldOutPerWord);
  // A held-out example is scored by a model that did not see it: on average lower than the
  // full model's score of the same (seen) example.
  double heldOut = 0, seen = 0;
  for (const auto& h : sixty.heldOut) {
    heldOut += h.logLikelihood;
    const RowMatrix& x = examples[static_cast<std::size_t>(h.example)];
    SequenceSet s{x.data(), x.rows(), x.cols(), {}};
    seen += sixty.model.score(s);
  }
  EXPECT_LT(heldOut, seen);
  o.calibrationFolds = 0;
  EXPECT_TRUE(trainWordModel(examples, o).heldOut.empty());
}

TEST(WordTrainer, ManyExamplesGrowOnASubsetAndRefineOnAll) {
  const GmmHmm truth = makeWord(4);
  const auto examples = sampleExamples(truth, 60, 40, 8);
  WordModelOptions o;
  o.maxGrowExamples = 15;
  // Progress numbering runs on from the growth to the refinement, and the stage is "word"
  // throughout (the held-out model is the start of the word model).
  int last = 0, lastPlanned = 0;
  std::vector<std::ptrdiff_t> frames;
  const WordModel grown = trainWordModel(examples, o, [&](const TrainingProgress& p) {
    EXPECT_EQ(p.stage, "word");
    EXPECT_GT(p.iteration, last);
    EXPECT_LE(p.iteration, p.nIter);
    last = p.iteration;
    lastPlanned = p.nIter;
    if (frames.empty() || frames.back() != p.frames) frames.push_back(p.frames);
    return true;
  });
  EXPECT_EQ(last, lastPlanned);
  // Two phases: 15 examples of the 40 that are not held out, then all 60.
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_LT(frames[0], frames[1] / 3);
  EXPECT_EQ(static_cast<int>(grown.history.size()), last);
  EXPECT_EQ(static_cast<int>(grown.heldOut.size()), o.maxHeldOutPerWord);
  for (const auto& h : grown.heldOut) EXPECT_TRUE(std::isfinite(h.logLikelihood));
  // The word model scores every example; without held-out folds the same subset rule applies.
  for (const RowMatrix& x : examples) EXPECT_TRUE(std::isfinite(grown.model.score(SequenceSet{x.data(), x.rows(), x.cols(), {}})));
  o.calibrationFolds = 0;
  frames.clear();
  const WordModel noFolds = trainWordModel(examples, o, [&](const TrainingProgress& p) {
    if (frames.empty() || frames.back() != p.frames) frames.push_back(p.frames);
    return true;
  });
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_LT(frames[0], frames[1] / 3);
  EXPECT_TRUE(noFolds.heldOut.empty());
  o.maxGrowExamples = 0;
  EXPECT_THROW(trainWordModel(examples, o), InvalidArgument);
}

TEST(WordTrainer, ProgressReportsAndCancels) {
  const GmmHmm truth = makeWord(3);
  const auto examples = sampleExamples(truth, 5, 40, 7);
  int words = 0, folds = 0;
  trainWordModel(examples, WordModelOptions(), [&](const TrainingProgress& p) {
    EXPECT_GE(p.iteration, 1);
    EXPECT_GE(p.nIter, p.iteration);
    EXPECT_TRUE(std::isfinite(p.logLikelihood));
    EXPECT_GT(p.frames, 0);
    (p.stage == "word" ? words : folds)++;
    return true;
  });
  EXPECT_GT(words, 0);
  EXPECT_GT(folds, 0);
  EXPECT_THROW(trainWordModel(examples, WordModelOptions(), [](const TrainingProgress&) { return false; }),
               Cancelled);
}

TEST(WordTrainer, BadInputNamesTheProblem) {
  EXPECT_THROW(trainWordModel({}, WordModelOptions()), InvalidArgument);
  RowMatrix a = RowMatrix::Zero(20, kDim), b = RowMatrix::Zero(20, kDim - 1);
  EXPECT_THROW(trainWordModel({a, b}, WordModelOptions()), InvalidArgument);
  a(3, 3) = std::nan("");
  try {
    trainWordModel({a}, WordModelOptions());
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("NaN"), std::string::npos) << e.what();
  }
  WordModelOptions o;
  o.maxStates = 0;
  EXPECT_THROW(validate(o), InvalidArgument);
}

// The likelihood-ratio threshold is set for speech features (README); on these synthetic
// frames the background model fits the words' own states about as well as the words do, so
// the tests switch the ratio test off and exercise the absolute fit test instead.
RecognizerOptions sampledOptions() {
  RecognizerOptions o;
  o.rejection.threshold = -1e3;
  o.rejection.minSpreadDb = 0;  // random frames have no speech-like level contour either
  // 8 examples: the one template score would decide in place of the ratio test and the fit
  // margin tested here (it has its own tests: recognizer_template_score_test.cpp). On these
  // random words the ratio is far larger than on speech (+22 nats/frame for a stranger), which
  // the score's template terms do not outweigh; the fit floor then refuses it ("poor-fit").
  o.rejection.templateScoreMinExamples = 0;
  return o;
}

class RecognizerOnSampledWords : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int w = 0; w < 4; ++w) words.push_back(makeWord(100 + static_cast<std::uint64_t>(w)));
    for (int w = 0; w < 4; ++w)
      for (auto& x : sampleExamples(words[static_cast<std::size_t>(w)], 8, 40, 10 + static_cast<std::uint64_t>(w)))
        rec.addFeatures(labels[static_cast<std::size_t>(w)], x);
    rec.train();
  }
  std::vector<GmmHmm> words;
  std::vector<std::string> labels = {"alpha", "bravo", "charlie", "delta"};
  Recognizer rec{sampledOptions()};
};

TEST_F(RecognizerOnSampledWords, ClassifiesNewSamplesWithCalibratedProbabilities) {
  EXPECT_EQ(rec.labels(), labels);
  EXPECT_EQ(rec.exampleCount("bravo"), 8);
  EXPECT_GT(rec.calibration().samples, 0);
  int correct = 0, total = 0;
  for (int w = 0; w < 4; ++w) {
    for (auto& x : sampleExamples(words[static_cast<std::size_t>(w)], 10, 40, 500 + static_cast<std::uint64_t>(w))) {
      const Classification c = rec.classifyFeatures(x);
      ASSERT_EQ(c.scores.size(), 4u);
      double sum = 0;
      for (std::size_t k = 0; k < c.scores.size(); ++k) {
        sum += c.scores[k].probability;
        if (k > 0) {  // best first: per-frame score minus the template term (8 examples: templates)
          const double lambda = rec.options().word.templateWeight, T = static_cast<double>(c.frames);
          EXPECT_GE(c.scores[k - 1].logLikelihood / T - lambda * c.scores[k - 1].templateDistance,
                    c.scores[k].logLikelihood / T - lambda * c.scores[k].templateDistance);
        }
      }
      EXPECT_NEAR(sum, 1.0, 1e-9);
      EXPECT_EQ(c.label, c.scores[0].label);
      EXPECT_DOUBLE_EQ(c.confidence, c.scores[0].probability);
      EXPECT_EQ(c.alignment.size(), static_cast<std::size_t>(x.rows()));
      EXPECT_FALSE(c.rejected) << c.reason << " fit " << c.fit;
      correct += c.label == labels[static_cast<std::size_t>(w)];
      ++total;
    }
  }
  EXPECT_EQ(correct, total);
}

TEST_F(RecognizerOnSampledWords, RejectsWhatIsNoWord) {
  // Frames of a different word, and shapeless noise frames.
  const GmmHmm stranger = makeWord(999);
  for (auto& x : sampleExamples(stranger, 5, 40, 77)) {
    const Classification c = rec.classifyFeatures(x);
    EXPECT_TRUE(c.rejected) << "fit " << c.fit;
    EXPECT_LT(c.fit, -10.0);
    EXPECT_EQ(c.reason, "out-of-vocabulary");
    EXPECT_FALSE(c.label.empty());  // still says which word was closest
  }
  const Classification tooShort = rec.classifyFeatures(RowMatrix::Zero(2, kDim));
  EXPECT_TRUE(tooShort.rejected);
  EXPECT_EQ(tooShort.reason, "too-short");
  EXPECT_TRUE(tooShort.scores.empty());
  const Classification tooLong = rec.classifyFeatures(RowMatrix::Zero(2000, kDim));
  EXPECT_EQ(tooLong.reason, "too-long");
}

TEST_F(RecognizerOnSampledWords, LikelihoodRatioHasTheModelSizeCorrection) {
  // ratio = (log P(X|word) - log P(X|background)) / T + weight * (p_w / 2N_w - p_b / 2N_b):
  // 8 examples per word, every example in the background (far fewer than maxFramesPerWord).
  double backgroundFrames = 0;
  for (const auto& label : labels)
    for (const auto& x : rec.examples(label)) backgroundFrames += static_cast<double>(x.rows());
  const double backgroundOptimism = static_cast<double>(rec.backgroundModel().nFreeParameters()) / (2 * backgroundFrames);
  RecognizerOptions off = sampledOptions();
  off.rejection.sizeCorrection = 0;
  Recognizer plain(off);
  for (const auto& label : labels)
    for (const auto& x : rec.examples(label)) plain.addFeatures(label, x);
  plain.train();
  for (auto& x : sampleExamples(words[1], 3, 40, 321)) {
    const Classification c = rec.classifyFeatures(x), raw = plain.classifyFeatures(x);
    ASSERT_EQ(c.label, "bravo");
    double frames = 0;
    for (const auto& e : rec.examples("bravo")) frames += static_cast<double>(e.rows());
    const double correction =
        static_cast<double>(rec.wordModel("bravo").model.nFreeParameters()) / (2 * frames) - backgroundOptimism;
    EXPECT_GT(correction, 0.0);  // 8 short examples: the word model is the more optimistic one
    const SequenceSet data{x.data(), x.rows(), x.cols(), {x.rows()}};
    const double T = static_cast<double>(x.rows());
    EXPECT_NEAR(c.likelihoodRatio,
                (rec.wordModel("bravo").model.score(data) - rec.backgroundModel().score(data)) / T + correction, 1e-9);
    // Same models (training is deterministic), no correction.
    EXPECT_NEAR(raw.likelihoodRatio, c.likelihoodRatio - correction, 1e-9);
  }
}

TEST_F(RecognizerOnSampledWords, JsonRoundTripGivesTheSameResults) {
  const Recognizer back = Recognizer::fromJson(rec.toJson());
  EXPECT_EQ(back.labels(), labels);
  EXPECT_EQ(back.exampleCount("alpha"), 0);  // examples are not saved
  EXPECT_DOUBLE_EQ(back.calibration().scale, rec.calibration().scale);
  for (auto& x : sampleExamples(words[2], 3, 40, 900)) {
    const Classification a = rec.classifyFeatures(x), b = back.classifyFeatures(x);
    EXPECT_EQ(a.label, b.label);
    EXPECT_NEAR(a.scores[0].logLikelihood, b.scores[0].logLikelihood, 1e-6 * std::fabs(a.scores[0].logLikelihood));
    EXPECT_NEAR(a.confidence, b.confidence, 1e-9);
    EXPECT_NEAR(a.likelihoodRatio, b.likelihoodRatio, 1e-9);
  }
}

TEST_F(RecognizerOnSampledWords, CorruptJsonIsAModelFormatError) {
  const std::string good = rec.toJson();
  auto expectFormatError = [](const std::string& text, const std::string& mention) {
    try {
      Recognizer::fromJson(text);
      ADD_FAILURE() << "accepted: " << text.substr(0, 80);
    } catch (const ModelFormatError& e) {
      EXPECT_NE(std::string(e.what()).find(mention), std::string::npos) << e.what();
    }
  };
  expectFormatError(good.substr(0, good.size() / 2), "does not parse");
  expectFormatError("[1,2]", "object");
  auto doc = nlohmann::json::parse(good);
  doc["format"] = "something-else";
  expectFormatError(doc.dump(), "format");
  doc = nlohmann::json::parse(good);
  doc["words"] = nlohmann::json::array();
  expectFormatError(doc.dump(), "words");
  doc = nlohmann::json::parse(good);
  doc["words"][1]["label"] = doc["words"][0]["label"];
  expectFormatError(doc.dump(), "twice");
  doc = nlohmann::json::parse(good);
  doc["words"][0]["model"]["means"] = "oops";
  expectFormatError(doc.dump(), "alpha");
  doc = nlohmann::json::parse(good);
  doc["calibration"]["scale"] = -1;
  expectFormatError(doc.dump(), "scale");
  // A word of 0 frames made every sound 'too-long'; a median outside [min, max] is damage too.
  doc = nlohmann::json::parse(good);
  doc["words"][0]["minFrames"] = 0;
  doc["words"][0]["maxFrames"] = 0;
  doc["words"][0]["medianFrames"] = 0;
  expectFormatError(doc.dump(), "at least 1 example and 1 frame; min <= median <= max");
  doc = nlohmann::json::parse(good);
  doc["words"][0]["medianFrames"] = doc["words"][0]["maxFrames"].get<double>() + 1;
  expectFormatError(doc.dump(), "are inconsistent");
  doc = nlohmann::json::parse(good);
  doc["words"][0].erase("medianFrames");
  expectFormatError(doc.dump(), "\"medianFrames\" is missing");
  // A mean beyond the data's limit (1e100) scored every sound at -Infinity for this word.
  doc = nlohmann::json::parse(good);
  doc["words"][0]["model"]["means"][0][0][0] = 1e200;
  expectFormatError(doc.dump(), "means must be within +-1e100");
  doc = nlohmann::json::parse(good);
  doc["options"]["features"]["numCeps"] = 12;  // models are 39-wide
  expectFormatError(doc.dump(), "features");
  doc = nlohmann::json::parse(good);
  doc["words"][0]["sizeCorrection"] = "big";
  expectFormatError(doc.dump(), "sizeCorrection");
  doc = nlohmann::json::parse(good);
  doc["words"][0]["sizeCorrection"] = 1e300;
  expectFormatError(doc.dump(), "sizeCorrection");
  // A file written before the correction existed loads, with no correction.
  doc = nlohmann::json::parse(good);
  for (auto& w : doc["words"]) w.erase("sizeCorrection");
  const Recognizer older = Recognizer::fromJson(doc.dump());
  const Recognizer plain = Recognizer::fromJson([&] {
    auto d = nlohmann::json::parse(good);
    d["options"]["rejection"]["sizeCorrection"] = 0;
    return d.dump();
  }());
  const RowMatrix x = sampleExamples(words[0], 1, 40, 4242).front();
  EXPECT_NEAR(older.classifyFeatures(x).likelihoodRatio, plain.classifyFeatures(x).likelihoodRatio, 1e-12);
}

TEST(Recognizer, BadUseIsAClearError) {
  Recognizer rec;
  EXPECT_THROW(rec.train(), InvalidArgument);
  EXPECT_THROW(rec.classifyFeatures(RowMatrix::Zero(10, kDim)), NotFitted);
  std::vector<float> audio(8000, 0.1f);
  EXPECT_THROW(rec.classify(audio.data(), audio.size(), 8000), NotFitted);
  EXPECT_THROW(rec.toJson(), NotFitted);
  EXPECT_THROW(rec.addFeatures("", RowMatrix::Zero(10, kDim)), InvalidArgument);
  EXPECT_THROW(rec.addFeatures("x", RowMatrix::Zero(10, 13)), InvalidArgument);
  EXPECT_THROW(rec.addFeatures("x", RowMatrix::Zero(0, kDim)), InvalidArgument);
  EXPECT_THROW(rec.examples("nothing"), InvalidArgument);
  std::vector<float> silent(8000, 0.0f);
  try {
    rec.addExample("x", silent.data(), silent.size(), 8000);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("silent"), std::string::npos) << e.what();
  }
  EXPECT_THROW(rec.addExample("x", audio.data(), 0, 8000), InvalidArgument);
  EXPECT_EQ(rec.exampleCount("x"), 0);
  EXPECT_TRUE(rec.labels().empty());
  rec.addFeatures("x", RowMatrix::Random(20, kDim));
  rec.removeExamples("x");
  EXPECT_TRUE(rec.labels().empty());
  RecognizerOptions o;
  o.rejection.minConfidence = 2;
  EXPECT_THROW(Recognizer{o}, InvalidArgument);
  EXPECT_THROW(recognizerOptionsFromJson({{"wrod", {}}}), InvalidArgument);
  for (const double bad : {-0.5, 11.0, std::nan("")}) {
    RecognizerOptions size;
    size.rejection.sizeCorrection = bad;
    try {
      Recognizer{size};
      ADD_FAILURE() << "sizeCorrection " << bad << " accepted";
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("rejection.sizeCorrection"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(recognizerOptionsFromJson({{"rejection", {{"sizeCorrection", "all"}}}}), Error);
  EXPECT_EQ(recognizerOptionsFromJson({{"rejection", {{"sizeCorrection", 0.5}}}}).rejection.sizeCorrection, 0.5);
}

// The variance prior (word.variancePriorWeight): a MAP pull of every variance towards a
// fraction of the vocabulary's pooled variance, strong for few frames, weak for many.
TEST(WordTrainer, VariancePriorComesFromThePooledVariance) {
  const GmmHmm truth = makeWord(3);
  const auto examples = sampleExamples(truth, 3, 40, 7);
  WordModelOptions o;
  o.variancePriorWeight = 0;
  EXPECT_TRUE(wordModelConfig(examples, o).covarsPriorPerFeature.empty());
  o.variancePriorWeight = 8;
  o.variancePriorScale = 0.5;
  std::vector<double> pooled(kDim, 2.0);
  pooled[5] = 6.0;
  const ModelConfig c = wordModelConfig(examples, o, pooled);
  EXPECT_EQ(c.covarsWeight, 8.0);
  ASSERT_EQ(c.covarsPriorPerFeature.size(), static_cast<std::size_t>(kDim));
  EXPECT_DOUBLE_EQ(c.covarsPriorPerFeature[0], 8.0 * 0.5 * 2.0);
  EXPECT_DOUBLE_EQ(c.covarsPriorPerFeature[5], 8.0 * 0.5 * 6.0);
  // Without a pooled variance the word's own frames stand in.
  std::vector<const RowMatrix*> parts;
  for (const auto& x : examples) parts.push_back(&x);
  const std::vector<double> own = pooledVariance({parts});
  EXPECT_DOUBLE_EQ(wordModelConfig(examples, o).covarsPriorPerFeature[3], 8.0 * 0.5 * own[3]);
  EXPECT_THROW(wordModelConfig(examples, o, std::vector<double>(13, 1.0)), InvalidArgument);
  EXPECT_THROW(trainWordModel(examples, o, {}, std::vector<double>(kDim, std::nan(""))), InvalidArgument);
  o.variancePriorWeight = -1;
  EXPECT_THROW(trainWordModel(examples, o), InvalidArgument);
  EXPECT_THROW(wordModelOptionsFromJson({{"variancePriorScale", 0}}), InvalidArgument);
}

TEST(WordTrainer, VariancePriorPullsFewFramesMoreThanMany) {
  // One state, one component: the MAP variance is (scatter + τψ) / (n + τ).
  ModelConfig c;
  c.nStates = 1;
  c.nFeatures = 2;
  c.nIter = 3;
  c.covarsWeight = 10;
  c.covarsPriorPerFeature = {10 * 4.0, 10 * 0.25};
  std::mt19937_64 rng(5);
  std::normal_distribution<double> gauss(0.0, 1.0);
  for (const int n : {10, 1000}) {
    RowMatrix x(n, 2);
    for (int t = 0; t < n; ++t) x.row(t) << gauss(rng), gauss(rng);
    GmmHmm m(c);
    m.fit(SequenceSet{x.data(), x.rows(), x.cols(), {}});
    const Eigen::RowVector2d mean = x.colwise().mean();
    const Eigen::RowVector2d scatter = (x.rowwise() - mean).array().square().colwise().sum();
    const auto covars = m.covars();
    EXPECT_NEAR(covars[0], (scatter[0] + 40.0) / (n + 10.0), 1e-6 * covars[0]) << n;
    EXPECT_NEAR(covars[1], (scatter[1] + 2.5) / (n + 10.0), 1e-6 * covars[1]) << n;
  }
  // Saved with the model; a wrong width is an error.
  GmmHmm m(c);
  RowMatrix x = RowMatrix::Random(20, 2);
  m.fit(SequenceSet{x.data(), x.rows(), x.cols(), {}});
  EXPECT_EQ(GmmHmm::fromJson(m.toJson()).config().covarsPriorPerFeature, c.covarsPriorPerFeature);
  c.covarsPriorPerFeature = {1.0, 2.0, 3.0};
  EXPECT_THROW(GmmHmm{c}, InvalidArgument);
}

// The calibrated fit floor ("poor-fit"): per word, the mean held-out per-frame log-likelihood
// minus fitFloorSpreads pooled standard deviations.
TEST_F(RecognizerOnSampledWords, FitFloorIsCalibratedAndRejectsPoorFits) {
  const auto& floors = rec.fitFloors();
  ASSERT_EQ(floors.size(), labels.size());
  for (std::size_t w = 0; w < labels.size(); ++w) {
    double mean = 0;
    const auto& heldOut = rec.wordModel(labels[w]).heldOut;
    for (const auto& h : heldOut) mean += h.logLikelihood / static_cast<double>(h.frames) / static_cast<double>(heldOut.size());
    EXPECT_TRUE(std::isfinite(floors[w]));
    EXPECT_LT(floors[w], mean - 3 * 0.25 + 1e-9);  // at least the minimum spread below
  }
  // The other tests off: a stranger is "poor-fit", the words' own new samples are accepted.
  RecognizerOptions o = sampledOptions();
  o.rejection.fitMargin = 1e6;
  o.rejection.minTemplateMargin = 0;  // (8 examples: templates; their tests are not looked at here)
  Recognizer floorOnly(o);
  for (const auto& label : labels)
    for (const auto& x : rec.examples(label)) floorOnly.addFeatures(label, x);
  floorOnly.train();
  for (auto& x : sampleExamples(makeWord(999), 5, 40, 77)) EXPECT_EQ(floorOnly.classifyFeatures(x).reason, "poor-fit");
  int accepted = 0;
  for (auto& x : sampleExamples(words[0], 10, 40, 4040)) accepted += !floorOnly.classifyFeatures(x).rejected;
  EXPECT_GE(accepted, 9);
  // Saved and loaded; a file from before the floor (no "fitFloor") has none and classifies as
  // it did; a bad floor is a format error.
  const Recognizer back = Recognizer::fromJson(floorOnly.toJson());
  EXPECT_EQ(back.fitFloors(), floorOnly.fitFloors());
  auto doc = nlohmann::json::parse(floorOnly.toJson());
  for (auto& w : doc["words"]) w.erase("fitFloor");
  const Recognizer older = Recognizer::fromJson(doc.dump());
  for (double f : older.fitFloors()) EXPECT_EQ(f, -std::numeric_limits<double>::infinity());
  for (auto& x : sampleExamples(makeWord(999), 3, 40, 78)) {
    const Classification c = older.classifyFeatures(x);
    EXPECT_FALSE(c.rejected) << c.reason;  // no test at all (ratio and margin are off here)
  }
  doc["words"][0]["fitFloor"] = "low";
  EXPECT_THROW(Recognizer::fromJson(doc.dump()), ModelFormatError);
  EXPECT_THROW(recognizerOptionsFromJson({{"rejection", {{"fitFloorSpreads", -1}}}}), InvalidArgument);
}

TEST(Recognizer, TheSameRecordingUnderTwoLabelsIsRefused) {
  Recognizer rec(sampledOptions());
  const auto examples = sampleExamples(makeWord(7), 3, 30, 9);
  rec.addFeatures("yes", examples[0]);
  rec.addFeatures("yes", examples[1]);
  rec.addFeatures("yes", examples[1]);  // a repetition within one label is allowed
  rec.addFeatures("no", examples[2]);
  try {
    rec.addFeatures("no", examples[1]);
    FAIL() << "accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("example 2 of \"no\" is identical to example 2 of \"yes\""), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(rec.exampleCount("no"), 1);
}

// Few and uneven examples still give models that refuse what is no word: one example per
// word (no held-out scores), two examples, one example three times longer than the others.
TEST(Recognizer, FewAndUnevenExamplesStillRejectStrangers) {
  RecognizerOptions o;  // the default ratio test on
  o.rejection.minSpreadDb = 0;
  for (const int n : {1, 2}) {
    Recognizer rec(o);
    std::vector<GmmHmm> words;
    for (int w = 0; w < 3; ++w) {
      words.push_back(makeWord(200 + static_cast<std::uint64_t>(w)));
      for (auto& x : sampleExamples(words.back(), n, 40, 30 + static_cast<std::uint64_t>(w))) rec.addFeatures("w" + std::to_string(w), x);
    }
    rec.train();
    int strangersAccepted = 0;
    for (auto& x : sampleExamples(makeWord(998, 5, 4.0), 5, 40, 11)) strangersAccepted += !rec.classifyFeatures(x).rejected;
    EXPECT_EQ(strangersAccepted, 0) << n << " example(s) per word";
    int correct = 0;
    for (int w = 0; w < 3; ++w)
      for (auto& x : sampleExamples(words[static_cast<std::size_t>(w)], 3, 40, 70)) correct += rec.classifyFeatures(x).label == "w" + std::to_string(w);
    EXPECT_GE(correct, 8) << n << " example(s) per word";
  }
  Recognizer uneven(sampledOptions());
  const GmmHmm a = makeWord(300), b = makeWord(301);
  auto longOne = sampleExamples(a, 1, 120, 5);
  uneven.addFeatures("a", longOne[0]);
  for (auto& x : sampleExamples(a, 2, 40, 6)) uneven.addFeatures("a", x);
  for (auto& x : sampleExamples(b, 3, 40, 7)) uneven.addFeatures("b", x);
  uneven.train();
  for (auto& x : sampleExamples(a, 3, 40, 8)) EXPECT_EQ(uneven.classifyFeatures(x).label, "a");
  for (auto& x : sampleExamples(b, 3, 40, 9)) EXPECT_EQ(uneven.classifyFeatures(x).label, "b");
}

// A recognizer from a file has its words' models, not their examples: training it with a new
// word's examples would keep only that word. train() refuses, naming the words, until their
// examples are back or they are given up with removeExamples().
TEST(Recognizer, TrainingAFileRecognizerNeverDropsItsWordsSilently) {
  Recognizer rec(sampledOptions());
  std::vector<GmmHmm> words;
  for (int w = 0; w < 3; ++w) {
    words.push_back(makeWord(600 + static_cast<std::uint64_t>(w)));
    for (auto& x : sampleExamples(words.back(), 3, 40, 60 + static_cast<std::uint64_t>(w))) rec.addFeatures("w" + std::to_string(w), x);
  }
  rec.train();
  const std::vector<RowMatrix> kept = rec.examples("w1");
  Recognizer loaded = Recognizer::fromJson(rec.toJson());
  const GmmHmm extra = makeWord(699);
  for (auto& x : sampleExamples(extra, 3, 40, 69)) loaded.addFeatures("w3", x);
  EXPECT_THROW_WITH(loaded.train(), InvalidArgument, "train: the words \"w0\", \"w1\", \"w2\" have a trained model but no examples");
  EXPECT_EQ(loaded.trainedLabels(), (std::vector<std::string>{"w0", "w1", "w2"})) << "the failed call changed nothing";
  // Examples back for one word, the others given up: trains those two.
  for (const auto& x : kept) loaded.addFeatures("w1", x);
  loaded.removeExamples("w0");
  EXPECT_EQ(loaded.wordsTrainingWouldDrop(), std::vector<std::string>{"w2"});
  loaded.removeExamples("w2");
  loaded.train();
  EXPECT_EQ(loaded.trainedLabels(), (std::vector<std::string>{"w3", "w1"}));  // in the order their examples came
  for (auto& x : sampleExamples(extra, 3, 40, 77)) EXPECT_EQ(loaded.classifyFeatures(x).label, "w3");
  // A removed word given examples again is kept.
  Recognizer again = Recognizer::fromJson(rec.toJson());
  again.removeExamples("w0");
  for (const auto& x : kept) again.addFeatures("w0", x);
  EXPECT_EQ(again.wordsTrainingWouldDrop(), (std::vector<std::string>{"w1", "w2"}));
  // A saved word given one new example (its model had three): training would replace the
  // model of three by one of one; refused until the others are back or it is given up.
  Recognizer fewer = Recognizer::fromJson(rec.toJson());
  for (int w = 1; w < 3; ++w)
    for (const auto& x : rec.examples("w" + std::to_string(w))) fewer.addFeatures("w" + std::to_string(w), x);
  fewer.addFeatures("w0", sampleExamples(words[0], 1, 40, 81)[0]);
  EXPECT_TRUE(fewer.wordsTrainingWouldDrop().empty());
  EXPECT_EQ(fewer.wordsTrainingWouldShrink(), std::vector<std::string>{"w0"});
  EXPECT_THROW_WITH(fewer.train(), InvalidArgument, "train: the word \"w0\" has a trained model of more examples than it has now");
  const RowMatrix one = fewer.examples("w0")[0];
  fewer.removeExamples("w0");
  fewer.addFeatures("w0", one);
  EXPECT_TRUE(fewer.wordsTrainingWouldShrink().empty());
  fewer.train();
  EXPECT_EQ(fewer.exampleCount("w0"), 1);
}

// train() in Workers installs the words it was given; a word whose examples were removed
// meanwhile is installed all the same, and stays given up: the next train() drops it, not
// refuses it as a word from a file.
TEST(Recognizer, AWordRemovedWhileItTrainsStaysGivenUp) {
  Recognizer rec(sampledOptions());
  std::vector<std::vector<const RowMatrix*>> byWord(2);
  for (int w = 0; w < 2; ++w)
    // w1 has one example: no held-out score, whose count install() would check.
    for (auto& x : sampleExamples(makeWord(700 + static_cast<std::uint64_t>(w)), w == 1 ? 1 : 3, 40, 70 + static_cast<std::uint64_t>(w)))
      rec.addFeatures("w" + std::to_string(w), x);
  std::map<std::string, WordModel> words;
  for (int w = 0; w < 2; ++w) {
    const std::string label = "w" + std::to_string(w);
    words.emplace(label, trainWordModel(rec.examples(label), rec.options().word));
    for (const auto& x : rec.examples(label)) byWord[static_cast<std::size_t>(w)].push_back(&x);
  }
  GmmHmm background = trainBackgroundModel(byWord, rec.options().background);
  rec.removeExamples("w1");  // while the jobs ran
  rec.install(std::move(words), std::move(background));
  EXPECT_EQ(rec.trainedLabels(), (std::vector<std::string>{"w0", "w1"}));
  EXPECT_TRUE(rec.wordsTrainingWouldDrop().empty());
  rec.train();
  EXPECT_EQ(rec.trainedLabels(), std::vector<std::string>{"w0"});
}
