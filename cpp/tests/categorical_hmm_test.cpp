// CategoricalHmm and the shared EM loop (families/hmm.hpp) against brute force on tiny
// models: the forward log-likelihood and the Viterbi path against enumeration of every state
// path, one EM step against hmmlearn's update computed by hand from enumerated posteriors,
// the log-likelihood never falling over EM, sample frequencies, validation (each bad input
// an InvalidArgument naming it, the model unchanged) and model files (round trip, hmmlearn
// attribute dumps).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/families/categorical_hmm.hpp"

namespace gmmhmm {
namespace {

struct Tiny {
  std::vector<double> startprob{0.6, 0.4};
  std::vector<double> transmat{0.7, 0.3, 0.2, 0.8};
  std::vector<double> emissionprob{0.5, 0.4, 0.1, 0.1, 0.3, 0.6};  // 2 states x 3 symbols
  int N = 2, M = 3;

  CategoricalHmm model(CategoricalOptions options = {}) const {
    CategoricalHmm m(CategoricalSizes{N, M}, options);
    m.setStartprob(startprob);
    m.setTransmat(transmat);
    m.setEmissionprob(emissionprob);
    return m;
  }
  double a(int r, int s) const { return transmat[r * N + s]; }
  double b(int s, int k) const { return emissionprob[s * M + k]; }
};

SequenceSet one(const std::vector<double>& x, std::vector<Index> lengths = {}) {
  SequenceSet set;
  set.data = x.data();
  set.nFrames = static_cast<Index>(x.size());
  set.nFeatures = 1;
  set.lengths = std::move(lengths);
  return set;
}

// Every state path of x: calls visit(path, probability).
template <typename Visit>
void enumeratePaths(const Tiny& m, const std::vector<double>& x, Visit visit) {
  const int T = static_cast<int>(x.size());
  std::vector<int> path(T, 0);
  long total = 1;
  for (int t = 0; t < T; ++t) total *= m.N;
  for (long code = 0; code < total; ++code) {
    long c = code;
    for (int t = 0; t < T; ++t) {
      path[t] = static_cast<int>(c % m.N);
      c /= m.N;
    }
    double p = m.startprob[path[0]] * m.b(path[0], static_cast<int>(x[0]));
    for (int t = 1; t < T; ++t) p *= m.a(path[t - 1], path[t]) * m.b(path[t], static_cast<int>(x[t]));
    visit(path, p);
  }
}

const std::vector<double> kX{0, 2, 1, 2, 2, 0, 1};

TEST(CategoricalHmm, ForwardLogLikelihoodEqualsEnumerationOfEveryPath) {
  const Tiny tiny;
  double total = 0;
  enumeratePaths(tiny, kX, [&](const std::vector<int>&, double p) { total += p; });
  EXPECT_NEAR(tiny.model().score(one(kX)), std::log(total), 1e-12);
  // Two sequences: the sum of their log-likelihoods.
  const std::vector<double> a(kX.begin(), kX.begin() + 3), b(kX.begin() + 3, kX.end());
  double pa = 0, pb = 0;
  enumeratePaths(tiny, a, [&](const std::vector<int>&, double p) { pa += p; });
  enumeratePaths(tiny, b, [&](const std::vector<int>&, double p) { pb += p; });
  EXPECT_NEAR(tiny.model().score(one(kX, {3, 4})), std::log(pa) + std::log(pb), 1e-12);
}

TEST(CategoricalHmm, ViterbiEqualsTheBestEnumeratedPath) {
  const Tiny tiny;
  double best = -1;
  std::vector<int> bestPath;
  enumeratePaths(tiny, kX, [&](const std::vector<int>& path, double p) {
    if (p > best) {
      best = p;
      bestPath = path;
    }
  });
  const DecodeResult d = tiny.model().decode(one(kX));
  EXPECT_EQ(d.states, bestPath);
  EXPECT_NEAR(d.logLikelihood, std::log(best), 1e-12);
}

TEST(CategoricalHmm, MapDecodingIsEachFramesMostProbableState) {
  const Tiny tiny;
  const CategoricalHmm m = tiny.model();
  const PosteriorResult post = m.scoreSamples(one(kX));
  const DecodeResult d = m.decode(one(kX), DecodeAlgorithm::Map);
  double sum = 0;
  for (Index t = 0; t < post.posteriors.rows(); ++t) {
    Index s = 0;
    sum += post.posteriors.row(t).maxCoeff(&s);
    EXPECT_EQ(d.states[t], s);
  }
  EXPECT_NEAR(d.logLikelihood, sum, 1e-12);
}

// One EM step equals hmmlearn's update computed by hand from the enumerated posteriors:
// startprob ∝ max(prior - 1 + γ_0, 0), transmat rows ∝ max(prior - 1 + Σξ, 0), emissionprob
// rows ∝ max(prior - 1 + Σ_{t: x_t = k} γ_t, 0). Each prior as the model is given it (a number
// or an array) and, for the hand computation, written out entry by entry (row-major).
void checkOneStep(const Prior& startPrior, const Prior& transPrior, const Prior& emitPrior,
                  const std::vector<double>& startEntries, const std::vector<double>& transEntries,
                  const std::vector<double>& emitEntries) {
  const Tiny tiny;
  const int N = tiny.N, M = tiny.M, T = static_cast<int>(kX.size());
  std::vector<double> gamma(T * N, 0.0), xi(N * N, 0.0);
  double total = 0;
  enumeratePaths(tiny, kX, [&](const std::vector<int>& path, double p) {
    total += p;
    for (int t = 0; t < T; ++t) gamma[t * N + path[t]] += p;
    for (int t = 1; t < T; ++t) xi[path[t - 1] * N + path[t]] += p;
  });
  for (double& g : gamma) g /= total;
  for (double& x : xi) x /= total;
  // Row r of a parameter: counts[c] + prior[r][c] - 1, clipped at 0, normalised.
  auto update = [](std::vector<double> counts, const std::vector<double>& entries, int r) {
    double sum = 0;
    const std::size_t cols = counts.size();
    for (std::size_t c = 0; c < cols; ++c) sum += (counts[c] = std::max(entries[r * cols + c] - 1 + counts[c], 0.0));
    for (double& c : counts) c /= sum;
    return counts;
  };
  std::vector<double> start = update({gamma[0], gamma[1]}, startEntries, 0);
  std::vector<double> trans, emit;
  for (int r = 0; r < N; ++r) {
    const auto row = update({xi[r * N], xi[r * N + 1]}, transEntries, r);
    trans.insert(trans.end(), row.begin(), row.end());
  }
  for (int s = 0; s < N; ++s) {
    std::vector<double> counts(M, 0.0);
    for (int t = 0; t < T; ++t) counts[static_cast<int>(kX[t])] += gamma[t * N + s];
    const auto row = update(counts, emitEntries, s);
    emit.insert(emit.end(), row.begin(), row.end());
  }
  CategoricalOptions o;
  o.nIter = 1;
  o.tol = -std::numeric_limits<double>::infinity();
  o.initParams = "";  // start from the parameters set
  o.startprobPrior = startPrior;
  o.transmatPrior = transPrior;
  o.emissionprobPrior = emitPrior;
  CategoricalHmm m = tiny.model(o);
  const Monitor& mon = m.fit(one(kX));
  ASSERT_EQ(mon.history.size(), 1u);
  EXPECT_NEAR(mon.history[0], std::log(total), 1e-12);
  const auto check = [](const std::vector<double>& got, const std::vector<double>& want, const char* what) {
    ASSERT_EQ(got.size(), want.size()) << what;
    for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << what << "[" << i << "]";
  };
  check(m.startprob(), start, "startprob");
  check(m.transmat(), trans, "transmat");
  check(m.emissionprob(), emit, "emissionprob");
}

// Numbers: every entry the same.
void checkOneStep(double startPrior, double transPrior, double emitPrior) {
  const Tiny tiny;
  const auto n = [](int count, double v) { return std::vector<double>(count, v); };
  checkOneStep(startPrior, transPrior, emitPrior, n(tiny.N, startPrior), n(tiny.N * tiny.N, transPrior),
               n(tiny.N * tiny.M, emitPrior));
}

TEST(CategoricalHmm, OneEmStepEqualsTheHandComputationFromPosteriors) { checkOneStep(1, 1, 1); }
TEST(CategoricalHmm, OneEmStepWithDirichletPriors) { checkOneStep(2.5, 1.5, 3); }
// Per state and per entry (hmmlearn's startprob_prior, transmat_prior, emissionprob_prior
// arrays); also arrays that broadcast: a row [1, nStates], a column [nStates, 1], a row of
// symbols [nFeatures].
TEST(CategoricalHmm, OneEmStepWithDirichletPriorArrays) {
  checkOneStep(Prior({2}, {2.5, 1.2}), Prior({2, 2}, {1.5, 3, 1, 2.25}), Prior({2, 3}, {3, 1, 2, 1.5, 4, 1}),
               {2.5, 1.2}, {1.5, 3, 1, 2.25}, {3, 1, 2, 1.5, 4, 1});
  checkOneStep(1, Prior({1, 2}, {2, 1.5}), Prior({2, 1}, {3, 1.5}), {1, 1}, {2, 1.5, 2, 1.5}, {3, 3, 3, 1.5, 1.5, 1.5});
  checkOneStep(1, 1, Prior({3}, {1, 2, 3}), {1, 1}, {1, 1, 1, 1}, {1, 2, 3, 1, 2, 3});
}

TEST(CategoricalHmm, ParamsLettersLimitWhatEmUpdates) {
  const Tiny tiny;
  CategoricalOptions o;
  o.nIter = 3;
  o.initParams = "";
  o.params = "e";
  CategoricalHmm m = tiny.model(o);
  m.fit(one(kX));
  EXPECT_EQ(m.startprob(), tiny.startprob);
  EXPECT_EQ(m.transmat(), tiny.transmat);
  EXPECT_NE(m.emissionprob(), tiny.emissionprob);
}

// Draws from a known 3-state, 4-symbol model.
CategoricalHmm truth() {
  CategoricalHmm m(CategoricalSizes{3, 4});
  m.setStartprob({0.5, 0.3, 0.2});
  m.setTransmat({0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.15, 0.05, 0.8});
  m.setEmissionprob({0.7, 0.1, 0.1, 0.1, 0.1, 0.7, 0.1, 0.1, 0.05, 0.05, 0.1, 0.8});
  return m;
}

TEST(CategoricalHmm, LogLikelihoodNeverFallsOverEm) {
  const SampleResult s = truth().sample(600, 3);
  const std::vector<double> x(s.X.data(), s.X.data() + s.X.size());
  CategoricalOptions o;
  o.nIter = 40;
  o.tol = -std::numeric_limits<double>::infinity();  // every iteration runs
  o.seed = 5;
  CategoricalHmm m(CategoricalSizes{3, 0}, o);
  const Monitor& mon = m.fit(one(x, {200, 250, 150}));
  ASSERT_EQ(mon.history.size(), 40u);
  EXPECT_EQ(mon.iterations, 40);
  EXPECT_FALSE(mon.converged);
  for (size_t i = 1; i < mon.history.size(); ++i)
    EXPECT_GE(mon.history[i], mon.history[i - 1] - 1e-9 * std::abs(mon.history[i - 1])) << "iteration " << i;
  EXPECT_EQ(m.nFeatures(), 4);  // inferred: the largest symbol + 1
}

TEST(CategoricalHmm, TolStopsEmAndReportsConvergence) {
  const SampleResult s = truth().sample(400, 4);
  const std::vector<double> x(s.X.data(), s.X.data() + s.X.size());
  CategoricalOptions o;
  o.nIter = 500;
  o.tol = 1e-3;
  CategoricalHmm m(CategoricalSizes{3, 4}, o);
  const Monitor& mon = m.fit(one(x));
  EXPECT_TRUE(mon.converged);
  EXPECT_LT(mon.iterations, 500);
  EXPECT_EQ(mon.history.size(), static_cast<size_t>(mon.iterations) + 1);
}

TEST(CategoricalHmm, SampleFrequenciesFollowTheModel) {
  const CategoricalHmm m = truth();
  const SampleResult s = m.sample(200000, 11);
  const auto emit = m.emissionprob();
  const auto trans = m.transmat();
  std::vector<double> inState(3, 0), pairs(12, 0), from(3, 0), steps(9, 0);
  for (Index t = 0; t < s.X.rows(); ++t) {
    const int st = s.states[t];
    const double k = s.X(t, 0);
    ASSERT_TRUE(k == 0 || k == 1 || k == 2 || k == 3);
    inState[st] += 1;
    pairs[st * 4 + static_cast<int>(k)] += 1;
    if (t > 0) {
      from[s.states[t - 1]] += 1;
      steps[s.states[t - 1] * 3 + st] += 1;
    }
  }
  for (int st = 0; st < 3; ++st) {
    for (int k = 0; k < 4; ++k) EXPECT_NEAR(pairs[st * 4 + k] / inState[st], emit[st * 4 + k], 0.01);
    for (int r = 0; r < 3; ++r) EXPECT_NEAR(steps[st * 3 + r] / from[st], trans[st * 3 + r], 0.01);
  }
  // currstate is the first frame's state; the same seed gives the same frames.
  EXPECT_EQ(m.sample(5, 1, 2).states[0], 2);
  EXPECT_EQ(m.sample(50, 9).states, m.sample(50, 9).states);
}

TEST(CategoricalHmm, StationaryDistributionSolvesPiEqualsPiA) {
  const auto pi = truth().stationaryDistribution();
  const auto A = truth().transmat();
  for (int j = 0; j < 3; ++j) {
    double v = 0;
    for (int i = 0; i < 3; ++i) v += pi[i] * A[i * 3 + j];
    EXPECT_NEAR(v, pi[j], 1e-12);
  }
}

TEST(CategoricalHmm, FreeParametersAndInformationCriteria) {
  const CategoricalHmm m = truth();
  EXPECT_EQ(m.nFreeParameters(), 2 + 3 * 2 + 3 * 3);
  const std::vector<double> x{0, 1, 2, 3, 3};
  EXPECT_NEAR(m.aic(one(x)), -2 * m.score(one(x)) + 2 * 17, 1e-9);
  EXPECT_NEAR(m.bic(one(x)), -2 * m.score(one(x)) + 17 * std::log(5.0), 1e-9);
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

TEST(CategoricalHmm, BadSymbolsAndLengthsAreRefusedAndTheModelIsUnchanged) {
  CategoricalHmm m = truth();
  const std::string before = m.toJson();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& [x, part] : std::vector<std::pair<std::vector<double>, std::string>>{
           {{0, 1, -1}, "X[2] is -1: symbols must be >= 0"},
           {{0, 2.5}, "X[1] is 2.5: symbols must be integers"},
           {{nan, 1}, "X[0] is NaN"},
           {{0, 4}, "X[1] is 4: the model emits the symbols 0 to 3"},
       }) {
    expectInvalid([&, &x = x] { m.fit(one(x)); }, "fit: " + part);
    expectInvalid([&, &x = x] { m.score(one(x)); }, "score: " + part);
    expectInvalid([&, &x = x] { m.decode(one(x)); }, "decode: " + part);
    expectInvalid([&, &x = x] { m.scoreSamples(one(x)); }, part);
  }
  const std::vector<double> x{0, 1, 2, 3};
  expectInvalid([&] { m.fit(one(x, {2, 3})); }, "lengths sum to more than the 4 frames of X");
  expectInvalid([&] { m.fit(one(x, {1, 2})); }, "lengths sum to 3 but X has 4 frames");
  expectInvalid([&] { m.score(one(x, {0, 4})); }, "lengths[0] is 0");
  SequenceSet wide = one(x);
  wide.nFeatures = 2;
  wide.nFrames = 2;
  expectInvalid([&] { m.fit(wide); }, "one symbol per frame");
  expectInvalid([&] { m.setEmissionprob({0.5, 0.5, 0, 0, 1, 0, 0, 0, 0.3, 0.3, 0.3, 0.3}); }, "emissionprob row 2 sums to 1.2");
  expectInvalid([&] { m.setEmissionprob({1, 0, 0}); }, "emissionprob: expected 3 x 4 = 12 values");
  expectInvalid([&] { m.setTransmat({1, 0, 0}); }, "transmat: expected 3x3");
  expectInvalid([&] { m.sample(0, 1); }, "sample: n must be an integer in [1, 1e8]");
  expectInvalid([&] { m.sample(3, 1, 3); }, "currstate must be a state index in [0, 2]");
  EXPECT_EQ(m.toJson(), before);
  // An impossible sequence: the fit fails, the model stays as it was.
  CategoricalHmm zero(CategoricalSizes{1, 2}, [] {
    CategoricalOptions o;
    o.initParams = "";
    return o;
  }());
  zero.setStartprob({1});
  zero.setTransmat({1});
  zero.setEmissionprob({1, 0});
  const std::string zeroBefore = zero.toJson();
  expectInvalid([&] { zero.fit(one({0, 1})); }, "fit: sequence 0 (2 frames) cannot be produced by the model");
  EXPECT_EQ(zero.toJson(), zeroBefore);
  EXPECT_EQ(zero.score(one({0, 1})), -std::numeric_limits<double>::infinity());

  // Priors below 1 (hmmlearn's max(prior - 1 + count, 0)) can zero a probability a sequence
  // needs after the start explained it: the error says so instead of blaming initParams.
  CategoricalHmm sparse(CategoricalSizes{3, 0}, [] {
    CategoricalOptions o;
    o.seed = 1;
    o.nIter = 30;
    o.emissionprobPrior = o.transmatPrior = o.startprobPrior = 0.5;
    return o;
  }());
  const std::vector<double> symbols{0, 1, 2, 3, 0, 1};
  expectInvalid([&] { sparse.fit(one(symbols, {3, 3})); }, "an update set a probability it needs to 0, as a Dirichlet prior below 1 does");
}

TEST(CategoricalHmm, OptionsAreValidatedNamingThem) {
  CategoricalOptions o;
  o.params = "stx";
  expectInvalid([&] { CategoricalHmm(CategoricalSizes{2, 0}, o); }, "params 'stx' may only contain the letters ste");
  o = {};
  o.emissionprobPrior = 0;
  expectInvalid([&] { CategoricalHmm(CategoricalSizes{2, 0}, o); }, "emissionprobPrior must be in (0, 1e+100], got 0");
  o = {};
  o.tol = std::numeric_limits<double>::infinity();
  expectInvalid([&] { CategoricalHmm(CategoricalSizes{2, 0}, o); }, "tol must be a number in [-1e100, 1e100] or -Infinity");
  expectInvalid([] { CategoricalHmm(CategoricalSizes{0, 0}); }, "nStates must be an integer in [1, 10000], got 0");
  expectInvalid([] { CategoricalHmm(CategoricalSizes{2, -1}); }, "nFeatures must be an integer in [0, 10000000], got -1");
  CategoricalHmm m(CategoricalSizes{2, 0});
  EXPECT_THROW(m.score(one({0})), NotFitted);
  EXPECT_THROW(m.emissionprob(), NotFitted);
}

// Prior arrays: every entry against the range (named by its index), the shape against the
// sizes known when the options are given, and against nFeatures once a fit learns it; a
// refused fit or setOptions leaves the model as it was; model files keep the arrays as given.
TEST(CategoricalHmm, PriorArraysAreCheckedAndKeptInModelFiles) {
  CategoricalOptions o;
  o.transmatPrior = Prior({2, 2}, {1, 2, 0, 1});
  expectInvalid([&] { CategoricalHmm(CategoricalSizes{2, 0}, o); }, "transmatPrior[1][0] must be in (0, 1e+100], got 0");
  o = {};
  o.startprobPrior = Prior({3}, {1, 2, 3});
  expectInvalid([&] { CategoricalHmm(CategoricalSizes{2, 0}, o); },
                "startprobPrior: an array of shape [3] does not broadcast to [nStates] = [2]");
  o = {};
  o.emissionprobPrior = Prior({2, 2}, {1, 2, 3});
  expectInvalid([&] { CategoricalHmm(CategoricalSizes{2, 0}, o); }, "emissionprobPrior: 3 values for the shape [2, 2]");
  o.emissionprobPrior = Prior({2, 4}, {1, 2, 3, 4, 1, 2, 3, 4});
  expectInvalid([&] { CategoricalHmm(CategoricalSizes{2, 3}, o); },
                "emissionprobPrior: an array of shape [2, 4] does not broadcast to [nStates, nFeatures] = [2, 3]");
  // nFeatures unknown: accepted now, refused by the fit that finds 3 symbols, the model unchanged.
  CategoricalHmm m(CategoricalSizes{2, 0}, o);
  const std::string before = m.toJson();
  expectInvalid([&] { m.fit(one(kX)); }, "emissionprobPrior: an array of shape [2, 4] does not broadcast");
  EXPECT_EQ(m.toJson(), before);
  // So is setting emissionprob of 3 symbols (a model file must load back), nFeatures still unknown.
  expectInvalid([&] { m.setEmissionprob({0.2, 0.3, 0.5, 0.2, 0.3, 0.5}); },
                "emissionprobPrior: an array of shape [2, 4] does not broadcast to [nStates, nFeatures] = [2, 3]");
  EXPECT_EQ(m.nFeatures(), 0);
  CategoricalOptions bad = o;
  bad.transmatPrior = Prior({3, 1}, {1, 1, 1});
  expectInvalid([&] { m.setOptions(bad); }, "transmatPrior: an array of shape [3, 1] does not broadcast to [nStates, nStates] = [2, 2]");
  EXPECT_EQ(m.toJson(), before);

  o.emissionprobPrior = Prior({2, 1}, {2, 1.5});
  o.transmatPrior = Prior({2, 2}, {2, 1, 1, 3});
  o.nIter = 2;
  m.setOptions(o);
  m.fit(one(kX));
  const CategoricalHmm back = CategoricalHmm::fromJson(m.toJson());
  EXPECT_EQ(back.options().emissionprobPrior, o.emissionprobPrior);
  EXPECT_EQ(back.options().transmatPrior, o.transmatPrior);
  EXPECT_EQ(back.toJson(), m.toJson());
  EXPECT_NE(m.toJson().find(R"("emissionprobPrior":[[2.0],[1.5]])"), std::string::npos) << m.toJson();
  // A malformed array in a file: ModelFormatError naming the entry.
  std::string text = m.toJson();
  text.replace(text.find("[[2.0],[1.5]]"), 13, R"([[2.0],["x"]])");
  try {
    CategoricalHmm::fromJson(text);
    ADD_FAILURE() << "a malformed prior array was read";
  } catch (const ModelFormatError& e) {
    EXPECT_NE(std::string(e.what()).find("emissionprobPrior[1][0] must be a number"), std::string::npos) << e.what();
  }
}

TEST(CategoricalHmm, ModelFilesRoundTripAndHmmlearnDumpsLoad) {
  CategoricalOptions o;
  o.tol = -std::numeric_limits<double>::infinity();
  o.nIter = 3;
  o.emissionprobPrior = 2;
  CategoricalHmm m(CategoricalSizes{3, 0}, o);
  const SampleResult s = truth().sample(100, 1);
  const std::vector<double> x(s.X.data(), s.X.data() + s.X.size());
  m.fit(one(x));
  const CategoricalHmm back = CategoricalHmm::fromJson(m.toJson());
  EXPECT_EQ(back.toJson(), m.toJson());
  EXPECT_EQ(back.score(one(x)), m.score(one(x)));
  EXPECT_EQ(back.options().tol, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(back.options().emissionprobPrior, 2);

  const CategoricalHmm dump = CategoricalHmm::fromJson(
      R"({"startprob_": [0.6, 0.4], "transmat_": [[0.7, 0.3], [0.2, 0.8]],
          "emissionprob_": [[0.5, 0.4, 0.1], [0.1, 0.3, 0.6]], "n_features": 3, "n_components": 2})");
  EXPECT_EQ(dump.nStates(), 2);
  EXPECT_EQ(dump.nFeatures(), 3);
  // A dump's settings and priors, under hmmlearn's names, are read too.
  const CategoricalHmm withSettings = CategoricalHmm::fromJson(
      R"({"startprob_": [0.6, 0.4], "transmat_": [[0.7, 0.3], [0.2, 0.8]],
          "emissionprob_": [[0.5, 0.4, 0.1], [0.1, 0.3, 0.6]], "n_features": 3, "n_components": 2,
          "n_iter": 50, "tol": 0.5, "params": "st", "init_params": "", "random_state": 42,
          "startprob_prior": [2.0, 1.0], "transmat_prior": 3.0, "emissionprob_prior": [[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]],
          "algorithm": "viterbi", "implementation": "log"})");
  EXPECT_EQ(withSettings.options().nIter, 50);
  EXPECT_EQ(withSettings.options().tol, 0.5);
  EXPECT_EQ(withSettings.options().params, "st");
  EXPECT_EQ(withSettings.options().initParams, "");
  EXPECT_EQ(withSettings.options().seed, 42u);
  EXPECT_EQ(withSettings.options().startprobPrior, Prior({2}, {2, 1}));
  EXPECT_EQ(withSettings.options().transmatPrior, Prior(3.0));
  EXPECT_EQ(withSettings.options().emissionprobPrior, Prior({2, 3}, {1, 2, 3, 1, 1, 1}));
  // random_state None (or a RandomState, not in JSON) is no seed; a bad prior is refused.
  EXPECT_EQ(CategoricalHmm::fromJson(R"({"startprob_": [1.0], "transmat_": [[1.0]], "emissionprob_": [[1.0]],
                                         "random_state": null})").options().seed, 0u);
  try {
    CategoricalHmm::fromJson(R"({"startprob_": [1.0], "transmat_": [[1.0]], "emissionprob_": [[1.0]], "emissionprob_prior": [[0.0]]})");
    ADD_FAILURE() << "a prior of 0 was read";
  } catch (const ModelFormatError& e) {
    EXPECT_NE(std::string(e.what()).find("emissionprobPrior[0][0] must be in (0, 1e+100], got 0"), std::string::npos) << e.what();
  }
  EXPECT_NEAR(dump.score(one(kX)), Tiny().model().score(one(kX)), 1e-12);

