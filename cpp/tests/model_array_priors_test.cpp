// Priors given per state / entry (hmmlearn takes arrays broadcastable to the parameter's
// shape): numpy's broadcasting, validation naming the option, the M-step of every covariance
// type against a reference computed here by enumerating the state paths, and model files.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "helpers/model_testing.hpp"

namespace gmmhmm {
namespace {

using namespace gmmhmm::testing;

const PriorOption& option(const char* name) {
  for (const PriorOption& o : priorOptions())
    if (std::string(o.name) == name) return o;
  throw std::runtime_error(name);
}

TEST(ArrayPriors, BroadcastFollowsNumpy) {
  // A number fills the shape.
  EXPECT_EQ(broadcastPrior(Prior(2.5), {2, 2}), std::vector<double>({2.5, 2.5, 2.5, 2.5}));
  // A column (2 x 1) stretches along the rows' entries.
  EXPECT_EQ(broadcastPrior(Prior({2, 1}, {1, 2}), {2, 3}), std::vector<double>({1, 1, 1, 2, 2, 2}));
  // A row (3,) is aligned on the right and repeated for every leading index.
  EXPECT_EQ(broadcastPrior(Prior({3}, {1, 2, 3}), {2, 2, 3}),
            std::vector<double>({1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3}));
  // (2, 1, 3) to (2, 2, 3): the middle dimension stretches.
  EXPECT_EQ(broadcastPrior(Prior({2, 1, 3}, {1, 2, 3, 4, 5, 6}), {2, 2, 3}),
            std::vector<double>({1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6}));
  // The full shape is taken as it is.
  EXPECT_EQ(broadcastPrior(Prior({2, 2}, {1, 2, 3, 4}), {2, 2}), std::vector<double>({1, 2, 3, 4}));
}

TEST(ArrayPriors, ShapesFollowHmmlearn) {
  ModelConfig c = makeConfig(3, 2, 4, CovarianceType::Diag);
  using Shape = std::vector<long>;
  EXPECT_EQ(priorShape(c, option("startprobPrior")), Shape({3}));
  EXPECT_EQ(priorShape(c, option("transmatPrior")), Shape({3, 3}));
  EXPECT_EQ(priorShape(c, option("weightsPrior")), Shape({3, 2}));
  EXPECT_EQ(priorShape(c, option("meansPrior")), Shape({3, 2, 4}));
  EXPECT_EQ(priorShape(c, option("meansWeight")), Shape({3, 2}));
  EXPECT_EQ(priorShape(c, option("covarsPrior")), Shape({3, 2, 4}));
  EXPECT_EQ(priorShape(c, option("covarsWeight")), Shape({3, 2, 4}));
  c.covarianceType = CovarianceType::Spherical;
  EXPECT_EQ(priorShape(c, option("covarsPrior")), Shape({3, 2}));
  EXPECT_EQ(priorShape(c, option("covarsWeight")), Shape({3, 2}));
  c.covarianceType = CovarianceType::Full;
  EXPECT_EQ(priorShape(c, option("covarsPrior")), Shape({3, 2, 4}));
  EXPECT_EQ(priorShape(c, option("covarsWeight")), Shape({3, 2}));
  c.covarianceType = CovarianceType::Tied;
  EXPECT_EQ(priorShape(c, option("covarsPrior")), Shape({3, 4}));
  EXPECT_EQ(priorShape(c, option("covarsWeight")), Shape({3}));
}

TEST(ArrayPriors, ValidationNamesTheOptionAndTheEntry) {
  const auto bad = [](auto change, const char* fragment) {
    ModelConfig c = makeConfig(2, 2, 3, CovarianceType::Diag);
    change(c);
    EXPECT_THROW_WITH(validateConfig(c), InvalidArgument, fragment);
  };
  bad([](ModelConfig& c) { c.startprobPrior = Prior({3}, {1, 1, 1}); },
      "startprobPrior: an array of shape [3] does not broadcast to [nStates] = [2]");
  bad([](ModelConfig& c) { c.transmatPrior = Prior({2, 3}, {1, 1, 1, 1, 1, 1}); }, "transmatPrior: an array of shape [2, 3]");
  bad([](ModelConfig& c) { c.weightsPrior = Prior({2, 2, 1}, {1, 1, 1, 1}); }, "weightsPrior: an array of shape [2, 2, 1]");
  bad([](ModelConfig& c) { c.meansPrior = Prior({2}, {1, 1}); },
      "meansPrior: an array of shape [2] does not broadcast to [nStates, nMix, nFeatures] = [2, 2, 3]");
  bad([](ModelConfig& c) { c.weightsPrior = Prior({2, 2}, {1, 2, 0, 1}); }, "weightsPrior[1][0] must be > 0, got 0");
  bad([](ModelConfig& c) { c.meansWeight = Prior({2, 1}, {1, -1}); }, "meansWeight[1][0] must be >= 0, got -1");
  bad([](ModelConfig& c) { c.covarsPrior = Prior({3}, {1, kNegInf, 1}); }, "covarsPrior[1] must be a finite number");
  bad([](ModelConfig& c) { c.covarsWeight = Prior({1}, {1e101}); }, "covarsWeight[0] must be a finite number at most 1e100");
  bad([](ModelConfig& c) { c.meansPrior = Prior({0}, {}); }, "meansPrior: an array with an empty dimension");
  bad([](ModelConfig& c) { c.transmatPrior = Prior({2}, {1}); }, "transmatPrior: 1 values for the shape [2]");
  bad([](ModelConfig& c) { c.transmatPrior = std::nan(""); }, "transmatPrior must be a finite number");
  // Spherical and tied covariances take fewer dimensions.
  ModelConfig c = makeConfig(2, 2, 3, CovarianceType::Tied);
  c.covarsWeight = Prior({2, 2}, {1, 1, 1, 1});
  EXPECT_THROW_WITH(validateConfig(c), InvalidArgument,
                    "covarsWeight: an array of shape [2, 2] does not broadcast to [nStates] = [2] (covarianceType 'tied')");
  // nFeatures not known yet: any size fits that dimension until it is (fit checks again).
  c = makeConfig(2, 2, 0, CovarianceType::Diag);
  c.meansPrior = Prior({5}, {1, 2, 3, 4, 5});
  EXPECT_NO_THROW(validateConfig(c));
  GmmHmm model(c);
  const Frames data = gaussianFrames({20}, 3, 1);
  EXPECT_THROW_WITH(model.fit(data.all()), InvalidArgument, "meansPrior: an array of shape [5] does not broadcast");
}

// The expected statistics of one sequence, by enumerating every state path.
struct Posteriors {
  std::vector<double> gamma;  // T × N
  std::vector<double> xi;     // N × N summed over t
};

Posteriors enumerate(const ReferenceModel& ref, const double* X, int T) {
  const int N = ref.N;
  int paths = 1;
  for (int t = 0; t < T; ++t) paths *= N;
  std::vector<double> logJoint(paths);
  std::vector<int> path(T);
  const auto pathOf = [&](int p) {
    for (int t = 0; t < T; ++t, p /= N) path[t] = p % N;
  };
  for (int p = 0; p < paths; ++p) {
    pathOf(p);
    double v = ref.logStart(path[0]) + ref.logEmission(path[0], X);
    for (int t = 1; t < T; ++t) v += ref.logTrans(path[t - 1], path[t]) + ref.logEmission(path[t], X + t * ref.D);
    logJoint[p] = v;
  }
  const double total = logSumExp(logJoint);
  Posteriors out{std::vector<double>(T * N, 0.0), std::vector<double>(N * N, 0.0)};
  for (int p = 0; p < paths; ++p) {
    pathOf(p);
    const double mass = std::exp(logJoint[p] - total);
    for (int t = 0; t < T; ++t) {
      out.gamma[t * N + path[t]] += mass;
      if (t + 1 < T) out.xi[path[t] * N + path[t + 1]] += mass;
    }
  }
  return out;
}

// Dirichlet MAP of one distribution: max(count + prior - 1, 0), normalised.
std::vector<double> dirichlet(const std::vector<double>& counts, const std::vector<double>& prior) {
  std::vector<double> out(counts.size());
  double sum = 0;
  for (size_t i = 0; i < counts.size(); ++i) sum += out[i] = std::max(counts[i] + prior[i] - 1, 0.0);
  for (double& x : out) x /= sum;
  return out;
}

class ArrayPriorsMStep : public ::testing::TestWithParam<CovarianceType> {};

TEST_P(ArrayPriorsMStep, OneIterationMatchesTheMapFormulasEntryByEntry) {
  const CovarianceType type = GetParam();
  const int N = 2, M = 2, D = 2;
  ModelConfig c = makeConfig(N, M, D, type);
  c.nIter = 1;
  c.tol = kNegInf;
  c.minCovar = 1e-12;
  c.initParams = "";
  const GmmHmm start = randomModel(c, 7, 1.5);
  const Frames data = sampledFrames(start, {5, 4}, 3);

  // Every prior an array, most of them broadcast, every entry different where it is full.
  const bool tied = type == CovarianceType::Tied, spherical = type == CovarianceType::Spherical;
  const std::vector<double> startPrior = {3.0, 1.5};
  const std::vector<double> transPrior = {2.0, 1.2, 4.0, 1.0};
  const std::vector<double> weightsPrior = {1.0, 6.0};           // (M,): the same for every state
  const std::vector<double> meansPrior = {0.5, -1.0};            // (D,): the same for every component
  const std::vector<double> meansWeight = {2.0, 0.5, 3.0, 1.0};  // (N, M)
  std::vector<double> covarsPrior, covarsWeight;                 // full shapes of this covariance type
  std::vector<long> covarsPriorShape, covarsWeightShape;
  switch (type) {
    case CovarianceType::Diag:
      covarsPrior = {0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6}, covarsPriorShape = {N, M, D};
      covarsWeight = {1, 2, 3, 4, 5, 6, 7, 8}, covarsWeightShape = {N, M, D};
      break;
    case CovarianceType::Spherical:
      covarsPrior = {0.2, 0.4, 0.6, 0.8}, covarsPriorShape = {N, M};
      covarsWeight = {1, 2, 3, 4}, covarsWeightShape = {N, M};
      break;
    case CovarianceType::Full:
      covarsPrior = {0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6}, covarsPriorShape = {N, M, D};
      covarsWeight = {1, 2, 3, 4}, covarsWeightShape = {N, M};
      break;
    case CovarianceType::Tied:
      covarsPrior = {0.2, 0.4, 0.6, 0.8}, covarsPriorShape = {N, D};
      covarsWeight = {1, 2}, covarsWeightShape = {N};
      break;
  }
  ModelConfig withPriors = c;
  withPriors.startprobPrior = Prior({N}, startPrior);
  withPriors.transmatPrior = Prior({N, N}, transPrior);
  withPriors.weightsPrior = Prior({1, M}, weightsPrior);
  withPriors.meansPrior = Prior({D}, meansPrior);
  withPriors.meansWeight = Prior({N, M}, meansWeight);
  withPriors.covarsPrior = Prior(covarsPriorShape, covarsPrior);
  withPriors.covarsWeight = Prior(covarsWeightShape, covarsWeight);
  GmmHmm model(start);
  model.setTrainingConfig(withPriors);
  model.fit(data.all());
  ASSERT_EQ(model.monitor().iterations, 1);

  // The reference: expected counts of the starting model, by enumeration.
  const ReferenceModel ref(start);
  const int K = N * M;
  std::vector<double> start0(N, 0.0), trans(N * N, 0.0), occ(K, 0.0);
  std::vector<Eigen::VectorXd> sum1(K, Eigen::VectorXd::Zero(D));
  std::vector<Eigen::MatrixXd> sum2(K, Eigen::MatrixXd::Zero(D, D));
  Index begin = 0;
  for (Index T : data.lengths) {
    const double* X = data.X.data() + begin * D;
    const Posteriors post = enumerate(ref, X, static_cast<int>(T));
    for (int s = 0; s < N; ++s) start0[s] += post.gamma[s];
    for (int i = 0; i < N * N; ++i) trans[i] += post.xi[i];
    for (int t = 0; t < T; ++t) {
      const Eigen::Map<const Eigen::VectorXd> x(X + t * D, D);
      for (int s = 0; s < N; ++s) {
        std::vector<double> comp(M);
        for (int m = 0; m < M; ++m) comp[m] = ref.logComponent(s, m, X + t * D);
        const double norm = logSumExp(comp);
        for (int m = 0; m < M; ++m) {
          const double g = post.gamma[t * N + s] * std::exp(comp[m] - norm);
          occ[s * M + m] += g;
          sum1[s * M + m] += g * x;
          sum2[s * M + m] += g * x * x.transpose();
        }
      }
    }
    begin += T;
  }

  expectAllNear(model.startprob(), dirichlet(start0, startPrior), 1e-10, "startprob");
  std::vector<double> expectedTrans;
  for (int r = 0; r < N; ++r) {
    const auto row = dirichlet({trans[r * N], trans[r * N + 1]}, {transPrior[r * N], transPrior[r * N + 1]});
    expectedTrans.insert(expectedTrans.end(), row.begin(), row.end());
  }
  expectAllNear(model.transmat(), expectedTrans, 1e-10, "transmat");
  std::vector<double> expectedWeights;
  for (int s = 0; s < N; ++s) {
    const auto row = dirichlet({occ[s * M], occ[s * M + 1]}, weightsPrior);
    expectedWeights.insert(expectedWeights.end(), row.begin(), row.end());
  }
  expectAllNear(model.weights(), expectedWeights, 1e-10, "weights");

  const Eigen::Map<const Eigen::VectorXd> mu0(meansPrior.data(), D);
  std::vector<Eigen::VectorXd> mu(K);
  std::vector<double> expectedMeans;
  for (int k = 0; k < K; ++k) {
    mu[k] = (sum1[k] + meansWeight[k] * mu0) / (occ[k] + meansWeight[k]);
    for (int d = 0; d < D; ++d) expectedMeans.push_back(mu[k][d]);
  }
  expectAllNear(model.means(), expectedMeans, 1e-10, "means");

  // Scatter around the new means, plus the mean prior's term, per component.
  std::vector<Eigen::MatrixXd> scatter(K);
  for (int k = 0; k < K; ++k) {
    const Eigen::VectorXd diff = mu[k] - mu0;
    scatter[k] = sum2[k] - sum1[k] * mu[k].transpose() - mu[k] * sum1[k].transpose() +
                 occ[k] * mu[k] * mu[k].transpose() + meansWeight[k] * diff * diff.transpose();
  }
  std::vector<double> expectedCovars;
  if (tied) {
    for (int s = 0; s < N; ++s) {
      Eigen::MatrixXd S = scatter[s * M] + scatter[s * M + 1];
      for (int d = 0; d < D; ++d) S(d, d) += covarsPrior[s * D + d];
      S /= occ[s * M] + occ[s * M + 1] + covarsWeight[s];
      for (int i = 0; i < D * D; ++i) expectedCovars.push_back(S(i / D, i % D));
    }
  } else {
    for (int k = 0; k < K; ++k) {
      if (spherical) {
        expectedCovars.push_back((scatter[k].trace() / D + covarsPrior[k]) / (occ[k] + covarsWeight[k]));
      } else if (type == CovarianceType::Diag) {
        for (int d = 0; d < D; ++d)
          expectedCovars.push_back((scatter[k](d, d) + covarsPrior[k * D + d]) / (occ[k] + covarsWeight[k * D + d]));
      } else {
        Eigen::MatrixXd S = scatter[k];
        for (int d = 0; d < D; ++d) S(d, d) += covarsPrior[k * D + d];
        S /= occ[k] + covarsWeight[k];
        for (int i = 0; i < D * D; ++i) expectedCovars.push_back(S(i / D, i % D));
      }
    }
  }
  expectAllNear(model.covars(), expectedCovars, 1e-9, "covars");
}

TEST_P(ArrayPriorsMStep, AnArrayOfOneValueIsThatNumber) {
  // Bit for bit: the same fit whether a prior is a number or an array holding it everywhere.
  const CovarianceType type = GetParam();
  ModelConfig c = makeConfig(3, 2, 2, type);
  c.nIter = 4;
  c.startprobPrior = 2;
  c.transmatPrior = 1.5;
  c.weightsPrior = 3;
  c.meansPrior = 0.25;
  c.meansWeight = 2;
  c.covarsPrior = 0.5;
  c.covarsWeight = 4;
  const Frames data = sampledFrames(randomModel(makeConfig(3, 2, 2, type), 5), {30, 20}, 9);
  GmmHmm scalars(c);
  scalars.fit(data.all());
  ModelConfig arrays = c;
  for (const PriorOption& o : priorOptions()) {
    std::vector<long> shape = priorShape(arrays, o);
    arrays.*o.field = Prior(shape, broadcastPrior(c.*o.field, shape));
  }
  GmmHmm spelt(arrays);
  spelt.fit(data.all());
  EXPECT_EQ(spelt.monitor().history, scalars.monitor().history);
  EXPECT_EQ(spelt.means(), scalars.means());
  EXPECT_EQ(spelt.covars(), scalars.covars());
  EXPECT_EQ(spelt.transmat(), scalars.transmat());
}

INSTANTIATE_TEST_SUITE_P(AllTypes, ArrayPriorsMStep,
                         ::testing::Values(CovarianceType::Diag, CovarianceType::Full, CovarianceType::Spherical,
                                           CovarianceType::Tied),
                         [](const ::testing::TestParamInfo<CovarianceType>& info) { return std::string(toString(info.param)); });

TEST(ArrayPriors, MixtureSplittingGivesEachStateItsOwnPriors) {
  // While splitting grows the mixtures (here 4 EM iterations at 2 of the 4 components), a
  // component reads its own state's priors: state 0's means are pinned at meansPrior, state
  // 1's follow the data (around +5, the prior is at -5).
  ModelConfig c = makeConfig(2, 4, 2, CovarianceType::Diag);
  c.mixtureSplitting = true;
  c.splitIterations = 4;
  c.nIter = 0;  // only the splitting phase's iterations
  c.init = InitMethod::KMeans;
  c.seed = 1;
  c.meansPrior = -5;
  c.meansWeight = Prior({2, 1}, {1e6, 0});
  GmmHmm model(c);
  model.fit(gaussianFrames({200, 200}, 2, 3, 1.0, 5.0).all());
  ASSERT_EQ(model.monitor().iterations, 4);
  // State 0's two components stay at the prior; the final split moves its 4 means by ±0.2σ
  // (σ large: the data are 10 away), symmetrically around it.
  const std::vector<double> means = model.means();
  for (int d = 0; d < 2; ++d) {
    double average = 0;
    for (int m = 0; m < 4; ++m) {
      average += means[(0 * 4 + m) * 2 + d] / 4;
      EXPECT_GT(means[(1 * 4 + m) * 2 + d], 2.0) << "state 1, component " << m;
    }
    EXPECT_NEAR(average, -5.0, 0.05) << "state 0, feature " << d;
  }
}

TEST(ArrayPriors, ModelFilesKeepTheArraysAsGiven) {
  ModelConfig c = makeConfig(2, 3, 2, CovarianceType::Diag);
  c.transmatPrior = Prior({2, 1}, {2.0, 5.0});
  c.meansPrior = Prior({2}, {0.5, -0.25});
  c.covarsWeight = Prior({2, 3, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  c.weightsPrior = 1.5;
  const GmmHmm model = randomModel(c, 4);
  const std::string text = model.toJson();
  EXPECT_NE(text.find("\"transmatPrior\":[[2.0],[5.0]]"), std::string::npos) << text;
  EXPECT_NE(text.find("\"weightsPrior\":1.5"), std::string::npos) << text;
  const GmmHmm back = GmmHmm::fromJson(text);
  for (const PriorOption& o : priorOptions()) EXPECT_EQ(back.config().*o.field, c.*o.field) << o.name;
  EXPECT_EQ(back.toJson(), text);
  // A file whose array does not fit the model is refused naming the prior.
  std::string wrong = text;
  wrong.replace(wrong.find("[[2.0],[5.0]]"), 13, "[2.0,5.0,1.0]");
  EXPECT_THROW_WITH(GmmHmm::fromJson(wrong), ModelFormatError, "transmatPrior: an array of shape [3]");
  std::string ragged = text;
  ragged.replace(ragged.find("[[2.0],[5.0]]"), 13, "[[2.0],[5.0,1]]");
  EXPECT_THROW_WITH(GmmHmm::fromJson(ragged), ModelFormatError, "transmatPrior[1] has length 2, expected 1");
}

}  // namespace
}  // namespace gmmhmm
