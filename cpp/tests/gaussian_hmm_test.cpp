// GaussianHmm (hmmlearn's GaussianHMM on the shared EM loop) against brute force on tiny
// models, for every covariance type: the forward log-likelihood against enumeration of every
// state path with densities written out by hand, one EM step against hmmlearn's update
// (GaussianHMM._do_mstep, priors included) computed in two passes from enumerated
// posteriors, the log-likelihood never falling over EM, tied sharing one matrix, recovery of
// a known model, sample moments, validation (each bad input an InvalidArgument naming it, the
// model unchanged) and free parameters.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/families/gaussian_hmm.hpp"

namespace gmmhmm {
namespace {

constexpr double kPi = 3.14159265358979323846;
const CovarianceType kTypes[] = {CovarianceType::Spherical, CovarianceType::Diag, CovarianceType::Full,
                                 CovarianceType::Tied};

// A 2-state, 2-feature model whose covariances have the shape of `type`.
struct Tiny {
  CovarianceType type;
  int N = 2, D = 2;
  std::vector<double> startprob{0.6, 0.4};
  std::vector<double> transmat{0.7, 0.3, 0.2, 0.8};
  std::vector<double> means{0.0, 1.0, 2.0, -1.0};

  // Every state's covariance as a matrix.
  Eigen::Matrix2d cov(int s) const {
    Eigen::Matrix2d m;
    switch (type) {
      case CovarianceType::Spherical: m = Eigen::Matrix2d::Identity() * (s == 0 ? 0.8 : 1.5); break;
      case CovarianceType::Diag: m << (s == 0 ? 0.5 : 2.0), 0, 0, (s == 0 ? 1.2 : 0.7); break;
      case CovarianceType::Full: m << (s == 0 ? 1.0 : 2.0), (s == 0 ? 0.4 : -0.5), (s == 0 ? 0.4 : -0.5), (s == 0 ? 0.9 : 1.1); break;
      case CovarianceType::Tied: m << 1.3, 0.6, 0.6, 0.8; break;
    }
    return m;
  }
  std::vector<double> covars() const {
    switch (type) {
      case CovarianceType::Spherical: return {cov(0)(0, 0), cov(1)(0, 0)};
      case CovarianceType::Diag: return {cov(0)(0, 0), cov(0)(1, 1), cov(1)(0, 0), cov(1)(1, 1)};
      case CovarianceType::Full: {
        std::vector<double> v;
        for (int s = 0; s < 2; ++s) {
          const Eigen::Matrix2d c = cov(s);
          v.insert(v.end(), c.data(), c.data() + 4);
        }
        return v;
      }
      case CovarianceType::Tied: {
        const Eigen::Matrix2d c = cov(0);
        return std::vector<double>(c.data(), c.data() + 4);
      }
    }
    return {};
  }
  GaussianHmm model(GaussianOptions options = {}) const {
    GaussianHmm m(GaussianSizes{N, D, type}, options);
    m.setStartprob(startprob);
    m.setTransmat(transmat);
    m.setMeans(means);
    m.setCovars(covars());
    return m;
  }
  Eigen::Vector2d mean(int s) const { return {means[s * 2], means[s * 2 + 1]}; }
  double a(int r, int s) const { return transmat[r * N + s]; }
  // The normal density written out: (2π)^(-D/2) |Σ|^(-1/2) exp(-½ (x-μ)ᵀ Σ⁻¹ (x-μ)).
  double density(int s, const Eigen::Vector2d& x) const {
    const Eigen::Matrix2d c = cov(s);
    const Eigen::Vector2d d = x - mean(s);
    return std::exp(-0.5 * d.dot(c.inverse() * d)) / (2 * kPi * std::sqrt(c.determinant()));
  }
};

SequenceSet frames(const std::vector<double>& x, Index D, std::vector<Index> lengths = {}) {
  SequenceSet set;
  set.data = x.data();
  set.nFrames = static_cast<Index>(x.size()) / D;
  set.nFeatures = D;
  set.lengths = std::move(lengths);
  return set;
}

const std::vector<double> kX{0.1, 0.8, 1.7, -0.6, 2.4, -1.5, -0.3, 1.4, 1.1, 0.2};  // 5 frames of 2

// Posteriors of every frame by enumerating every state path of kX: gamma[t][s], and P(X).
double enumeratedPosteriors(const Tiny& m, std::vector<std::array<double, 2>>& gamma) {
  const int T = static_cast<int>(kX.size()) / 2;
  gamma.assign(T, {0.0, 0.0});
  double total = 0;
  for (int code = 0; code < (1 << T); ++code) {
    double p = 1;
    for (int t = 0; t < T; ++t) {
      const int s = (code >> t) & 1;
      const int prev = t > 0 ? (code >> (t - 1)) & 1 : -1;
      p *= (t == 0 ? m.startprob[s] : m.a(prev, s)) * m.density(s, Eigen::Vector2d(kX[2 * t], kX[2 * t + 1]));
    }
    total += p;
    for (int t = 0; t < T; ++t) gamma[t][(code >> t) & 1] += p;
  }
  for (auto& g : gamma) g = {g[0] / total, g[1] / total};
  return total;
}

TEST(GaussianHmm, ForwardLogLikelihoodEqualsEnumerationOfEveryPath) {
  for (CovarianceType type : kTypes) {
    const Tiny tiny{type};
    std::vector<std::array<double, 2>> gamma;
    const double p = enumeratedPosteriors(tiny, gamma);
    EXPECT_NEAR(tiny.model().score(frames(kX, 2)), std::log(p), 1e-12) << toString(type);
    const PosteriorResult post = tiny.model().scoreSamples(frames(kX, 2));
    for (size_t t = 0; t < gamma.size(); ++t)
      for (int s = 0; s < 2; ++s) EXPECT_NEAR(post.posteriors(t, s), gamma[t][s], 1e-12) << toString(type);
  }
}

// hmmlearn's GaussianHMM._do_mstep from enumerated posteriors, in two passes (around the new
// means), against one EM iteration. The priors are numbers or arrays of their parameter's
// full shape (meansPrior [2, 2], meansWeight [2], covarsPrior and covarsWeight as the
// covariance type takes them), read here entry by entry.
void checkOneStep(const std::function<GaussianOptions(CovarianceType)>& optionsFor) {
  for (CovarianceType type : kTypes) {
    const GaussianOptions options = optionsFor(type);
    const Tiny tiny{type};
    std::vector<std::array<double, 2>> gamma;
    enumeratedPosteriors(tiny, gamma);
    const int T = static_cast<int>(gamma.size()), D = 2;
    const auto at = [](const Prior& prior, int i) { return prior.isScalar() ? prior.scalar() : prior.values.at(i); };
    Eigen::Vector2d newMean[2];
    Eigen::Matrix2d scatter[2];
    double occupancy[2];
    for (int s = 0; s < 2; ++s) {
      occupancy[s] = 0;
      Eigen::Vector2d sum = Eigen::Vector2d::Zero();
      for (int t = 0; t < T; ++t) {
        occupancy[s] += gamma[t][s];
        sum += gamma[t][s] * Eigen::Vector2d(kX[2 * t], kX[2 * t + 1]);
      }
      const double w = at(options.meansWeight, s);
      const Eigen::Vector2d p(at(options.meansPrior, s * D), at(options.meansPrior, s * D + 1));
      newMean[s] = (w * p + sum) / (w + occupancy[s]);
      const Eigen::Vector2d fromPrior = newMean[s] - p;
      scatter[s] = w * fromPrior * fromPrior.transpose();
      for (int t = 0; t < T; ++t) {
        const Eigen::Vector2d d = Eigen::Vector2d(kX[2 * t], kX[2 * t + 1]) - newMean[s];
        scatter[s] += gamma[t][s] * d * d.transpose();
      }
    }
    GaussianOptions o = options;
    o.nIter = 1;
    o.initParams = "";
    o.params = "mc";
    o.minCovar = 1e-12;
    GaussianHmm model = tiny.model(o);
    model.fit(frames(kX, 2));
    const std::vector<double> means = model.means(), full = model.fullCovars();
    for (int s = 0; s < 2; ++s) {
      for (int d = 0; d < D; ++d) EXPECT_NEAR(means[s * D + d], newMean[s][d], 1e-12) << toString(type);
      const Prior &cp = options.covarsPrior, &cw = options.covarsWeight;
      Eigen::Matrix2d expected = Eigen::Matrix2d::Zero();
      switch (type) {
        case CovarianceType::Spherical:
          for (int d = 0; d < D; ++d)
            expected(d, d) = (scatter[s](d, d) + at(cp, s)) / (std::max(at(cw, s) - 1, 0.0) + occupancy[s]);
          expected = Eigen::Matrix2d::Identity() * expected.trace() / D;
          break;
        case CovarianceType::Diag:
          for (int d = 0; d < D; ++d)
            expected(d, d) = (scatter[s](d, d) + at(cp, s * D + d)) / (std::max(at(cw, s * D + d) - 1, 0.0) + occupancy[s]);
          break;
        case CovarianceType::Full:
          for (int i = 0; i < D; ++i)
            for (int j = 0; j < D; ++j)
              expected(i, j) = (scatter[s](i, j) + at(cp, s * 4 + i * D + j)) / (std::max(at(cw, s) - D, 0.0) + occupancy[s]);
          break;
        case CovarianceType::Tied:
          for (int i = 0; i < D; ++i)
            for (int j = 0; j < D; ++j)
              expected(i, j) = (scatter[0](i, j) + scatter[1](i, j) + at(cp, i * D + j)) / (std::max(at(cw, 0) - D, 0.0) + T);
          break;
      }
      const Eigen::Map<const Eigen::Matrix2d> got(full.data() + 4 * s);
      EXPECT_LT((got - expected).cwiseAbs().maxCoeff(), 1e-12) << toString(type) << " state " << s << "\n"
                                                                << got << "\nexpected\n" << expected;
    }
  }
}

TEST(GaussianHmm, OneEmStepEqualsHmmlearnsUpdateFromEnumeratedPosteriors) {
  GaussianOptions o;
  o.covarsPrior = 0;
  checkOneStep([&](CovarianceType) { return o; });
}

TEST(GaussianHmm, OneEmStepWithHmmlearnsDefaultPriors) {
  checkOneStep([](CovarianceType) { return GaussianOptions(); });
}

TEST(GaussianHmm, OneEmStepWithMeansAndCovarsPriors) {
  GaussianOptions o;
  o.meansPrior = 0.3;
  o.meansWeight = 2;
  o.covarsPrior = 0.05;
  o.covarsWeight = 3.5;
  checkOneStep([&](CovarianceType) { return o; });
}

// Per state and entry (hmmlearn's array priors), in each covariance type's shapes.
TEST(GaussianHmm, OneEmStepWithPriorArrays) {
  checkOneStep([](CovarianceType type) {
    GaussianOptions o;
    o.meansPrior = Prior({2, 2}, {0.3, -0.2, 1.5, 0.1});
    o.meansWeight = Prior({2}, {2, 0.5});
    switch (type) {
      case CovarianceType::Spherical:
        o.covarsPrior = Prior({2}, {0.05, 0.4});
        o.covarsWeight = Prior({2}, {3.5, 1.5});
        break;
      case CovarianceType::Diag:
        o.covarsPrior = Prior({2, 2}, {0.05, 0.4, 0.1, 0.02});
        o.covarsWeight = Prior({2, 2}, {3.5, 1.5, 0, 2.5});
        break;
      case CovarianceType::Full:
        o.covarsPrior = Prior({2, 2, 2}, {0.05, 0.01, 0.01, 0.4, 0.1, 0.02, 0.02, 0.3});
        o.covarsWeight = Prior({2}, {4.5, 2.5});
        break;
      case CovarianceType::Tied:
        o.covarsPrior = Prior({2, 2}, {0.05, 0.01, 0.01, 0.4});
        o.covarsWeight = 4.5;
        break;
    }
    return o;
  });
}

// Data drawn from a 3-state model with well separated means.
struct Drawn {
  std::vector<double> x;
  std::vector<Index> lengths;
};
Drawn drawn(CovarianceType type, Index sequences, Index length, std::uint64_t seed) {
  GaussianHmm truth(GaussianSizes{3, 2, type});
  truth.setStartprob({0.5, 0.3, 0.2});
  truth.setTransmat({0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.15, 0.15, 0.7});
  truth.setMeans({0, 0, 6, 0, 0, 6});
  if (type == CovarianceType::Spherical) truth.setCovars({1.0, 0.5, 0.8});
  else if (type == CovarianceType::Diag) truth.setCovars({1.0, 0.5, 0.4, 1.2, 0.8, 0.8});
  else if (type == CovarianceType::Full) truth.setCovars({1, 0.3, 0.3, 0.5, 0.6, -0.2, -0.2, 1.0, 0.8, 0, 0, 0.8});
  else truth.setCovars({1, 0.3, 0.3, 0.5});
  Drawn d;
  for (Index q = 0; q < sequences; ++q) {
    const SampleResult r = truth.sample(length, seed + q);
    d.x.insert(d.x.end(), r.X.data(), r.X.data() + r.X.size());
    d.lengths.push_back(length);
  }
  return d;
}

TEST(GaussianHmm, LogLikelihoodNeverFallsOverEm) {
  for (CovarianceType type : kTypes) {
    const Drawn d = drawn(type, 4, 60, 11);
    GaussianOptions o;
    o.nIter = 25;
    o.tol = -std::numeric_limits<double>::infinity();
    o.covarsPrior = 0;  // maximum likelihood: EM's objective is the log-likelihood itself
    o.seed = 3;
    GaussianHmm model(GaussianSizes{3, 0, type}, o);
    const Monitor& m = model.fit(frames(d.x, 2, d.lengths));
    ASSERT_EQ(m.history.size(), 25u) << toString(type);
    for (size_t i = 1; i < m.history.size(); ++i)
      EXPECT_GE(m.history[i], m.history[i - 1] - 1e-9 * std::abs(m.history[i - 1])) << toString(type) << " iteration " << i;
  }
}

TEST(GaussianHmm, FitRecoversAKnownModelUpToStatePermutation) {
  for (CovarianceType type : kTypes) {
    const Drawn d = drawn(type, 20, 200, 101);
    GaussianOptions o;
    o.nIter = 50;
    o.seed = 5;
    GaussianHmm model(GaussianSizes{3, 0, type}, o);
    model.fit(frames(d.x, 2, d.lengths));
    const std::vector<double> means = model.means();
    const double truth[3][2] = {{0, 0}, {6, 0}, {0, 6}};
    for (const auto& t : truth) {
      double best = 1e300;
      for (int s = 0; s < 3; ++s) best = std::min(best, std::hypot(means[2 * s] - t[0], means[2 * s + 1] - t[1]));
      EXPECT_LT(best, 0.1) << toString(type) << " mean (" << t[0] << ", " << t[1] << ")";
    }
    if (type == CovarianceType::Tied) {
      const std::vector<double> c = model.covars();
      ASSERT_EQ(c.size(), 4u);
      EXPECT_NEAR(c[0], 1.0, 0.05);
      EXPECT_NEAR(c[1], 0.3, 0.05);
      EXPECT_NEAR(c[3], 0.5, 0.05);
      const std::vector<double> full = model.fullCovars();
      for (int s = 1; s < 3; ++s)
        for (int i = 0; i < 4; ++i) EXPECT_EQ(full[4 * s + i], full[i]) << "tied: one matrix for every state";
    }
  }
}

TEST(GaussianHmm, SampleMomentsFollowTheModel) {
  for (CovarianceType type : kTypes) {
    const Tiny tiny{type};
    GaussianHmm m = tiny.model();
    m.setStartprob({1.0, 0.0});
    m.setTransmat({0.0, 1.0, 0.0, 1.0});  // state 0 once, then state 1 for ever
    const Index n = 40000;
    const SampleResult r = m.sample(n, 7);
    Eigen::Vector2d mean = Eigen::Vector2d::Zero();
    Eigen::Matrix2d second = Eigen::Matrix2d::Zero();
    for (Index t = 1; t < n; ++t) {
      ASSERT_EQ(r.states[t], 1);
      const Eigen::Vector2d x(r.X(t, 0), r.X(t, 1));
      mean += x;
      second += x * x.transpose();
    }
    mean /= double(n - 1);
    const Eigen::Matrix2d cov = second / double(n - 1) - mean * mean.transpose();
    EXPECT_LT((mean - tiny.mean(1)).cwiseAbs().maxCoeff(), 0.03) << toString(type);
    EXPECT_LT((cov - tiny.cov(1)).cwiseAbs().maxCoeff(), 0.05) << toString(type);
  }
}

TEST(GaussianHmm, FreeParametersAreHmmlearns) {
  // hmmlearn's _get_n_fit_scalars_per_param: s N-1, t N(N-1), m N D, c by type.
  const Index N = 2, D = 2, chain = (N - 1) + N * (N - 1), means = N * D;
  const Index covars[] = {N, N * D, N * D * (D + 1) / 2, D * (D + 1) / 2};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Tiny{kTypes[i]}.model().nFreeParameters(), chain + means + covars[i]);
}

template <typename F>
void expectRefused(F f, const std::string& words) {
  try {
    f();
    ADD_FAILURE() << "accepted; expected an error containing: " << words;
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

TEST(GaussianHmm, CovarsInEveryShapeHmmlearnUses) {
  // covars_ (the property) gives a matrix per state for every type; setting it back works.
  for (CovarianceType type : kTypes) {
    const Tiny tiny{type};
    GaussianHmm a = tiny.model();
    GaussianHmm b(GaussianSizes{2, 2, type});
    b.setCovars(a.fullCovars());
    EXPECT_EQ(b.covars(), a.covars()) << toString(type);
  }
  // Unknown nFeatures is taken from the shape where it tells.
  GaussianHmm full(GaussianSizes{2, 0, CovarianceType::Full});
  full.setCovars({1, 0, 0, 0, 1, 0, 0, 0, 1, 2, 0, 0, 0, 2, 0, 0, 0, 2});  // 2 states × 3 × 3
  EXPECT_EQ(full.nFeatures(), 3);
  GaussianHmm diag(GaussianSizes{2, 0, CovarianceType::Diag});
  diag.setCovars({1, 2, 3, 4});
  EXPECT_EQ(diag.nFeatures(), 2);
  expectRefused([] { GaussianHmm(GaussianSizes{2, 0, CovarianceType::Full}).setCovars({1, 0, 0, 1, 2}); },
                "5 values do not fit a full model of 2 states");
}

TEST(GaussianHmm, BadParametersAndFramesAreRefusedAndTheModelIsUnchanged) {
  const Tiny tiny{CovarianceType::Full};
  GaussianHmm m = tiny.model();
  const double before = m.score(frames(kX, 2));
  expectRefused([&] { m.setCovars({1, 2, 2, 1, 1, 0, 0, 1}); }, "covars[0] is not positive definite");
  expectRefused([&] { m.setCovars({1, 0.5, 0.4, 1, 1, 0, 0, 1}); }, "covars[0] is not symmetric");
  expectRefused([&] { m.setCovars({1, 0, 0}); }, "covars: expected 8 values");
  expectRefused([&] { m.setMeans({0, 1, 2}); }, "means: expected 2 x 2");
  expectRefused([&] { m.setMeans({0, 1, std::nan(""), 2}); }, "means[1][0] is NaN");
  const std::vector<double> bad{0.1, 0.2, 0.3, std::numeric_limits<double>::infinity()};
  expectRefused([&] { m.score(frames(bad, 2)); }, "X[1][1] is Infinity");
  expectRefused([&] { m.score(frames({1, 2, 3}, 3)); }, "X has 3 features per frame, the model 2");
  expectRefused([&] { m.fit(frames(bad, 2)); }, "X[1][1]");
  EXPECT_EQ(m.score(frames(kX, 2)), before);

  GaussianHmm diag = Tiny{CovarianceType::Diag}.model();
  expectRefused([&] { diag.setCovars({1, 0, 0, 0}); }, "variances must be > 0");
  expectRefused([&] { diag.setCovars({1, 0.1, 0, 1, 1, 0, 0, 1}); }, "is not diagonal");
  GaussianHmm tied = Tiny{CovarianceType::Tied}.model();
  expectRefused([&] { tied.setCovars({1, 0, 0, 1, 2, 0, 0, 2}); }, "differs from state 0's");
  GaussianHmm spherical(GaussianSizes{2, 0, CovarianceType::Spherical});
  expectRefused([&] { spherical.setCovars({1, 2}); }, "set means first");

  expectRefused([] { GaussianOptions o; o.params = "stw"; GaussianHmm x(GaussianSizes{2}, o); }, "params 'stw'");
  expectRefused([] { GaussianOptions o; o.minCovar = -1; GaussianHmm x(GaussianSizes{2}, o); }, "minCovar");
  expectRefused([] { GaussianHmm x(GaussianSizes{2, 200000}); }, "nFeatures");
  // Found by fuzzing: checked before anything is allocated (a negative size once reached malloc).
  expectRefused([] { GaussianHmm x(GaussianSizes{-5, 100000}); }, "nStates must be an integer in [1, 10000], got -5");
  try {
    GaussianHmm fresh(GaussianSizes{2, 2});
    fresh.means();
    ADD_FAILURE() << "means of an unfitted model";
  } catch (const NotFitted& e) {
    EXPECT_NE(std::string(e.what()).find("means: not set yet"), std::string::npos);
  }
}

// Each covariance type's shapes of the covariance priors (as its covars), the means' priors
// per state; nFeatures learnt by a fit is checked there, the model unchanged.
TEST(GaussianHmm, PriorArraysMustBroadcastToTheirShapes) {
  auto refused = [](GaussianSizes sizes, const std::function<void(GaussianOptions&)>& set, const std::string& part) {
    GaussianOptions o;
    set(o);
    try {
      GaussianHmm m(sizes, o);
      ADD_FAILURE() << "accepted; expected an error mentioning: " << part;
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  };
  refused({2, 3, CovarianceType::Diag}, [](GaussianOptions& o) { o.meansWeight = Prior({2, 3}, {1, 1, 1, 1, 1, 1}); },
          "meansWeight: an array of shape [2, 3] does not broadcast to [nStates] = [2]");
  refused({2, 3, CovarianceType::Tied}, [](GaussianOptions& o) { o.covarsWeight = Prior({1}, {3}); },
          "covarsWeight: an array of shape [1] does not broadcast to [] (a number) = [] (covarianceType 'tied')");
  refused({2, 3, CovarianceType::Full}, [](GaussianOptions& o) { o.covarsPrior = Prior({2, 3}, {1, 1, 1, 1, 1, 1}); },
          "covarsPrior: an array of shape [2, 3] does not broadcast to [nStates, nFeatures, nFeatures] = [2, 3, 3]");
  refused({2, 3, CovarianceType::Spherical}, [](GaussianOptions& o) { o.covarsPrior = Prior({2}, {0.1, -1}); },
          "covarsPrior[1] must be in [0, 1e+100], got -1");
  refused({2, 2, CovarianceType::Diag}, [](GaussianOptions& o) { o.covarsPrior = -1; }, "covarsPrior must be in [0, 1e+100], got -1");
  refused({2, 2, CovarianceType::Full}, [](GaussianOptions& o) { o.covarsPrior = Prior({2, 2}, {0.5, 0.1, 0.1, -0.2}); },
          "covarsPrior[1][1] must be in [0, 1e+100] (a diagonal entry), got -0.2");
  // hmmlearn's full covars_prior matrices may be negative off the diagonal.
  GaussianOptions offDiagonal;
  offDiagonal.covarsPrior = Prior({2, 2}, {0.5, -0.1, -0.1, 0.2});
  EXPECT_NO_THROW(GaussianHmm(GaussianSizes{2, 2, CovarianceType::Tied}, offDiagonal));
  GaussianOptions o;
  o.meansPrior = Prior({2, 3}, {0, 0, 0, 1, 1, 1});
  // Setting means of another nFeatures is refused as a fit would be (the model file must load).
  GaussianHmm unset(GaussianSizes{2, 0, CovarianceType::Diag}, o);
  try {
    unset.setMeans({0, 0, 1, 1});
    ADD_FAILURE() << "means of 2 features beside a meansPrior of 3";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("meansPrior: an array of shape [2, 3]"), std::string::npos) << e.what();
  }
  EXPECT_EQ(unset.nFeatures(), 0);
  GaussianHmm m(GaussianSizes{2, 0, CovarianceType::Diag}, o);
  const std::string before = m.toJson();
  try {
    m.fit(frames(kX, 2));
    ADD_FAILURE() << "a fit on 2 features took a meansPrior of 3";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("meansPrior: an array of shape [2, 3] does not broadcast to [nStates, nFeatures] = [2, 2]"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(m.toJson(), before);
}

TEST(GaussianHmm, KMeansInitialisationNeedsAFramePerState) {
  GaussianHmm m(GaussianSizes{5, 0, CovarianceType::Diag});
  try {
    m.fit(frames({0, 1, 1, 2, 2, 3}, 2));
    ADD_FAILURE() << "3 frames initialised 5 states";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("fit: 3 frames cannot initialise 5 states by k-means"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(m.isReady());
}

TEST(GaussianHmm, AStateWithoutFramesKeepsItsParameters) {
  // State 1 can never be entered: hmmlearn's M-step would make its mean 0/0.
  const Tiny tiny{CovarianceType::Diag};
  GaussianHmm m = tiny.model();
  m.setStartprob({1.0, 0.0});
  m.setTransmat({1.0, 0.0, 0.5, 0.5});
  GaussianOptions o;
  o.initParams = "";
  o.params = "mc";
  o.nIter = 3;
  m.setOptions(o);
  m.fit(frames(kX, 2));
  const std::vector<double> means = m.means(), covars = m.covars();
  EXPECT_EQ(means[2], 2.0);
  EXPECT_EQ(means[3], -1.0);
  EXPECT_EQ(covars[2], 2.0);
  EXPECT_EQ(covars[3], 0.7);
}

TEST(GaussianHmm, AConstantFeatureGetsTheFloorNotAZeroVariance) {
  std::vector<double> x;
  for (int t = 0; t < 50; ++t) {
    x.push_back(std::sin(t));
    x.push_back(3.0);
  }
  for (CovarianceType type : kTypes) {
    GaussianOptions o;
    o.minCovar = 0;
    o.covarsPrior = 0;
    o.nIter = 5;
    GaussianHmm m(GaussianSizes{2, 0, type}, o);
    m.fit(frames(x, 2));
    EXPECT_TRUE(std::isfinite(m.score(frames(x, 2)))) << toString(type);
    for (double v : m.covars()) EXPECT_TRUE(std::isfinite(v)) << toString(type);
  }
}

// hmmlearn fits this (two regimes 10 apart, unit spread, 10^6 from the origin); the precision
// floor of 1e-10 of the mean's square (100) once merged the two states, for every type.
TEST(GaussianHmm, DataFarFromTheOriginKeepsItsStates) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<double> x;
  for (int t = 0; t < 400; ++t) x.push_back(1e6 + ((t / 50) % 2 ? 10.0 : 0.0) + noise(rng));
  for (CovarianceType type : kTypes) {
    GaussianOptions o;
    o.nIter = 100;
    o.seed = 0;
    GaussianHmm m(GaussianSizes{2, 0, type}, o);
    m.fit(frames(x, 1));
    const std::vector<double> means = m.means();
    EXPECT_NEAR(std::abs(means[0] - means[1]), 10.0, 0.5) << toString(type) << ": the two regimes were merged";
    for (double v : m.covars()) EXPECT_LT(v, 1.5) << toString(type);
  }
}

// Further out, and with a spread of 0.3, the statistics are centred on the states' mean and
// k-means runs on centred frames: the precision floor (1e-12 of the squared mean: 100 at 10^7)
// and k-means' ‖x‖² − 2x·c + ‖c‖² merged or misplaced the regimes before.
TEST(GaussianHmm, DataFurtherFromTheOriginKeepsItsStatesAndSpread) {
  for (double offset : {1e7, 1.7e9, -3e12})
    for (double spread : {1.0, 0.3}) {
      std::mt19937_64 rng(3);
      std::normal_distribution<double> noise(0.0, spread);
      std::vector<double> x;
      for (int t = 0; t < 400; ++t) x.push_back(offset + ((t / 50) % 2 ? 10.0 : 0.0) + noise(rng));
      for (CovarianceType type : kTypes) {
        SCOPED_TRACE(::testing::Message() << toString(type) << " offset " << offset << " spread " << spread);
        GaussianOptions o;
        o.nIter = 100;
        o.seed = 0;
        o.minCovar = 1e-6;
        GaussianHmm m(GaussianSizes{2, 0, type}, o);
        m.fit(frames(x, 1));
        const std::vector<double> means = m.means();
        EXPECT_NEAR(std::abs(means[0] - means[1]), 10.0, 0.5) << "the two regimes were merged";
        for (double mu : means) EXPECT_NEAR(std::abs(mu - offset - 5.0), 5.0, 0.5);
        for (double v : m.covars()) EXPECT_NEAR(v, spread * spread, 0.3 * spread * spread);
      }
    }
}

// A constant feature (a bias column of ones) is not "far from the origin": its precision floor
// stays 1e-12 of its squared mean (a review found 1e-300, and a frame 1e-9 off scored -5e281).
TEST(GaussianHmm, AConstantFeatureIsNotFarFromTheOrigin) {
  std::mt19937_64 rng(2);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<double> x;
  for (int t = 0; t < 400; ++t) {
    x.push_back(((t / 50) % 2) * 4.0 + noise(rng));
    x.push_back(1.0);
  }
  GaussianOptions o;
  o.minCovar = 0;
  o.covarsPrior = 0;  // else the prior (1e-2 / frames) sets the bias column's variance
  o.nIter = 5;
  GaussianHmm m(GaussianSizes{2, 0, CovarianceType::Diag}, o);
  m.fit(frames(x, 2));
  const std::vector<double> cv = m.covars();  // [state][feature]
  for (int s = 0; s < 2; ++s) EXPECT_GE(cv[size_t(s * 2 + 1)], 0.999e-12) << "state " << s;
  EXPECT_TRUE(std::isfinite(m.score(frames(x, 2))));
}

// minCovar is hmmlearn's min_covar: added at initialisation only. As a floor after every
// M-step (before 5 Dec 2026) its default 1e-3 merged the regimes of daily returns (standard
// deviations 0.005 and 0.02: variances 2.5e-5 and 4e-4 both held at 1e-3).
TEST(GaussianHmm, MinCovarIsNotAFloorOnTheFittedVariances) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> x;
  std::vector<int> truth;
  int state = 0;
  for (int t = 0; t < 4000; ++t) {
    if (u(rng) < 0.01) state = 1 - state;
    truth.push_back(state);
    x.push_back((state ? 0.02 : 0.005) * noise(rng));
  }
  // (tied: one variance for both states, nothing to tell apart)
  for (CovarianceType type : {CovarianceType::Spherical, CovarianceType::Diag, CovarianceType::Full}) {
    SCOPED_TRACE(toString(type));
    GaussianOptions o;  // minCovar 1e-3, covarsPrior 1e-2: the defaults
    o.nIter = 100;
    o.seed = 0;
    GaussianHmm m(GaussianSizes{2, 0, type}, o);
    m.fit(frames(x, 1));
    std::vector<double> v = m.covars();
    std::sort(v.begin(), v.end());
    // covarsPrior 1e-2 over about 2,000 frames adds about 5e-6 (hmmlearn's update)
    EXPECT_NEAR(v[0], 3e-5, 1e-5);
    EXPECT_NEAR(v[1], 4e-4, 1e-4);
    const std::vector<int> path = m.decode(frames(x, 1)).states;
    int same = 0;
    for (size_t t = 0; t < path.size(); ++t) same += path[t] == truth[t];
    EXPECT_GT(std::max(same, int(path.size()) - same), 0.95 * double(path.size()));
  }
}

// The same fit, up to rounding, on data moved 1e8 from the origin (means moved by as much).
// One sequence of 9,000 frames: the E-step centres it in three blocks.
TEST(GaussianHmm, AFitMovesWithItsData) {
  std::mt19937_64 rng(9);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<double> near, far;
  for (int t = 0; t < 9000; ++t) {
    near.push_back(((t / 40) % 2 ? 6.0 : 0.0) + noise(rng));
    near.push_back(((t / 40) % 2 ? -2.0 : 1.0) + 0.5 * noise(rng));
  }
  for (size_t i = 0; i < near.size(); ++i) far.push_back(near[i] + (i % 2 ? -1e8 : 1e8));
  for (CovarianceType type : kTypes) {
    SCOPED_TRACE(toString(type));
    GaussianOptions o;
    o.nIter = 8;
    o.tol = -std::numeric_limits<double>::infinity();
    o.seed = 4;
    GaussianHmm a(GaussianSizes{2, 0, type}, o), b(GaussianSizes{2, 0, type}, o);
    a.fit(frames(near, 2));
    b.fit(frames(far, 2));
    const std::vector<double> ha = a.monitor().history, hb = b.monitor().history;
    ASSERT_EQ(ha.size(), hb.size());
    for (size_t i = 0; i < ha.size(); ++i) EXPECT_NEAR(hb[i], ha[i], 1e-6 * std::abs(ha[i])) << "iteration " << i;
    const std::vector<double> mu = a.means(), muFar = b.means(), cv = a.covars(), cvFar = b.covars();
    for (size_t i = 0; i < mu.size(); ++i) EXPECT_NEAR(muFar[i] - (i % 2 ? -1e8 : 1e8), mu[i], 1e-6);
    for (size_t i = 0; i < cv.size(); ++i) EXPECT_NEAR(cvFar[i], cv[i], 1e-6 * std::max(1.0, std::abs(cv[i])));
  }
}

// Set far from the origin relative to the spread, the diag and spherical models score their
// density (the products [x, x²]·[μ/σ², −1/(2σ²)] gave 0 instead of -0.92 at a mean of 1e10).
TEST(GaussianHmm, ParametersFarFromTheOriginScoreTheirDensity) {
  constexpr double kHalfLog2Pi = 0.91893853320467274;
  for (CovarianceType type : {CovarianceType::Diag, CovarianceType::Spherical}) {
    GaussianHmm m(GaussianSizes{1, 1, type});
    m.setStartprob({1});
    m.setTransmat({1});
    m.setMeans({1e10});
    m.setCovars({1});
    EXPECT_NEAR(m.score(frames({1e10}, 1)), -kHalfLog2Pi, 1e-9) << toString(type);
    EXPECT_NEAR(m.score(frames({1e10 - 3}, 1)), -kHalfLog2Pi - 4.5, 1e-9) << toString(type);
    m.setMeans({44100});
    m.setCovars({1e-6});
    EXPECT_NEAR(m.score(frames({44100}, 1)), -kHalfLog2Pi - 0.5 * std::log(1e-6), 1e-7) << toString(type);
  }
  // Full and tied subtract the means before the precision factor (xᵀP − μᵀP cancelled: a mean
  // of 1e15 with variance 3 scored −4.00 for −4.13 at 4 from it).
  for (CovarianceType type : {CovarianceType::Full, CovarianceType::Tied}) {
    GaussianHmm m(GaussianSizes{1, 1, type});
    m.setStartprob({1});
    m.setTransmat({1});
    m.setMeans({1e15});
    m.setCovars({3});
    EXPECT_NEAR(m.score(frames({1e15 + 4}, 1)), -kHalfLog2Pi - 0.5 * std::log(3.0) - 16.0 / 6, 1e-9) << toString(type);
  }
}

TEST(GaussianHmm, ModelFilesRoundTripAndHmmlearnDumpsLoad) {
  for (CovarianceType type : kTypes) {
    const Tiny tiny{type};
    GaussianOptions o;
    o.tol = -std::numeric_limits<double>::infinity();
    o.meansWeight = 0.5;
    const GaussianHmm a = tiny.model(o);
    const GaussianHmm b = GaussianHmm::fromJson(a.toJson());
    EXPECT_EQ(b.covarianceType(), type);
    EXPECT_EQ(b.covars(), a.covars());
    EXPECT_EQ(b.means(), a.means());
    EXPECT_EQ(b.options().meansWeight, 0.5);
    EXPECT_EQ(b.options().tol, -std::numeric_limits<double>::infinity());
    EXPECT_EQ(b.score(frames(kX, 2)), a.score(frames(kX, 2))) << toString(type);
  }
  // hmmlearn: json.dumps of the attributes; covars_ (the property) is a matrix per state.
  const std::string dump = R"({"n_components": 2, "covariance_type": "tied", "startprob_": [0.6, 0.4],
    "transmat_": [[0.7, 0.3], [0.2, 0.8]], "means_": [[0.0, 1.0], [2.0, -1.0]],
    "covars_": [[[1.3, 0.6], [0.6, 0.8]], [[1.3, 0.6], [0.6, 0.8]]], "n_features": 2})";
  const GaussianHmm fromHmmlearn = GaussianHmm::fromJson(dump);
  EXPECT_NEAR(fromHmmlearn.score(frames(kX, 2)), Tiny{CovarianceType::Tied}.model().score(frames(kX, 2)), 1e-12);
  // hmmlearn's settings and priors of the dump, under its names.
  const GaussianHmm withPriors = GaussianHmm::fromJson(
      R"({"covariance_type": "diag", "startprob_": [0.6, 0.4], "transmat_": [[0.7, 0.3], [0.2, 0.8]],
          "means_": [[0.0, 1.0], [2.0, 3.0]], "covars_": [[1.0, 2.0], [0.5, 1.5]], "min_covar": 0.01,
          "means_prior": [[0.0, 1.0], [2.0, 3.0]], "means_weight": [0.5, 2.0], "covars_prior": 0.1, "covars_weight": 3.0,
          "n_iter": 7})");
  EXPECT_EQ(withPriors.options().minCovar, 0.01);
  EXPECT_EQ(withPriors.options().meansPrior, Prior({2, 2}, {0, 1, 2, 3}));
  EXPECT_EQ(withPriors.options().meansWeight, Prior({2}, {0.5, 2}));
  EXPECT_EQ(withPriors.options().covarsPrior, Prior(0.1));
  EXPECT_EQ(withPriors.options().covarsWeight, Prior(3.0));
  EXPECT_EQ(withPriors.options().nIter, 7);
  const std::string internal = R"({"covariance_type": "spherical", "startprob_": [1.0], "transmat_": [[1.0]],
    "means_": [[0.5, 0.5, 0.5]], "_covars_": [2.0]})";
  EXPECT_EQ(GaussianHmm::fromJson(internal).fullCovars(), (std::vector<double>{2, 0, 0, 0, 2, 0, 0, 0, 2}));
  auto refused = [](const std::string& text, const std::string& words) {
    try {
      GaussianHmm::fromJson(text);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const ModelFormatError& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  refused(R"({"covariance_type": "diagonal", "startprob_": [1.0]})", "covariance");
  refused(R"({"covariance_type": "full", "startprob_": [1.0], "transmat_": [[1.0]], "means_": [[0.0, 0.0]],
    "covars_": [[[1.0, 2.0], [2.0, 1.0]]]})", "not positive definite");
  refused(R"({"startprob_": [1.0], "transmat_": [[1.0]], "means_": [[0.0, 0.0]]})", "missing 'covars'");
  refused(R"({"format": "gmmhmm-poisson-hmm", "version": 1})", "format");
}

}  // namespace
}  // namespace gmmhmm
