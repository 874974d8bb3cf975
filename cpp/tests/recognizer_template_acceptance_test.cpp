// The template tests (RejectionOptions::templateSpreads / templateMargin / minTemplateMargin):
// a word refused by the likelihood-ratio test alone is accepted when its nearest template is
// clearly the nearest word's and within its spread of examples; a word about as near another
// word's templates is refused.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/recognizer/recognizer.hpp"
#include "gmmhmm/recognizer/templates.hpp"
#include "random_frames.hpp"

using namespace gmmhmm;
using namespace gmmhmm::recognizer;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();


}  // namespace

TEST(TemplateAcceptance, SpreadIsTheMeanDistanceToTheNearestOtherTemplate) {
  const std::vector<RowMatrix> t = {randomFrames(20, 39, 1), randomFrames(22, 39, 2), randomFrames(25, 39, 3)};
  double expected = 0;
  for (std::size_t k = 0; k < 3; ++k) expected += nearestTemplateDistance(t[k], t, static_cast<std::ptrdiff_t>(k)) / 3;
  EXPECT_NEAR(templateSpread(t), expected, 1e-12);
  EXPECT_NEAR(templateSpread({t[0], t[1]}), dtwDistance(t[0], t[1]), 1e-12);
  EXPECT_TRUE(std::isnan(templateSpread({t[0]})));
  EXPECT_TRUE(std::isnan(templateSpread({})));
}

TEST(TemplateAcceptance, TheRuleAcceptsAClearlyNearestWordWithinItsSpread) {
  // Word 1 is nearest at 2.0 (spread 2.5: 0.8 spreads); the next word is at 3.0 (margin 1.5).
  const TemplateEvidence clear = templateEvidence({3.0, 2.0, 4.0}, 1, 2.5);
  EXPECT_NEAR(clear.spreads, 0.8, 1e-12);
  EXPECT_NEAR(clear.margin, 1.5, 1e-12);
  EXPECT_TRUE(templatesAccept(clear, 1.2, 1.2));
  EXPECT_FALSE(templatesAccept(clear, 0, 1.2));     // 0: no rule
  EXPECT_FALSE(templatesAccept(clear, 0.7, 1.2));   // farther than 0.7 spreads
  EXPECT_FALSE(templatesAccept(clear, 1.2, 1.6));   // not 1.6 x nearer than the next word
  // An impostor about as near to two words: refused whatever its distance.
  EXPECT_FALSE(templatesAccept(templateEvidence({2.1, 2.0, 4.0}, 1, 2.5), 1.2, 1.2));
  // Far from every template (3 spreads): refused.
  EXPECT_FALSE(templatesAccept(templateEvidence({30.0, 7.5, 40.0}, 1, 2.5), 1.2, 1.2));
  // A recording identical to a template: accepted (distance 0, no other word at 0).
  EXPECT_TRUE(templatesAccept(templateEvidence({3.0, 0.0}, 1, 2.5), 1.2, 1.2));
  // Words not scored (NaN) are skipped; with no other word the margin is infinite.
  EXPECT_EQ(templateEvidence({kNaN, 2.0}, 1, 2.5).margin, kInf);
  // No spread (fewer than 2 templates, or a zero spread): a margin but no acceptance.
  for (const TemplateEvidence& noSpread : {templateEvidence({3.0, 2.0}, 1, kNaN), templateEvidence({3.0, 2.0}, 1, 0.0)}) {
    EXPECT_TRUE(std::isnan(noSpread.spreads));
    EXPECT_NEAR(noSpread.margin, 1.5, 1e-12);
    EXPECT_FALSE(templatesAccept(noSpread, 100, 1));
  }
  // No evidence at all: the best word not scored, or not a word.
  for (const TemplateEvidence& none : {templateEvidence({3.0, kNaN}, 1, 2.5), templateEvidence({3.0, 2.0}, 5, 2.5)}) {
    EXPECT_TRUE(std::isnan(none.spreads));
    EXPECT_TRUE(std::isnan(none.margin));
    EXPECT_FALSE(templatesAccept(none, 100, 1));
  }
  // Two words at distance 0: 0 / 0 is no margin.
  EXPECT_FALSE(templatesAccept(templateEvidence({0.0, 0.0}, 1, 2.5), 1.2, 1.2));
}

