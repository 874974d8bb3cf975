// ChainFitSession / ChainShareStatistics: the families' fit with its E-steps computed in
// shares of the sequences (as fitAsync's Workers do, each share's model built from the sizes
// alone) gives fit()'s model bit for bit, for every family and covariance type; a sequence
// no path explains is named by its index in the whole fit; mismatched statistics and shares
// are refused.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/families/categorical_hmm.hpp"
#include "gmmhmm/families/gaussian_hmm.hpp"
#include "gmmhmm/families/multinomial_hmm.hpp"
#include "gmmhmm/families/poisson_hmm.hpp"

namespace {

using namespace gmmhmm;

// Sequences sampled from `truth`, concatenated (rows of its frame width), with their lengths.
struct Data {
  std::vector<double> x;
  std::vector<Index> lengths;
  Index width = 0;
  SequenceSet set() const { return {x.data(), Index(x.size()) / width, width, lengths}; }
};

template <typename Model>
Data sampled(const Model& truth, int sequences, int length) {
  Data d;
  for (int q = 0; q < sequences; ++q) {
    const SampleResult s = truth.sample(length - (q % 7) * 10, std::uint64_t(100 + q));
    d.width = s.X.cols();
    d.x.insert(d.x.end(), s.X.data(), s.X.data() + s.X.size());
    d.lengths.push_back(s.X.rows());
  }
  return d;
}

// Fits `fresh` with fit() and a copy of it through a session whose groups are cut into
// `shares` runs, each share's E-step on `prototype` (a model of the same family and sizes).
template <typename Model>
void expectSharesGiveFitsBits(const Model& fresh, const Model& prototype, const Data& data, int shares) {
  Model direct = fresh;
  direct.fit(data.set());
  Model stepped = fresh;
  const std::unique_ptr<ChainFitSession> session = stepped.fitSession(data.set());
  const std::vector<Index> groups = session->groupSizes();
  ASSERT_GE(groups.size(), size_t(shares)) << "the data should make at least one group per share";
  std::vector<std::unique_ptr<ChainShareStatistics>> parts;
  size_t group = 0, sequence = 0;
  Index row = 0;
  for (int i = 0; i < shares; ++i) {
    const size_t endGroup = groups.size() * size_t(i + 1) / size_t(shares);
    std::vector<Index> shareGroups(groups.begin() + long(group), groups.begin() + long(endGroup));
    std::vector<Index> lengths;
    for (Index g : shareGroups)
      for (Index k = 0; k < g; ++k) lengths.push_back(data.lengths[sequence++]);
    Index rows = 0;
    for (Index len : lengths) rows += len;
    parts.push_back(prototype.shareStatistics(SequenceSet{data.x.data() + row * data.width, rows, data.width, lengths},
                                              shareGroups));
    row += rows;
    group = endGroup;
  }
  while (!session->done()) {
    const std::vector<double> parameters = session->parameters();
    std::vector<double> statistics;
    for (auto& part : parts) {
      const std::vector<double> s = part->compute(parameters);
      statistics.insert(statistics.end(), s.begin(), s.end());
    }
    session->step(statistics);
  }
  session->finish();
  EXPECT_EQ(stepped.toJson(), direct.toJson());
  EXPECT_GE(direct.monitor().iterations, 3);
}

CategoricalOptions categoricalOptions() {
  CategoricalOptions o;
  o.nIter = 6;
  o.tol = -std::numeric_limits<double>::infinity();
  o.seed = 3;
  o.transmatPrior = Prior({3, 1}, {2, 1, 1.5});
  return o;
}

CategoricalHmm categoricalTruth() {
  CategoricalHmm t(CategoricalSizes{3, 5});
  t.setStartprob({0.5, 0.3, 0.2});
  t.setTransmat({0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.2, 0.1, 0.7});
  t.setEmissionprob({0.5, 0.2, 0.1, 0.1, 0.1, 0.1, 0.5, 0.2, 0.1, 0.1, 0.05, 0.05, 0.1, 0.3, 0.5});
  return t;
}

TEST(ChainFitSession, CategoricalSharesGiveFitsModelBitForBit) {
  const Data data = sampled(categoricalTruth(), 90, 300);
  const CategoricalHmm fresh(CategoricalSizes{3, 0}, categoricalOptions());
  for (int shares : {1, 2, 3}) expectSharesGiveFitsBits(fresh, CategoricalHmm(CategoricalSizes{3, 5}), data, shares);
}

TEST(ChainFitSession, PoissonAndMultinomialSharesGiveFitsModelBitForBit) {
  PoissonHmm poissonTruth(PoissonSizes{2, 3});
  poissonTruth.setStartprob({0.6, 0.4});
  poissonTruth.setTransmat({0.9, 0.1, 0.2, 0.8});
  poissonTruth.setLambdas({1, 4, 0.5, 6, 1, 3});
  PoissonOptions po;
  po.nIter = 5;
  po.tol = -std::numeric_limits<double>::infinity();
  po.lambdasPrior = 0.5;
  po.lambdasWeight = Prior({2, 1}, {1, 2});
  expectSharesGiveFitsBits(PoissonHmm(PoissonSizes{2, 0}, po), PoissonHmm(PoissonSizes{2, 3}),
                           sampled(poissonTruth, 80, 300), 2);

  MultinomialHmm multinomialTruth(MultinomialSizes{2, 4, 6});
  multinomialTruth.setStartprob({0.6, 0.4});
  multinomialTruth.setTransmat({0.9, 0.1, 0.2, 0.8});
  multinomialTruth.setEmissionprob({0.4, 0.3, 0.2, 0.1, 0.1, 0.1, 0.3, 0.5});
  MultinomialOptions mo;
  mo.nIter = 5;
  mo.tol = -std::numeric_limits<double>::infinity();
  expectSharesGiveFitsBits(MultinomialHmm(MultinomialSizes{2, 0, 6}, mo), MultinomialHmm(MultinomialSizes{2, 4, 6}),
                           sampled(multinomialTruth, 80, 300), 3);
}

TEST(ChainFitSession, GaussianSharesGiveFitsModelBitForBitForEveryCovarianceType) {
  for (CovarianceType type : {CovarianceType::Spherical, CovarianceType::Diag, CovarianceType::Full, CovarianceType::Tied}) {
    SCOPED_TRACE(toString(type));
    GaussianHmm truth(GaussianSizes{2, 2, CovarianceType::Full});
    truth.setStartprob({0.6, 0.4});
    truth.setTransmat({0.9, 0.1, 0.2, 0.8});
    truth.setMeans({0, 0, 3, 1});
    truth.setCovars({1, 0.2, 0.2, 0.5, 0.7, 0, 0, 1.2});
    GaussianOptions o;
    o.nIter = 5;
    o.tol = -std::numeric_limits<double>::infinity();
    o.meansWeight = Prior({2}, {0.5, 1});
    expectSharesGiveFitsBits(GaussianHmm(GaussianSizes{2, 0, type}, o), GaussianHmm(GaussianSizes{2, 2, type}),
                             sampled(truth, 70, 300), 2);
  }
}

// Far from the origin (one feature 3e9 out) the statistics are centred on the states' mean,
// which the session and each share take from the same parameters: still the same bits.
TEST(ChainFitSession, GaussianSharesFarFromTheOriginGiveFitsModelBitForBit) {
  for (CovarianceType type : {CovarianceType::Diag, CovarianceType::Full}) {
    SCOPED_TRACE(toString(type));
    GaussianHmm truth(GaussianSizes{2, 2, CovarianceType::Diag});
    truth.setStartprob({0.6, 0.4});
    truth.setTransmat({0.9, 0.1, 0.2, 0.8});
    truth.setMeans({0, 3e9, 3, 3e9 + 5});
    truth.setCovars({1, 0.5, 0.7, 0.2});
    GaussianOptions o;
    o.nIter = 5;
    o.tol = -std::numeric_limits<double>::infinity();
    expectSharesGiveFitsBits(GaussianHmm(GaussianSizes{2, 0, type}, o), GaussianHmm(GaussianSizes{2, 2, type}),
                             sampled(truth, 70, 300), 2);
  }
}

// Fits `fresh` with fit(), and a copy through a session whose initialisation is left to
// "another thread": a session of a model read from the copy's own file (what fitAsync's Worker
// gets) on all the frames, whose parameters() are adopted; then initialiseHere(). Both give
// fit()'s model bit for bit.
template <typename Model>
void expectInitialisationElsewhereGivesFitsBits(const Model& fresh, const Data& data) {
  Model direct = fresh;
  direct.fit(data.set());
  for (const bool here : {false, true}) {
    SCOPED_TRACE(here ? "initialiseHere" : "adopted");
    Model stepped = fresh;
    const std::string job = stepped.toJson();
    const std::unique_ptr<ChainFitSession> session = stepped.fitSession(data.set(), ChainFitSession::Initialisation::Elsewhere);
    EXPECT_FALSE(session->initialised());
    EXPECT_THROW(session->step(), InvalidArgument);
    EXPECT_THROW(session->parameters(), InvalidArgument);
    if (here) {
      session->initialiseHere();
    } else {
      Model worker = Model::fromJson(job);
      const std::vector<double> initialised = worker.fitSession(data.set())->parameters();
      std::vector<double> wrong = initialised;
      wrong.pop_back();
      EXPECT_THROW(session->adoptInitialisation(wrong), InvalidArgument);
      wrong = initialised;
      wrong[0] = std::numeric_limits<double>::quiet_NaN();
      EXPECT_THROW(session->adoptInitialisation(wrong), InvalidArgument);
      session->adoptInitialisation(initialised);
      EXPECT_THROW(session->adoptInitialisation(initialised), InvalidArgument);  // not pending any more
    }
    EXPECT_TRUE(session->initialised());
    while (!session->done()) session->step();
    session->finish();
    EXPECT_EQ(stepped.toJson(), direct.toJson());
  }
}

TEST(ChainFitSession, AnInitialisationLeftElsewhereGivesFitsModelBitForBit) {
  const Data symbols = sampled(categoricalTruth(), 30, 200);
  expectInitialisationElsewhereGivesFitsBits(CategoricalHmm(CategoricalSizes{3, 0}, categoricalOptions()), symbols);
  PoissonHmm poissonTruth(PoissonSizes{2, 3});
  poissonTruth.setStartprob({0.6, 0.4});
  poissonTruth.setTransmat({0.9, 0.1, 0.2, 0.8});
  poissonTruth.setLambdas({1, 4, 0.5, 6, 1, 3});
  PoissonOptions po;
  po.nIter = 3;
  po.seed = (std::uint64_t(1) << 60) + 7;  // beyond a double's integers: the file keeps it
  expectInitialisationElsewhereGivesFitsBits(PoissonHmm(PoissonSizes{2, 0}, po), sampled(poissonTruth, 20, 200));
  MultinomialHmm multinomialTruth(MultinomialSizes{2, 4, 6});
  multinomialTruth.setStartprob({0.6, 0.4});
  multinomialTruth.setTransmat({0.9, 0.1, 0.2, 0.8});
  multinomialTruth.setEmissionprob({0.4, 0.3, 0.2, 0.1, 0.1, 0.1, 0.3, 0.5});
  MultinomialOptions mo;
  mo.nIter = 3;
  expectInitialisationElsewhereGivesFitsBits(MultinomialHmm(MultinomialSizes{2, 0, 6}, mo), sampled(multinomialTruth, 20, 200));
  for (CovarianceType type : {CovarianceType::Spherical, CovarianceType::Diag, CovarianceType::Full, CovarianceType::Tied}) {
    SCOPED_TRACE(toString(type));
    GaussianHmm truth(GaussianSizes{2, 2, CovarianceType::Full});
    truth.setStartprob({0.6, 0.4});
    truth.setTransmat({0.9, 0.1, 0.2, 0.8});
    truth.setMeans({0, 0, 3, 1});
    truth.setCovars({1, 0.2, 0.2, 0.5, 0.7, 0, 0, 1.2});
    GaussianOptions o;
    o.nIter = 4;
    o.nInit = 3;
    o.minCovar = 0.01;
    const Data data = sampled(truth, 20, 200);
    expectInitialisationElsewhereGivesFitsBits(GaussianHmm(GaussianSizes{2, 0, type}, o), data);
    // Means set by hand and kept (initParams without 'm'): the Worker reads them from the file.
    GaussianOptions keep = o;
    keep.initParams = "stc";
    GaussianHmm partial(GaussianSizes{2, 2, type}, keep);
    partial.setMeans({0.5, 0, 2.5, 1});
    expectInitialisationElsewhereGivesFitsBits(partial, data);
  }
}

// A symbol of probability 0 in every state, in the last share: the same message as fit()'s,
// naming the sequence by its index in the whole data; nothing installed.
TEST(ChainFitSession, ASequenceNoPathExplainsIsNamedAsFitNamesIt) {
  Data data = sampled(categoricalTruth(), 90, 300);
  for (double& x : data.x)
    if (x == 4) x = 3;
  Index at = 0;
  for (size_t q = 0; q < 77; ++q) at += data.lengths[q];
  data.x[size_t(at + 5)] = 4;  // sequence 77
  CategoricalOptions o = categoricalOptions();
  o.initParams = "";
  CategoricalHmm model(CategoricalSizes{3, 5}, o);
  model.setEmissionprob({0.5, 0.2, 0.2, 0.1, 0, 0.1, 0.5, 0.3, 0.1, 0, 0.1, 0.1, 0.3, 0.5, 0});
  const std::string before = model.toJson();
  std::string direct;
  try {
    model.fit(data.set());
  } catch (const InvalidArgument& e) {
    direct = e.what();
  }
  EXPECT_NE(direct.find("fit: sequence 77 ("), std::string::npos) << direct;
  const std::unique_ptr<ChainFitSession> session = model.fitSession(data.set());
  const std::vector<Index> groups = session->groupSizes();
  std::vector<Index> lastGroups(groups.begin() + 1, groups.end());
  std::vector<Index> lengths(data.lengths.begin() + groups[0], data.lengths.end());
  Index firstRow = 0;
  for (Index q = 0; q < groups[0]; ++q) firstRow += data.lengths[size_t(q)];
  const Index rows = Index(data.x.size()) - firstRow;
  const CategoricalHmm prototype(CategoricalSizes{3, 5});
  const auto first = prototype.shareStatistics(SequenceSet{data.x.data(), firstRow, 1, {data.lengths.begin(), data.lengths.begin() + groups[0]}},
                                               {groups[0]});
  const auto last = prototype.shareStatistics(SequenceSet{data.x.data() + firstRow, rows, 1, lengths}, lastGroups);
  std::vector<double> statistics = first->compute(session->parameters());
  const std::vector<double> rest = last->compute(session->parameters());
  statistics.insert(statistics.end(), rest.begin(), rest.end());
  try {
    session->step(statistics);
    ADD_FAILURE() << "the session took a sequence no path explains";
  } catch (const InvalidArgument& e) {
    EXPECT_EQ(std::string(e.what()), direct);
  }
  EXPECT_EQ(model.toJson(), before);
}

TEST(ChainFitSession, StatisticsAndSharesThatDoNotFitAreRefused) {
  const Data data = sampled(categoricalTruth(), 90, 300);
  CategoricalHmm model(CategoricalSizes{3, 0}, categoricalOptions());
  const std::unique_ptr<ChainFitSession> session = model.fitSession(data.set());
  EXPECT_THROW(session->step(std::vector<double>(7, 0.0)), InvalidArgument);
  const CategoricalHmm prototype(CategoricalSizes{3, 5});
  EXPECT_THROW(prototype.shareStatistics(data.set(), {1, 2}), InvalidArgument);  // 3 of 90 sequences
  const auto share = prototype.shareStatistics(data.set(), session->groupSizes());
  EXPECT_THROW(share->compute({0.5, 0.5}), InvalidArgument);  // too few parameters
  std::vector<double> parameters = session->parameters();
  parameters[0] = -1;  // startprob
  EXPECT_THROW(share->compute(parameters), InvalidArgument);
  // The session still runs to the end with the share's statistics.
  while (!session->done()) session->step(share->compute(session->parameters()));
  session->finish();
  EXPECT_EQ(model.monitor().iterations, categoricalOptions().nIter);
}

}  // namespace
