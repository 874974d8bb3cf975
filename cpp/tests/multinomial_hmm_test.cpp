// MultinomialHmm on the shared EM loop against brute force on a tiny model (hmmlearn's
// TestMultinomialHMM model): the forward log-likelihood and Viterbi against enumeration,
// one EM step against hmmlearn's update computed by hand, the log-likelihood never falling
// (hmmlearn's test_fit with mixed totals), sampling (hmmlearn's test_sample), the frame
// checks (hmmlearn's test__check_and_set_multinomial_n_features_n_trials), the comparison
// with CategoricalHmm at nTrials 1 (test_compare_with_categorical_hmm), and model files.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/families/categorical_hmm.hpp"
#include "gmmhmm/families/multinomial_hmm.hpp"
#include "helpers/chain_enumeration.hpp"

namespace gmmhmm {
namespace {

using testing::enumerateChain;

constexpr double kInf = std::numeric_limits<double>::infinity();

// hmmlearn's TestMultinomialHMM.new_hmm: 2 states, 4 outcomes, 5 trials.
struct Tiny {
  std::vector<double> startprob{0.6, 0.4};
  std::vector<double> transmat{0.8, 0.2, 0.2, 0.8};
  std::vector<double> emissionprob{0.5, 0.3, 0.1, 0.1, 0.1, 0.1, 0.4, 0.4};
  int N = 2, M = 4;