namespace {

// Every test refuses nothing but the likelihood-ratio test, which refuses everything: what
// is accepted, the template rule accepted.
RecognizerOptions ratioRefusesAll() {
  RecognizerOptions o;
  o.rejection.threshold = 1e3;
  o.rejection.minTemplateMargin = 0;
  o.rejection.minSpreadDb = 0;
  o.rejection.fitFloorSpreads = 100;
  o.rejection.fitMargin = 1e3;
  return o;
}

RowMatrix shapeOf(int word) { return randomFrames(30, 39, 100 + static_cast<std::uint64_t>(word), 2.0); }

// `words` words of random frames around a word-specific shape, 3 examples each.
Recognizer trained(const RecognizerOptions& o, int words) {
  Recognizer rec(o);
  for (int w = 0; w < words; ++w)
    for (int e = 0; e < 3; ++e)
      rec.addFeatures("w" + std::to_string(w), shapeOf(w) + randomFrames(30, 39, 1000 * (w + 1) + static_cast<std::uint64_t>(e)));
  rec.train();
  return rec;
}

// A new recording of word w: its shape with new noise.
RowMatrix newRecording(int w, std::uint64_t seed) { return shapeOf(w) + randomFrames(30, 39, seed); }

}  // namespace

TEST(TemplateAcceptance, AcceptsTheWordsOwnRecordingsTheRatioRefuses) {
  const Recognizer rec = trained(ratioRefusesAll(), 3);
  for (std::size_t w = 0; w < 3; ++w) {
    const auto& spread = rec.templateSpreads()[w];
    EXPECT_NEAR(spread, templateSpread(rec.wordModel("w" + std::to_string(w)).templates), 1e-12);
    EXPECT_GT(spread, 0);
  }
  int accepted = 0;
  for (int w = 0; w < 3; ++w) {
    for (std::uint64_t seed = 0; seed < 5; ++seed) {
      const Classification c = rec.classifyFeatures(newRecording(w, 50000 + 10 * static_cast<std::uint64_t>(w) + seed));
      EXPECT_EQ(c.label, "w" + std::to_string(w));
      EXPECT_LT(c.likelihoodRatio, 1e3);  // the ratio test refused it
      ASSERT_FALSE(std::isnan(c.templateSpreads));
      EXPECT_EQ(c.acceptedByTemplates, !c.rejected);
      const RejectionOptions& r = rec.options().rejection;
      EXPECT_EQ(!c.rejected, c.templateSpreads <= r.templateSpreads && c.templateMargin >= r.templateMargin);
      accepted += !c.rejected;
    }
  }
  // Of 15: a new recording is about as near its word's nearest example as the examples are to
  // each other, and far from the other words'.
  EXPECT_GE(accepted, 13);
  // The rule off: every one refused, by the ratio ("out-of-vocabulary").
  RecognizerOptions off = ratioRefusesAll();
  off.rejection.templateSpreads = 0;
  const Recognizer without = trained(off, 3);
  const Classification c = without.classifyFeatures(newRecording(0, 50000));
  EXPECT_TRUE(c.rejected);
  EXPECT_EQ(c.reason, "out-of-vocabulary");
  EXPECT_FALSE(c.acceptedByTemplates);
}

