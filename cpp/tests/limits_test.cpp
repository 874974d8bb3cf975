// Resource limits (gmmhmm/limits.hpp): model and recognizer files over the size limit are
// refused before parsing, members the readers do not use are skipped, the members they use
// hold a bounded number of values; calls whose memory cannot fit are refused before anything
// is allocated, and a refused fit leaves the model exactly as it was. Also the recognizer's
// front-end options: the front end's own rules, at construction and in files.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "gmmhmm/families/categorical_hmm.hpp"
#include "gmmhmm/features/options.hpp"
#include "gmmhmm/limits.hpp"
#include "gmmhmm/model/fit_session.hpp"
#include "../src/model/tuning.hpp"
#include "gmmhmm/recognizer/recognizer.hpp"
#include "helpers/model_testing.hpp"

namespace gmmhmm {
namespace {

using namespace gmmhmm::testing;
using json = nlohmann::json;

// setMemoryLimit for one test: the limit is process-wide.
class MemoryLimitScope {
 public:
  explicit MemoryLimitScope(std::size_t bytes) : previous_(memoryLimit()) { setMemoryLimit(bytes); }
  ~MemoryLimitScope() { setMemoryLimit(previous_); }

 private:
  std::size_t previous_;
};

GmmHmm fittedModel() {
  ModelConfig c = makeConfig(2, 2, 3, CovarianceType::Diag);
  c.nIter = 3;
  GmmHmm model = randomModel(c, 7);
  model.fit(sampledFrames(model, {30, 20}, 3).all());
  return model;
}

// `document` with `member` set to an array of n zeros (a file that is valid JSON).
std::string withZeros(json document, const std::string& member, std::size_t n) {
  document[member] = "@";
  std::string zeros = "[";
  for (std::size_t i = 0; i < n; ++i) zeros += i ? ",0" : "0";
  zeros += "]";
  std::string text = document.dump();
  text.replace(text.find("\"@\""), 3, zeros);
  return text;
}

TEST(FileLimits, AFileOverMaxBytesIsRefusedBeforeParsing) {
  const std::string text = fittedModel().toJson();
  FileLimits limits;
  EXPECT_EQ(limits.maxBytes, kDefaultMaxFileBytes);
  limits.maxBytes = text.size();
  EXPECT_NO_THROW(GmmHmm::fromJson(text, limits));
  limits.maxBytes = text.size() - 1;
  EXPECT_THROW_WITH(GmmHmm::fromJson(text, limits), ModelFormatError,
                    "model JSON: the file has " + std::to_string(text.size()) + " bytes, more than maxBytes (");
  // Refused by size, not by content: a file of garbage says the same.
  EXPECT_THROW_WITH(GmmHmm::fromJson(std::string(limits.maxBytes + 1, '['), limits), ModelFormatError, "more than maxBytes");
  EXPECT_THROW_WITH(recognizer::Recognizer::fromJson(std::string(limits.maxBytes + 1, ' '), limits), ModelFormatError,
                    "recognizer JSON: the file has");
}

TEST(FileLimits, MembersTheReaderDoesNotUseAreSkippedWhateverTheirSize) {
  const GmmHmm model = fittedModel();
  // 3 million unused values: more than the limit's value budget, yet never built.
  const std::string text = withZeros(model.toJsonValue(), "padding", 3000000);
  ASSERT_GT(text.size(), std::size_t(6000000));
  FileLimits limits;
  limits.maxBytes = text.size();
  ASSERT_LT(limits.maxBytes / 16, std::size_t(3000000));
  const GmmHmm loaded = GmmHmm::fromJson(text, limits);
  EXPECT_EQ(loaded.toJson(), model.toJson());
  // Every member toJson writes is one the reader keeps (the round trip above), hmmlearn's
  // names too.
  json hmmlearn = json::parse(model.toJson());
  for (const char* name : {"startprob", "transmat", "weights", "means", "covars"}) {
    hmmlearn[std::string(name) + "_"] = hmmlearn[name];
    hmmlearn.erase(name);
  }
  EXPECT_EQ(GmmHmm::fromJson(hmmlearn.dump()).toJson(), model.toJson());
}

TEST(FileLimits, MembersTheReaderUsesHoldAtMostOneValuePer16BytesOfTheLimit) {
  const json document = fittedModel().toJsonValue();
  FileLimits limits;
  limits.maxBytes = 1 << 20;  // 65536 values
  // Within the budget: read, and refused for its shape as before.
  EXPECT_THROW_WITH(GmmHmm::fromJson(withZeros(document, "means", 60000), limits), ModelFormatError, "means has length 60000");
  // Over it: refused while counting, before anything is built.
  EXPECT_THROW_WITH(GmmHmm::fromJson(withZeros(document, "means", 70000), limits), ModelFormatError,
                    "the members read hold more than 65536 JSON values");
  json monitor = document;
  monitor["monitor"] = json::parse(withZeros(json::object(), "history", 70000));
  EXPECT_THROW_WITH(GmmHmm::fromJson(monitor.dump(), limits), ModelFormatError, "more than 65536 JSON values");
}

TEST(FileLimits, AFileTheMemoryLimitCannotParseIsRefusedWhateverMaxBytesSays) {
  const json document = fittedModel().toJsonValue();
  FileLimits limits;
  limits.maxBytes = std::size_t(1) << 30;
  const MemoryLimitScope scope(std::size_t(16) << 20);  // 104857 values at 160 bytes each
  EXPECT_THROW_WITH(GmmHmm::fromJson(withZeros(document, "means", 200000), limits), OutOfMemory,
                    "more than the memory limit (16 MiB) allows to parse");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withZeros(document, "means", 90000), limits), ModelFormatError, "means has length 90000");
}

