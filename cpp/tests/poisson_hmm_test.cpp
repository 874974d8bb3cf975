// PoissonHmm on the shared EM loop against brute force on a tiny model (hmmlearn's
// TestPoissonHMM model): the forward log-likelihood and Viterbi against enumeration of every
// state path, one EM step against hmmlearn's Gamma-prior update computed by hand from the
// enumerated posteriors, the log-likelihood never falling over EM (hmmlearn's test_fit,
// test_fit_lambdas, test_fit_with_init), sample statistics, validation (each bad input an
// InvalidArgument naming it, the model unchanged) and model files (round trip, hmmlearn dumps).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/families/poisson_hmm.hpp"
#include "helpers/chain_enumeration.hpp"

namespace gmmhmm {
namespace {

using testing::enumerateChain;

constexpr double kInf = std::numeric_limits<double>::infinity();

// hmmlearn's TestPoissonHMM.new_hmm.
struct Tiny {
  std::vector<double> startprob{0.6, 0.4};
  std::vector<double> transmat{0.7, 0.3, 0.4, 0.6};
  std::vector<double> lambdas{3.1, 1.4, 4.5, 1.6, 5.3, 0.1};
  int N = 2, M = 3;

  PoissonHmm model(PoissonOptions options = {}) const {
    PoissonHmm m(PoissonSizes{N, M}, options);
    m.setStartprob(startprob);
    m.setTransmat(transmat);
    m.setLambdas(lambdas);
    return m;
  }
  // p(frame t of x | s): the product of the features' Poisson probabilities.
  double emit(const std::vector<double>& x, int s, int t) const {
    double p = 1;
    for (int k = 0; k < M; ++k) {
      const double l = lambdas[s * M + k], c = x[t * M + k];
      p *= std::exp(-l + c * std::log(l) - std::lgamma(c + 1));
    }
    return p;
  }
};

SequenceSet rows(const std::vector<double>& x, Index width, std::vector<Index> lengths = {}) {
  SequenceSet set;
  set.data = x.data();
  set.nFeatures = width;
  set.nFrames = static_cast<Index>(x.size()) / width;
  set.lengths = std::move(lengths);
  return set;
}

const std::vector<double> kX{3, 1, 5, 2, 6, 0, 4, 2, 3, 0, 4, 1, 1, 5, 0, 3, 0, 6};  // 6 frames of 3 counts

TEST(PoissonHmm, ForwardLogLikelihoodAndViterbiEqualEnumerationOfEveryPath) {
  const Tiny tiny;
  const auto e = enumerateChain(tiny.startprob, tiny.transmat, 6, [&](int s, int t) { return tiny.emit(kX, s, t); });
  const PoissonHmm m = tiny.model();
  EXPECT_NEAR(m.score(rows(kX, 3)), std::log(e.total), 1e-12);
  const DecodeResult d = m.decode(rows(kX, 3));
  EXPECT_EQ(d.states, e.bestPath);
  EXPECT_NEAR(d.logLikelihood, std::log(e.best), 1e-12);
  const PosteriorResult post = m.scoreSamples(rows(kX, 3));
  for (int t = 0; t < 6; ++t)
    for (int s = 0; s < 2; ++s) EXPECT_NEAR(post.posteriors(t, s), e.gamma[t * 2 + s], 1e-12);
}

// hmmlearn's M-step: lambdas = (alpha + n * ybar) / (beta + n), ybar the state's posterior
// mean of the counts and n the posterior mass of all states (the number of frames).
// Each prior a number or an array [nStates, nFeatures] (one per rate).
void checkOneStep(const Prior& alphaPrior, const Prior& betaPrior) {
  const Tiny tiny;
  const int N = 2, M = 3, T = 6;
  const auto e = enumerateChain(tiny.startprob, tiny.transmat, T, [&](int s, int t) { return tiny.emit(kX, s, t); });
  std::vector<double> want;
  for (int s = 0; s < N; ++s) {
    double mass = 0;
    for (int t = 0; t < T; ++t) mass += e.gamma[t * N + s];
    for (int k = 0; k < M; ++k) {
      double sum = 0;
      for (int t = 0; t < T; ++t) sum += e.gamma[t * N + s] * kX[t * M + k];
      const double alpha = alphaPrior.isScalar() ? alphaPrior.scalar() : alphaPrior.values[s * M + k];
      const double beta = betaPrior.isScalar() ? betaPrior.scalar() : betaPrior.values[s * M + k];
      want.push_back((alpha + T * (sum / mass)) / (beta + T));
    }
  }
  PoissonOptions o;
  o.nIter = 1;
  o.tol = -kInf;
  o.initParams = "";
  o.lambdasPrior = alphaPrior;
  o.lambdasWeight = betaPrior;
  PoissonHmm m = tiny.model(o);
  const Monitor& mon = m.fit(rows(kX, 3));
  ASSERT_EQ(mon.history.size(), 1u);
  EXPECT_NEAR(mon.history[0], std::log(e.total), 1e-12);
  const auto got = m.lambdas();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << "lambdas[" << i << "]";
  // The chain's update is the shared loop's (CategoricalHmm's tests): startprob = gamma_0.
  EXPECT_NEAR(m.startprob()[0], e.gamma[0], 1e-12);
}

TEST(PoissonHmm, OneEmStepEqualsTheHandComputationFromPosteriors) { checkOneStep(0, 0); }
TEST(PoissonHmm, OneEmStepWithTheGammaPrior) { checkOneStep(2.5, 4); }
TEST(PoissonHmm, OneEmStepWithTheGammaPriorPerRate) {
  checkOneStep(Prior({2, 3}, {2.5, 0, 1, 7, 0.5, 3}), Prior({2, 3}, {4, 1, 0, 2, 8, 0.25}));
}

TEST(PoissonHmm, ParamsLettersLimitWhatEmUpdates) {
  const Tiny tiny;
  PoissonOptions o;
  o.nIter = 3;
  o.initParams = "";
  o.params = "l";
  PoissonHmm m = tiny.model(o);
  m.fit(rows(kX, 3));
  EXPECT_EQ(m.startprob(), tiny.startprob);
  EXPECT_EQ(m.transmat(), tiny.transmat);
  EXPECT_NE(m.lambdas(), tiny.lambdas);
  EXPECT_EQ(PoissonOptions().params, "stl");  // hmmlearn's defaults
}

// hmmlearn's test_fit / test_fit_lambdas / test_fit_with_init: 10 sequences of 10 frames.
TEST(PoissonHmm, LogLikelihoodNeverFallsOverEm) {
  const SampleResult s = Tiny().model().sample(100, 7);
  const std::vector<double> x(s.X.data(), s.X.data() + s.X.size());
  for (const char* params : {"stl", "l"}) {
    PoissonOptions o;
    o.nIter = 30;
    o.tol = -kInf;
    o.seed = 3;
    o.params = params;
    PoissonHmm m(PoissonSizes{2, 0}, o);
    const Monitor& mon = m.fit(rows(x, 3, std::vector<Index>(10, 10)));
    ASSERT_EQ(mon.history.size(), 30u);
    for (size_t i = 1; i < mon.history.size(); ++i)
      EXPECT_GE(mon.history[i], mon.history[i - 1] - 1e-9 * std::abs(mon.history[i - 1])) << params << " iteration " << i;
    EXPECT_EQ(m.nFeatures(), 3);  // from the data
    for (double l : m.lambdas()) EXPECT_GT(l, 0);
  }
}

TEST(PoissonHmm, InitialisationDrawsRatesFromTheDataAndTheSeed) {
  const SampleResult s = Tiny().model().sample(200, 5);
  const std::vector<double> x(s.X.data(), s.X.data() + s.X.size());
  PoissonOptions o;
  o.nIter = 0;
  PoissonHmm a(PoissonSizes{2, 3}, o), b(PoissonSizes{2, 3}, o);
  a.fit(rows(x, 3));
  b.fit(rows(x, 3));
  EXPECT_EQ(a.lambdas(), b.lambdas());  // the same seed, the same rates
  o.seed = 1;
  PoissonHmm c(PoissonSizes{2, 3}, o);
  c.fit(rows(x, 3));
  EXPECT_NE(a.lambdas(), c.lambdas());
  // Counts all equal: no variance, every rate is their mean.
  const std::vector<double> flat(30, 2.0);
  PoissonHmm d(PoissonSizes{2, 3}, o);
  d.fit(rows(flat, 3));
  for (double l : d.lambdas()) EXPECT_EQ(l, 2.0);
}

TEST(PoissonHmm, SampleMeansFollowTheRates) {
  PoissonHmm m(PoissonSizes{2, 2});
  m.setStartprob({0.5, 0.5});
  m.setTransmat({0.9, 0.1, 0.1, 0.9});
  m.setLambdas({0.5, 4.0, 25.0, 300.0});  // both samplers: small rates and large ones
  const SampleResult s = m.sample(100000, 11);
  std::vector<double> sum(4, 0), sq(4, 0), n(2, 0);
  for (Index t = 0; t < s.X.rows(); ++t) {
    const int st = s.states[t];
    n[st] += 1;
    for (int k = 0; k < 2; ++k) {
      const double v = s.X(t, k);
      ASSERT_EQ(v, std::floor(v));
      ASSERT_GE(v, 0);
      sum[st * 2 + k] += v;
      sq[st * 2 + k] += v * v;
    }
  }
  const auto l = m.lambdas();
  for (int i = 0; i < 4; ++i) {
    const double mean = sum[i] / n[i / 2], var = sq[i] / n[i / 2] - mean * mean;
    EXPECT_NEAR(mean, l[i], 0.03 * l[i] + 0.01) << i;
    EXPECT_NEAR(var, l[i], 0.05 * l[i] + 0.02) << i;  // Poisson: variance = mean
  }
  EXPECT_EQ(m.sample(5, 1, 1).states[0], 1);
  EXPECT_EQ(m.sample(50, 9).X, m.sample(50, 9).X);
}

TEST(PoissonHmm, FreeParametersAndInformationCriteria) {
  const PoissonHmm m = Tiny().model();
  EXPECT_EQ(m.nFreeParameters(), 1 + 2 + 2 * 3);  // hmmlearn: "l": n_components * n_features
  EXPECT_NEAR(m.aic(rows(kX, 3)), -2 * m.score(rows(kX, 3)) + 2 * 9, 1e-9);
  EXPECT_NEAR(m.bic(rows(kX, 3)), -2 * m.score(rows(kX, 3)) + 9 * std::log(6.0), 1e-9);
}

template <typename Fn>
void expectInvalid(Fn fn, const std::string& part) {
  try {
    fn();
    ADD_FAILURE() << "no exception; expected one mentioning: " << part;
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(PoissonHmm, BadCountsAndRatesAreRefusedAndTheModelIsUnchanged) {
  PoissonHmm m = Tiny().model();
  const std::string before = m.toJson();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& [x, part] : std::vector<std::pair<std::vector<double>, std::string>>{
           {{0, 1, 2, 1, -1, 0}, "X[1][1] is -1: counts must be >= 0"},
           {{0, 1, 2.5}, "X[0][2] is 2.5: counts must be integers"},
           {{0, nan, 1}, "X[0][1] is NaN"},
           {{0, 1, kInf}, "X[0][2] is Infinity"},
       }) {
    expectInvalid([&, &x = x] { m.fit(rows(x, 3)); }, "fit: " + part);
    expectInvalid([&, &x = x] { m.score(rows(x, 3)); }, "score: " + part);
    expectInvalid([&, &x = x] { m.decode(rows(x, 3)); }, "decode: " + part);
  }
  expectInvalid([&] { m.fit(rows({1, 2, 3, 4}, 2)); }, "fit: X must hold rows of nFeatures = 3 counts, got rows of 2");
  expectInvalid([&] { m.score(rows({1, 2, 3}, 3, {2})); }, "lengths sum to more than the 1 frames of X");
  expectInvalid([&] { m.setLambdas({1, 1, 1, 1, 0, 1}); }, "lambdas[1][1] is 0: rates must be finite and > 0");
  expectInvalid([&] { m.setLambdas({1, 1, -2, 1, 1, 1}); }, "lambdas[0][2] is -2");
  expectInvalid([&] { m.setLambdas({1, 1}); }, "lambdas: expected 2 x 3 = 6 values");
  EXPECT_EQ(m.toJson(), before);
}

TEST(PoissonHmm, OptionsAreValidatedNamingThem) {
  PoissonOptions o;
  o.params = "ste";
  expectInvalid([&] { PoissonHmm(PoissonSizes{2, 0}, o); }, "params 'ste' may only contain the letters stl");
  o = {};
  o.lambdasPrior = -1;
  expectInvalid([&] { PoissonHmm(PoissonSizes{2, 0}, o); }, "lambdasPrior must be in [0, 1e+100], got -1");
  o = {};
  o.lambdasWeight = std::numeric_limits<double>::quiet_NaN();
  expectInvalid([&] { PoissonHmm(PoissonSizes{2, 0}, o); }, "lambdasWeight");
  expectInvalid([] { PoissonHmm(PoissonSizes{0, 0}); }, "nStates must be an integer in [1, 10000], got 0");
  PoissonHmm m(PoissonSizes{2, 0});
  EXPECT_THROW(m.score(rows({1}, 1)), NotFitted);
  EXPECT_THROW(m.lambdas(), NotFitted);
}

TEST(PoissonHmm, ModelFilesRoundTripAndHmmlearnDumpsLoad) {
  PoissonOptions o;
  o.tol = -kInf;
  o.nIter = 3;
  o.lambdasPrior = 2;
  o.lambdasWeight = 0.5;
  PoissonHmm m(PoissonSizes{2, 0}, o);
  m.fit(rows(kX, 3));
  const PoissonHmm back = PoissonHmm::fromJson(m.toJson());
  EXPECT_EQ(back.toJson(), m.toJson());
  EXPECT_EQ(back.score(rows(kX, 3)), m.score(rows(kX, 3)));
  EXPECT_EQ(back.options().lambdasWeight, 0.5);
  EXPECT_EQ(back.options().params, "stl");

  const PoissonHmm dump = PoissonHmm::fromJson(
      R"({"startprob_": [0.6, 0.4], "transmat_": [[0.7, 0.3], [0.4, 0.6]],
          "lambdas_": [[3.1, 1.4, 4.5], [1.6, 5.3, 0.1]], "n_features": 3, "n_components": 2})");
  EXPECT_EQ(dump.nFeatures(), 3);
  EXPECT_NEAR(dump.score(rows(kX, 3)), Tiny().model().score(rows(kX, 3)), 1e-12);

  for (const char* badFile : {R"({"startprob_": [1], "transmat_": [[1]], "lambdas_": [[0, 1]]})",
                              R"({"startprob_": [1], "transmat_": [[1]], "lambdas_": [[1]], "n_features": 2})",
                              R"({"format": "gmmhmm-categorical-hmm", "version": 1})", R"({"startprob_": [1], "transmat_": [[1]]})"}) {
    EXPECT_THROW(PoissonHmm::fromJson(badFile), ModelFormatError) << badFile;
  }
}

TEST(PoissonHmm, FitRecoversKnownRatesUpToStatePermutation) {
  const PoissonHmm t = Tiny().model();
  const SampleResult s = t.sample(5000, 21);
  const std::vector<double> x(s.X.data(), s.X.data() + s.X.size());
  PoissonOptions o;
  o.nIter = 200;
  o.tol = 1e-6;
  PoissonHmm m(PoissonSizes{2, 3}, o);
  m.fit(rows(x, 3));
  const auto want = t.lambdas(), got = m.lambdas();
  for (int s2 = 0; s2 < 2; ++s2) {
    double best = 1e9;
    for (int s1 = 0; s1 < 2; ++s1) {
      double d = 0;
      for (int k = 0; k < 3; ++k) d = std::max(d, std::abs(got[s2 * 3 + k] - want[s1 * 3 + k]));
      best = std::min(best, d);
    }
    EXPECT_LT(best, 0.2) << "learnt state " << s2;
  }
}

// Large counts: log p(x; m) = x log m - m - log x! subtracts numbers of size x log x, and the
// fast form's rounding once made log-probabilities of 1e15 counts 2 nats too high. Against the
// long-double form near 2^20 (both paths meet there) and Stirling's series at k = m = 1e15 and
// at 2^53 - 1, one state scoring a one-frame sequence (startprob 1: the score is the emission's).
TEST(PoissonHmm, LargeCountsScoreToTheirExactLogProbabilities) {
  PoissonHmm m(PoissonSizes{1, 1});
  m.setStartprob({1});
  m.setTransmat({1});
  auto logPoisson = [&](double count, double rate) {
    m.setLambdas({rate});
    const std::vector<double> x{count};
    return m.score(rows(x, 1));
  };
  for (double count : {1048575.0, 1048576.0, 1048600.0, 3000000.0}) {
    for (double rate : {1048576.0, 2000000.0, 5.0}) {
      const long double c = count, r = rate;
      const double exact = static_cast<double>(c * std::log(r) - r - std::lgamma(c + 1));
      EXPECT_NEAR(logPoisson(count, rate), exact, 1e-7 * std::max(1.0, std::abs(exact))) << count << " at rate " << rate;
    }
  }
  constexpr double kTwoPi = 6.283185307179586;
  for (double n : {1e15, 5e14 + 1}) {
    // ln Γ(n + 1) = n ln n - n + ln(2πn)/2 + 1/(12n) - ...: at k = m the log-probability is
    // -ln(2πn)/2 - 1/(12n).
    EXPECT_NEAR(logPoisson(n, n), -0.5 * std::log(kTwoPi * n) - 1 / (12 * n), 1e-9) << n;
  }
  {
    // 2^53 - 1 counts at a rate of 1e15: -(x log(x/m) + m - x) - stirlerr(x) - log(2 pi x)/2 in
    // long double (the plain form was some 30 nats off; a double here is good to 2 nats).
    const long double x = 9007199254740991.0L, rate = 1e15L;
    const long double exact = -(x * std::log(x / rate) + rate - x) - 1 / (12 * x) - 0.5L * std::log(2 * 3.14159265358979323846L * x);
    EXPECT_NEAR(logPoisson(9007199254740991.0, 1e15), static_cast<double>(exact), 8.0);  // 4 ulps at 1.2e16
  }
}

// A rate above 9e15 would draw counts beyond 2^53 - 1, which no frame may hold: such a rate
// (set by hand, or in a file) scores, sample() refuses it; EM's update and the initialisation
// stop at 9e15 (a prior of 1e100 fitted rates of 3.3e99); at 9e15 sample() gives frames the
// model scores.
TEST(PoissonHmm, RatesStayWhereSampledCountsAreExact) {
  PoissonHmm m(PoissonSizes{1, 2});
  m.setStartprob({1});
  m.setTransmat({1});
  m.setLambdas({1, 1e16});
  EXPECT_TRUE(std::isfinite(m.score(rows({1, 9e15}, 2))));
  expectInvalid([&] { m.sample(3, 1); }, "sample: lambdas[0][1] is 1e+16: at rates above 9e15 the counts drawn pass 2^53 - 1");
  m.setLambdas({9e15, 3});
  const SampleResult s = m.sample(20, 4);
  std::vector<double> x(s.X.data(), s.X.data() + s.X.size());
  EXPECT_TRUE(std::isfinite(m.score(rows(x, 2))));

  PoissonOptions o;
  o.lambdasPrior = 1e100;
  o.lambdasWeight = 1e-3;
  o.nIter = 2;
  PoissonHmm prior(PoissonSizes{2, 0}, o);
  prior.fit(rows(kX, 3));
  for (double rate : prior.lambdas()) EXPECT_LE(rate, 9e15);
  EXPECT_NO_THROW(prior.sample(5, 1));
}

// Tiny rates with large counts: x / rate overflowed in the saddle-point form's deviance
// (-Infinity where the plain form gives a finite, very negative value).
TEST(PoissonHmm, TinyRatesWithLargeCountsStayFinite) {
  PoissonHmm m(PoissonSizes{1, 1});
  m.setStartprob({1});
  m.setTransmat({1});
  for (double rate : {5e-324, 1e-302}) {
    m.setLambdas({rate});
    const double count = 2097152;  // 2^21
    const long double exact = count * std::log(static_cast<long double>(rate)) - rate - std::lgamma(static_cast<long double>(count) + 1);
    EXPECT_NEAR(m.score(rows({count}, 1)), static_cast<double>(exact), 1e-9 * std::abs(static_cast<double>(exact))) << rate;
  }
}

}  // namespace
}  // namespace gmmhmm
