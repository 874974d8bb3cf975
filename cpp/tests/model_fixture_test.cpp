// Agreement with ../shared/fixtures/hmm-reference.json: scores, posteriors and Viterbi paths
// to 1e-8, and the parameters after exactly one exact EM step to 1e-6.
#include <gtest/gtest.h>

#include <cmath>

#include "helpers/model_fixture.hpp"

namespace gmmhmm {
namespace {

using testing::dataFromCase;
using testing::flatten;
using testing::modelFromCase;

const nlohmann::json& fixture() {
  static const nlohmann::json j = testing::loadJsonFile(testing::sharedPath("fixtures/hmm-reference.json"));
  return j;
}

#define REQUIRE_FIXTURE()                                                                       \
  if (fixture().is_null())                                                                      \
  GTEST_SKIP() << "../shared/fixtures/hmm-reference.json is absent: fixture agreement not checked"

void expectClose(const std::vector<double>& actual, const std::vector<double>& expected, double rel,
                 const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t i = 0; i < actual.size(); ++i)
    EXPECT_NEAR(actual[i], expected[i], rel * std::max(1.0, std::abs(expected[i]))) << what << "[" << i << "]";
}

TEST(ModelFixture, ScoresPosteriorsAndViterbiAgreeTo1e8) {
  REQUIRE_FIXTURE();
  for (const auto& c : fixture()["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const GmmHmm model = modelFromCase(c);
    const auto data = dataFromCase(c);
    const auto perSeq = model.scorePerSequence(data.all());
    double total = 0;
    for (size_t q = 0; q < data.lengths.size(); ++q) {
      const auto& ref = c["perSequence"][q];
      const double ll = ref["logLikelihood"];
      EXPECT_NEAR(perSeq[q], ll, 1e-8 * std::abs(ll));
      const auto post = model.scoreSamples(data.sequence(q));
      EXPECT_NEAR(post.logLikelihood, ll, 1e-8 * std::abs(ll));
      std::vector<double> gamma(post.posteriors.data(), post.posteriors.data() + post.posteriors.size());
      expectClose(gamma, flatten(ref["posteriors"]), 1e-8, "posteriors");
      const auto dec = model.decode(data.sequence(q));
      const double vl = ref["viterbiLogProb"];
      EXPECT_NEAR(dec.logLikelihood, vl, 1e-8 * std::abs(vl));
      std::vector<int> path;
      for (const auto& s : ref["viterbiPath"]) path.push_back(s.get<int>());
      EXPECT_EQ(dec.states, path);
      total += ll;
    }
    EXPECT_NEAR(model.score(data.all()), c["totalLogLikelihood"].get<double>(), 1e-8 * std::abs(total));
  }
}

TEST(ModelFixture, OneExactEmStepAgreesTo1e6) {
  REQUIRE_FIXTURE();
  for (const auto& c : fixture()["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    ModelConfig config;
    config.nIter = 1;
    config.initParams = "";
    config.params = "stmcw";
    config.minCovar = 0;
    GmmHmm model = modelFromCase(c, config);
    const auto data = dataFromCase(c);
    const Monitor& monitor = model.fit(data.all());
    EXPECT_EQ(monitor.iterations, 1);
    ASSERT_EQ(monitor.history.size(), 1u);
    EXPECT_NEAR(monitor.history[0], c["totalLogLikelihood"].get<double>(), 1e-8 * std::abs(monitor.history[0]));
    const auto& ref = c["afterOneEmStep"];
    expectClose(model.startprob(), flatten(ref["startprob"]), 1e-6, "startprob");
    expectClose(model.transmat(), flatten(ref["transmat"]), 1e-6, "transmat");
    expectClose(model.weights(), flatten(ref["weights"]), 1e-6, "weights");
    expectClose(model.means(), flatten(ref["means"]), 1e-6, "means");
    expectClose(model.covars(), flatten(ref["covars"]), 1e-6, "covars");
    const double after = c["totalLogLikelihoodAfterOneEmStep"];
    EXPECT_NEAR(model.score(data.all()), after, 1e-6 * std::abs(after));
  }
}

}  // namespace
}  // namespace gmmhmm
