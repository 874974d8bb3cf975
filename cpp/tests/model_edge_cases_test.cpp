// Numerically hard inputs: length-1 sequences, a constant feature column, an outlier of 1e4,
// a 10^6-frame sequence far from the model, a sequence too short for a left-right model that
// must end in its last state, states and components that receive no data.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "helpers/model_testing.hpp"

namespace gmmhmm {
namespace {

using namespace gmmhmm::testing;

bool finiteParameters(const GmmHmm& m) {
  return allFinite(m.startprob()) && allFinite(m.transmat()) && allFinite(m.weights()) && allFinite(m.means()) &&
         allFinite(m.covars());
}

void expectPosteriorsAreDistributions(const RowMatrix& gamma) {
  ASSERT_TRUE(gamma.allFinite());
  EXPECT_GE(gamma.minCoeff(), 0.0);
  EXPECT_LE((gamma.rowwise().sum().array() - 1.0).abs().maxCoeff(), 1e-12);
}

TEST(EdgeCases, LengthOneSequences) {
  for (CovarianceType type : allCovarianceTypes()) {
    const ModelConfig config = makeConfig(3, 2, 2, type);
    const GmmHmm source = randomModel(config, 3, 2.0);
    const Frames data = sampledFrames(source, std::vector<Index>(60, 1), 2);
    // A single frame: P(x) = sum_s pi_s b_s(x); posterior pi_s b_s(x) / P(x).
    const ReferenceModel ref(source);
    const PosteriorResult post = source.scoreSamples(data.all());
    const std::vector<double> perSequence = source.scorePerSequence(data.all());
    const DecodeResult dec = source.decode(data.all());
    for (Index t = 0; t < data.nFrames(); ++t) {
      std::vector<double> joint;
      for (int s = 0; s < 3; ++s) joint.push_back(ref.logStart(s) + ref.logEmission(s, data.X.data() + t * 2));
      const double ll = logSumExp(joint);
      EXPECT_NEAR(perSequence[t], ll, 1e-10 * std::max(1.0, std::abs(ll)));
      int best = 0;
      for (int s = 0; s < 3; ++s) {
        EXPECT_NEAR(post.posteriors(t, s), std::exp(joint[s] - ll), 1e-10);
        if (joint[s] > joint[best]) best = s;
      }
      EXPECT_EQ(dec.states[t], best);
    }
    // Training on single frames: no transitions observed, so transmat keeps its value.
    ModelConfig fitConfig = config;
    fitConfig.initParams = "smcw";
    GmmHmm model(fitConfig);
    model.setTransmat(source.transmat());
    model.fit(data.all());
    EXPECT_TRUE(finiteParameters(model)) << toString(type);
    EXPECT_EQ(model.transmat(), source.transmat()) << toString(type);
    EXPECT_TRUE(std::isfinite(model.score(data.all())));
  }
}

TEST(EdgeCases, ConstantFeatureColumnTrainsWithFloors) {
  for (double minCovar : {1e-3, 0.0})
    for (CovarianceType type : allCovarianceTypes()) {
      const std::string what = std::string(toString(type)) + " minCovar " + std::to_string(minCovar);
      Frames data = gaussianFrames({100, 80, 120}, 3, 12);
      for (Index t = 0; t < data.nFrames(); ++t) data.X[t * 3 + 1] = 2.5;
      ModelConfig config = makeConfig(2, 2, 3, type);
      config.minCovar = minCovar;
      config.nIter = 10;
      GmmHmm model(config);
      model.fit(data.all());
      ASSERT_TRUE(finiteParameters(model)) << what;
      const ReferenceModel ref(model);
      for (int k = 0; k < 4; ++k) {
        EXPECT_NEAR(ref.means[k][1], 2.5, 1e-9) << what;
        // The floor applies: minCovar itself, or (minCovar 0) a tiny scale-aware floor > 0.
        EXPECT_GE(ref.covariances[k](1, 1), minCovar > 0 ? minCovar * (1 - 1e-12) : 1e-300) << what;
        EXPECT_GT(Eigen::LLT<Eigen::MatrixXd>(ref.covariances[k]).matrixL().toDenseMatrix().diagonal().minCoeff(),
                  0.0)
            << what << ": covariance not positive definite";
      }
      const double ll = model.score(data.all());
      EXPECT_TRUE(std::isfinite(ll)) << what;
      expectPosteriorsAreDistributions(model.scoreSamples(data.all()).posteriors);
    }
}

// One sequence of `frames` frames of one feature: two regimes 10 apart, `offset` (10^6) from
// the origin, alternating every `run` frames, with Gaussian noise of standard deviation `spread`.
Frames twoRegimesFarOut(int frames, int run, double spread, unsigned seed, double offset = 1e6) {
  Frames data;
  data.nFeatures = 1;
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, spread);
  for (int t = 0; t < frames; ++t) data.X.push_back(offset + ((t / run) % 2 ? 10.0 : 0.0) + noise(rng));
  data.lengths = {frames};
  return data;
}

// Two regimes 10 apart with unit spread, 10^6 from the origin (a sensor's readings): the
// precision floor once was 1e-10 of the mean's square (100 here) and merged the two states.
TEST(EdgeCases, DataFarFromTheOriginKeepsItsStates) {
  for (CovarianceType type : allCovarianceTypes()) {
    const Frames data = twoRegimesFarOut(400, 50, 1.0, 7);
    ModelConfig config = makeConfig(2, 1, 1, type);
    config.nIter = 50;
    GmmHmm model(config);
    model.fit(data.all());
    const ReferenceModel ref(model);
    const double gap = std::abs(ref.means[0][0] - ref.means[1][0]);
    EXPECT_NEAR(gap, 10.0, 0.5) << toString(type) << ": the two regimes were merged";
    for (int k = 0; k < 2; ++k) EXPECT_LT(ref.covariances[k](0, 0), 1.5) << toString(type);
  }
}

// Further out, and with a spread of 0.3 (variance 0.09), the fit works on frames centred on
// their mean: the precision floor of 1e-12 of the squared mean (100 at 10^7, 2.9e6 for a
// timestamp of 1.7e9) held the variances there and merged the regimes before.
TEST(EdgeCases, DataFurtherFromTheOriginKeepsItsStatesAndSpread) {
  for (double offset : {1e7, 1.7e9, -3e12})
    for (double spread : {1.0, 0.3})
      for (CovarianceType type : allCovarianceTypes()) {
        SCOPED_TRACE(::testing::Message() << toString(type) << " offset " << offset << " spread " << spread);
        const Frames data = twoRegimesFarOut(400, 50, spread, 7, offset);
        ModelConfig config = makeConfig(2, 1, 1, type);
        config.nIter = 50;
        GmmHmm model(config);
        model.fit(data.all());
        const ReferenceModel ref(model);
        EXPECT_NEAR(std::abs(ref.means[0][0] - ref.means[1][0]), 10.0, 0.5) << "the two regimes were merged";
        for (int k = 0; k < 2; ++k) {
          EXPECT_NEAR(std::abs(ref.means[k][0] - offset - 5.0), 5.0, 0.5);
          EXPECT_NEAR(ref.covariances[k](0, 0), spread * spread, 0.3 * spread * spread);
        }
      }
}

// A fit is the same, up to rounding, on data moved far from the origin (the means moved by as
// much): the centring changes nothing but the rounding.
TEST(EdgeCases, AFitMovesWithItsData) {
  const Frames near = twoRegimesFarOut(600, 40, 1.0, 3, 0.0);
  Frames far = near;
  for (double& x : far.X) x += 1e8;
  for (CovarianceType type : allCovarianceTypes()) {
    SCOPED_TRACE(toString(type));
    ModelConfig config = makeConfig(2, 2, 1, type);
    config.nIter = 8;
    config.tol = 0;
    GmmHmm a(config), b(config);
    const Monitor& ma = a.fit(near.all());
    const std::vector<double> historyNear = ma.history;
    const Monitor& mb = b.fit(far.all());
    ASSERT_EQ(mb.history.size(), historyNear.size());
    for (size_t i = 0; i < historyNear.size(); ++i)
      EXPECT_NEAR(mb.history[i], historyNear[i], 1e-6 * std::abs(historyNear[i])) << "iteration " << i;
    const std::vector<double> mu = a.means(), muFar = b.means(), cv = a.covars(), cvFar = b.covars();
    for (size_t i = 0; i < mu.size(); ++i) EXPECT_NEAR(muFar[i] - 1e8, mu[i], 1e-6);
    for (size_t i = 0; i < cv.size(); ++i) EXPECT_NEAR(cvFar[i], cv[i], 1e-6 * std::abs(cv[i]));
  }
}

// Means the fit does not update (params without 'm') keep their exact values far from the
// origin, where the fit moves them to the centred frames and back ((0.1 − c) + c is not 0.1).
TEST(EdgeCases, MeansNotUpdatedFarFromTheOriginKeepTheirBits) {
  const Frames data = twoRegimesFarOut(400, 50, 1.0, 5, 1.7e9);
  for (CovarianceType type : allCovarianceTypes()) {
    ModelConfig config = makeConfig(2, 1, 1, type);
    config.nIter = 3;
    GmmHmm model(config);
    model.fit(data.all());
    const std::vector<double> means = {0.1, 1.7e9 + 0.3};
    model.setMeans(means);
    ModelConfig again = model.config();
    again.params = "stwc";
    again.initParams = "";
    model.setTrainingConfig(again);
    model.fit(data.all());
    EXPECT_EQ(model.means(), means) << toString(type);
  }
}

// Components without frames (means far from the data) keep their exact means when the rest of
// the fit updates its means far from the origin (a review found them moved by the rounding
// of (0.1 − c) + c); a constant feature such as a bias column of ones is not "far" (its
// variance is 0): it keeps its values and its precision floor (1e-12 of its squared mean).
TEST(EdgeCases, FarFromTheOriginUnvisitedComponentsAndConstantFeaturesStayAsTheyWere) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> noise(0.0, 1.0);
  const double offset = 1.7e9;
  std::vector<double> x;
  for (int t = 0; t < 400; ++t) x.push_back(offset + ((t / 50) % 2) * 10.0 + noise(rng));
  ModelConfig c = makeConfig(2, 2, 1, CovarianceType::Diag);
  c.nIter = 3;
  c.tol = -1e100;
  c.params = "stmwc";
  c.initParams = "";
  GmmHmm m(c);
  m.setStartprob({0.5, 0.5});
  m.setTransmat({0.9, 0.1, 0.1, 0.9});
  m.setWeights({0.5, 0.5, 0.5, 0.5});
  const std::vector<double> given = {offset + 0.3, 0.1, offset + 10.1, 0.2};  // components 1 and 3 never get a frame
  m.setMeans(given);
  m.setCovars({1, 1, 1, 1});
  m.fit({x.data(), Index(x.size()), 1, {}});
  const std::vector<double> means = m.means();
  EXPECT_EQ(means[1], 0.1);
  EXPECT_EQ(means[3], 0.2);
  EXPECT_NE(means[0], given[0]);  // the visited ones moved