TEST(TemplateAcceptance, RefusesImpostorsAndOutOfVocabularyWords) {
  const Recognizer rec = trained(ratioRefusesAll(), 3);
  // Sounds of no word: far from every template.
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    const Classification c = rec.classifyFeatures(randomFrames(30, 39, 7000 + seed, 2.2));
    EXPECT_TRUE(c.rejected);
    EXPECT_EQ(c.reason, "out-of-vocabulary");
    EXPECT_GT(c.templateSpreads, rec.options().rejection.templateSpreads);
  }
  // Half-way between two words: as near to both (no margin).
  const RowMatrix between = (shapeOf(0) + shapeOf(1)) / 2 + randomFrames(30, 39, 7100, 0.3);
  const Classification mid = rec.classifyFeatures(between);
  EXPECT_TRUE(mid.rejected);
  EXPECT_LT(mid.templateMargin, rec.options().rejection.templateMargin);
  // The same when the ratio test accepts: minTemplateMargin refuses it as "low-confidence",
  // while the words' own recordings pass.
  RecognizerOptions o = ratioRefusesAll();
  o.rejection.threshold = -1e3;
  o.rejection.minTemplateMargin = 1.05;
  const Recognizer accepting = trained(o, 3);
  const Classification tie = accepting.classifyFeatures(between);
  EXPECT_LT(tie.templateMargin, 1.05);
  EXPECT_EQ(tie.reason, "low-confidence");
  EXPECT_FALSE(accepting.classifyFeatures(newRecording(2, 50002)).rejected);
  o.rejection.minTemplateMargin = 0;
  EXPECT_FALSE(trained(o, 3).classifyFeatures(between).rejected);
  // The speaker's own word outside the vocabulary: models of w0 and w1, a recording of w2.
  const Recognizer two = trained(ratioRefusesAll(), 2);
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    const Classification c = two.classifyFeatures(newRecording(2, 60000 + seed));
    EXPECT_TRUE(c.rejected);
    EXPECT_FALSE(c.acceptedByTemplates);
  }
}

TEST(TemplateAcceptance, OverrulesTheFitMargin) {
  // The ratio test off, the fit margin 0: a recording that fits its word worse than the
  // worst held-out example is refused unless the templates accept it.
  RecognizerOptions o = ratioRefusesAll();
  o.rejection.threshold = -1e3;
  o.rejection.fitMargin = 0;
  const Recognizer rec = trained(o, 3);
  o.rejection.templateSpreads = 0;
  const Recognizer off = trained(o, 3);
  int rescued = 0;
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    const RowMatrix x = shapeOf(2) + randomFrames(30, 39, 90000 + seed, 1.2);
    const Classification c = rec.classifyFeatures(x), without = off.classifyFeatures(x);
    ASSERT_EQ(c.label, "w2");
    if (c.fit >= 0) continue;
    EXPECT_EQ(without.reason, "out-of-vocabulary");
    EXPECT_EQ(c.acceptedByTemplates, !c.rejected);
    rescued += c.acceptedByTemplates;
  }
  EXPECT_GE(rescued, 1);
}

TEST(TemplateAcceptance, OverrulesTheOutOfVocabularyTestsNotTheFitFloor) {
  // The fit floor still refuses what the templates would accept: recordings of w1 with noise
  // 1.5 x the examples' fit its model far worse than its held-out examples did.
  RecognizerOptions o = ratioRefusesAll();
  o.rejection.fitFloorSpreads = 0;  // the floor at the held-out mean
  o.rejection.templateSpreads = 100;
  o.rejection.templateMargin = 1;
  const Recognizer rec = trained(o, 3);
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    const Classification c = rec.classifyFeatures(shapeOf(1) + randomFrames(30, 39, 80000 + seed, 1.5));
    EXPECT_EQ(c.label, "w1");
    EXPECT_EQ(c.reason, "poor-fit");
    EXPECT_FALSE(c.acceptedByTemplates);
  }
  // Words ranked without templates (weight 0, or more examples than maxTemplates): no test.
  o = ratioRefusesAll();
  o.word.templateWeight = 0;
  const Classification c = trained(o, 3).classifyFeatures(newRecording(0, 50000));
  EXPECT_TRUE(c.rejected);
  EXPECT_TRUE(std::isnan(c.templateSpreads));
  EXPECT_TRUE(std::isnan(c.templateMargin));
}

