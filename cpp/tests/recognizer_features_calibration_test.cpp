// Recognizer front end (trim, deltas, CMN, options JSON) and the softmax calibration.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/recognizer/calibration.hpp"
#include "gmmhmm/recognizer/word_features.hpp"

using namespace gmmhmm::recognizer;

namespace {

// A 0.4 s "word" (two vowel-like harmonic tones with a glide) with `pad` seconds of
// silence (or faint noise) on both sides.
std::vector<float> paddedWord(double rate, double pad, double noise = 0.0, unsigned seed = 1) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> gauss(0.0, 1.0);
  const auto padN = static_cast<std::size_t>(pad * rate);
  const auto wordN = static_cast<std::size_t>(0.4 * rate);
  std::vector<float> x(2 * padN + wordN);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(noise * gauss(rng));
  for (std::size_t i = 0; i < wordN; ++i) {
    const double t = static_cast<double>(i) / rate;
    const double f0 = 120 + 60 * t;
    double v = 0;
    for (int h = 1; h <= 20; ++h) v += std::sin(2 * M_PI * f0 * h * t) / h * (h == 4 || h == 9 ? 3 : 1);
    x[padN + i] += static_cast<float>(0.2 * v * std::sin(M_PI * static_cast<double>(i) / static_cast<double>(wordN)));
  }
  return x;
}

}  // namespace

TEST(RecognizerFeatures, WidthIsCepstraTimesDeltaOrders) {
  const auto x = paddedWord(16000, 0.0);
  const RowMatrix f = wordFeatures(x.data(), x.size(), 16000);
  EXPECT_EQ(f.cols(), 39);
  EXPECT_EQ(featureWidth(WordFeatureOptions()), 39);
  WordFeatureOptions o;
  o.deltaOrder = 1;
  EXPECT_EQ(wordFeatures(x.data(), x.size(), 16000, o).cols(), 26);
}

TEST(RecognizerFeatures, MeanNormalisedColumns) {
  const auto x = paddedWord(8000, 0.1);
  const RowMatrix f = wordFeatures(x.data(), x.size(), 8000);
  ASSERT_GT(f.rows(), 10);
  for (Eigen::Index c = 0; c < f.cols(); ++c) EXPECT_NEAR(f.col(c).mean(), 0.0, 1e-9) << "column " << c;
}

TEST(RecognizerFeatures, SilencePaddingIsTrimmed) {
  // The same word with 0.05 s and with 1 s of near-silence around it gives (almost) the same
  // number of frames: the padding is cut, up to the margin.
  const auto tight = paddedWord(16000, 0.05, 1e-5);
  const auto loose = paddedWord(16000, 1.0, 1e-5);
  UtteranceInfo tightInfo, looseInfo;
  const RowMatrix a = wordFeatures(tight.data(), tight.size(), 16000, WordFeatureOptions(), &tightInfo);
  const RowMatrix b = wordFeatures(loose.data(), loose.size(), 16000, WordFeatureOptions(), &looseInfo);
  EXPECT_NEAR(static_cast<double>(a.rows()), static_cast<double>(b.rows()), 4.0);
  EXPECT_GT(looseInfo.kept.first, 90);  // ~1 s of padding skipped (100 frames, minus the margin)
  WordFeatureOptions off;
  off.trimDb = 0;
  off.noiseEdges = false;  // (the faint noise would be cut as steady noise at the edges)
  const RowMatrix untrimmed = wordFeatures(loose.data(), loose.size(), 16000, off);
  EXPECT_GT(untrimmed.rows(), b.rows() + 180);
}

TEST(RecognizerFeatures, ADcOffsetMakesNoClickAtThePaddedEnds) {
  // A microphone's DC offset under a word padded with 1 s of digital silence: the same frames
  // kept as without the offset (the front end removes each frame's DC; the edge padding is at
  // the recording's own level, not a step from 0).
  const auto word = paddedWord(16000, 1.0, 0.0);
  std::vector<float> offset(word);
  for (float& x : offset) x += 0.05f;
  UtteranceInfo plainInfo, offsetInfo;
  const RowMatrix a = wordFeatures(word.data(), word.size(), 16000, WordFeatureOptions(), &plainInfo);
  const RowMatrix b = wordFeatures(offset.data(), offset.size(), 16000, WordFeatureOptions(), &offsetInfo);
  EXPECT_NEAR(static_cast<double>(offsetInfo.kept.first), static_cast<double>(plainInfo.kept.first), 2.0);
  EXPECT_NEAR(static_cast<double>(offsetInfo.kept.last), static_cast<double>(plainInfo.kept.last), 2.0);
  EXPECT_GT(offsetInfo.kept.first, 90);
  EXPECT_NEAR(static_cast<double>(a.rows()), static_cast<double>(b.rows()), 4.0);
}

