// The training E-step's fused path (tuning().fuseScaling: each sequence's scaled emissions
// computed with its responsibilities, kernels::mixtureScaledEmissions) against the path it
// replaces (state log-likelihoods, then scaled by the forward-backward): the same models to
// rounding for every covariance type, precision and topology, and, where the scaled pass
// cannot carry a sequence, the same log-space computation bit for bit.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "../src/model/tuning.hpp"
#include "helpers/model_testing.hpp"

namespace gmmhmm::testing {
namespace {

struct Fitted {
  std::vector<double> history, means, covars, weights, transmat;
  std::string json;
};

// Sets fuseScaling for its lifetime; the build's tuning comes back even if a fit throws.
class FuseScaling {
 public:
  explicit FuseScaling(bool fuse) : saved_(detail::tuning()) { detail::tuning().fuseScaling = fuse; }
  ~FuseScaling() { detail::tuning() = saved_; }
  FuseScaling(const FuseScaling&) = delete;
  FuseScaling& operator=(const FuseScaling&) = delete;

 private:
  detail::Tuning saved_;
};

Fitted fitWith(bool fuse, const ModelConfig& c, const GmmHmm& start, const Frames& data) {
  const FuseScaling tuning(fuse);
  GmmHmm model = start;
  model.setTrainingConfig(c);
  const Monitor& m = model.fit(data.all());
  return Fitted{m.history, model.means(), model.covars(), model.weights(), model.transmat(), model.toJson()};
}

TEST(FusedScaling, GivesTheModelOfStateLogLikelihoodsToRounding) {
  for (CovarianceType type : allCovarianceTypes())
    for (Topology topology : {Topology::Ergodic, Topology::LeftRight})
      for (Precision precision : {Precision::Float64, Precision::Float32}) {
        if (precision == Precision::Float32 && (type == CovarianceType::Full || type == CovarianceType::Tied)) continue;
        SCOPED_TRACE(::testing::Message() << toString(type) << " " << toString(topology) << " " << toString(precision));
        ModelConfig c = makeConfig(4, 3, 5, type, topology);
        const GmmHmm truth = randomModel(c, 21, 3.0);
        std::vector<Index> lengths;
        for (int q = 0; q < 12; ++q) lengths.push_back(40 + 7 * q);
        const Frames data = sampledFrames(truth, lengths, 8);
        const GmmHmm start = randomModel(c, 22, 3.0);
        c.nIter = 6;
        c.tol = 0;
        c.initParams = "";
        c.precision = precision;
        const Fitted fused = fitWith(true, c, start, data), unfused = fitWith(false, c, start, data);
        // float32: the statistics' weights are rounded to float, where a difference in the
        // last bits of a double moves a weight by an ulp of float now and then, and EM carries
        // it on: the tolerance float32 states against float64 (docs/performance.md).
        const bool f32 = precision == Precision::Float32;
        const double history = f32 ? 1e-6 : 1e-12, parameters = f32 ? 1e-4 : 1e-9;
        ASSERT_EQ(fused.history.size(), unfused.history.size());
        expectAllNear(fused.history, unfused.history, history, "history");
        expectAllNear(fused.means, unfused.means, parameters, "means");
        expectAllNear(fused.covars, unfused.covars, parameters, "covars");
        expectAllNear(fused.weights, unfused.weights, parameters, "weights");
        expectAllNear(fused.transmat, unfused.transmat, parameters, "transmat");
      }
}

// A left-right model that must end in its last state, whose components sit 60 standard
// deviations away from every frame: the path is forced into it at the last frame, e^-1800
// below the first state, which no scaled pass can carry. Both paths then compute in log
// space from the same state log-likelihoods (the fused path rebuilds them from the states'
// maxima and sums): the same model bit for bit.
TEST(FusedScaling, FallsBackToTheLogSpacePathWithTheSameStateLogLikelihoods) {
  ModelConfig c = makeConfig(2, 2, 1, CovarianceType::Diag, Topology::LeftRight, 1, true);
  GmmHmm start(c);
  start.setStartprob({1.0, 0.0});
  start.setTransmat({0.9, 0.1, 0.0, 1.0});
  start.setWeights({0.5, 0.5, 0.5, 0.5});
  start.setMeans({0.0, 0.5, 60.0, 61.0});
  start.setCovars({1.0, 1.0, 1.0, 1.0});
  Frames data = gaussianFrames({30, 25}, 1, 3, 0.3);
  c.nIter = 1;
  c.tol = 0;
  c.initParams = "";
  const Fitted fused = fitWith(true, c, start, data), unfused = fitWith(false, c, start, data);
  ASSERT_EQ(fused.history.size(), 1u);
  EXPECT_TRUE(std::isfinite(fused.history[0]));
  EXPECT_LT(fused.history[0], -1700.0);  // the forced last frames' e^-1800 is in it
  EXPECT_EQ(fused.json, unfused.json);
  EXPECT_EQ(fused.history[0], unfused.history[0]);
}

}  // namespace
}  // namespace gmmhmm::testing
