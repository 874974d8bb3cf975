// Observation uncertainty from noise at a recording's ends (features.noiseUncertainty): the
// variance it adds to each feature, carried through the DCT and the delta filters, and the
// scoring that adds it to every Gaussian's variance.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>

#include "../src/recognizer/noise_uncertainty.hpp"
#include "../src/recognizer/stacked.hpp"
#include "../src/recognizer/uncertain_scoring.hpp"
#include "gmmhmm/errors.hpp"
#include "gmmhmm/features/deltas.hpp"
#include "gmmhmm/recognizer/word_features.hpp"
#include "helpers/model_testing.hpp"
#include "random_frames.hpp"

using gmmhmm::features::CepstralTransform;
using gmmhmm::features::RowMatrix;
using namespace gmmhmm::recognizer;

namespace {

RowMatrix positiveEnergies(int frames, int bands, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.1, 10.0);
  RowMatrix e(frames, bands);
  for (Eigen::Index i = 0; i < e.size(); ++i) e.data()[i] = u(rng);
  return e;
}

// A tight "word" (a gliding harmonic tone rising and falling twice) and the same with steady
// white noise `below` dB under its RMS for `frames` 10 ms frames at both ends, at 16 kHz.
std::vector<float> word(std::size_t noiseFrames = 0, double below = 20) {
  constexpr double rate = 16000;
  const std::size_t n = 8000, pad = noiseFrames * 160;
  std::vector<float> x(n + 2 * pad, 0.0f);
  double energy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / rate, f0 = 110 + 80 * t;
    double v = 0;
    for (int h = 1; h <= 25; ++h) v += std::sin(2 * M_PI * f0 * h * t) / h;
    v *= 0.15 * (0.3 + 0.7 * std::pow(std::sin(2 * M_PI * t / 0.5), 2));
    x[pad + i] = static_cast<float>(v);
    energy += v * v;
  }
  std::mt19937 rng(3);
  std::normal_distribution<double> g(0.0, std::sqrt(energy / n) * std::pow(10.0, -below / 20));
  for (std::size_t i = 0; i < pad; ++i) {
    x[i] = static_cast<float>(g(rng));
    x[pad + n + i] = static_cast<float>(g(rng));
  }
  return x;
}

}  // namespace

TEST(NoiseUncertainty, NoNoiseAddsNoVariance) {
  const CepstralTransform dct(23, 13, 22);
  const RowMatrix e = positiveEnergies(30, 23, 1);
  const RowMatrix v = detail::noiseVariance(e, Eigen::RowVectorXd::Zero(23), dct, 2, 2, 1.0);
  ASSERT_EQ(v.rows(), 30);
  ASSERT_EQ(v.cols(), 39);
  EXPECT_EQ(v.cwiseAbs().maxCoeff(), 0.0);
}

// Noise holding half of every band's energy: each log energy may be ln 2 off. C0 of the
// orthonormal DCT is sqrt(1/B) x the sum of the logs (lifter weight 1), so its variance is
// (ln 2)^2; Kaldi's delta filter over +-2 frames has squared weights summing to 0.1, the
// second-order filter (the first convolved with itself) 0.0198.
TEST(NoiseUncertainty, VarianceFollowsTheDctAndTheDeltaFilters) {
  const int B = 23;
  const CepstralTransform dct(B, 13, 22);
  const RowMatrix e = positiveEnergies(40, B, 2);
  for (Eigen::Index t = 0; t < 40; ++t) {
    // Each frame on its own, with noise holding half of each of its bands.
    const RowMatrix row = detail::noiseVariance(e.row(t), e.row(t) * 0.5, dct, 0, 2, 1.0);
    EXPECT_NEAR(row(0, 0), std::log(2.0) * std::log(2.0), 1e-12) << "frame " << t;
  }
  // A noise estimate that is half of every frame's energy (all frames equal).
  RowMatrix flat(40, B);
  flat.rowwise() = e.row(0);
  const RowMatrix w = detail::noiseVariance(flat, e.row(0) * 0.5, dct, 2, 2, 1.0);
  const double l2 = std::log(2.0) * std::log(2.0);
  for (Eigen::Index t = 4; t < 36; ++t) {  // away from the edges' replication
    EXPECT_NEAR(w(t, 0), l2, 1e-12);
    EXPECT_NEAR(w(t, 13), 0.1 * l2, 1e-12);
    EXPECT_NEAR(w(t, 26), 0.0198 * l2, 1e-12);
  }
  // The scale multiplies the shift: variance x scale^2.
  const RowMatrix s = detail::noiseVariance(flat, e.row(0) * 0.5, dct, 2, 2, 3.0);
  EXPECT_NEAR(s(10, 5), 9.0 * w(10, 5), 1e-12);
  // Noise at or above a band's energy is capped (a share of 0.95), never infinite.
  const RowMatrix loud = detail::noiseVariance(flat, e.row(0) * 4.0, dct, 2, 2, 1.0);
  EXPECT_TRUE(loud.allFinite());
  EXPECT_NEAR(loud(10, 0), std::pow(std::log(20.0), 2), 1e-9);
}