TEST(RecognizerFeatures, ShortInputGivesNoFramesAndBadInputThrows) {
  std::vector<float> tiny(50, 0.1f);
  EXPECT_EQ(wordFeatures(tiny.data(), tiny.size(), 16000).rows(), 0);
  std::vector<float> nan = paddedWord(16000, 0.0);
  nan[100] = std::nanf("");
  EXPECT_THROW(wordFeatures(nan.data(), nan.size(), 16000), gmmhmm::InvalidArgument);
  EXPECT_THROW(wordFeatures(tiny.data(), tiny.size(), -5), gmmhmm::InvalidArgument);
  WordFeatureOptions bad;
  bad.deltaOrder = 7;
  EXPECT_THROW(validate(bad), gmmhmm::InvalidArgument);
}

TEST(RecognizerFeatures, OptionsJsonRoundTripAndErrorsNameTheKey) {
  WordFeatureOptions o;
  o.trimDb = 40;
  o.normalizeVariance = true;
  o.mfcc.lowFreq = 100;
  const WordFeatureOptions back = wordFeatureOptionsFromJson(toJson(o));
  EXPECT_EQ(back.trimDb, 40);
  EXPECT_TRUE(back.normalizeVariance);
  EXPECT_EQ(back.mfcc.lowFreq, 100);
  EXPECT_EQ(back.mfcc.highFreq, o.mfcc.highFreq);
  try {
    wordFeatureOptionsFromJson({{"trimDb", "loud"}});
    FAIL() << "no exception";
  } catch (const gmmhmm::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("trimDb"), std::string::npos) << e.what();
  }
}

TEST(RecognizerFeatures, PeakLevel) {
  std::vector<float> x(100, 0.0f);
  EXPECT_TRUE(std::isinf(peakLevelDb(x.data(), x.size())));
  x[3] = -0.5f;
  EXPECT_NEAR(peakLevelDb(x.data(), x.size()), -6.0206, 1e-3);
}

TEST(RecognizerCalibration, SoftmaxSumsToOneAndHandlesInfinity) {
  const auto p = softmaxProbabilities({-1.0, -2.0, -INFINITY}, 2.0);
  EXPECT_NEAR(p[0] + p[1] + p[2], 1.0, 1e-12);
  EXPECT_EQ(p[2], 0.0);
  EXPECT_NEAR(p[0] / p[1], std::exp(2.0), 1e-9);
  const auto u = softmaxProbabilities({-INFINITY, -INFINITY}, 1.0);
  EXPECT_DOUBLE_EQ(u[0], 0.5);
}

TEST(RecognizerCalibration, RecoversTheScaleThatGeneratedTheLabels) {
  // Scores drawn at random, truths drawn from softmax(3 · scores): the fitted scale must come
  // back near 3 (Platt's targets bias it only by O(1/n)).
  std::mt19937 rng(7);
  std::normal_distribution<double> gauss(0.0, 1.0);
  std::vector<CalibrationSample> samples;
  for (int i = 0; i < 4000; ++i) {
    CalibrationSample s;
    for (int k = 0; k < 5; ++k) s.perFrameScores.push_back(gauss(rng));
    const auto p = softmaxProbabilities(s.perFrameScores, 3.0);
    std::discrete_distribution<int> pick(p.begin(), p.end());
    s.truth = pick(rng);
    samples.push_back(s);
  }
  const CalibrationFit fit = fitSoftmaxScale(samples);
  EXPECT_NEAR(fit.scale, 3.0, 0.25);
  EXPECT_EQ(fit.samples, 4000);
  EXPECT_GT(fit.heldOutAccuracy, 0.3);
}

TEST(RecognizerCalibration, SeparableHeldOutDataGivesAFiniteScale) {
  // Every held-out example right by a wide margin: maximum likelihood would say "infinite
  // scale"; Platt's targets keep it finite, and fewer examples give a less confident fit.
  auto make = [](int n) {
    std::vector<CalibrationSample> samples;
    for (int i = 0; i < n; ++i) samples.push_back({{-1.0, -2.0, -2.5}, 0});
    return fitSoftmaxScale(samples);
  };
  const CalibrationFit few = make(3), many = make(300);
  EXPECT_TRUE(std::isfinite(few.scale));
  EXPECT_LT(few.scale, 1e3 * 0.99);
  EXPECT_LT(few.scale, many.scale);
  const double pFew = softmaxProbabilities({-1.0, -2.0, -2.5}, few.scale)[0];
  EXPECT_NEAR(pFew, 4.0 / 5.0, 0.05);  // Platt's target (n+1)/(n+2) for n = 3
}

TEST(RecognizerCalibration, NoSamplesKeepsTheFallback) {
  EXPECT_EQ(fitSoftmaxScale({}, 2.5).scale, 2.5);
  EXPECT_EQ(fitSoftmaxScale({{{-1.0}, 0}}, 2.5).scale, 2.5);  // one word: nothing to compare
}