  // A bias column of ones beside a feature near the origin: nothing is centred.
  Frames data;
  data.nFeatures = 2;
  for (int t = 0; t < 400; ++t) {
    data.X.push_back(((t / 50) % 2) * 4.0 + noise(rng));
    data.X.push_back(1.0);
  }
  data.lengths = {400};
  for (CovarianceType type : {CovarianceType::Diag, CovarianceType::Spherical}) {
    ModelConfig config = makeConfig(2, 1, 2, type);
    config.minCovar = 0;
    config.nIter = 5;
    GmmHmm model(config);
    model.fit(data.all());
    const std::vector<double> cv = model.covars();
    if (type == CovarianceType::Diag)
      for (int s = 0; s < 2; ++s) EXPECT_GE(cv[size_t(s * 2 + 1)], 0.999e-12) << "the bias column's variance";
    EXPECT_TRUE(std::isfinite(model.score(data.all()))) << toString(type);
  }
}

// Mixture splitting puts new means at mean ± 0.2σ: on data reaching the limit of 1e100 they
// passed it, and the model's own file (or m.means = m.means) was then refused when no
// iteration moved them (nIter 0, params without 'm').
TEST(EdgeCases, SplitMeansStayWithinTheDataLimit) {
  Frames data;
  data.nFeatures = 1;
  for (int t = 0; t < 99; ++t) data.X.push_back(1e100 * (1 - 1e-6 * t));
  data.X.push_back(-1e100);
  data.lengths = {100};
  for (const char* params : {"stwmc", "stwc"}) {
    ModelConfig config = makeConfig(1, 2, 1, CovarianceType::Diag);
    config.mixtureSplitting = true;
    config.nIter = params == std::string("stwc") ? 3 : 0;
    config.params = params;
    GmmHmm model(config);
    model.fit(data.all());
    ASSERT_TRUE(finiteParameters(model)) << params;
    for (double mean : model.means()) EXPECT_LE(std::abs(mean), 1e100) << params;
    EXPECT_NO_THROW(GmmHmm::fromJson(model.toJson())) << params;
  }
}