TEST(FileLimits, NestingIsBoundedInSkippedMembersToo) {
  json document = fittedModel().toJsonValue();
  document["padding"] = "@";
  std::string text = document.dump();
  text.replace(text.find("\"@\""), 3, std::string(40, '[') + std::string(40, ']'));
  EXPECT_THROW_WITH(GmmHmm::fromJson(text), ModelFormatError, "nesting deeper than 32 levels");
}

TEST(MemoryLimit, AModelWhoseParametersCannotFitIsRefusedBeforeAllocating) {
  const MemoryLimitScope scope(std::size_t(64) << 20);
  ModelConfig c = makeConfig(3000, 1, 0, CovarianceType::Diag);  // transmat alone: 72 MB
  EXPECT_THROW_WITH(GmmHmm{c}, OutOfMemory, "a model of these sizes needs about");
  c.nStates = 100;
  EXPECT_NO_THROW(GmmHmm{c});
}

TEST(MemoryLimit, AFitThatCannotFitIsRefusedAndTheModelIsUnchanged) {
  ModelConfig c = makeConfig(200, 4, 0, CovarianceType::Full);
  GmmHmm model(c);
  const Frames data = gaussianFrames({300}, 60, 5);  // 200 x 4 full covariances of 60 features: 23 MB
  {
    const MemoryLimitScope scope(std::size_t(64) << 20);
    EXPECT_THROW_WITH(model.fit(data.all()), OutOfMemory, "fit: training this model on these data needs about");
  }
  EXPECT_EQ(model.nFeatures(), 0);
  EXPECT_FALSE(model.isReady());
  EXPECT_EQ(model.monitor().iterations, 0);
}

TEST(MemoryLimit, AFitRefusedAsTooLargeHasAllocatedNothingAndChangedNothing) {
  // Valid while the width is unknown; 1000 x 100 full covariances of 40 features (1.6e8
  // values) are not: the data's width is checked with the sizes before the model grows.
  GmmHmm model(makeConfig(1000, 100, 0, CovarianceType::Full));
  const Frames data = gaussianFrames({50}, 40, 5);
  EXPECT_THROW_WITH(model.fit(data.all()), InvalidArgument, "model too large");
  EXPECT_EQ(model.nFeatures(), 0);
  EXPECT_FALSE(model.isReady());
  // The same for parameters given directly: means of 10^5 features would need 80 GB of
  // identity covariances.
  GmmHmm full(makeConfig(1, 1, 0, CovarianceType::Full));
  EXPECT_THROW_WITH(full.setMeans(std::vector<double>(100000, 0.0)), InvalidArgument, "model too large");
  EXPECT_EQ(full.nFeatures(), 0);
}