TEST(TemplateAcceptance, FilesKeepTheSpreadAndOlderFilesLoadWithoutTheRule) {
  const Recognizer rec = trained(ratioRefusesAll(), 3);
  const RowMatrix x = newRecording(0, 50000);
  const Classification a = rec.classifyFeatures(x);
  ASSERT_TRUE(a.acceptedByTemplates);
  const Recognizer back = Recognizer::fromJson(rec.toJson());
  EXPECT_EQ(back.templateSpreads(), rec.templateSpreads());
  EXPECT_EQ(back.options().rejection.templateSpreads, rec.options().rejection.templateSpreads);
  const Classification b = back.classifyFeatures(x);
  EXPECT_EQ(b.rejected, a.rejected);
  EXPECT_EQ(b.templateSpreads, a.templateSpreads);
  // A file from before the rule: no option and no spreads. It loads and refuses as it did.
  auto doc = nlohmann::json::parse(rec.toJson());
  doc["options"]["rejection"].erase("templateSpreads");
  doc["options"]["rejection"].erase("templateMargin");
  doc["options"]["rejection"].erase("minTemplateMargin");
  for (auto& w : doc["words"]) w.erase("templateSpread");
  const Recognizer older = Recognizer::fromJson(doc.dump());
  EXPECT_EQ(older.options().rejection.templateSpreads, 0);
  EXPECT_EQ(older.options().rejection.minTemplateMargin, 0);
  for (double s : older.templateSpreads()) EXPECT_TRUE(std::isnan(s));
  const Classification c = older.classifyFeatures(x);
  EXPECT_TRUE(c.rejected);
  EXPECT_EQ(c.reason, "out-of-vocabulary");
  // The option alone missing: 0 (the rule off), the spreads kept.
  doc = nlohmann::json::parse(rec.toJson());
  doc["options"]["rejection"].erase("templateSpreads");
  EXPECT_TRUE(Recognizer::fromJson(doc.dump()).classifyFeatures(x).rejected);
  // Bad spreads in a file: a format error naming the word.
  for (const nlohmann::json& bad : {nlohmann::json("wide"), nlohmann::json(-1.0), nlohmann::json(1e300)}) {
    doc = nlohmann::json::parse(rec.toJson());
    doc["words"][1]["templateSpread"] = bad;
    try {
      (void)Recognizer::fromJson(doc.dump());
      ADD_FAILURE() << "accepted templateSpread " << bad.dump();
    } catch (const ModelFormatError& e) {
      EXPECT_NE(std::string(e.what()).find("words[1].templateSpread"), std::string::npos) << e.what();
    }
  }
  // A spread on a word without templates.
  doc = nlohmann::json::parse(rec.toJson());
  doc["words"][1].erase("templates");
  EXPECT_THROW(Recognizer::fromJson(doc.dump()), ModelFormatError);
}

TEST(TemplateAcceptance, BadOptionsAreRefusedNamingThem) {
  const auto expectError = [](const nlohmann::json& rejection, const std::string& mention) {
    try {
      (void)recognizerOptionsFromJson({{"rejection", rejection}});
      ADD_FAILURE() << "accepted " << rejection.dump();
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(mention), std::string::npos) << e.what();
    }
  };
  expectError({{"templateSpreads", -1}}, "rejection.templateSpreads must be in [0, 100]");
  expectError({{"templateSpreads", 101}}, "rejection.templateSpreads must be in [0, 100]");
  expectError({{"templateMargin", 0.9}}, "rejection.templateMargin must be in [1, 100]");
  expectError({{"templateMargin", 1000}}, "rejection.templateMargin must be in [1, 100]");
  expectError({{"minTemplateMargin", -0.1}}, "rejection.minTemplateMargin must be in [0, 100]");
  expectError({{"minTemplateMargin", "x"}}, "rejection.minTemplateMargin must be a finite number");
  RejectionOptions nan;
  nan.templateSpreads = kNaN;
  EXPECT_THROW(validate(nan), InvalidArgument);
  nan = RejectionOptions();
  nan.templateMargin = kNaN;
  EXPECT_THROW(validate(nan), InvalidArgument);
  nan = RejectionOptions();
  nan.minTemplateMargin = kNaN;
  EXPECT_THROW(validate(nan), InvalidArgument);
  const RecognizerOptions read = recognizerOptionsFromJson({{"rejection", {{"templateSpreads", 1.5}, {"templateMargin", 1.1}}}});
  EXPECT_EQ(read.rejection.templateSpreads, 1.5);
  EXPECT_EQ(read.rejection.templateMargin, 1.1);
  EXPECT_EQ(recognizerOptionsFromJson(toJson(read)).rejection.templateMargin, 1.1);
}
