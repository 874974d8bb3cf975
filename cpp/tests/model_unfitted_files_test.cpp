// Model files of models saved before fit(): every parameter set by hand (or given by the
// topology) is written and read back, for GMMHMM and the four families. A parameter kept out of
// initParams then reaches fit() from the loaded model exactly as from the original (hmmlearn's
// pickles keep whatever attributes were set), where before the file dropped it and fit()
// started from the default.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/families/categorical_hmm.hpp"
#include "gmmhmm/families/gaussian_hmm.hpp"
#include "gmmhmm/families/multinomial_hmm.hpp"
#include "gmmhmm/families/poisson_hmm.hpp"
#include "gmmhmm/model/gmm_hmm.hpp"

namespace gmmhmm {
namespace {

const std::vector<double> kTransmat{0.9, 0.1, 0.3, 0.7};
const std::vector<double> kStartprob{0.8, 0.2};

// Frames that switch between two regimes, width values each.
std::vector<double> frames(int T, int width, bool counts) {
  std::vector<double> x;
  for (int t = 0; t < T; ++t)
    for (int d = 0; d < width; ++d) {
      const bool high = (t / 7) % 2 == 1;
      x.push_back(counts ? double((t * 3 + d) % 4 + (high ? 3 : 0)) : (high ? 2.0 : -1.0) + 0.1 * ((t * 7 + d * 3) % 5));
    }
  return x;
}

TEST(UnfittedModelFiles, AGmmHmmKeepsTheParametersSetBeforeFit) {
  ModelConfig c;
  c.nStates = 2;
  c.nMix = 2;
  c.nFeatures = 2;
  c.topology = Topology::Custom;
  c.initParams = "mcw";  // startprob and transmat: the values set
  c.nIter = 3;
  c.tol = 0;
  GmmHmm model(c);
  model.setStartprob(kStartprob);
  model.setTransmat(kTransmat);
  ASSERT_FALSE(model.isReady());

  const GmmHmm loaded = GmmHmm::fromJson(model.toJson());
  EXPECT_FALSE(loaded.isReady());
  EXPECT_EQ(loaded.startprob(), kStartprob);
  EXPECT_EQ(loaded.transmat(), kTransmat);
  EXPECT_EQ(loaded.toJson(), model.toJson());

  const std::vector<double> x = frames(60, 2, false);
  const SequenceSet data{x.data(), 60, 2, {}};
  GmmHmm a = model, b = loaded;
  a.fit(data);
  b.fit(data);
  EXPECT_EQ(b.toJson(), a.toJson());

  // Means alone (nFeatures known): written and read; covars not set stay unset.
  GmmHmm partial(c);
  partial.setMeans({0, 1, 2, 3, 4, 5, 6, 7});
  const GmmHmm back = GmmHmm::fromJson(partial.toJson());
  EXPECT_EQ(back.means(), partial.means());
  EXPECT_FALSE(back.isReady());
  EXPECT_EQ(back.toJson(), partial.toJson());

  // A file that gives means to a model of unknown nFeatures is refused, naming it.
  ModelConfig unknown = c;
  unknown.nFeatures = 0;
  std::string text = GmmHmm(unknown).toJson();
  text.insert(text.size() - 1, ",\"means\":[[[0]],[[1]]]");
  EXPECT_THROW(
      try { GmmHmm::fromJson(text); } catch (const ModelFormatError& e) {
        EXPECT_NE(std::string(e.what()).find("nFeatures must be >= 1"), std::string::npos) << e.what();
        throw;
      },
      ModelFormatError);
}

// The families: the chain set by hand survives the file, and so does the family's parameter.
template <class Model>
void expectChainKept(Model& model, const std::vector<double>& x, int T, int width) {
  ASSERT_FALSE(model.isReady());
  const Model loaded = Model::fromJson(model.toJson());
  EXPECT_FALSE(loaded.isReady());
  EXPECT_EQ(loaded.transmat(), kTransmat);
  EXPECT_EQ(loaded.startprob(), kStartprob);
  EXPECT_EQ(loaded.toJson(), model.toJson());
  const SequenceSet data{x.data(), T, width, {}};
  Model a = model, b = loaded;
  a.fit(data);
  b.fit(data);
  EXPECT_EQ(b.toJson(), a.toJson());
}

template <class Options>
Options keepChain() {
  Options o;
  o.initParams.erase(0, 2);  // "st..." -> the family's letters only
  o.nIter = 3;
  o.tol = 0;
  return o;
}

TEST(UnfittedModelFiles, TheFamiliesKeepTheParametersSetBeforeFit) {
  {
    CategoricalHmm m(CategoricalSizes{2, 4}, keepChain<CategoricalOptions>());
    m.setStartprob(kStartprob);
    m.setTransmat(kTransmat);
    std::vector<double> x;
    for (int t = 0; t < 50; ++t) x.push_back(double((t * 5) % 4));
    expectChainKept(m, x, 50, 1);
    // The emission probabilities alone (the chain by default).
    CategoricalHmm e(CategoricalSizes{2, 3});
    e.setEmissionprob({0.5, 0.4, 0.1, 0.1, 0.3, 0.6});
    const CategoricalHmm back = CategoricalHmm::fromJson(e.toJson());
    EXPECT_TRUE(back.isReady());  // the chain's uniform defaults count as set (as before)
    EXPECT_EQ(back.emissionprob(), e.emissionprob());
  }
  {
    PoissonHmm m(PoissonSizes{2, 3}, keepChain<PoissonOptions>());
    m.setStartprob(kStartprob);
    m.setTransmat(kTransmat);
    expectChainKept(m, frames(40, 3, true), 40, 3);
  }
  {
    MultinomialHmm m(MultinomialSizes{2, 3, 0}, keepChain<MultinomialOptions>());
    m.setStartprob(kStartprob);
    m.setTransmat(kTransmat);
    expectChainKept(m, frames(40, 3, true), 40, 3);
  }
  for (const CovarianceType type : {CovarianceType::Diag, CovarianceType::Full}) {
    GaussianOptions o = keepChain<GaussianOptions>();
    o.initParams = "c";  // the means set below, too
    GaussianHmm m(GaussianSizes{2, 2, type}, o);
    m.setStartprob(kStartprob);
    m.setTransmat(kTransmat);
    m.setMeans({-1, -1, 2, 2});
    const GaussianHmm loaded = GaussianHmm::fromJson(m.toJson());
    EXPECT_EQ(loaded.means(), m.means());
    expectChainKept(m, frames(60, 2, false), 60, 2);
  }
}

// The chain a model is made with is not written before fit (loading rebuilds it): an untouched
// model's file stays small whatever nStates (a 2,100-state one was 97 MB, over fromJSON's
// default 64 MiB limit), and null members of an unfitted file count as absent.
TEST(UnfittedModelFiles, TheChainAModelIsMadeWithIsNotWritten) {
  const PoissonHmm poisson(PoissonSizes{2100, 1});
  const std::string file = poisson.toJson();
  EXPECT_LT(file.size(), 2000u);
  EXPECT_EQ(file.find("\"transmat\":"), std::string::npos);
  const PoissonHmm back = PoissonHmm::fromJson(file);
  EXPECT_EQ(back.transmat(), poisson.transmat());
  EXPECT_EQ(back.toJson(), file);

  for (const Topology topology : {Topology::Ergodic, Topology::LeftRight}) {
    ModelConfig c;
    c.nStates = 3000;
    c.topology = topology;
    const GmmHmm model(c);
    const std::string text = model.toJson();
    EXPECT_LT(text.size(), 4000u);
    const GmmHmm loaded = GmmHmm::fromJson(text);
    EXPECT_EQ(loaded.transmat(), model.transmat());
    EXPECT_EQ(loaded.startprob(), model.startprob());
  }

  ModelConfig c;
  c.nStates = 2;
  std::string text = GmmHmm(c).toJson();
  text.insert(text.size() - 1, ",\"transmat\":null,\"means\":null");
  const GmmHmm withNulls = GmmHmm::fromJson(text);
  EXPECT_EQ(withNulls.toJson(), GmmHmm(c).toJson());
}

}  // namespace
}  // namespace gmmhmm