  for (const char* badFile : {R"({"startprob_": [0.6, 0.4], "transmat_": [[0.7, 0.3], [0.2, 0.8]], "emissionprob_": [[0.5, 0.6], [0.1, 0.9]]})",
                              R"({"startprob_": [1], "transmat_": [[1]], "emissionprob_": [[1]], "n_features": 2})",
                              R"({"format": "gmmhmm-model", "version": 1})", R"([1, 2])", R"({"startprob": )"}) {
    EXPECT_THROW(CategoricalHmm::fromJson(badFile), ModelFormatError) << badFile;
  }
}

TEST(CategoricalHmm, FitRecoversAKnownModelUpToStatePermutation) {
  const CategoricalHmm t = truth();
  const SampleResult s = t.sample(20000, 21);
  const std::vector<double> x(s.X.data(), s.X.data() + s.X.size());
  CategoricalOptions o;
  o.nIter = 300;
  o.tol = 1e-6;
  o.seed = 1;
  CategoricalHmm m(CategoricalSizes{3, 4}, o);
  m.fit(one(x));
  // Match each learnt state to the true state whose emission row is nearest.
  const auto want = t.emissionprob(), got = m.emissionprob();
  for (int s2 = 0; s2 < 3; ++s2) {
    double best = 1e9;
    for (int s1 = 0; s1 < 3; ++s1) {
      double d = 0;
      for (int k = 0; k < 4; ++k) d = std::max(d, std::abs(got[s2 * 4 + k] - want[s1 * 4 + k]));
      best = std::min(best, d);
    }
    EXPECT_LT(best, 0.06) << "learnt state " << s2;
  }
  EXPECT_GT(m.score(one(x)), t.score(one(x)) - 5);
}

}  // namespace
}  // namespace gmmhmm