TEST(NoiseUncertainty, ScoringWithoutUncertaintyIsTheModelsScore) {
  for (const bool endInLast : {false, true}) {
    gmmhmm::ModelConfig c;
    c.nStates = 4;
    c.nMix = 3;
    c.nFeatures = 5;
    c.covarianceType = gmmhmm::CovarianceType::Diag;
    c.topology = endInLast ? gmmhmm::Topology::LeftRight : gmmhmm::Topology::Ergodic;
    c.endInLastState = endInLast;
    const gmmhmm::GmmHmm model = gmmhmm::testing::randomModel(c, 5, 1.5);
    const RowMatrix x = randomFrames(25, 5, 9, 1.5);
    const detail::DiagonalModel m = detail::diagonalModel(model);
    ASSERT_TRUE(m.usable);
    const double exact = model.score(gmmhmm::recognizer::detail::single(x));
    EXPECT_NEAR(detail::uncertainScore(m, x, RowMatrix::Zero(25, 5)), exact, 1e-9 * std::abs(exact)) << endInLast;
    // Uncertainty makes every Gaussian wider: frames far from every mean score higher.
    const RowMatrix far = (x.array() + 8.0).matrix();
    EXPECT_GT(detail::uncertainScore(m, far, RowMatrix::Constant(25, 5, 4.0)),
              model.score(gmmhmm::recognizer::detail::single(far)));
  }
}

TEST(NoiseUncertainty, OnlyNoiseCutAtTheEndsGivesUncertainty) {
  WordFeatureOptions o;
  UtteranceInfo info;
  info.wantNoiseVariance = true;
  const auto tight = word();
  RowMatrix f = wordFeatures(tight.data(), tight.size(), 16000, o, &info);
  EXPECT_EQ(info.noiseVariance.rows(), 0) << "a tight cut: no noise, no uncertainty";
  const auto noisy = word(40, 20);
  f = wordFeatures(noisy.data(), noisy.size(), 16000, o, &info);
  ASSERT_EQ(info.noiseVariance.rows(), f.rows());
  ASSERT_EQ(info.noiseVariance.cols(), f.cols());
  EXPECT_TRUE(info.noiseVariance.allFinite());
  EXPECT_GT(info.noiseVariance.minCoeff(), 0.0);
  o.noiseUncertainty = 0;
  wordFeatures(noisy.data(), noisy.size(), 16000, o, &info);
  EXPECT_EQ(info.noiseVariance.rows(), 0) << "noiseUncertainty 0";
  UtteranceInfo training;  // addExample does not ask for it
  wordFeatures(noisy.data(), noisy.size(), 16000, WordFeatureOptions(), &training);
  EXPECT_EQ(training.noiseVariance.rows(), 0) << "not asked for";
}

TEST(NoiseUncertainty, OptionRoundTripsAndOlderFilesHaveItOff) {
  WordFeatureOptions o;
  EXPECT_EQ(o.noiseUncertainty, 0.25);
  EXPECT_TRUE(toJson(o).contains("noiseUncertainty")) << "the default is written: a file keeps its setting";
  EXPECT_EQ(wordFeatureOptionsFromJson(toJson(o), WordFeatureOptions::olderFiles()).noiseUncertainty, 0.25);
  o.noiseUncertainty = 2.5;
  EXPECT_EQ(wordFeatureOptionsFromJson(toJson(o)).noiseUncertainty, 2.5);
  nlohmann::json j = toJson(WordFeatureOptions());
  j.erase("noiseUncertainty");
  EXPECT_EQ(wordFeatureOptionsFromJson(j, WordFeatureOptions::olderFiles()).noiseUncertainty, 0.0)
      << "a recognizer file from before the option scores as it did";
  EXPECT_THROW(wordFeatureOptionsFromJson({{"noiseUncertainty", -1}}), gmmhmm::InvalidArgument);
  EXPECT_THROW(wordFeatureOptionsFromJson({{"noiseUncertainty", 11}}), gmmhmm::InvalidArgument);
  EXPECT_THROW(wordFeatureOptionsFromJson({{"noiseUncertainty", "1"}}), gmmhmm::Error);
}

