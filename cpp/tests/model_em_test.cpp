// Baum-Welch behaviour: EM never lowers the log-likelihood, recovers known parameters from
// 20k sampled frames, keeps structural zeros exactly zero, and does not depend on the order
// of the training sequences (hmmlearn issue #410).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "helpers/model_fixture.hpp"
#include "helpers/model_testing.hpp"

namespace gmmhmm {
namespace {

using namespace gmmhmm::testing;

// history[i + 1] >= history[i] up to 1e-8 relative (rounding of sums over many frames).
void expectMonotone(const Monitor& monitor, const std::string& what) {
  for (size_t i = 1; i < monitor.history.size(); ++i)
    EXPECT_GE(monitor.history[i], monitor.history[i - 1] - 1e-8 * std::abs(monitor.history[i - 1]))
        << what << ": iteration " << i << " lowered the log-likelihood";
}

TEST(EmMonotone, FixtureModels) {
  const nlohmann::json fixture = loadJsonFile(sharedPath("fixtures/hmm-reference.json"));
  if (fixture.is_null()) GTEST_SKIP() << "../shared/fixtures/hmm-reference.json is absent: EM on fixtures not checked";
  for (const auto& c : fixture["cases"]) {
    const std::string name = c["name"];
    ModelConfig config;
    config.nIter = 30;
    config.tol = 0;
    config.initParams = "";
    config.minCovar = 0;  // plain EM (a floor that bites may lower the likelihood)
    GmmHmm model = modelFromCase(c, config);
    const auto data = dataFromCase(c);
    const Monitor& monitor = model.fit(data.all());
    // tol 0 stops only when rounding makes a step lose (the fixed point is reached).
    EXPECT_GE(monitor.iterations, 3) << name;
    expectMonotone(monitor, name);
    // The final parameters are at least as good as the last E-step's.
    EXPECT_GE(model.score(data.all()), monitor.history.back() - 1e-8 * std::abs(monitor.history.back())) << name;
  }
}

TEST(EmMonotone, SampledDataEveryCovarianceTypeAndTopology) {
  for (CovarianceType type : allCovarianceTypes())
    for (Topology topology : {Topology::Ergodic, Topology::LeftRight}) {
      const std::string what = std::string(toString(type)) + " " + toString(topology);
      const ModelConfig truth = makeConfig(3, 2, 3, type, topology, 1, topology == Topology::LeftRight);
      const GmmHmm source = randomModel(truth, 21, 2.0);
      const Frames data = sampledFrames(source, {120, 80, 150, 60}, 4);
      ModelConfig config = truth;
      config.nIter = 25;
      // Every iteration runs (tol 0 stopped at the first step that rounding made lose, which
      // came after 4 iterations once the k-means start improved with nInit).
      config.tol = -std::numeric_limits<double>::infinity();
      config.minCovar = 0;
      config.seed = 5;
      GmmHmm model(config);
      const Monitor& monitor = model.fit(data.all());
      EXPECT_EQ(monitor.iterations, 25) << what;
      expectMonotone(monitor, what);
      EXPECT_GT(monitor.history.back(), monitor.history.front()) << what;
    }
}

// Matches fitted to true components up to a permutation of the states (and of the
// components within each state) by total distance of the means.
struct Matching {
  std::vector<int> state;                // fitted state of each true state
  std::vector<std::vector<int>> component;  // [true state][true component] -> fitted component
};

Matching matchModels(const ReferenceModel& truth, const ReferenceModel& fitted) {
  const int N = truth.N, M = truth.M;
  Matching best;
  double bestCost = std::numeric_limits<double>::infinity();
  std::vector<int> perm(N);
  std::iota(perm.begin(), perm.end(), 0);
  do {
    double cost = 0;
    std::vector<std::vector<int>> comps(N);
    for (int s = 0; s < N; ++s) {
      std::vector<int> cp(M);
      std::iota(cp.begin(), cp.end(), 0);
      double bestState = std::numeric_limits<double>::infinity();
      do {
        double c = 0;
        for (int m = 0; m < M; ++m) c += (truth.means[s * M + m] - fitted.means[perm[s] * M + cp[m]]).norm();
        if (c < bestState) bestState = c, comps[s] = cp;
      } while (std::next_permutation(cp.begin(), cp.end()));
      cost += bestState;
    }
    if (cost < bestCost) bestCost = cost, best.state = perm, best.component = comps;
  } while (std::next_permutation(perm.begin(), perm.end()));
  return best;
}

void recoverKnownParameters(CovarianceType type) {
  // Three well separated states, two components each, in 2-D.
  ModelConfig config = makeConfig(3, 2, 2, type);
  GmmHmm truthModel(config);
  truthModel.setStartprob({0.5, 0.3, 0.2});
  truthModel.setTransmat({0.85, 0.10, 0.05, 0.05, 0.90, 0.05, 0.10, 0.10, 0.80});
  truthModel.setWeights({0.6, 0.4, 0.3, 0.7, 0.5, 0.5});
  truthModel.setMeans({0, 0, 2, 1,  8, 0, 8, 3,  0, 8, 3, 9});
  if (type == CovarianceType::Diag) {
    truthModel.setCovars({0.5, 0.3, 0.4, 0.6,  0.3, 0.5, 0.6, 0.4,  0.5, 0.5, 0.3, 0.3});
  } else {
    truthModel.setCovars({0.5, 0.2, 0.2, 0.4,  0.4, -0.1, -0.1, 0.3,  0.6, 0.0, 0.0, 0.3,  0.3, 0.1, 0.1, 0.5,
                          0.5, -0.2, -0.2, 0.5, 0.4, 0.15, 0.15, 0.3});
  }
  const Frames data = sampledFrames(truthModel, std::vector<Index>(20, 1000), 77);
  ASSERT_EQ(data.nFrames(), 20000);

  ModelConfig fitConfig = config;
  fitConfig.nIter = 200;
  fitConfig.tol = 1e-6;
  fitConfig.seed = 3;
  GmmHmm fitted(fitConfig);
  const Monitor& monitor = fitted.fit(data.all());
  EXPECT_TRUE(monitor.converged);

  const ReferenceModel truth(truthModel), got(fitted);
  const Matching match = matchModels(truth, got);
  for (int s = 0; s < 3; ++s) {
    const int fs = match.state[s];
    for (int r = 0; r < 3; ++r)
      EXPECT_NEAR(got.transmat[fs * 3 + match.state[r]], truth.transmat[s * 3 + r], 0.02)
          << "transmat " << s << "->" << r;
    for (int m = 0; m < 2; ++m) {
      const int fm = match.component[s][m];
      SCOPED_TRACE("state " + std::to_string(s) + " component " + std::to_string(m));
      EXPECT_NEAR(got.weights[fs * 2 + fm], truth.weights[s * 2 + m], 0.03);
      EXPECT_LE((got.means[fs * 2 + fm] - truth.means[s * 2 + m]).cwiseAbs().maxCoeff(), 0.06);
      EXPECT_LE((got.covariances[fs * 2 + fm] - truth.covariances[s * 2 + m]).cwiseAbs().maxCoeff(), 0.06);
    }
  }
}

TEST(EmRecovery, KnownParametersFrom20kFramesDiag) { recoverKnownParameters(CovarianceType::Diag); }
TEST(EmRecovery, KnownParametersFrom20kFramesFull) { recoverKnownParameters(CovarianceType::Full); }

// Zeros stay exactly zero. (An allowed entry may legitimately become 0: the ML estimate of a
// transition no path uses.) Rows still sum to 1.
void expectZerosKept(const std::vector<double>& before, const std::vector<double>& after, int rowLength,
                     const std::string& what) {
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) {
    if (before[i] == 0.0) {
      EXPECT_EQ(after[i], 0.0) << what << "[" << i << "] was a structural zero";
    }
    EXPECT_TRUE(after[i] >= 0.0 && after[i] <= 1.0) << what << "[" << i << "] = " << after[i];
  }
  for (size_t r = 0; r < after.size() / rowLength; ++r) {
    double sum = 0;
    for (int j = 0; j < rowLength; ++j) sum += after[r * rowLength + j];
    EXPECT_NEAR(sum, 1.0, 1e-12) << what << " row " << r;
  }
}

TEST(EmStructuralZeros, LeftRightMaxJumpOneAndTwo) {
  for (int maxJump : {1, 2})
    for (CovarianceType type : allCovarianceTypes()) {
      const std::string what = std::string(toString(type)) + " maxJump " + std::to_string(maxJump);
      const ModelConfig config = makeConfig(5, 2, 2, type, Topology::LeftRight, maxJump, true);
      const GmmHmm source = randomModel(config, 31, 3.0);
      const Frames data = sampledFrames(source, {60, 80, 70, 90}, 6);
      ModelConfig fitConfig = config;
      fitConfig.nIter = 15;
      GmmHmm model(fitConfig);
      const auto startBefore = model.startprob();
      const auto transBefore = model.transmat();
      model.fit(data.all());
      expectZerosKept(startBefore, model.startprob(), 5, what + " startprob");
      expectZerosKept(transBefore, model.transmat(), 5, what + " transmat");
      // Decoded paths only use allowed transitions.
      const DecodeResult path = model.decode(data.all());
      Index begin = 0;
      for (Index len : data.lengths) {
        EXPECT_EQ(path.states[begin], 0);
        EXPECT_EQ(path.states[begin + len - 1], 4);
        for (Index t = begin + 1; t < begin + len; ++t) {
          const int step = path.states[t] - path.states[t - 1];
          EXPECT_TRUE(step >= 0 && step <= maxJump) << what << ": step " << step;
        }
        begin += len;
      }
    }
}

TEST(EmStructuralZeros, CustomTransmatWithZeros) {
  for (const std::string initParams : {"stmcw", "mcw"}) {
    ModelConfig config = makeConfig(3, 2, 2, CovarianceType::Diag, Topology::Custom);
    config.initParams = initParams;
    config.nIter = 20;
    const GmmHmm source = randomModel(config, 41, 3.0);
    GmmHmm model(config);
    model.setStartprob({0.6, 0.4, 0.0});
    model.setTransmat({0.5, 0.5, 0.0, 0.0, 0.6, 0.4, 0.3, 0.0, 0.7});
    const auto startBefore = model.startprob();
    const auto transBefore = model.transmat();
    model.fit(sampledFrames(source, {100, 100, 100}, 7).all());
    expectZerosKept(startBefore, model.startprob(), 3, "startprob, initParams " + initParams);
    expectZerosKept(transBefore, model.transmat(), 3, "transmat, initParams " + initParams);
  }
}

// hmmlearn #410: the fit must not depend on the order of the sequences. Initial parameters
// are fixed (initParams ''), so only the E-step sums could depend on the order.
TEST(EmSequenceOrder, AllSixOrdersGiveTheSameFitEveryCovarianceType) {
  for (CovarianceType type : allCovarianceTypes()) {
    const ModelConfig shape = makeConfig(2, 2, 2, type);
    // Three different sources, 50 frames each.
    std::vector<RowMatrix> sequences;
    for (unsigned q = 0; q < 3; ++q) sequences.push_back(randomModel(shape, 50 + q, 2.0).sample(50, 9 + q).X);
    const GmmHmm start = randomModel(shape, 60, 1.0);

    ModelConfig config = shape;
    config.initParams = "";
    config.nIter = 10;
    config.tol = 0;
    std::vector<int> order = {0, 1, 2};
    std::vector<std::vector<double>> reference;
    std::vector<double> referenceHistory;
    int orders = 0;
    do {
      Frames data;
      for (int q : order) data.append(sequences[q]);
      GmmHmm model = start;
      model.setTrainingConfig(config);
      const Monitor& monitor = model.fit(data.all());
      const std::vector<std::vector<double>> params = {model.startprob(), model.transmat(), model.weights(),
                                                       model.means(), model.covars()};
      if (reference.empty()) {
        reference = params;
        referenceHistory = monitor.history;
        // Training moved the parameters (the comparison is not trivially true).
        EXPECT_GT(std::abs(params[3][0] - start.means()[0]), 1e-6);
      } else {
        const std::string what = std::string(toString(type)) + " order " + std::to_string(order[0]) +
                                 std::to_string(order[1]) + std::to_string(order[2]);
        static const char* names[] = {"startprob", "transmat", "weights", "means", "covars"};
        for (int p = 0; p < 5; ++p) expectAllNear(params[p], reference[p], 1e-9, what + " " + names[p]);
        expectAllNear(monitor.history, referenceHistory, 1e-12, what + " history");
      }
      ++orders;
    } while (std::next_permutation(order.begin(), order.end()));
    EXPECT_EQ(orders, 6);
  }
}

}  // namespace
}  // namespace gmmhmm
