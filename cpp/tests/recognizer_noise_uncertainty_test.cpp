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
}

TEST(NoiseUncertainty, OptionRoundTripsAndOlderFilesHaveItOff) {
  WordFeatureOptions o;
  EXPECT_EQ(o.noiseUncertainty, 0.25);
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
  UtteranceInfo a, b;
  const RowMatrix fa = wordFeatures(noisy.data(), noisy.size(), 16000, WordFeatureOptions(), &a);
  const RowMatrix fb = wordFeatures(padded.data(), padded.size(), 16000, WordFeatureOptions(), &b);
  ASSERT_EQ(fa.rows(), fb.rows());
  ASSERT_GT(a.noiseVariance.rows(), 0);
  EXPECT_LT((fa - fb).cwiseAbs().maxCoeff(), 1e-9) << a.kept.first << " " << b.kept.first;
  ASSERT_EQ(a.noiseVariance.rows(), b.noiseVariance.rows());
  EXPECT_LT((a.noiseVariance - b.noiseVariance).cwiseAbs().maxCoeff(), 1e-6 * a.noiseVariance.cwiseAbs().maxCoeff());
}
