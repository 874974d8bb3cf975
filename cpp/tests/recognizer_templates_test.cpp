// Templates beside the word HMMs: DTW distances, their storage in recognizer files, and how
// classification ranks the words with them.
#include <gtest/gtest.h>

#include <cmath>
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

// Every frame twice: the same word said at half the speed.
RowMatrix slowedDown(const RowMatrix& x) {
  RowMatrix y(2 * x.rows(), x.cols());
  for (Eigen::Index r = 0; r < x.rows(); ++r) y.row(2 * r) = y.row(2 * r + 1) = x.row(r);
  return y;
}

}  // namespace

TEST(Templates, DtwIsAPerFrameDistanceThatIgnoresTempo) {
  const RowMatrix a = randomFrames(30, 39, 1);
  // (Frame distances come from one matrix product, |a|^2 + |b|^2 - 2ab: zero to rounding.)
  EXPECT_NEAR(dtwDistance(a, a), 0.0, 1e-6);
  EXPECT_NEAR(dtwDistance(a, slowedDown(a)), 0.0, 1e-6);
  // One frame each: the diagonal step (weight 2) over two frames is their Euclidean distance.
  RowMatrix p = RowMatrix::Zero(1, 2), q(1, 2);
  q << 3, 4;
  EXPECT_NEAR(dtwDistance(p, q), 5.0, 1e-12);
  // A constant offset of every frame by d costs d per frame, whatever the lengths.
  RowMatrix shifted = a;
  shifted.col(0).array() += 2.0;
  EXPECT_NEAR(dtwDistance(a, shifted), 2.0, 1e-9);
  const RowMatrix b = randomFrames(45, 39, 2);
  EXPECT_NEAR(dtwDistance(a, b), dtwDistance(b, a), 1e-9);
  EXPECT_GT(dtwDistance(a, b), 1.0);
  EXPECT_THROW(dtwDistance(a, RowMatrix::Zero(5, 13)), InvalidArgument);
  EXPECT_THROW(dtwDistance(a, RowMatrix::Zero(0, 39)), InvalidArgument);
}

TEST(Templates, NearestSkipsTheGivenTemplate) {
  const std::vector<RowMatrix> t = {randomFrames(20, 39, 3), randomFrames(25, 39, 4)};
  EXPECT_NEAR(nearestTemplateDistance(t[0], t), 0.0, 1e-6);
  EXPECT_NEAR(nearestTemplateDistance(t[0], t, 0), dtwDistance(t[0], t[1]), 1e-12);
  EXPECT_TRUE(std::isinf(nearestTemplateDistance(t[0], {t[0]}, 0)));
}

TEST(Templates, FileFormatKeeps16BitsAndRefusesCorruptData) {
  std::vector<RowMatrix> t = {randomFrames(17, 39, 5, 10.0), randomFrames(1, 39, 6, 0.1)};
  t[0].col(3).setZero();  // a column of zeros has scale 0
  const nlohmann::json j = templatesToJson(t);
  const std::vector<RowMatrix> back = templatesFromJson(j, 39);
  ASSERT_EQ(back.size(), 2u);
  for (std::size_t k = 0; k < 2; ++k) {
    ASSERT_EQ(back[k].rows(), t[k].rows());
    for (Eigen::Index c = 0; c < 39; ++c) {
      const double largest = std::max(t[0].col(c).cwiseAbs().maxCoeff(), t[1].col(c).cwiseAbs().maxCoeff());
      EXPECT_LE((back[k].col(c) - t[k].col(c)).cwiseAbs().maxCoeff(), largest / 32767.0 / 2 + 1e-12);
    }
  }
  // Stored again, the stored values come back exactly: what trains is what a file holds.
  const std::vector<RowMatrix> again = templatesFromJson(templatesToJson(back), 39);
  EXPECT_EQ((again[0] - back[0]).cwiseAbs().maxCoeff(), 0.0);

  auto expectError = [&](nlohmann::json bad, std::ptrdiff_t columns, const std::string& mention) {
    try {
      templatesFromJson(bad, columns);
      ADD_FAILURE() << "accepted " << bad.dump().substr(0, 80);
    } catch (const ModelFormatError& e) {
      EXPECT_NE(std::string(e.what()).find(mention), std::string::npos) << e.what();
    }
  };
  expectError(j, 13, "\"scale\" has 39 numbers; the model has 13");
  nlohmann::json bad = j;
  bad["data"] = "@@@@" + j["data"].get<std::string>().substr(4);
  expectError(bad, 39, "not base64");
  bad = j;
  bad["data"] = j["data"].get<std::string>().substr(8);
  expectError(bad, 39, "bytes");
  bad = j;
  bad["frames"][0] = 0;
  expectError(bad, 39, "\"frames\"");
  bad = j;
  bad["scale"][2] = -1;
  expectError(bad, 39, "\"scale\"");
  expectError(nlohmann::json::array(), 39, "must be an object");
  bad = j;
  bad["scale"][0] = 1e300;
  expectError(bad, 39, "\"scale\"");
  // Frame counts whose product with the width wraps round 32 bits (size_t in wasm) to the
  // data's size: refused before anything is allocated.
  nlohmann::json wrap = templatesToJson({randomFrames(1, 39, 7)});
  wrap["frames"] = nlohmann::json::array();
  for (int k = 0; k < 2147; ++k) wrap["frames"].push_back(1000000);
  wrap["frames"].push_back(483649);
  expectError(wrap, 39, "bytes");
}