// Parameters set far from the origin relative to their spread: [x, x²]·[μ/σ², −1/(2σ²)]
// cancelled (a mean of 1e10 with variance 1 scored 0 at the mean; a mean of 1e99 scored
// +6.6e181 1e84 away). Scored around the means, they give the density's values.
TEST(EdgeCases, ParametersFarFromTheOriginScoreTheirDensity) {
  constexpr double kHalfLog2Pi = 0.91893853320467274;
  struct Case {
    double mean, variance, x, expected, tolerance;
  };
  const Case cases[] = {
      {1e10, 1, 1e10, -kHalfLog2Pi, 1e-9},
      {1e10, 1, 1e10 + 2, -kHalfLog2Pi - 2, 1e-9},
      {44100, 1e-6, 44100, -kHalfLog2Pi - 0.5 * std::log(1e-6), 1e-7},
      {44100, 1e-6, 44100.0005, -kHalfLog2Pi - 0.5 * std::log(1e-6) - 0.125, 1e-4},
      {1e99, 1, 1e99 + 1e84, -0.5 * ((1e99 + 1e84) - 1e99) * ((1e99 + 1e84) - 1e99), 1e155},
  };
  for (CovarianceType type : {CovarianceType::Diag, CovarianceType::Spherical}) {
    for (const Case& c : cases) {
      ModelConfig config = makeConfig(1, 1, 1, type);
      GmmHmm model(config);
      model.setStartprob({1});
      model.setTransmat({1});
      model.setWeights({1});
      model.setMeans({c.mean});
      model.setCovars({c.variance});
      const std::vector<double> x{c.x};
      const SequenceSet one{x.data(), 1, 1, {}};
      EXPECT_NEAR(model.score(one), c.expected, c.tolerance) << toString(type) << " mean " << c.mean << " at " << c.x;
    }
  }
}