TEST(MemoryLimit, AFitCountsItsFeatureTilesAndAShareItsOwn) {
  // 20000 frames of 20 features: the [x, x^2] tiles of a diagonal fit take 6.4 MB as doubles
  // and 3.2 MB as floats, more than the model, its statistics and the E-step buffers (~1.5 MB).
  const Frames data = gaussianFrames({5000, 5000, 5000, 5000}, 20, 7);
  ModelConfig c = makeConfig(2, 2, 20, CovarianceType::Diag);
  c.nIter = 2;
  const detail::Tuning buildDefault = detail::tuning();
  {
    // Tiles kept for the whole fit (the WebAssembly build's default, tuning.hpp).
    detail::tuning().cacheTiles = detail::tuning().keepFloat64Tiles = true;
    const MemoryLimitScope scope(std::size_t(6) << 20);
    GmmHmm exact(c);
    EXPECT_THROW_WITH(exact.fit(data.all()), OutOfMemory, "fit: training this model on these data needs about");
    EXPECT_FALSE(exact.isReady());
    // Rebuilt per group of at most 4,096 frames (the native float64 default): 1.3 MB of tiles.
    detail::tuning().cacheTiles = false;
    GmmHmm perGroup(c);
    EXPECT_NO_THROW(perGroup.fit(data.all()));
    EXPECT_EQ(perGroup.monitor().iterations, 2);
    detail::tuning().cacheTiles = true;
    c.precision = Precision::Float32;
    GmmHmm floats(c);
    EXPECT_NO_THROW(floats.fit(data.all()));
    EXPECT_EQ(floats.monitor().iterations, 2);
  }
  // A share of a parallel fit refuses its kept tiles (built when it is made) under the same limit.
  c.precision = Precision::Float64;
  GmmHmm model(c);
  FitSession session(model, data.all());
  const std::vector<double> setup = session.shareSetup();
  const MemoryLimitScope scope(std::size_t(4) << 20);
  EXPECT_THROW_WITH(ShareStatistics(setup, data.all(), session.groupSizes()), OutOfMemory,
                    "fit: building the [x, x^2] tiles of 20000 frames needs about");
  detail::tuning() = buildDefault;
}

TEST(MemoryLimit, ScoringPassesThatCannotFitAreRefused) {
  const GmmHmm model = fittedModel();
  const Frames data = gaussianFrames({20000}, 3, 5);
  const MemoryLimitScope scope(std::size_t(1) << 20);
  EXPECT_THROW_WITH(model.scoreSamples(data.all()), OutOfMemory, "scoreSamples: 20000 frames of a 2-state model needs about");
  EXPECT_THROW_WITH(model.sample(1000000, 1), OutOfMemory, "sample: 1000000 frames of 3 features");
}

recognizer::RecognizerOptions withFeatures(const std::function<void(features::MfccOptions&)>& change) {
  recognizer::RecognizerOptions o;
  change(o.features.mfcc);
  return o;
}

// A families' fit holds about 12 values per transition (the model's transmat, its working copy,
// the prior, the statistics' total and a group's, the transition counts per group and per
// sequence, the chain in sparse form both ways: 96 bytes, measured natively with a counting
// malloc), a score about 6. The estimates counted 6 and 0: a 5,000-state CategoricalHMM fit
// grew the wasm heap to its 2 GB limit before failing there.
TEST(MemoryLimit, TheFamiliesCountEveryCopyOfTheirTransitions) {
  CategoricalOptions o;
  o.nIter = 1;
  CategoricalHmm model(CategoricalSizes{1000, 3}, o);  // transmat: 8 MB
  std::vector<double> symbols(20);
  for (size_t t = 0; t < symbols.size(); ++t) symbols[t] = double(t % 3);
  const SequenceSet X{symbols.data(), 20, 1, {}};
  const std::string before = model.toJson();
  {
    MemoryLimitScope limit(80u << 20);  // more than 6 values per transition (46 MiB), less than 12 (92)
    try {
      model.fit(X);
      FAIL() << "fit was not refused";
    } catch (const OutOfMemory& e) {
      EXPECT_NE(std::string(e.what()).find("fit: "), std::string::npos) << e.what();
    }
    EXPECT_EQ(model.toJson(), before);
  }
  model.fit(X);
  MemoryLimitScope limit(40u << 20);  // less than 6 values per transition
  EXPECT_THROW(model.score(X), OutOfMemory);
  EXPECT_THROW(model.decode(X), OutOfMemory);
}

// The transitions' copies, the emissions and one sequence's buffers are held at once: each
// check passed alone (92 and 106 MiB under 120) where the fit needs 152 MiB.
TEST(MemoryLimit, AFamiliesFitCountsItsTransitionsAndItsLongestSequenceTogether) {
  CategoricalOptions o;
  o.nIter = 1;
  CategoricalHmm model(CategoricalSizes{1000, 3}, o);
  std::vector<double> symbols(1966);
  for (size_t t = 0; t < symbols.size(); ++t) symbols[t] = double(t % 3);
  const SequenceSet X{symbols.data(), Index(symbols.size()), 1, {}};
  MemoryLimitScope limit(120u << 20);
  EXPECT_THROW(model.fit(X), OutOfMemory);
  EXPECT_FALSE(model.isReady());
}