// Digital silence around a recording changes nothing (the front end's first promise): not
// the features, and not the noise estimate either (silence must not dilute it).
TEST(NoiseUncertainty, DigitalSilenceAroundTheNoiseChangesNothing) {
  const auto noisy = word(40, 20);
  std::vector<float> padded(noisy.size() + 2 * 8000, 0.0f);
  std::copy(noisy.begin(), noisy.end(), padded.begin() + 8000);
  for (const double floorDb : {40.0, 0.0}) {
    WordFeatureOptions o;
    o.floorDb = floorDb;
    if (floorDb == 0) o.trimDb = 0;  // (without the floor the trim would see Kaldi's epsilon)
    UtteranceInfo a, b;
    a.wantNoiseVariance = b.wantNoiseVariance = true;
    const RowMatrix fa = wordFeatures(noisy.data(), noisy.size(), 16000, o, &a);
    wordFeatures(padded.data(), padded.size(), 16000, o, &b);
    ASSERT_GT(a.noiseVariance.rows(), 0) << floorDb;
    if (floorDb > 0) {
      ASSERT_EQ(a.noiseVariance.rows(), b.noiseVariance.rows());
      EXPECT_LT((a.noiseVariance - b.noiseVariance).cwiseAbs().maxCoeff(), 1e-6 * a.noiseVariance.cwiseAbs().maxCoeff());
    } else {
      // Without the floor the frames kept may differ; the noise estimate may not.
      ASSERT_GT(b.noiseVariance.rows(), 0);
      EXPECT_NEAR(a.noiseVariance.row(a.noiseVariance.rows() / 2).mean(), b.noiseVariance.row(b.noiseVariance.rows() / 2).mean(),
                  1e-3 * a.noiseVariance.row(a.noiseVariance.rows() / 2).mean());
    }
    (void)fa;
  }
}

// The delta features' variance is exactly what addDeltas does to independent frames, at every
// frame, the replicated ends included: addDeltas of the identity gives each output frame's
// weights on every input frame.
TEST(NoiseUncertainty, DeltaVarianceIsExactAtTheEnds) {
  const int B = 23;
  const CepstralTransform dct(B, 13, 22);
  for (const int T : {1, 2, 5, 12}) {
    const RowMatrix e = positiveEnergies(T, B, 4 + T);
    const Eigen::RowVectorXd noise = e.colwise().mean() * 0.3;
    const RowMatrix v = detail::noiseVariance(e, noise, dct, 2, 2, 1.0);
    const RowMatrix impulse = RowMatrix::Identity(T, T);
    // Column u of addDeltas(I) (T x T(order+1)) block o: the weight of input frame u in output frame t.
    RowMatrix weights(T, 3 * T);
    for (int u = 0; u < T; ++u) {
      const RowMatrix column = gmmhmm::features::addDeltas(impulse.col(u), 2, 2);  // T x 3
      for (int t = 0; t < T; ++t)
        for (int o = 0; o < 3; ++o) weights(t, o * T + u) = column(t, o);
    }
    for (int t = 0; t < T; ++t)
      for (int o = 0; o < 3; ++o)
        for (int c = 0; c < 13; ++c) {
          double expected = 0;
          for (int u = 0; u < T; ++u) expected += weights(t, o * T + u) * weights(t, o * T + u) * v(u, c);
          EXPECT_NEAR(v(t, o * 13 + c), expected, 1e-12 * (1 + expected)) << "T " << T << " frame " << t << " order " << o;
        }
  }
}

// Uncertainty scored in closed form: one state, one Gaussian, a constant added variance.
TEST(NoiseUncertainty, UncertainScoreIsTheWidenedGaussian) {
  gmmhmm::ModelConfig c;
  c.nStates = 1;
  c.nMix = 1;
  c.nFeatures = 11;
  c.covarianceType = gmmhmm::CovarianceType::Diag;
  const gmmhmm::GmmHmm model = gmmhmm::testing::randomModel(c, 3, 1.0);
  const detail::DiagonalModel m = detail::diagonalModel(model);
  const RowMatrix x = randomFrames(7, 11, 2, 2.0);
  const RowMatrix u = RowMatrix::Constant(7, 11, 0.7);
  double expected = 0;
  for (int t = 0; t < 7; ++t)
    for (int d = 0; d < 11; ++d) {
      const double v = m.variances[d] + 0.7, diff = x(t, d) - m.means[d];
      expected += -0.5 * (std::log(2 * M_PI * v) + diff * diff / v);
    }
  EXPECT_NEAR(detail::uncertainScore(m, x, u), expected, 1e-10 * std::abs(expected));
}