// Far-apart states, one at the origin: scored around one shared centre (the first version of
// the fix above), the state at 0 lost ε·(1e8)² to rounding (-1 instead of -0.92 at x = 0).
// Each component is scored from its own differences.
TEST(EdgeCases, FarApartStatesEachScoreTheirOwnDensity) {
  constexpr double kHalfLog2Pi = 0.91893853320467274;
  for (double far : {1e8, 1e10}) {
    for (CovarianceType type : {CovarianceType::Diag, CovarianceType::Spherical}) {
      GmmHmm model(makeConfig(2, 1, 1, type));
      model.setStartprob({1, 0});
      model.setTransmat({0.5, 0.5, 0.5, 0.5});
      model.setWeights({1, 1});
      model.setMeans({0, far});
      model.setCovars({1, 1});
      for (double x : {0.0, 1.0}) {
        const std::vector<double> frame{x};
        EXPECT_NEAR(model.score({frame.data(), 1, 1, {}}), -kHalfLog2Pi - 0.5 * x * x, 1e-12) << toString(type) << " " << far;
      }
    }
  }
}

// Fit and score agree far from the origin: the training E-step, which scores tiles of
// [x, x²], gives frames instead when the model is scored from differences (a first version
// scored the two ways and differed by 0.03-0.14 nat on this data).
TEST(EdgeCases, TrainingAndScoringAgreeFarFromTheOrigin) {
  for (CovarianceType type : {CovarianceType::Diag, CovarianceType::Spherical}) {
    const Frames data = twoRegimesFarOut(4000, 100, 0.3, 11);
    ModelConfig config = makeConfig(2, 1, 1, type);
    config.nIter = 30;
    GmmHmm model(config);
    model.fit(data.all());
    ModelConfig again = model.config();
    again.params = "";
    again.initParams = "";
    again.nIter = 1;
    model.setTrainingConfig(again);
    const Monitor& monitor = model.fit(data.all());
    const double ll = model.score(data.all());
    EXPECT_NEAR(monitor.history.front(), ll, 1e-9 * std::abs(ll)) << toString(type);
  }
}

TEST(EdgeCases, OutlierOf1e4ScoresFinitelyAndPosteriorsSumToOne) {
  for (CovarianceType type : allCovarianceTypes())
    for (Topology topology : {Topology::Ergodic, Topology::LeftRight}) {
      const std::string what = std::string(toString(type)) + " " + toString(topology);
      const ModelConfig config = makeConfig(3, 2, 2, type, topology, 1, topology == Topology::LeftRight);
      const GmmHmm model = randomModel(config, 8, 2.0);
      Frames data = sampledFrames(model, {100}, 4);
      data.X[50 * 2] = 1e4;
      const double ll = model.score(data.all());
      EXPECT_TRUE(std::isfinite(ll)) << what;
      EXPECT_LT(ll, -1e6) << what;
      const PosteriorResult post = model.scoreSamples(data.all());
      EXPECT_NEAR(post.logLikelihood, ll, 1e-10 * std::abs(ll)) << what;
      expectPosteriorsAreDistributions(post.posteriors);
      EXPECT_TRUE(std::isfinite(model.decode(data.all()).logLikelihood)) << what;
      // Training on data with the outlier keeps every parameter finite.
      ModelConfig fitConfig = config;
      fitConfig.nIter = 5;
      GmmHmm fitted(fitConfig);
      fitted.fit(data.all());
      EXPECT_TRUE(finiteParameters(fitted)) << what;
      EXPECT_TRUE(std::isfinite(fitted.score(data.all()))) << what;
    }
}

