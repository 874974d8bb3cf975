// One score for words with several templates (RejectionOptions::templateScoreMinExamples):
// likelihood ratio + a x ln(template margin) - b x ln(template spreads) >= threshold decides
// in place of the ratio test, the fit margin and the two template tests.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "gmmhmm/recognizer/recognizer.hpp"
#include "gmmhmm/recognizer/templates.hpp"
#include "random_frames.hpp"

using namespace gmmhmm;
using namespace gmmhmm::recognizer;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

// Only the score's parts decide: no fit floor, no steadiness test.
RecognizerOptions scoreDecides() {
  RecognizerOptions o;
  o.rejection.minSpreadDb = 0;
  o.rejection.fitFloorSpreads = 100;
  return o;
}

RowMatrix shapeOf(int word) { return randomFrames(30, 39, 300 + static_cast<std::uint64_t>(word), 2.0); }

// `words` words of random frames around a word-specific shape, `examples` examples each.
Recognizer trained(const RecognizerOptions& o, int words, int examples) {
  Recognizer rec(o);
  for (int w = 0; w < words; ++w)
    for (int e = 0; e < examples; ++e)
      rec.addFeatures("w" + std::to_string(w), shapeOf(w) + randomFrames(30, 39, 2000 * (w + 1) + static_cast<std::uint64_t>(e)));
  rec.train();
  return rec;
}

RowMatrix newRecording(int w, std::uint64_t seed, double noise = 1.0) { return shapeOf(w) + randomFrames(30, 39, seed, noise); }

double scoreOf(const Classification& c, const RejectionOptions& r) {
  return templateScore(c.likelihoodRatio, {c.templateSpreads, c.templateMargin}, r.templateScoreMarginWeight,
                       r.templateScoreSpreadsWeight);
}

}  // namespace

TEST(TemplateScore, IsTheRatioPlusTheWeightedLogsAndNeedsFiniteEvidence) {
  EXPECT_NEAR(templateScore(0.5, {0.8, 1.5}, 70, 20), 0.5 + 70 * std::log(1.5) - 20 * std::log(0.8), 1e-12);
  EXPECT_NEAR(templateScore(-2, {1, 1}, 70, 20), -2, 1e-12);
  // One word (no other word: an infinite margin), a recording identical to a template (0
  // distance: infinite margin), no spread, no ratio: no score (the tests decide).
  for (const auto& [ratio, spreads, margin] : {std::tuple{0.0, 0.8, kInf}, std::tuple{0.0, 0.0, 2.0},
                                               std::tuple{0.0, kNaN, 2.0}, std::tuple{0.0, 0.8, kNaN},
                                               std::tuple{0.0, 0.8, 0.0}, std::tuple{-kInf, 0.8, 1.5}, std::tuple{kNaN, 0.8, 1.5}})
    EXPECT_TRUE(std::isnan(templateScore(ratio, {spreads, margin}, 70, 20))) << ratio << " " << spreads << " " << margin;
}

