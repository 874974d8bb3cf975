// hmmlearn's training vocabulary: params / initParams letters, NotFitted, the convergence
// monitor, the cancelling callback; seeded initialisation (k-means, segmental), mixture
// splitting, seeded sampling; free-parameter count, AIC and BIC.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "helpers/model_testing.hpp"

namespace gmmhmm {
namespace {

using namespace gmmhmm::testing;

struct Params {
  std::vector<double> s, t, w, m, c;
  explicit Params(const GmmHmm& g) : s(g.startprob()), t(g.transmat()), w(g.weights()), m(g.means()), c(g.covars()) {}
  const std::vector<double>& of(char letter) const {
    switch (letter) {
      case 's': return s;
      case 't': return t;
      case 'w': return w;
      case 'm': return m;
      default: return c;
    }
  }
};

TEST(TrainingControls, LetterLeftOutOfParamsIsNotUpdated) {
  for (CovarianceType type : allCovarianceTypes()) {
    const ModelConfig shape = makeConfig(3, 2, 2, type);
    const GmmHmm start = randomModel(shape, 2, 1.0);
    const Frames data = sampledFrames(randomModel(shape, 3, 2.0), {80, 80, 80}, 1);
    for (char left : std::string("stwmc")) {
      ModelConfig config = shape;
      config.initParams = "";
      config.nIter = 3;
      config.params = "stwmc";
      config.params.erase(config.params.find(left), 1);
      GmmHmm model = start;
      model.setTrainingConfig(config);
      model.fit(data.all());
      const Params before(start), after(model);
      for (char letter : std::string("stwmc")) {
        if (letter == left)
          EXPECT_EQ(after.of(letter), before.of(letter)) << toString(type) << ": '" << left << "' left out";
        else
          EXPECT_NE(after.of(letter), before.of(letter)) << toString(type) << ": '" << letter << "' not updated";
      }
    }
  }
}

TEST(TrainingControls, LetterLeftOutOfInitParamsKeepsTheUsersValue) {
  const ModelConfig shape = makeConfig(3, 2, 2, CovarianceType::Full);
  const GmmHmm user = randomModel(shape, 4, 1.0);
  const Frames data = sampledFrames(randomModel(shape, 5, 2.0), {100, 100}, 2);
  for (char kept : std::string("stwmc")) {
    ModelConfig config = shape;
    config.initParams = "stwmc";
    config.initParams.erase(config.initParams.find(kept), 1);
    config.nIter = 0;  // initialisation only
    GmmHmm model = user;
    model.setTrainingConfig(config);
    model.fit(data.all());
    const Params before(user), after(model);
    EXPECT_EQ(after.of(kept), before.of(kept)) << "'" << kept << "' left out of initParams";
    // The other letters were initialised from the data.
    for (char letter : std::string("mc"))
      if (letter != kept) {
        EXPECT_NE(after.of(letter), before.of(letter)) << "'" << letter << "' not initialised";
      }
  }
}

TEST(TrainingControls, NotFittedWhenAValueIsNeitherSetNorInitialised) {
  ModelConfig config = makeConfig(2, 2, 2, CovarianceType::Diag);
  const Frames data = gaussianFrames({50}, 2, 3);
  GmmHmm fresh(config);
  EXPECT_FALSE(fresh.isReady());
  EXPECT_THROW_WITH(fresh.score(data.all()), NotFitted, "means");
  EXPECT_THROW_WITH(fresh.decode(data.all()), NotFitted, "decode");
  EXPECT_THROW_WITH(fresh.scoreSamples(data.all()), NotFitted, "scoreSamples");
  EXPECT_THROW_WITH(fresh.sample(10, 1), NotFitted, "sample");
  EXPECT_THROW_WITH(fresh.emissionLogLikelihoods(data.all()), NotFitted, "covars");
  config.initParams = "stwc";
  GmmHmm noMeans(config);
  EXPECT_THROW_WITH(noMeans.fit(data.all()), NotFitted, "means");
  config.initParams = "stmc";
  GmmHmm noWeights(config);
  EXPECT_THROW_WITH(noWeights.fit(data.all()), NotFitted, "weights");
  EXPECT_FALSE(noWeights.isReady());
  // Custom topology: the structure comes from the user's matrices.
  ModelConfig custom = makeConfig(2, 1, 2, CovarianceType::Diag, Topology::Custom);
  GmmHmm noChain(custom);
  EXPECT_THROW(noChain.fit(data.all()), Error);
}

TEST(TrainingControls, MonitorHistoryIterationsConverged) {
  const ModelConfig shape = makeConfig(3, 2, 2, CovarianceType::Diag);
  const Frames data = sampledFrames(randomModel(shape, 6, 2.0), {150, 150}, 3);
  {
    ModelConfig config = shape;
    config.nIter = 6;
    config.tol = 0;
    config.seed = 1;
    GmmHmm model(config);
    const Monitor& m = model.fit(data.all());
    EXPECT_EQ(m.iterations, 6);
    EXPECT_EQ(m.history.size(), 6u);
    EXPECT_FALSE(m.converged);
    EXPECT_FALSE(m.cancelled);
    EXPECT_EQ(model.monitor().history, m.history);
  }
  {
    ModelConfig config = shape;
    config.nIter = 1000;
    config.tol = 1e9;  // any gain is below it: stops at the second E-step
    GmmHmm model(config);
    const Monitor& m = model.fit(data.all());
    EXPECT_TRUE(m.converged);
    EXPECT_EQ(m.iterations, 1);
    ASSERT_EQ(m.history.size(), 2u);
    // history[i] is the log-likelihood before iteration i's M-step: the last entry is the
    // score of the final parameters.
    EXPECT_NEAR(model.score(data.all()), m.history.back(), 1e-10 * std::abs(m.history.back()));
  }
  {
    ModelConfig config = shape;
    config.nIter = 500;
    config.tol = 1e-3;
    GmmHmm model(config);
    const Monitor& m = model.fit(data.all());
    EXPECT_TRUE(m.converged);
    EXPECT_LT(m.iterations, 500);
    EXPECT_EQ(m.history.size(), static_cast<size_t>(m.iterations) + 1);
    EXPECT_LT(m.history.back() - m.history[m.history.size() - 2], 1e-3);
  }
}

// hmmlearn: EM stops when an iteration gains less than tol; tol <= 0 and -Infinity therefore
// run every iteration (a converged fit gains ~0 per iteration, which stops tol = 1e-6).
TEST(TrainingControls, NegativeOrMinusInfinityTolRunsEveryIteration) {
  const ModelConfig shape = makeConfig(2, 1, 2, CovarianceType::Diag);
  const Frames data = sampledFrames(randomModel(shape, 6, 3.0), {200, 200}, 3);
  const auto iterationsWith = [&](double tol) {
    ModelConfig config = shape;
    config.nIter = 300;
    config.tol = tol;
    config.seed = 2;
    GmmHmm model(config);
    const Monitor m = model.fit(data.all());
    if (tol < 0) EXPECT_FALSE(m.converged) << tol;
    return m.iterations;
  };
  EXPECT_LT(iterationsWith(1e-6), 300);
  EXPECT_EQ(iterationsWith(-1.0), 300);
  EXPECT_EQ(iterationsWith(-std::numeric_limits<double>::infinity()), 300);
  // -Infinity survives the model file (JSON has no infinities: it is written as a string).
  ModelConfig config = shape;
  config.tol = -std::numeric_limits<double>::infinity();
  const std::string text = GmmHmm(config).toJson();
  EXPECT_NE(text.find("\"tol\":\"-Infinity\""), std::string::npos) << text;
  EXPECT_EQ(GmmHmm::fromJson(text).config().tol, -std::numeric_limits<double>::infinity());
  config.tol = -2.5;
  EXPECT_EQ(GmmHmm::fromJson(GmmHmm(config).toJson()).config().tol, -2.5);
}

TEST(TrainingControls, CallbackReportsProgressAndCanCancel) {
  const ModelConfig shape = makeConfig(2, 2, 2, CovarianceType::Diag);
  const Frames data = sampledFrames(randomModel(shape, 7, 2.0), {100, 100}, 4);
  const GmmHmm start = randomModel(shape, 8, 1.0);
  ModelConfig config = shape;
  config.initParams = "";
  config.tol = 0;
  config.nIter = 20;
  GmmHmm cancelled = start;
  cancelled.setTrainingConfig(config);
  std::vector<int> seen;
  std::vector<double> values;
  const Monitor& m = cancelled.fit(data.all(), [&](int iteration, double ll, int planned) {
    seen.push_back(iteration);
    values.push_back(ll);
    EXPECT_EQ(planned, 20);
    return iteration < 2;  // cancel after the third iteration
  });
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2}));
  EXPECT_TRUE(m.cancelled);
  EXPECT_FALSE(m.converged);
  EXPECT_EQ(m.iterations, 3);
  EXPECT_EQ(values, m.history);
  // The parameters are those of three complete iterations.
  config.nIter = 3;
  GmmHmm three = start;
  three.setTrainingConfig(config);
  three.fit(data.all());
  EXPECT_EQ(cancelled.means(), three.means());
  EXPECT_EQ(cancelled.covars(), three.covars());
  EXPECT_EQ(cancelled.transmat(), three.transmat());
}