// A scoring pass costs the transmat and 5 values per allowed transition: a 3,000-state chain
// of two transitions per state scores in 200 MiB (counted as a full chain it needed 412).
TEST(MemoryLimit, AChainOfFewTransitionsCostsItsTransmatAndItsAllowedEntries) {
  const int N = 3000;
  CategoricalHmm model(CategoricalSizes{N, 2});
  std::vector<double> startprob(N, 0.0), transmat(size_t(N) * N, 0.0), emissionprob(size_t(N) * 2, 0.5);
  startprob[0] = 1;
  for (int r = 0; r < N; ++r) {
    transmat[size_t(r) * N + r] = r + 1 < N ? 0.5 : 1.0;
    if (r + 1 < N) transmat[size_t(r) * N + r + 1] = 0.5;
  }
  model.setStartprob(startprob);
  model.setTransmat(transmat);
  model.setEmissionprob(emissionprob);
  std::vector<double> symbols{0, 1, 1, 0, 1};
  const SequenceSet X{symbols.data(), 5, 1, {}};
  MemoryLimitScope limit(200u << 20);
  EXPECT_NEAR(model.score(X), 5 * std::log(0.5), 1e-9);  // every path emits each symbol with 0.5
}

TEST(RecognizerFeatureOptions, FollowTheFrontEndsRulesAtConstruction) {
  using recognizer::Recognizer;
  EXPECT_THROW_WITH(Recognizer(withFeatures([](auto& m) { m.numMelBins = 1000000; })), InvalidArgument,
                    "features.numMelBins must be at most 1024, got 1000000");
  EXPECT_THROW_WITH(Recognizer(withFeatures([](auto& m) { m.frameLength = 1e9; })), InvalidArgument,
                    "features.frameLength must be at most 1000 ms");
  EXPECT_THROW_WITH(Recognizer(withFeatures([](auto& m) { m.windowType = "square"; })), InvalidArgument,
                    "features.windowType must be one of");
  EXPECT_THROW_WITH(Recognizer(withFeatures([](auto& m) { m.lowFreq = 4000; })), InvalidArgument,
                    "features.lowFreq (4000 Hz) must be below highFreq (3800 Hz)");
  // Valid one by one, but no recording can be served: 1024 mel bins in 60-3800 Hz leave the
  // lowest bins without an FFT bin at every rate.
  EXPECT_THROW_WITH(Recognizer(withFeatures([](auto& m) { m.numMelBins = 1024; })), InvalidArgument,
                    "no common sample rate (8-96 kHz) can be served");
  // A band reaching 20 kHz is served by 44.1 kHz audio.
  EXPECT_NO_THROW(Recognizer(withFeatures([](auto& m) { m.highFreq = 20000; })));
}

TEST(RecognizerFeatureOptions, FollowTheSameRulesInFiles) {
  // A trained recognizer (two words sampled from random models), its file spoiled.
  recognizer::Recognizer rec;
  for (const char* label : {"a", "b"}) {
    GmmHmm word = randomModel(makeConfig(3, 1, 39, CovarianceType::Diag, Topology::LeftRight), label[0]);
    for (int k = 0; k < 3; ++k) rec.addFeatures(label, word.sample(40, 10 * k + label[0]).X);
  }
  rec.train();
  const json good = json::parse(rec.toJson());
  for (const auto& [name, value, message] : std::vector<std::tuple<std::string, json, std::string>>{
           {"numMelBins", 1000000, "features.numMelBins must be at most 1024"},
           {"frameLength", 1e9, "features.frameLength must be at most 1000 ms"},
           {"numMelBins", 1024, "no common sample rate"},
           {"inputScale", 0, "features.inputScale must be in (0, 1e10]"}}) {
    json bad = good;
    bad["options"]["features"][name] = value;
    EXPECT_THROW_WITH(recognizer::Recognizer::fromJson(bad.dump()), ModelFormatError, message);
  }
  // Members the reader does not use ("labels", anything added) are skipped.
  json extra = good;
  extra["padding"] = json::array();
  for (int i = 0; i < 1000; ++i) extra["padding"].push_back(i);
  EXPECT_EQ(recognizer::Recognizer::fromJson(extra.dump()).toJson(), rec.toJson());
}

TEST(FrontEndOptions, OneSetOfRulesForEveryEntryPoint) {
  features::MfccOptions o;
  EXPECT_NO_THROW(features::validate(o));
  o.numCeps = 30;
  EXPECT_THROW_WITH(features::validate(o), InvalidArgument, "numCeps (30) must not exceed numMelBins (23)");
  o = features::MfccOptions();
  o.cepstralLifter = 1e-300;
  EXPECT_THROW_WITH(features::validate(o), InvalidArgument, "cepstralLifter must be 0 (none) or at least 0.001");
  features::FbankOptions f;
  f.energyFloor = -1;
  EXPECT_THROW_WITH(features::validate(f), InvalidArgument, "energyFloor must be >= 0");
  f = features::FbankOptions();
  f.frameShift = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW_WITH(features::validate(f), InvalidArgument, "frameShift must be a finite number");
}

}  // namespace
}  // namespace gmmhmm