TEST(TemplateScore, DecidesForWordsWithEnoughExamplesOnly) {
  const RecognizerOptions o = scoreDecides();
  ASSERT_EQ(o.rejection.templateScoreMinExamples, 5);
  const Recognizer five = trained(o, 3, 5);
  const RejectionOptions& r = five.options().rejection;
  int accepted = 0, refused = 0;
  for (int w = 0; w < 3; ++w) {
    for (std::uint64_t seed = 0; seed < 6; ++seed) {
      // Some clean, some noisier than the examples (farther from the templates).
      const Classification c = five.classifyFeatures(newRecording(w, 70000 + 10 * static_cast<std::uint64_t>(w) + seed, seed < 3 ? 1.0 : 1.6));
      const double score = scoreOf(c, r);
      ASSERT_FALSE(std::isnan(score));
      EXPECT_EQ(!c.rejected, score >= r.templateScoreThreshold) << c.reason << " score " << score;
      if (c.rejected) EXPECT_EQ(c.reason, "out-of-vocabulary");
      // Accepted by the score although the ratio test refused: counted as the templates'.
      if (!c.rejected) EXPECT_EQ(c.acceptedByTemplates, c.likelihoodRatio < r.threshold || c.fit < -r.fitMargin);
      accepted += !c.rejected;
      refused += c.rejected;
    }
  }
  EXPECT_GE(accepted, 1);
  // Sounds of no word, and a recording half-way between two words: refused by the score.
  for (std::uint64_t seed = 0; seed < 4; ++seed) {
    const Classification c = five.classifyFeatures(randomFrames(30, 39, 9000 + seed, 2.2));
    EXPECT_TRUE(c.rejected);
    if (!std::isnan(scoreOf(c, r))) EXPECT_LT(scoreOf(c, r), r.templateScoreThreshold);
  }
  const Classification mid = five.classifyFeatures((shapeOf(0) + shapeOf(1)) / 2 + randomFrames(30, 39, 9100, 0.3));
  EXPECT_TRUE(mid.rejected);
  // The score replaces the ratio test: with the ratio threshold out of reach the words' own
  // recordings are still accepted when the score threshold is low...
  RecognizerOptions lenient = scoreDecides();
  lenient.rejection.threshold = 1e3;
  lenient.rejection.templateScoreThreshold = -1e3;
  const Recognizer anyRatio = trained(lenient, 3, 5);
  const Classification own = anyRatio.classifyFeatures(newRecording(1, 70011));
  EXPECT_FALSE(own.rejected);
  EXPECT_TRUE(own.acceptedByTemplates);
  // ...while the same options with fewer examples than templateScoreMinExamples (3 here, and
  // 5 with the minimum raised to 6) leave the decision to the tests, whose ratio test refuses
  // what the template acceptance does not take.
  lenient.rejection.templateSpreads = 0;  // (no acceptance by templates: the ratio decides)
  const Classification three = trained(lenient, 3, 3).classifyFeatures(newRecording(1, 70011));
  EXPECT_TRUE(three.rejected);
  EXPECT_EQ(three.reason, "out-of-vocabulary");
  lenient.rejection.templateScoreMinExamples = 6;
  EXPECT_TRUE(trained(lenient, 3, 5).classifyFeatures(newRecording(1, 70011)).rejected);
  lenient.rejection.templateScoreMinExamples = 0;  // 0: never
  EXPECT_TRUE(trained(lenient, 3, 5).classifyFeatures(newRecording(1, 70011)).rejected);
}

TEST(TemplateScore, OneWordIsDecidedByTheTests) {
  // One word has no other word's templates (an infinite margin): the score would accept
  // anything, so the tests decide -- a sound of no word is refused.
  RecognizerOptions o = scoreDecides();
  o.rejection.templateScoreThreshold = -1e3;
  const Recognizer one = trained(o, 1, 5);
  const Classification c = one.classifyFeatures(randomFrames(30, 39, 9200, 2.2));
  EXPECT_TRUE(std::isinf(c.templateMargin));
  EXPECT_TRUE(c.rejected);
}

TEST(TemplateScore, OptionsRoundTripAndOlderFilesDecideAsBefore) {
  RecognizerOptions o = scoreDecides();
  o.rejection.templateScoreThreshold = -1e3;  // (accepts what the tests refuse: the files differ)
  o.rejection.threshold = 1e3;
  o.rejection.templateSpreads = 0;
  const Recognizer rec = trained(o, 3, 5);
  const RowMatrix x = newRecording(0, 70000);
  ASSERT_FALSE(rec.classifyFeatures(x).rejected);
  const Recognizer back = Recognizer::fromJson(rec.toJson());
  EXPECT_EQ(back.options().rejection.templateScoreThreshold, -1e3);
  EXPECT_EQ(back.options().rejection.templateScoreMinExamples, 5);
  EXPECT_FALSE(back.classifyFeatures(x).rejected);
  // A file from before the score: the options missing read as 0 (never), the tests decide.
  auto doc = nlohmann::json::parse(rec.toJson());
  for (const char* key : {"templateScoreMinExamples", "templateScoreMarginWeight", "templateScoreSpreadsWeight", "templateScoreThreshold"})
    doc["options"]["rejection"].erase(key);
  const Recognizer older = Recognizer::fromJson(doc.dump());
  EXPECT_EQ(older.options().rejection.templateScoreMinExamples, 0);
  const Classification c = older.classifyFeatures(x);
  EXPECT_TRUE(c.rejected);
  EXPECT_EQ(c.reason, "out-of-vocabulary");
  // Bad values: an error naming the option.
  for (const auto& [key, value] : {std::pair{"templateScoreMinExamples", nlohmann::json(-1)},
                                   std::pair{"templateScoreMinExamples", nlohmann::json(2.5)},
                                   std::pair{"templateScoreMarginWeight", nlohmann::json(-1)},
                                   std::pair{"templateScoreSpreadsWeight", nlohmann::json("x")},
                                   std::pair{"templateScoreThreshold", nlohmann::json(1e7)}}) {
    doc = nlohmann::json::parse(rec.toJson());
    doc["options"]["rejection"][key] = value;
    try {
      (void)Recognizer::fromJson(doc.dump());
      ADD_FAILURE() << key << " " << value.dump() << " accepted";
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  }
}