TEST(TrainingControls, KMeansAndSegmentalInitAreDeterministicWithASeed) {
  for (InitMethod method : {InitMethod::KMeans, InitMethod::Segmental})
    for (CovarianceType type : allCovarianceTypes()) {
      const std::string what = std::string(toString(method)) + " " + toString(type);
      ModelConfig config = makeConfig(4, 3, 3, type, method == InitMethod::Segmental ? Topology::LeftRight
                                                                                      : Topology::Ergodic);
      config.init = method;
      config.seed = 1234;
      const Frames data = sampledFrames(randomModel(config, 9, 3.0), {90, 120, 100}, 5);
      for (int nIter : {0, 3}) {
        config.nIter = nIter;
        GmmHmm a(config), b(config);
        a.fit(data.all());
        b.fit(data.all());
        const Params pa(a), pb(b);
        for (char letter : std::string("stwmc")) EXPECT_EQ(pa.of(letter), pb.of(letter)) << what << " " << letter;
        EXPECT_TRUE(allFinite(pa.m) && allFinite(pa.c)) << what;
      }
    }
}

// Segmental initialisation of a left-right model on data made of three consecutive regimes
// puts the states in time order.
TEST(TrainingControls, SegmentalInitFollowsTimeOrder) {
  Frames data;
  for (unsigned q = 0; q < 6; ++q) {
    Frames part = gaussianFrames({30 + 3 * q, 40 - 2 * q, 35}, 2, 100 + q, 0.5);
    RowMatrix seq(part.nFrames(), 2);
    for (Index t = 0; t < part.nFrames(); ++t) {
      const double level = t < part.lengths[0] ? 0.0 : t < part.lengths[0] + part.lengths[1] ? 5.0 : 10.0;
      seq(t, 0) = part.X[t * 2] + level;
      seq(t, 1) = part.X[t * 2 + 1] - level;
    }
    data.append(seq);
  }
  ModelConfig config = makeConfig(3, 1, 2, CovarianceType::Diag, Topology::LeftRight, 1, true);
  config.nIter = 0;
  GmmHmm model(config);
  model.fit(data.all());
  const auto means = model.means();
  EXPECT_NEAR(means[0], 0.0, 0.3);
  EXPECT_NEAR(means[2], 5.0, 0.3);
  EXPECT_NEAR(means[4], 10.0, 0.3);
}