  MultinomialHmm model(MultinomialOptions options = {}, double nTrials = 5) const {
    MultinomialHmm m(MultinomialSizes{N, M, nTrials}, options);
    m.setStartprob(startprob);
    m.setTransmat(transmat);
    m.setEmissionprob(emissionprob);
    return m;
  }
  double emit(const std::vector<double>& x, int s, int t) const {
    double n = 0, logp = 0;
    for (int k = 0; k < M; ++k) {
      const double c = x[t * M + k];
      n += c;
      logp += c * std::log(emissionprob[s * M + k]) - std::lgamma(c + 1);
    }
    return std::exp(logp + std::lgamma(n + 1));
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

// hmmlearn's test_score_samples data (first 6 frames).
const std::vector<double> kX{1, 1, 3, 0, 3, 1, 1, 0, 3, 0, 2, 0, 2, 2, 0, 1, 0, 1, 1, 3, 1, 0, 3, 1};

TEST(MultinomialHmm, ForwardLogLikelihoodAndViterbiEqualEnumerationOfEveryPath) {
  const Tiny tiny;
  const auto e = enumerateChain(tiny.startprob, tiny.transmat, 6, [&](int s, int t) { return tiny.emit(kX, s, t); });
  const MultinomialHmm m = tiny.model();
  EXPECT_NEAR(m.score(rows(kX, 4)), std::log(e.total), 1e-12);
  const DecodeResult d = m.decode(rows(kX, 4));
  EXPECT_EQ(d.states, e.bestPath);
  EXPECT_NEAR(d.logLikelihood, std::log(e.best), 1e-12);
  const PosteriorResult post = m.scoreSamples(rows(kX, 4));
  for (int t = 0; t < 6; ++t)
    for (int s = 0; s < 2; ++s) EXPECT_NEAR(post.posteriors(t, s), e.gamma[t * 2 + s], 1e-12);
}

TEST(MultinomialHmm, ZeroProbabilitiesCostNothingWhileNotCounted) {
  Tiny tiny;
  tiny.emissionprob = {0.5, 0.5, 0, 0, 0.1, 0.1, 0.4, 0.4};
  const MultinomialHmm m = tiny.model();
  const std::vector<double> x{2, 3, 0, 0, 1, 1, 3, 0};
  const auto e = enumerateChain(tiny.startprob, tiny.transmat, 2, [&](int s, int t) {
    double p = 1;  // the product with 0^0 = 1
    double n = 0;
    for (int k = 0; k < 4; ++k) {
      p *= std::pow(tiny.emissionprob[s * 4 + k], x[t * 4 + k]) / std::tgamma(x[t * 4 + k] + 1);
      n += x[t * 4 + k];
    }
    return p * std::tgamma(n + 1);
  });
  EXPECT_NEAR(m.score(rows(x, 4)), std::log(e.total), 1e-12);
  EXPECT_EQ(m.score(rows({0, 0, 5, 0, 0, 0, 5, 0}, 4)), m.score(rows({0, 0, 5, 0, 0, 0, 5, 0}, 4)));
  EXPECT_TRUE(std::isfinite(m.score(rows({0, 0, 5, 0, 0, 0, 5, 0}, 4))));  // state 1 draws outcome 2
}

TEST(MultinomialHmm, OneEmStepEqualsTheHandComputationFromPosteriors) {
  const Tiny tiny;
  const int N = 2, M = 4, T = 6;
  const auto e = enumerateChain(tiny.startprob, tiny.transmat, T, [&](int s, int t) { return tiny.emit(kX, s, t); });
  std::vector<double> want;
  for (int s = 0; s < N; ++s) {
    std::vector<double> sums(M, 0.0);
    double total = 0;
    for (int t = 0; t < T; ++t)
      for (int k = 0; k < M; ++k) {
        sums[k] += e.gamma[t * N + s] * kX[t * M + k];
        total += e.gamma[t * N + s] * kX[t * M + k];
      }
    for (double v : sums) want.push_back(v / total);
  }
  MultinomialOptions o;
  o.nIter = 1;
  o.tol = -kInf;
  o.initParams = "";
  MultinomialHmm m = tiny.model(o);
  const Monitor& mon = m.fit(rows(kX, 4));
  EXPECT_NEAR(mon.history[0], std::log(e.total), 1e-12);
  const auto got = m.emissionprob();
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << "emissionprob[" << i << "]";
}

// hmmlearn's test_fit: frames of mixed totals (nTrials 0, hmmlearn's None; every other frame doubled).
TEST(MultinomialHmm, LogLikelihoodNeverFallsOverEm) {
  const SampleResult s = Tiny().model().sample(100, 7);
  std::vector<double> x(s.X.data(), s.X.data() + s.X.size());
  for (Index t = 0; t < 100; t += 2)
    for (int k = 0; k < 4; ++k) x[t * 4 + k] *= 2;
  for (const char* params : {"ste", "e"}) {
    MultinomialOptions o;
    o.nIter = 30;
    o.tol = -kInf;
    o.seed = 2;
    o.params = params;
    MultinomialHmm m(MultinomialSizes{2, 0, 0}, o);
    const Monitor& mon = m.fit(rows(x, 4, std::vector<Index>(10, 10)));
    ASSERT_EQ(mon.history.size(), 30u);
    for (size_t i = 1; i < mon.history.size(); ++i)
      EXPECT_GE(mon.history[i], mon.history[i - 1] - 1e-9 * std::abs(mon.history[i - 1])) << params << " iteration " << i;
    EXPECT_EQ(m.nFeatures(), 4);
  }
}

// hmmlearn's test_sample: every frame adds up to nTrials, every count 0..nTrials occurs; no
// fixed nTrials, no sampling.
TEST(MultinomialHmm, SamplesAddUpToNTrialsAndFollowTheModel) {
  const MultinomialHmm m = Tiny().model();
  const SampleResult s = m.sample(20000, 3);
  std::set<double> values;
  std::vector<double> sums(8, 0), n(2, 0);
  for (Index t = 0; t < s.X.rows(); ++t) {
    EXPECT_EQ(s.X.row(t).sum(), 5);
    for (int k = 0; k < 4; ++k) {
      values.insert(s.X(t, k));
      sums[s.states[t] * 4 + k] += s.X(t, k);
    }
    n[s.states[t]] += 5;
  }
  EXPECT_EQ(values.size(), 6u);
  const auto p = m.emissionprob();
  for (int i = 0; i < 8; ++i) EXPECT_NEAR(sums[i] / n[i / 4], p[i], 0.01) << i;
  const MultinomialHmm any = Tiny().model({}, 0);
  EXPECT_THROW(any.sample(10, 1), InvalidArgument);
  // n x nTrials x nFeatures bounded (each draw walks the outcomes).
  EXPECT_THROW(Tiny().model({}, 1e6).sample(1000, 1), InvalidArgument);
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

// hmmlearn's test__check_and_set_multinomial_n_features_n_trials, and the model unchanged.
TEST(MultinomialHmm, BadCountsAreRefusedNamingTheFrameAndTheModelIsUnchanged) {
  MultinomialHmm m = Tiny().model();
  const std::string before = m.toJson();
  for (const auto& [x, part] : std::vector<std::pair<std::vector<double>, std::string>>{
           {{0, 0, 1, 1, 3, 1, 1, 0}, "X[0] sums to 2 but nTrials is 5"},
           {{0, 2, 0, 3, 0, 2.5, 2.5, 0}, "X[1][1] is 2.5: counts must be integers"},
           {{0, -2, 1, 6, 5, 6, -6, 0}, "X[0][1] is -2: counts must be >= 0"},
       }) {
    expectInvalid([&, &x = x] { m.fit(rows(x, 4)); }, "fit: " + part);
    expectInvalid([&, &x = x] { m.score(rows(x, 4)); }, "score: " + part);
    expectInvalid([&, &x = x] { m.decode(rows(x, 4), DecodeAlgorithm::Map); }, "decode: " + part);
  }
  expectInvalid([&] { m.fit(rows({0, 0, 2, 1, 1, 0, 1}, 7)); }, "rows of nFeatures = 4 counts, got rows of 7");
  expectInvalid([&] { m.setEmissionprob({0.5, 0.5, 0, 0, 0.2, 0.2, 0.2, 0.2}); }, "emissionprob row 1 sums to 0.8");
  EXPECT_EQ(m.toJson(), before);
  expectInvalid([] { MultinomialHmm(MultinomialSizes{2, 4, 2.5}); }, "nTrials must be an integer");
  expectInvalid([] { MultinomialHmm(MultinomialSizes{2, 4, -1}); }, "nTrials must be");
  MultinomialOptions o;
  o.params = "stl";
  expectInvalid([&] { MultinomialHmm(MultinomialSizes{2, 4, 5}, o); }, "params 'stl' may only contain the letters ste");
  // A frame no state can emit (an outcome of probability 0 everywhere): the fit fails, the model stays.
  MultinomialOptions keep;
  keep.initParams = "";
  MultinomialHmm zero(MultinomialSizes{1, 2, 1}, keep);
  zero.setStartprob({1});
  zero.setTransmat({1});
  zero.setEmissionprob({1, 0});
  const std::string zeroBefore = zero.toJson();
  expectInvalid([&] { zero.fit(rows({1, 0, 0, 1}, 2)); }, "fit: sequence 0 (2 frames) cannot be produced by the model");
  EXPECT_EQ(zero.toJson(), zeroBefore);
  EXPECT_EQ(zero.score(rows({1, 0, 0, 1}, 2)), -kInf);
  // nTrials 0 (hmmlearn's None): any totals.
  EXPECT_TRUE(std::isfinite(Tiny().model({}, 0).score(rows({0, 0, 1, 1, 3, 1, 1, 0}, 4))));
}

// hmmlearn's test_compare_with_categorical_hmm: one trial per frame is a categorical symbol.
TEST(MultinomialHmm, WithOneTrialEqualsCategoricalHmm) {
  const std::vector<double> start{0.6, 0.4}, trans{0.7, 0.3, 0.4, 0.6}, emit{0.1, 0.4, 0.5, 0.6, 0.3, 0.1};
  MultinomialHmm mn(MultinomialSizes{2, 3, 1});
  CategoricalHmm cat(CategoricalSizes{2, 3});
  mn.setStartprob(start);
  mn.setTransmat(trans);
  mn.setEmissionprob(emit);
  cat.setStartprob(start);
  cat.setTransmat(trans);
  cat.setEmissionprob(emit);
  const std::vector<double> symbols{0, 1, 2};
  const std::vector<double> oneHot{1, 0, 0, 0, 1, 0, 0, 0, 1};
  EXPECT_NEAR(mn.score(rows(oneHot, 3)), cat.score(rows(symbols, 1)), 1e-12);
  EXPECT_EQ(mn.decode(rows(oneHot, 3)).states, cat.decode(rows(symbols, 1)).states);
  // hmmlearn's values (Wikipedia's "Viterbi algorithm" example).
  EXPECT_NEAR(std::exp(mn.decode(rows(oneHot, 3)).logLikelihood), 0.01344, 1e-5);
  EXPECT_EQ(mn.decode(rows(oneHot, 3)).states, (std::vector<int>{1, 0, 0}));
  const std::vector<double> posteriors{0.23170303, 0.76829697, 0.62406281, 0.37593719, 0.86397706, 0.13602294};
  const PosteriorResult post = mn.scoreSamples(rows(oneHot, 3));
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(post.posteriors(i / 2, i % 2), posteriors[i], 1e-6);
}

TEST(MultinomialHmm, ModelFilesRoundTripAndHmmlearnDumpsLoad) {
  MultinomialOptions o;
  o.nIter = 3;
  MultinomialHmm m(MultinomialSizes{2, 0, 5}, o);
  m.fit(rows(kX, 4));
  const MultinomialHmm back = MultinomialHmm::fromJson(m.toJson());
  EXPECT_EQ(back.toJson(), m.toJson());
  EXPECT_EQ(back.nTrials(), 5);
  EXPECT_EQ(back.score(rows(kX, 4)), m.score(rows(kX, 4)));

  const MultinomialHmm dump = MultinomialHmm::fromJson(
      R"({"startprob_": [0.6, 0.4], "transmat_": [[0.8, 0.2], [0.2, 0.8]],
          "emissionprob_": [[0.5, 0.3, 0.1, 0.1], [0.1, 0.1, 0.4, 0.4]], "n_features": 4, "n_trials": 5})");
  EXPECT_NEAR(dump.score(rows(kX, 4)), Tiny().model().score(rows(kX, 4)), 1e-12);
  EXPECT_EQ(dump.nTrials(), 5);
  // n_trials after hmmlearn fitted with None: the frames' totals.
  EXPECT_EQ(MultinomialHmm::fromJson(R"({"startprob_": [1], "transmat_": [[1]], "emissionprob_": [[0.5, 0.5]], "n_trials": [3, 3, 3]})").nTrials(), 3);
  EXPECT_EQ(MultinomialHmm::fromJson(R"({"startprob_": [1], "transmat_": [[1]], "emissionprob_": [[0.5, 0.5]], "n_trials": [3, 4]})").nTrials(), 0);
  for (const char* badFile : {R"({"startprob_": [1], "transmat_": [[1]], "emissionprob_": [[0.5, 0.6]]})",
                              R"({"startprob_": [1], "transmat_": [[1]], "emissionprob_": [[1]], "n_trials": 2.5})",
                              R"({"format": "gmmhmm-poisson-hmm", "version": 1})"}) {
    EXPECT_THROW(MultinomialHmm::fromJson(badFile), ModelFormatError) << badFile;
  }
}

// Many trials: log n! and sum_k x_k log p_k, both about n log n, cancel, and the fast form once
// scored 2^52 + 2^52 trials at p = (1/2, 1/2) at +17 (a log-probability above 0). Against the
// central binomial coefficient's series, log(C(2m, m) / 4^m) = -log(pi m)/2 - 1/(8m) + ..., and
// near 2^20 (where both forms meet) against the long-double form.
TEST(MultinomialHmm, ManyTrialsScoreToTheirExactLogProbabilities) {
  auto logMultinomial = [](std::vector<double> x, std::vector<double> p) {
    MultinomialHmm m(MultinomialSizes{1, 2, 0});  // nTrials unset: any total (set, at most 1e6)
    m.setStartprob({1});
    m.setTransmat({1});
    m.setEmissionprob(p);
    return m.score(rows(x, 2));
  };
  constexpr double kPi = 3.14159265358979323846;
  for (double half : {4503599627370496.0, 1e12, 1048576.0}) {
    EXPECT_NEAR(logMultinomial({half, half}, {0.5, 0.5}), -0.5 * std::log(kPi * half) - 1 / (8 * half), 1e-9) << half;
  }
  for (double a : {600000.0, 1048576.0, 2500000.0}) {
    const double b = 400000;
    const long double la = a, lb = b, n = la + lb, pa = 0.3L, pb = 0.7L;
    const double exact = static_cast<double>(std::lgamma(n + 1) - std::lgamma(la + 1) - std::lgamma(lb + 1) +
                                             la * std::log(pa) + lb * std::log(pb));
    EXPECT_NEAR(logMultinomial({a, b}, {0.3, 0.7}), exact, 1e-7 * std::abs(exact)) << a;
  }
  EXPECT_EQ(logMultinomial({2e6, 1}, {1, 0}), -kInf) << "an outcome of probability 0 drawn";
  // Continuous across 2^20 for rows summing to 1 within the 1e-6 the setters allow (the
  // saddle-point form assumes a sum of 1: a 0.52-nat jump), and finite for a probability so
  // small that n p is subnormal (x / (n p) overflowed).
  const auto step = [&](double half, std::vector<double> p) { return logMultinomial({half, half}, p); };
  const std::vector<double> offByHalfAMillionth{0.5 + 5e-7, 0.5};
  const double below = step(524287, offByHalfAMillionth), at = step(524288, offByHalfAMillionth);
  // log(C(2m, m) / 4^m) changes by log((2m+1)(2m+2) / (4 (m+1)^2)) from m to m + 1, and the
  // excess by 2 x log(1 + 1e-6) with x = 1: about 1e-6.
  EXPECT_NEAR(at - below, std::log((2.0 * 524287 + 1) * (2.0 * 524287 + 2) / (4.0 * 524288 * 524288)) + std::log1p(1e-6), 1e-6);
  for (double n : {1048574.0, 1048576.0}) {
    // p = (1e-320, 1) as stored (the subnormal nearest 1e-320; the second exactly 1).
    const long double ln = n, exact = std::log(ln) + std::log(static_cast<long double>(1e-320));
    EXPECT_NEAR(logMultinomial({1, n - 1}, {1e-320, 1}), static_cast<double>(exact), 1e-6) << n;
  }
}

}  // namespace
}  // namespace gmmhmm