TEST(EdgeCases, MillionFrameSequenceFarFromTheModel) {
  ModelConfig config = makeConfig(3, 2, 2, CovarianceType::Diag, Topology::LeftRight, 1, true);
  const GmmHmm model = randomModel(config, 9, 1.0);
  Frames data = gaussianFrames({1000000}, 2, 10, 1.0, 30.0);
  const double ll = model.score(data.all());
  ASSERT_TRUE(std::isfinite(ll));
  EXPECT_LT(ll, -1e7);
  const PosteriorResult post = model.scoreSamples(data.all());
  EXPECT_NEAR(post.logLikelihood, ll, 1e-10 * std::abs(ll));
  expectPosteriorsAreDistributions(post.posteriors);
  const DecodeResult dec = model.decode(data.all());
  EXPECT_TRUE(std::isfinite(dec.logLikelihood));
  EXPECT_LE(dec.logLikelihood, ll);
  EXPECT_EQ(dec.states.back(), 2);
}

TEST(EdgeCases, SequenceShorterThanTheMinimumLeftRightPath) {
  for (int maxJump : {1, 2}) {
    ModelConfig config = makeConfig(4, 1, 2, CovarianceType::Diag, Topology::LeftRight, maxJump, true);
    const GmmHmm model = randomModel(config, 12);
    const int minimum = (3 + maxJump - 1) / maxJump + 1;  // frames of the shortest path 0 -> 3
    const Frames ok = gaussianFrames({minimum}, 2, 1);
    EXPECT_TRUE(std::isfinite(model.score(ok.all())));
    // Two sequences, the second one frame too short.
    const Frames bad = gaussianFrames({minimum + 2, minimum - 1}, 2, 2);
    const auto perSequence = model.scorePerSequence(bad.all());
    EXPECT_TRUE(std::isfinite(perSequence[0]));
    EXPECT_EQ(perSequence[1], kNegInf);
    EXPECT_EQ(model.score(bad.all()), kNegInf);
    EXPECT_THROW_WITH(model.decode(bad.all()), InvalidArgument, "sequence 1");
    EXPECT_THROW_WITH(model.scoreSamples(bad.all()), InvalidArgument, "sequence 1");
    EXPECT_THROW_WITH(model.decode(bad.sequence(1)), InvalidArgument, "no valid state path");
    EXPECT_THROW_WITH(model.scoreSamples(bad.sequence(1)), InvalidArgument, "cannot be produced");
  }
}

TEST(EdgeCases, StatesAndComponentsWithNoDataStayFinite) {
  for (CovarianceType type : allCovarianceTypes()) {
    const std::string what = toString(type);
    ModelConfig config = makeConfig(3, 3, 2, type);
    config.initParams = "";
    config.nIter = 5;
    config.tol = 0;
    GmmHmm model = randomModel(config, 14, 1.0);
    std::vector<double> means = model.means();
    // State 2 entirely, and component 2 of every state, far from all data.
    for (int m = 0; m < 3; ++m) means[(2 * 3 + m) * 2] = 1e4, means[(2 * 3 + m) * 2 + 1] = 1e4;
    for (int s = 0; s < 3; ++s) means[(s * 3 + 2) * 2] = -1e4;
    model.setMeans(means);
    const ReferenceModel before(model);
    const Frames data = gaussianFrames({200, 200}, 2, 15);
    model.fit(data.all());
    ASSERT_TRUE(finiteParameters(model)) << what;
    // The documented rule: parts without data keep their mean and covariance (tied: a state
    // without data keeps its matrix; a component without data shares its state's new one).
    const ReferenceModel after(model);
    for (int k = 0; k < 9; ++k) {
      const bool empty = k / 3 == 2 || k % 3 == 2;
      if (!empty) continue;
      EXPECT_EQ(after.means[k], before.means[k]) << what << " component " << k;
      if (type != CovarianceType::Tied || k / 3 == 2) {
        EXPECT_EQ(after.covariances[k], before.covariances[k]) << what << " component " << k;
      }
      EXPECT_GE(after.weights[k], 0.0);
    }
    // The states with data did train.
    EXPECT_NE(after.means[0], before.means[0]) << what;
    EXPECT_TRUE(std::isfinite(model.score(data.all()))) << what;
    expectPosteriorsAreDistributions(model.scoreSamples(data.all()).posteriors);
  }
}

}  // namespace
}  // namespace gmmhmm