TEST(TrainingControls, MixtureSplittingGrowsToNMixAndTrains) {
  for (CovarianceType type : allCovarianceTypes()) {
    const std::string what = toString(type);
    const ModelConfig shape = makeConfig(2, 4, 2, type);
    const Frames data = sampledFrames(randomModel(shape, 10, 3.0), {300, 300}, 6);
    ModelConfig config = shape;
    config.mixtureSplitting = true;
    config.splitIterations = 3;
    config.nIter = 5;
    config.tol = 0;
    GmmHmm model(config);
    int planned = -1, calls = 0;
    const Monitor& m = model.fit(data.all(), [&](int, double, int total) {
      planned = total;
      ++calls;
      return true;
    });
    // 1 -> 2 (3 iterations) -> 4 (then nIter iterations).
    EXPECT_EQ(planned, 3 + 5) << what;
    EXPECT_EQ(calls, m.iterations) << what;
    ASSERT_EQ(model.weights().size(), 8u) << what;
    ASSERT_TRUE(allFinite(model.means()) && allFinite(model.covars())) << what;
    for (int s = 0; s < 2; ++s) {
      double sum = 0;
      for (int k = 0; k < 4; ++k) sum += model.weights()[s * 4 + k];
      EXPECT_NEAR(sum, 1.0, 1e-12) << what;
    }
    // The four components of a state are distinct.
    const ReferenceModel ref(model);
    for (int s = 0; s < 2; ++s)
      for (int i = 0; i < 4; ++i)
        for (int j = i + 1; j < 4; ++j) EXPECT_GT((ref.means[s * 4 + i] - ref.means[s * 4 + j]).norm(), 1e-6) << what;
    // Better than a single Gaussian per state trained as long.
    ModelConfig single = makeConfig(2, 1, 2, type);
    single.nIter = 8;
    GmmHmm baseline(single);
    baseline.fit(data.all());
    EXPECT_GT(model.score(data.all()), baseline.score(data.all())) << what;
    EXPECT_TRUE(allFinite(m.history)) << what;
  }
}

