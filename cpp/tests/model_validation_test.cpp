// Bad input at every entry point: a typed exception whose message names the argument.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "helpers/model_testing.hpp"

namespace gmmhmm {
namespace {

using namespace gmmhmm::testing;

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

// Every entry point that takes frames, on a ready model (fit on a copy).
std::vector<std::pair<std::string, std::function<void(const SequenceSet&)>>> dataEntryPoints(const GmmHmm& model) {
  return {
      {"fit", [model](const SequenceSet& X) { GmmHmm copy = model; copy.fit(X); }},
      {"score", [&model](const SequenceSet& X) { model.score(X); }},
      {"scorePerSequence", [&model](const SequenceSet& X) { model.scorePerSequence(X); }},
      {"scoreSamples", [&model](const SequenceSet& X) { model.scoreSamples(X); }},
      {"decode", [&model](const SequenceSet& X) { model.decode(X); }},
      {"emissionLogLikelihoods", [&model](const SequenceSet& X) { model.emissionLogLikelihoods(X); }},
      {"aic", [&model](const SequenceSet& X) { model.aic(X); }},
      {"bic", [&model](const SequenceSet& X) { model.bic(X); }},
  };
}

TEST(Validation, BadDataAtEveryEntryPoint) {
  const GmmHmm model = randomModel(makeConfig(2, 2, 3, CovarianceType::Diag), 1);
  const Frames good = gaussianFrames({10, 10}, 3, 2);
  for (const auto& [name, call] : dataEntryPoints(model)) {
    SCOPED_TRACE(name);
    call(good.all());  // accepted
    Frames f = good;
    f.X[4 * 3 + 2] = kNaN;
    EXPECT_THROW_WITH(call(f.all()), InvalidArgument, "X: value at frame 4, feature 2");
    f.X[4 * 3 + 2] = -kInf;
    EXPECT_THROW_WITH(call(f.all()), InvalidArgument, "NaN or infinite");
    f.X[4 * 3 + 2] = 1e200;
    EXPECT_THROW_WITH(call(f.all()), InvalidArgument, "X: value at frame 4");
    EXPECT_THROW_WITH(call(SequenceSet{good.X.data(), 0, 3, {}}), InvalidArgument, "X: no frames");
    EXPECT_THROW_WITH(call(SequenceSet{nullptr, 20, 3, {}}), InvalidArgument, "X: missing data");
    EXPECT_THROW_WITH(call(SequenceSet{good.X.data(), 20, 0, {}}), InvalidArgument, "nFeatures");
    EXPECT_THROW_WITH(call(SequenceSet{good.X.data(), 15, 4, {}}), InvalidArgument, "4 features but the model has 3");
    EXPECT_THROW_WITH(call(SequenceSet{good.X.data(), 20, 3, {10, 9}}), InvalidArgument, "lengths sum to 19");
    EXPECT_THROW_WITH(call(SequenceSet{good.X.data(), 20, 3, {10, 11}}), InvalidArgument, "lengths sum to more");
    EXPECT_THROW_WITH(call(SequenceSet{good.X.data(), 20, 3, {10, 0, 10}}), InvalidArgument, "lengths[1] is 0");
    EXPECT_THROW_WITH(call(SequenceSet{good.X.data(), 20, 3, {25, -5}}), InvalidArgument, "lengths");
  }
}

// As hmmlearn (its KMeans refuses fewer samples than clusters): a k-means initialisation with
// fewer frames than states is refused, the model unchanged; the segmental one (left-right
// models: a state per part of each sequence) and a fit that initialises nothing are not.
TEST(Validation, KMeansInitialisationNeedsAFramePerState) {
  const std::vector<double> two{0, 1, 1, 2};
  ModelConfig c = makeConfig(3, 1, 2, CovarianceType::Diag);
  GmmHmm model(c);
  EXPECT_THROW_WITH(model.fit(SequenceSet{two.data(), 2, 2, {}}), InvalidArgument,
                    "fit: 2 frames cannot initialise 3 states by k-means (it needs at least one frame per state");
  EXPECT_FALSE(model.isReady());
  const std::vector<double> three{0, 1, 1, 2, 2, 3};
  model.fit(SequenceSet{three.data(), 3, 2, {}});  // one frame per state: as hmmlearn, accepted
  ModelConfig fixed = c;
  fixed.initParams = "";
  GmmHmm set(model);
  set.setTrainingConfig(fixed);
  set.fit(SequenceSet{two.data(), 2, 2, {}});  // nothing to initialise
  c.topology = Topology::LeftRight;
  GmmHmm leftRight(c);
  leftRight.fit(SequenceSet{three.data(), 3, 2, {}});
}

TEST(Validation, ParameterSetters) {
  GmmHmm model(makeConfig(2, 2, 2, CovarianceType::Diag));
  // startprob: size, NaN, negative, sum (tolerance 1e-6).
  EXPECT_THROW_WITH(model.setStartprob({1.0}), InvalidArgument, "startprob: expected 2");
  EXPECT_THROW_WITH(model.setStartprob({kNaN, 1.0}), InvalidArgument, "startprob[0]");
  EXPECT_THROW_WITH(model.setStartprob({-0.5, 1.5}), InvalidArgument, "startprob[0]");
  EXPECT_THROW_WITH(model.setStartprob({0.5, 0.5 + 2e-6}), InvalidArgument, "startprob sums to");
  model.setStartprob({0.5, 0.5 + 5e-7});  // within 1e-6
  // transmat: size and each row.
  EXPECT_THROW_WITH(model.setTransmat({0.5, 0.5, 0.5}), InvalidArgument, "transmat: expected 2x2");
  EXPECT_THROW_WITH(model.setTransmat({0.5, 0.5, 0.6, 0.5}), InvalidArgument, "transmat row 1 sums to");
  EXPECT_THROW_WITH(model.setTransmat({0.5, 0.5, kInf, 0.5}), InvalidArgument, "transmat row 1[0]");
  // weights.
  EXPECT_THROW_WITH(model.setWeights({0.5, 0.5, 0.5}), InvalidArgument, "weights: expected 2x2");
  EXPECT_THROW_WITH(model.setWeights({0.5, 0.5, 0.7, 0.2}), InvalidArgument, "weights of state 1 sums to");
  // means: size, NaN.
  EXPECT_THROW_WITH(model.setMeans({1, 2, 3}), InvalidArgument, "means: expected");
  EXPECT_THROW_WITH(model.setMeans({0, 0, 0, 0, 0, kNaN, 0, 0}), InvalidArgument, "means[1][0][1] is not a finite number");
  EXPECT_THROW_WITH(model.setMeans({0, 0, 0, 0, 0, 1e200, 0, 0}), InvalidArgument, "means[1][0][1] is 1e+200: means must be within +-1e100");
  model.setMeans(std::vector<double>(8, 0.0));
  EXPECT_THROW_WITH(model.setMeans(std::vector<double>(12, 0.0)), InvalidArgument, "means: expected 8");
  // covars: size, non-positive, NaN.
  EXPECT_THROW_WITH(model.setCovars({1, 1, 1}), InvalidArgument, "covars: covarianceType 'diag' needs 8");
  EXPECT_THROW_WITH(model.setCovars({1, 1, 1, -0.5, 1, 1, 1, 1}), InvalidArgument, "covars[0][1][1] is -0.5");
  EXPECT_THROW_WITH(model.setCovars({1, 1, 1, 0.0, 1, 1, 1, 1}), InvalidArgument, "variances must be > 0");
  EXPECT_THROW_WITH(model.setCovars({1, 1, 1, kNaN, 1, 1, 1, 1}), InvalidArgument, "covars[0][1][1] is NaN");
  EXPECT_FALSE(model.isReady());  // nothing invalid was stored

  GmmHmm full(makeConfig(1, 1, 2, CovarianceType::Full));
  full.setMeans({0, 0});
  EXPECT_THROW_WITH(full.setCovars({1, 2, 2, 1}), InvalidArgument, "covars[0][0] is not positive definite");
  EXPECT_THROW_WITH(full.setCovars({1, 0.5, 0.4, 1}), InvalidArgument, "not symmetric");
  EXPECT_THROW_WITH(full.setCovars({1, 0, 0, 0}), InvalidArgument, "not positive definite");
  GmmHmm tied(makeConfig(2, 2, 2, CovarianceType::Tied));
  tied.setMeans(std::vector<double>(8, 0.0));
  EXPECT_THROW_WITH(tied.setCovars({1, 0, 0, 1, -1, 0, 0, 1}), InvalidArgument, "covars[1] is not positive definite");
  GmmHmm spherical(makeConfig(2, 2, 2, CovarianceType::Spherical));
  EXPECT_THROW_WITH(spherical.setCovars({1, 1, 1}), InvalidArgument, "'spherical' needs 4");
  GmmHmm unknownSize(makeConfig(2, 2, 0, CovarianceType::Diag));
  EXPECT_THROW_WITH(unknownSize.setCovars({1, 1, 1, 1}), InvalidArgument, "set means");
  spherical.setMeans(std::vector<double>(8, 0.0));
  EXPECT_THROW_WITH(spherical.setCovars({1, 1, -1, 1}), InvalidArgument, "covars[1][0] is -1");
}

TEST(Validation, SampleArguments) {
  const GmmHmm model = randomModel(makeConfig(2, 1, 2, CovarianceType::Diag), 3);
  EXPECT_THROW_WITH(model.sample(0, 1), InvalidArgument, "sample: n");
  EXPECT_THROW_WITH(model.sample(-3, 1), InvalidArgument, "sample: n");
}

TEST(Validation, BadConfigValues) {
  const auto bad = [](auto edit, const char* fragment) {
    ModelConfig c = makeConfig(2, 2, 2, CovarianceType::Diag);
    edit(c);
    EXPECT_THROW_WITH(GmmHmm{c}, InvalidArgument, fragment);
    EXPECT_THROW_WITH(validateConfig(c), InvalidArgument, fragment);
  };
  bad([](ModelConfig& c) { c.nStates = 0; }, "nStates");
  bad([](ModelConfig& c) { c.nStates = 20000; }, "nStates");
  bad([](ModelConfig& c) { c.nMix = 0; }, "nMix");
  bad([](ModelConfig& c) { c.nFeatures = -1; }, "nFeatures");
  bad([](ModelConfig& c) { c.nStates = 5000, c.nMix = 100, c.nFeatures = 1000; }, "model too large");
  bad([](ModelConfig& c) { c.maxJump = 0; }, "maxJump");
  bad([](ModelConfig& c) { c.nIter = -1; }, "nIter");
  bad([](ModelConfig& c) { c.tol = kInf; }, "tol");
  bad([](ModelConfig& c) { c.tol = -1e101; }, "tol");
  bad([](ModelConfig& c) { c.tol = kNaN; }, "tol");
  bad([](ModelConfig& c) { c.minCovar = -1e-3; }, "minCovar");
  bad([](ModelConfig& c) { c.minCovar = kInf; }, "minCovar");
  bad([](ModelConfig& c) { c.varianceFloorFraction = 1.0; }, "varianceFloorFraction");
  bad([](ModelConfig& c) { c.splitIterations = -1; }, "splitIterations");
  bad([](ModelConfig& c) { c.params = "stmx"; }, "params");
  bad([](ModelConfig& c) { c.initParams = "S"; }, "initParams");
  bad([](ModelConfig& c) { c.startprobPrior = 0; }, "startprobPrior");
  bad([](ModelConfig& c) { c.transmatPrior = kNaN; }, "transmatPrior");
  bad([](ModelConfig& c) { c.weightsPrior = -1; }, "weightsPrior");
  bad([](ModelConfig& c) { c.meansPrior = kInf; }, "meansPrior");
  bad([](ModelConfig& c) { c.meansWeight = -1; }, "meansWeight");
  bad([](ModelConfig& c) { c.covarsPrior = -1; }, "covarsPrior");
  bad([](ModelConfig& c) { c.covarsWeight = kNaN; }, "covarsWeight");
  bad([](ModelConfig& c) { c.endInLastState = true; }, "endInLastState");
  EXPECT_THROW_WITH(parseCovarianceType("diagonal"), InvalidArgument, "covarianceType");
  EXPECT_THROW_WITH(parseTopology("ring"), InvalidArgument, "topology");
  EXPECT_THROW_WITH(parseInitMethod("random"), InvalidArgument, "init");

  // Training config: bad values, and sizes that cannot change.
  GmmHmm model = randomModel(makeConfig(2, 2, 2, CovarianceType::Diag), 4);
  ModelConfig next = model.config();
  next.tol = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW_WITH(model.setTrainingConfig(next), InvalidArgument, "tol");
  next = model.config();
  next.nStates = 3;
  EXPECT_THROW_WITH(model.setTrainingConfig(next), InvalidArgument, "cannot change");
  next = model.config();
  next.covarianceType = CovarianceType::Full;
  EXPECT_THROW_WITH(model.setTrainingConfig(next), InvalidArgument, "cannot change");
  EXPECT_EQ(model.config().tol, 1e-2);  // unchanged after the failures
}

// A left-right model takes only transitions its topology allows (a new user's ergodic transmat
// was accepted and the model still said 'left-right'); model files are held to the same.
TEST(Validation, ALeftRightModelRefusesTransitionsItsTopologyDoesNotAllow) {
  GmmHmm lr(makeConfig(3, 1, 2, CovarianceType::Diag, Topology::LeftRight));
  const std::vector<double> before = lr.transmat();
  EXPECT_THROW_WITH(lr.setTransmat({0.8, 0.2, 0, 0, 0.8, 0.2, 0.1, 0, 0.9}), InvalidArgument,
                    "transmat[2][0] is 0.1, but a left-right model with maxJump 1 allows from state 2 only states 2..2");
  EXPECT_THROW_WITH(lr.setTransmat({0.7, 0.2, 0.1, 0, 0.8, 0.2, 0, 0, 1}), InvalidArgument, "transmat[0][2] is 0.1");
  EXPECT_EQ(lr.transmat(), before);
  lr.setTransmat({0.6, 0.4, 0, 0, 1, 0, 0, 0, 1});  // zeros inside the band are allowed
  ModelConfig jump2 = makeConfig(3, 1, 2, CovarianceType::Diag, Topology::LeftRight);
  jump2.maxJump = 2;
  GmmHmm skip(jump2);
  skip.setTransmat({0.7, 0.2, 0.1, 0, 0.8, 0.2, 0, 0, 1});
  GmmHmm custom(makeConfig(3, 1, 2, CovarianceType::Diag, Topology::Custom));
  custom.setTransmat({0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.1, 0.1, 0.8});
  // A file that says left-right with an ergodic transmat: a ModelFormatError naming it.
  std::string text = GmmHmm(jump2).toJson();  // no transmat of its own (the topology's)
  const std::string field = "\"maxJump\":2";
  text.replace(text.find(field), field.size(), "\"maxJump\":1");
  text.insert(text.size() - 1, ",\"transmat\":[[0.7,0.2,0.1],[0,0.8,0.2],[0,0,1]]");
  EXPECT_THROW_WITH(GmmHmm::fromJson(text), ModelFormatError, "transmat[0][2] is 0.1");
}

}  // namespace
}  // namespace gmmhmm