namespace {

RecognizerOptions syntheticOptions() {
  RecognizerOptions o;
  o.rejection.threshold = -1e3;  // random frames: rejection is not what these tests look at
  o.rejection.minSpreadDb = 0;
  o.rejection.fitFloorSpreads = 100;
  o.rejection.fitMargin = 1e3;
  return o;
}

// Three words of random frames with a word-specific offset; `perWord` examples each.
Recognizer trained(const RecognizerOptions& o, int perWord) {
  Recognizer rec(o);
  for (int w = 0; w < 3; ++w) {
    const RowMatrix shape = randomFrames(30, 39, 100 + static_cast<std::uint64_t>(w), 2.0);
    for (int e = 0; e < perWord; ++e)
      rec.addFeatures("w" + std::to_string(w), shape + randomFrames(30, 39, 1000 * (w + 1) + static_cast<std::uint64_t>(e)));
  }
  rec.train();
  return rec;
}

}  // namespace

TEST(Templates, FewExamplesRankTheWordsByHmmScoreMinusTemplateDistance) {
  RecognizerOptions o = syntheticOptions();
  o.word.templateWeight = 2.5;
  const Recognizer rec = trained(o, 3);
  for (const char* label : {"w0", "w1", "w2"}) EXPECT_EQ(rec.wordModel(label).templates.size(), 3u);
  const RowMatrix example = rec.examples("w1")[2];
  const Classification c = rec.classifyFeatures(example);
  ASSERT_EQ(c.scores.size(), 3u);
  // The example itself is one of w1's templates.
  EXPECT_EQ(c.scores[0].label, "w1");
  EXPECT_NEAR(c.scores[0].templateDistance, 0.0, 1e-3);
  const double T = static_cast<double>(c.frames);
  for (std::size_t k = 0; k < 3; ++k) {
    const auto& s = c.scores[k];
    EXPECT_NEAR(s.templateDistance, nearestTemplateDistance(example, rec.wordModel(s.label).templates), 1e-12);
    if (k > 0) {
      const auto& p = c.scores[k - 1];
      EXPECT_GE(p.logLikelihood / T - 2.5 * p.templateDistance, s.logLikelihood / T - 2.5 * s.templateDistance);
    }
  }
  // A saved and reloaded recognizer holds the same templates and ranks the same.
  const Recognizer back = Recognizer::fromJson(rec.toJson());
  const RowMatrix fresh = randomFrames(30, 39, 100, 2.0) + randomFrames(30, 39, 77);
  const Classification a = rec.classifyFeatures(fresh), b = back.classifyFeatures(fresh);
  ASSERT_EQ(a.scores.size(), b.scores.size());
  for (std::size_t k = 0; k < a.scores.size(); ++k) {
    EXPECT_EQ(a.scores[k].label, b.scores[k].label);
    EXPECT_NEAR(a.scores[k].templateDistance, b.scores[k].templateDistance, 1e-12);
    EXPECT_NEAR(a.scores[k].probability, b.scores[k].probability, 1e-9);
  }
}

TEST(Templates, ManyExamplesOrWeightZeroRankByTheHmmAlone) {
  RecognizerOptions o = syntheticOptions();
  o.word.maxTemplates = 4;
  const Recognizer many = trained(o, 5);
  EXPECT_TRUE(many.wordModel("w0").templates.empty());
  EXPECT_EQ(nlohmann::json::parse(many.toJson())["words"][0].count("templates"), 0u);
  o.word.maxTemplates = 10;
  o.word.templateWeight = 0;
  const Recognizer off = trained(o, 3);
  EXPECT_EQ(off.wordModel("w0").templates.size(), 3u);  // kept, so that the weight can change later
  for (const Recognizer* rec : {&many, &off}) {
    const Classification c = rec->classifyFeatures(rec->examples("w2")[0]);
    for (std::size_t k = 0; k < c.scores.size(); ++k) {
      EXPECT_TRUE(std::isnan(c.scores[k].templateDistance));
      if (k > 0) {
        EXPECT_GE(c.scores[k - 1].logLikelihood, c.scores[k].logLikelihood);
      }
    }
  }
}

TEST(Templates, FewExamplesMaySkipStatesManyMayNot) {
  RecognizerOptions o = syntheticOptions();
  o.word.maxTemplates = 4;
  const Recognizer few = trained(o, 3);
  const Recognizer many = trained(o, 5);
  EXPECT_EQ(few.wordModel("w0").model.config().maxJump, std::min(2, few.wordModel("w0").model.config().nStates - 1));
  EXPECT_EQ(many.wordModel("w0").model.config().maxJump, 1);
  o.word.fewExampleMaxJump = 1;
  EXPECT_EQ(trained(o, 3).wordModel("w0").model.config().maxJump, 1);
  // Files saved before the option retrain as they were trained: one state at a time.
  nlohmann::json file = nlohmann::json::parse(few.toJson());
  file["options"]["word"].erase("fewExampleMaxJump");
  EXPECT_EQ(Recognizer::fromJson(file.dump()).options().word.fewExampleMaxJump, 1);
  EXPECT_EQ(Recognizer::fromJson(few.toJson()).options().word.fewExampleMaxJump, 2);
}

TEST(Templates, OptionsAreChecked) {
  EXPECT_THROW(wordModelOptionsFromJson({{"fewExampleMaxJump", 0}}), InvalidArgument);
  EXPECT_THROW(wordModelOptionsFromJson({{"fewExampleMaxJump", 4}}), InvalidArgument);
  EXPECT_THROW(wordModelOptionsFromJson({{"templateWeight", -1}}), InvalidArgument);
  EXPECT_THROW(wordModelOptionsFromJson({{"maxTemplates", -1}}), InvalidArgument);
  EXPECT_EQ(wordModelOptionsFromJson({{"maxTemplates", 3}}).maxTemplates, 3);
}