TEST(TrainingControls, SampleIsDeterministicAndFollowsStructuralZeros) {
  ModelConfig config = makeConfig(4, 2, 3, CovarianceType::Full, Topology::Custom);
  GmmHmm model = randomModel(config, 11);
  model.setStartprob({0.5, 0.5, 0.0, 0.0});
  model.setTransmat({0.6, 0.4, 0.0, 0.0,  0.0, 0.5, 0.5, 0.0,  0.0, 0.0, 0.7, 0.3,  0.2, 0.0, 0.0, 0.8});
  const SampleResult a = model.sample(3000, 42), b = model.sample(3000, 42), c = model.sample(3000, 43);
  EXPECT_EQ(a.states, b.states);
  EXPECT_TRUE(a.X == b.X);
  EXPECT_NE(a.states, c.states);
  const auto trans = model.transmat();
  EXPECT_LT(a.states[0], 2);
  std::vector<int> visits(4, 0);
  for (size_t t = 0; t < a.states.size(); ++t) {
    ++visits[a.states[t]];
    if (t > 0) {
      EXPECT_GT(trans[a.states[t - 1] * 4 + a.states[t]], 0.0) << "forbidden transition at " << t;
    }
  }
  for (int v : visits) EXPECT_GT(v, 100);
  // Left-right: starts in state 0, never goes back, jumps at most maxJump.
  ModelConfig lr = makeConfig(5, 1, 2, CovarianceType::Diag, Topology::LeftRight, 2);
  const SampleResult s = randomModel(lr, 12).sample(500, 1);
  EXPECT_EQ(s.states[0], 0);
  for (size_t t = 1; t < s.states.size(); ++t) {
    const int step = s.states[t] - s.states[t - 1];
    EXPECT_TRUE(step >= 0 && step <= 2) << step;
  }
}

TEST(InformationCriteria, FreeParametersRespectStructuralZeros) {
  const int N = 3, M = 2, D = 4;
  // Ergodic: (N-1) start + N(N-1) transitions + N(M-1) weights + NMD means + covariances.
  const Index chain = (N - 1) + N * (N - 1), weights = N * (M - 1), means = N * M * D;
  const std::vector<std::pair<CovarianceType, Index>> covars = {
      {CovarianceType::Diag, N * M * D},
      {CovarianceType::Spherical, N * M},
      {CovarianceType::Full, N * M * D * (D + 1) / 2},
      {CovarianceType::Tied, N * D * (D + 1) / 2}};
  for (const auto& [type, nCovars] : covars) {
    const GmmHmm model = randomModel(makeConfig(N, M, D, type), 1);
    EXPECT_EQ(model.nFreeParameters(), chain + weights + means + nCovars) << toString(type);
  }
  // Left-right, 4 states, maxJump 1: start fixed (0), rows 0..2 one free value each, row 3 none.
  const GmmHmm lr = randomModel(makeConfig(4, 2, 3, CovarianceType::Diag, Topology::LeftRight, 1), 2);
  EXPECT_EQ(lr.nFreeParameters(), 3 + 4 * 1 + 4 * 2 * 3 * 2);
  // maxJump 2: rows 0, 1 have 3 entries (2 free), row 2 has 2 (1), row 3 none.
  const GmmHmm lr2 = randomModel(makeConfig(4, 2, 3, CovarianceType::Diag, Topology::LeftRight, 2), 3);
  EXPECT_EQ(lr2.nFreeParameters(), 5 + 4 * 1 + 4 * 2 * 3 * 2);
}

TEST(InformationCriteria, AicAndBicFormulas) {
  const GmmHmm model = randomModel(makeConfig(3, 2, 2, CovarianceType::Full), 4);
  const Frames data = sampledFrames(model, {120, 80}, 2);
  const double ll = model.score(data.all());
  const double k = static_cast<double>(model.nFreeParameters());
  EXPECT_NEAR(model.aic(data.all()), -2 * ll + 2 * k, 1e-9 * std::abs(ll));
  EXPECT_NEAR(model.bic(data.all()), -2 * ll + k * std::log(200.0), 1e-9 * std::abs(ll));
}

}  // namespace
}  // namespace gmmhmm
