// FitSession and ShareStatistics (gmmhmm/model/fit_session.hpp): the E-step computed in shares
// of the groups (as Workers do, each share with its own copy of its frames) gives fit()'s model
// bit for bit, for every covariance type, both precisions, mixture splitting and convergence;
// messages that do not fit are refused with InvalidArgument. And the float32 kernels stay
// within their stated tolerance of the float64 path.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "gmmhmm/model/fit_session.hpp"
#include "../src/model/tuning.hpp"
#include "helpers/model_testing.hpp"

namespace gmmhmm::testing {
namespace {

// 60 sequences of 90-170 frames: about 7,800 frames, so the core makes 2 groups (at most
// 4,096 frames each); 4 features with offsets and scales far from 0 and 1.
Frames trainingFrames(unsigned seed = 5) {
  ModelConfig c;
  c.nStates = 3;
  c.nMix = 2;
  c.nFeatures = 4;
  c.covarianceType = CovarianceType::Full;
  const GmmHmm truth = randomModel(c, seed, 3.0);
  std::vector<Index> lengths;
  for (int q = 0; q < 60; ++q) lengths.push_back(90 + (q * 37) % 81);
  Frames f = sampledFrames(truth, lengths, seed);
  for (Index t = 0; t < f.nFrames(); ++t) {
    f.X[t * 4 + 1] = 40.0 + 0.1 * f.X[t * 4 + 1];
    f.X[t * 4 + 3] = -500.0 + 20.0 * f.X[t * 4 + 3];
  }
  return f;
}

// The frames of sequences [q0, q1) as their own copy.
Frames copyOf(const Frames& f, Index q0, Index q1) {
  Frames out;
  out.nFeatures = f.nFeatures;
  for (Index q = q0; q < q1; ++q) {
    const SequenceSet s = f.sequence(q);
    out.X.insert(out.X.end(), s.data, s.data + s.nFrames * s.nFeatures);
    out.lengths.push_back(s.nFrames);
  }
  return out;
}

// fit() through a FitSession whose groups are cut into `shares` runs of consecutive groups.
std::string fitInShares(const ModelConfig& config, const Frames& data, int shares) {
  GmmHmm model(config);
  FitSession session(model, data.all());
  const std::vector<Index> groups = session.groupSizes();
  const std::vector<double> setup = session.shareSetup();
  std::vector<Frames> frames;
  std::vector<std::unique_ptr<ShareStatistics>> parts;
  const int n = std::min<int>(shares, static_cast<int>(groups.size()));
  Index g = 0, q = 0;
  for (int i = 0; i < n; ++i) {
    const Index gEnd = static_cast<Index>(groups.size()) * (i + 1) / n;
    std::vector<Index> sizes(groups.begin() + g, groups.begin() + gEnd);
    Index qEnd = q;
    for (Index s : sizes) qEnd += s;
    frames.push_back(copyOf(data, q, qEnd));
    g = gEnd;
    q = qEnd;
  }
  g = 0;
  for (int i = 0; i < n; ++i) {
    const Index gEnd = static_cast<Index>(groups.size()) * (i + 1) / n;
    parts.push_back(std::make_unique<ShareStatistics>(
        setup, frames[i].all(), std::vector<Index>(groups.begin() + g, groups.begin() + gEnd)));
    g = gEnd;
  }
  while (!session.done()) {
    const std::vector<double> p = session.parameters();
    std::vector<double> all;
    for (auto& part : parts) {
      const std::vector<double> s = part->compute(p);
      all.insert(all.end(), s.begin(), s.end());
    }
    session.step(all);
  }
  session.finish();
  return model.toJson();
}

ModelConfig configFor(CovarianceType type, Precision precision, bool splitting) {
  ModelConfig c;
  c.nStates = 3;
  c.nMix = splitting ? 4 : 2;
  c.covarianceType = type;
  c.topology = Topology::LeftRight;
  c.precision = precision;
  c.mixtureSplitting = splitting;
  c.splitIterations = 2;
  c.nIter = 6;
  c.tol = 0;
  c.seed = 11;
  return c;
}

TEST(FitSession, SharesOfTheGroupsGiveFitsModelBitForBit) {
  const Frames data = trainingFrames();
  for (CovarianceType type : {CovarianceType::Diag, CovarianceType::Spherical, CovarianceType::Full, CovarianceType::Tied})
    for (Precision precision : {Precision::Float64, Precision::Float32})
      for (bool splitting : {false, true}) {
        SCOPED_TRACE(::testing::Message() << toString(type) << " " << toString(precision) << (splitting ? " split" : ""));
        const ModelConfig c = configFor(type, precision, splitting);
        GmmHmm reference(c);
        reference.fit(data.all());
        const std::string expected = reference.toJson();
        for (int shares : {1, 2, 3}) EXPECT_EQ(fitInShares(c, data, shares), expected) << shares << " shares";
      }
}

// fit() with its mixture initialisation computed elsewhere (runInitialisation on a copy of
// the frames, as a Worker does) and adopted; the E-steps in place.
std::string fitInitialisedElsewhere(const ModelConfig& config, const Frames& data) {
  GmmHmm model(config);
  FitSession session(model, data.all(), FitSession::Initialisation::Elsewhere);
  const std::vector<double> job = session.initialisationJob();
  if (!job.empty()) {
    const Frames copy = copyOf(data, 0, static_cast<Index>(data.lengths.size()));
    session.adoptInitialisation(runInitialisation(job, copy.all()));
  }
  while (!session.done()) session.step();
  session.finish();
  return model.toJson();
}

TEST(FitSession, AnInitialisationComputedElsewhereGivesFitsModelBitForBit) {
  const Frames data = trainingFrames();
  for (CovarianceType type : {CovarianceType::Diag, CovarianceType::Spherical, CovarianceType::Full, CovarianceType::Tied})
    for (Topology topology : {Topology::LeftRight, Topology::Ergodic})
      for (bool splitting : {false, true}) {
        SCOPED_TRACE(::testing::Message() << toString(type) << " " << toString(topology) << (splitting ? " split" : ""));
        ModelConfig c = configFor(type, Precision::Float64, splitting);
        c.topology = topology;
        c.nInit = 3;
        c.seed = (std::uint64_t(0x9e3779b9) << 32) | 0x7f4a7c15u;  // both halves of the seed matter
        GmmHmm reference(c);
        reference.fit(data.all());
        EXPECT_EQ(fitInitialisedElsewhere(c, data), reference.toJson());
      }
}

// Frames far from the origin are fitted centred on their mean (fit_session.cpp): the shares
// and an initialisation elsewhere centre theirs by the set-up's origin, to the same bits.
TEST(FitSession, FramesFarFromTheOriginGiveTheSameModelInSharesAndElsewhere) {
  Frames data = trainingFrames(7);
  for (Index t = 0; t < data.nFrames(); ++t) data.X[t * 4 + 2] += 3e9;
  for (CovarianceType type : {CovarianceType::Diag, CovarianceType::Full})
    for (Precision precision : {Precision::Float64, Precision::Float32}) {
      SCOPED_TRACE(::testing::Message() << toString(type) << " " << toString(precision));
      ModelConfig c = configFor(type, precision, false);
      c.nInit = 2;
      GmmHmm reference(c);
      reference.fit(data.all());
      const std::string expected = reference.toJson();
      EXPECT_EQ(fitInShares(c, data, 2), expected);
      if (precision == Precision::Float64) EXPECT_EQ(fitInitialisedElsewhere(c, data), expected);
      // The third feature's variances are its own (about 1 after the model's scaling), not
      // held at the old precision floor of 1e-12 × (3e9)² = 9e6.
      for (size_t k = 0; k < 6; ++k) {
        const std::vector<double> cv = reference.covars();
        const double v = type == CovarianceType::Diag ? cv[k * 4 + 2] : cv[k * 16 + 2 * 4 + 2];
        EXPECT_LT(v, 1e3) << "component " << k;
      }
    }
}

TEST(FitSession, APartialInitialisationElsewhereKeepsTheOtherParameters) {
  const Frames data = trainingFrames(6);
  ModelConfig c = configFor(CovarianceType::Diag, Precision::Float64, false);
  c.topology = Topology::Ergodic;
  GmmHmm first(c);
  first.fit(data.all());
  c.initParams = "m";  // only the means again; weights and variances as fitted
  c.nIter = 2;
  GmmHmm reference(first);
  reference.setTrainingConfig(c);
  reference.fit(data.all());
  GmmHmm elsewhere(first);
  elsewhere.setTrainingConfig(c);
  FitSession session(elsewhere, data.all(), FitSession::Initialisation::Elsewhere);
  ASSERT_FALSE(session.initialisationJob().empty());
  session.adoptInitialisation(runInitialisation(session.initialisationJob(), data.all()));
  while (!session.done()) session.step();
  session.finish();
  EXPECT_EQ(elsewhere.toJson(), reference.toJson());

  // Nothing of the mixtures initialised: no job, the session runs as it is.
  c.initParams = "st";
  elsewhere.setTrainingConfig(c);
  FitSession none(elsewhere, data.all(), FitSession::Initialisation::Elsewhere);
  EXPECT_TRUE(none.initialisationJob().empty());
  EXPECT_THROW_WITH(none.adoptInitialisation({}), InvalidArgument, "no initialisation is pending");
}

TEST(FitSession, ANotYetAdoptedInitialisationStopsEverything) {
  const Frames data = trainingFrames(7);
  ModelConfig c = configFor(CovarianceType::Diag, Precision::Float64, false);
  c.topology = Topology::Ergodic;
  GmmHmm model(c);
  const std::string before = model.toJson();
  FitSession session(model, data.all(), FitSession::Initialisation::Elsewhere);
  const std::vector<double> job = session.initialisationJob();
  ASSERT_FALSE(job.empty());
  EXPECT_THROW_WITH(session.parameters(), InvalidArgument, "has not been adopted");
  EXPECT_THROW_WITH(session.step(), InvalidArgument, "has not been adopted");
  EXPECT_THROW_WITH(session.finish(), InvalidArgument, "has not been adopted");
  EXPECT_EQ(model.toJson(), before);
  // Jobs and results that do not fit.
  std::vector<double> badJob = job;
  badJob[0] = 1;
  EXPECT_THROW_WITH(runInitialisation(badJob, data.all()), InvalidArgument, "not an initialisation message");
  badJob = job;
  badJob.pop_back();
  EXPECT_THROW_WITH(runInitialisation(badJob, data.all()), InvalidArgument, "initialisation");
  const Frames narrow = [&] {
    Frames f;
    f.nFeatures = 3;
    f.X.assign(30, 1.0);
    f.lengths = {10};
    return f;
  }();
  EXPECT_THROW_WITH(runInitialisation(job, narrow.all()), InvalidArgument, "");
  std::vector<double> result = runInitialisation(job, data.all());
  result.push_back(0);
  EXPECT_THROW_WITH(session.adoptInitialisation(result), InvalidArgument, "too many");
  result.pop_back();
  session.adoptInitialisation(result);
  EXPECT_THROW_WITH(session.adoptInitialisation(result), InvalidArgument, "no initialisation is pending");
  while (!session.done()) session.step();
  session.finish();
  GmmHmm reference(c);
  reference.fit(data.all());
  EXPECT_EQ(model.toJson(), reference.toJson());
}

TEST(FitSession, KMeansWithTooFewFramesIsRefusedBeforeTheJobLeaves) {
  ModelConfig c;
  c.nStates = 3;
  c.nMix = 1;
  Frames two;
  two.nFeatures = 2;
  two.X = {0, 1, 2, 3};
  two.lengths = {2};
  GmmHmm model(c);
  EXPECT_THROW_WITH(FitSession(model, two.all(), FitSession::Initialisation::Elsewhere), InvalidArgument,
                    "2 frames cannot initialise 3 states by k-means");
}

// Kept for the whole fit or rebuilt per group (the build's choice per precision, tuning.hpp):
// the same tiles, so the same model bit for bit.
TEST(FitSession, KeptAndRebuiltTilesGiveTheSameModel) {
  const Frames data = trainingFrames(4);
  const detail::Tuning buildDefault = detail::tuning();
  for (CovarianceType type : {CovarianceType::Diag, CovarianceType::Spherical})
    for (Precision precision : {Precision::Float64, Precision::Float32}) {
      SCOPED_TRACE(::testing::Message() << toString(type) << " " << toString(precision));
      const ModelConfig c = configFor(type, precision, true);
      std::string json[2];
      for (bool keep : {false, true}) {
        detail::tuning().cacheTiles = detail::tuning().keepFloat64Tiles = keep;
        GmmHmm model(c);
        model.fit(data.all());
        json[keep] = model.toJson();
      }
      detail::tuning() = buildDefault;
      EXPECT_EQ(json[0], json[1]);
    }
}

TEST(FitSession, StopsWhereFitStops) {
  const Frames data = trainingFrames(6);
  ModelConfig c = configFor(CovarianceType::Diag, Precision::Float64, false);
  c.nIter = 100;
  c.tol = 1e-2;
  GmmHmm reference(c);
  const Monitor& m = reference.fit(data.all());
  ASSERT_TRUE(m.converged);
  ASSERT_LT(m.iterations, 100);
  EXPECT_EQ(fitInShares(c, data, 2), reference.toJson());

  // cancel() after an iteration keeps it, as fit()'s callback does.
  GmmHmm cancelledByCallback(c);
  cancelledByCallback.fit(data.all(), [](int i, double, int) { return i < 2; });
  GmmHmm model(c);
  FitSession session(model, data.all());
  while (!session.done()) {
    const FitSession::Iteration it = session.step();
    if (it.completed && it.index == 2) session.cancel();
  }
  const Monitor& monitor = session.finish();
  EXPECT_TRUE(monitor.cancelled);
  EXPECT_EQ(monitor.iterations, 3);
  EXPECT_EQ(model.toJson(), cancelledByCallback.toJson());
}

TEST(FitSession, TheModelChangesOnlyAtFinish) {
  const Frames data = trainingFrames(7);
  ModelConfig c = configFor(CovarianceType::Diag, Precision::Float64, false);
  GmmHmm model(c);
  {
    FitSession session(model, data.all());
    session.step();
    session.step();
    EXPECT_FALSE(model.isReady());
    EXPECT_EQ(model.nFeatures(), 0);
  }  // abandoned
  EXPECT_FALSE(model.isReady());
  FitSession session(model, data.all());
  while (!session.done()) session.step();
  session.finish();
  EXPECT_TRUE(model.isReady());
  EXPECT_EQ(model.nFeatures(), 4);
  EXPECT_THROW_WITH(session.finish(), InvalidArgument, "already");
  EXPECT_THROW_WITH(session.step(), InvalidArgument, "no iteration is left");
}

TEST(FitSession, MessagesThatDoNotFitAreRefused) {
  const Frames data = trainingFrames(8);
  const ModelConfig c = configFor(CovarianceType::Diag, Precision::Float32, false);
  GmmHmm model(c);
  FitSession session(model, data.all());
  const std::vector<Index> groups = session.groupSizes();
  ASSERT_GE(groups.size(), 2u);
  const std::vector<double> setup = session.shareSetup();
  const std::vector<double> p = session.parameters();

  std::vector<double> badSetup = setup;
  badSetup[0] = 1;
  EXPECT_THROW_WITH(ShareStatistics(badSetup, data.all(), groups), InvalidArgument, "not a set-up message");
  badSetup = setup;
  badSetup[2] = 5;  // nFeatures
  EXPECT_THROW_WITH(ShareStatistics(badSetup, data.all(), groups), InvalidArgument, "");
  badSetup = setup;
  badSetup.pop_back();
  EXPECT_THROW_WITH(ShareStatistics(badSetup, data.all(), groups), InvalidArgument, "share set-up");
  std::vector<Index> badGroups = groups;
  badGroups.back() += 1;
  EXPECT_THROW_WITH(ShareStatistics(setup, data.all(), badGroups), InvalidArgument, "groups");
  badGroups = groups;
  badGroups.pop_back();
  EXPECT_THROW_WITH(ShareStatistics(setup, data.all(), badGroups), InvalidArgument, "groups");

  ShareStatistics share(setup, data.all(), groups);
  std::vector<double> badParameters = p;
  badParameters[0] = 3;
  EXPECT_THROW_WITH(share.compute(badParameters), InvalidArgument, "not a parameters message");
  badParameters = p;
  badParameters.push_back(1);
  EXPECT_THROW_WITH(share.compute(badParameters), InvalidArgument, "too many");
  badParameters = p;
  badParameters[5] = std::nan("");
  EXPECT_THROW_WITH(share.compute(badParameters), InvalidArgument, "is NaN");
  badParameters = p;
  badParameters.back() = -1;  // a variance
  EXPECT_THROW_WITH(share.compute(badParameters), InvalidArgument, "variance");

  std::vector<double> statistics = share.compute(p);
  statistics.pop_back();
  EXPECT_THROW_WITH(session.step(statistics), InvalidArgument, "statistics");
  statistics = share.compute(p);
  statistics.push_back(0);
  EXPECT_THROW_WITH(session.step(statistics), InvalidArgument, "statistics");
  // Still usable with the right statistics.
  session.step(share.compute(session.parameters()));
}

// Largest |a - b| / max(|a|, |b|, floor) over two parameter vectors.
double maxRelative(const std::vector<double>& a, const std::vector<double>& b, double floor) {
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::abs(a[i] - b[i]) / std::max({std::abs(a[i]), std::abs(b[i]), floor}));
  return worst;
}

// The same fit in float64 and in float32 (config `c` otherwise as given).
struct BothPrecisions {
  GmmHmm exact, fast;
  BothPrecisions(const ModelConfig& c, const Frames& data)
      : exact(withPrecision(c, Precision::Float64)), fast(withPrecision(c, Precision::Float32)) {
    exact.fit(data.all());
    fast.fit(data.all());
  }
  static ModelConfig withPrecision(ModelConfig c, Precision p) {
    c.precision = p;
    return c;
  }
};

// The stated precision of Precision::Float32 (fit_session / config.hpp, docs/performance.md):
// log-likelihoods within 1e-6 relative of Float64 over a whole fit, parameters within 1e-4
// (relative to their scale), on features whose offsets and scales are far from 0 and 1.
TEST(FitSession, Float32StaysWithinItsStatedToleranceOfFloat64) {
  const Frames data = trainingFrames(9);
  for (CovarianceType type : {CovarianceType::Diag, CovarianceType::Spherical}) {
    SCOPED_TRACE(toString(type));
    ModelConfig c = configFor(type, Precision::Float64, true);
    c.nIter = 10;
    const BothPrecisions both(c, data);
    const GmmHmm &exact = both.exact, &fast = both.fast;
    const auto& h64 = exact.monitor().history;
    const auto& h32 = fast.monitor().history;
    ASSERT_EQ(h64.size(), h32.size());
    double worst = 0;
    for (size_t i = 0; i < h64.size(); ++i) worst = std::max(worst, std::abs(h64[i] - h32[i]) / std::abs(h64[i]));
    const double means = maxRelative(exact.means(), fast.means(), 1.0);
    const double covars = maxRelative(exact.covars(), fast.covars(), 1e-3);
    const double weights = maxRelative(exact.weights(), fast.weights(), 1e-3);
    const double transmat = maxRelative(exact.transmat(), fast.transmat(), 1e-3);
    std::printf("float32 vs float64, %s: log-likelihood %.1e, means %.1e, covars %.1e, weights %.1e, transmat %.1e\n",
                toString(type), worst, means, covars, weights, transmat);
    EXPECT_LE(worst, 1e-6) << "log-likelihood";
    EXPECT_GT(worst, 0.0) << "float32 kernels were used";
    EXPECT_LE(means, 1e-4) << "means";
    EXPECT_LE(covars, 1e-4) << "covars";
    EXPECT_LE(weights, 1e-4) << "weights";
    EXPECT_LE(transmat, 1e-4) << "transmat";
  }
}

// Where float tiles cannot keep their precision (a component narrow against the feature's
// spread over all the data: clusters 30 to 10,000 apart with unit spread), the E-step takes
// the frames in double: the float path's log-likelihoods were 1.7e-6 relative off at 30 apart,
// 1.1e-4 at 140, nats at 10,000 (-2269.6 for -1731.9), variances there 3-4x too wide.
TEST(FitSession, Float32FallsBackWhereFloatsCannotKeepItsPrecision) {
  struct Case {
    const char* what;
    double offset, gap;
  };
  for (const Case& k : {Case{"clusters 30 apart", 0.0, 30.0}, Case{"clusters 140 apart", 0.0, 140.0},
                        Case{"clusters 1000 apart", 0.0, 1000.0}, Case{"clusters 10000 apart", 5.0, 10000.0}}) {
    for (CovarianceType type : {CovarianceType::Diag, CovarianceType::Spherical}) {
      SCOPED_TRACE(std::string(k.what) + " " + toString(type));
      Frames data;
      data.nFeatures = 1;
      std::mt19937_64 rng(5);
      std::normal_distribution<double> noise(0.0, 1.0);
      for (int t = 0; t < 1000; ++t) data.X.push_back(k.offset + ((t / 50) % 2 ? k.gap : 0.0) + noise(rng));
      data.lengths = {1000};
      ModelConfig c = makeConfig(2, 1, 1, type);
      c.nIter = 10;
      c.seed = 3;
      const BothPrecisions both(c, data);
      const GmmHmm &exact = both.exact, &fast = both.fast;
      const auto& h64 = exact.monitor().history;
      const auto& h32 = fast.monitor().history;
      ASSERT_EQ(h64.size(), h32.size());
      for (size_t i = 0; i < h64.size(); ++i) EXPECT_NEAR(h32[i], h64[i], 1e-6 * std::abs(h64[i])) << "iteration " << i;
      EXPECT_LE(maxRelative(exact.covars(), fast.covars(), 1e-3), 1e-4);
    }
  }
}

}  // namespace
}  // namespace gmmhmm::testing
