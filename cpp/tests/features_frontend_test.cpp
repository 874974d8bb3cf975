// Front-end behaviour: frame counts, zero-frame input, option validation messages, fbank
// layout, htkCompat, dither determinism, sample-rate handling.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/features/feature_computer.hpp"
#include "gmmhmm/features/frontend.hpp"
#include "gmmhmm/features/mel_banks.hpp"

using namespace gmmhmm::features;

namespace {

std::vector<float> noise(std::size_t n, unsigned seed, float amplitude = 0.1f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, amplitude);
  std::vector<float> x(n);
  for (float& v : x) v = g(rng);
  return x;
}

// Expects InvalidArgument whose message contains every fragment.
template <typename F>
void expectInvalid(F&& f, std::initializer_list<const char*> fragments) {
  try {
    f();
    ADD_FAILURE() << "no exception; expected one mentioning " << *fragments.begin();
  } catch (const gmmhmm::InvalidArgument& e) {
    const std::string message = e.what();
    for (const char* fragment : fragments)
      EXPECT_NE(message.find(fragment), std::string::npos) << "message: " << message << "\nmissing: " << fragment;
  }
}

}  // namespace

TEST(Frontend, FrameCountsFollowKaldi) {
  const auto x = noise(16000, 1);
  MfccOptions o;
  // snipEdges: 1 + (N - 400) / 160
  EXPECT_EQ(mfcc(x.data(), 16000, 16000, o).rows(), 1 + (16000 - 400) / 160);
  EXPECT_EQ(mfcc(x.data(), 400, 16000, o).rows(), 1);
  EXPECT_EQ(mfcc(x.data(), 559, 16000, o).rows(), 1);
  EXPECT_EQ(mfcc(x.data(), 560, 16000, o).rows(), 2);
  o.snipEdges = false;  // (N + shift/2) / shift
  EXPECT_EQ(mfcc(x.data(), 16000, 16000, o).rows(), 100);
  EXPECT_EQ(mfcc(x.data(), 239, 16000, o).rows(), 1);
  EXPECT_EQ(mfcc(x.data(), 240, 16000, o).rows(), 2);
  EXPECT_EQ(mfcc(x.data(), 10, 16000, o).rows(), 0);
  // 44.1 kHz: 25 ms = 1102.5 -> 1102 samples, 10 ms = 441 (Kaldi truncates).
  MfccComputer c(MfccOptions(), 44100);
  EXPECT_EQ(c.geometry().windowSize, 1102);
  EXPECT_EQ(c.geometry().windowShift, 441);
  EXPECT_EQ(c.geometry().paddedSize, 2048);
}

TEST(Frontend, ShorterThanOneFrameGivesZeroRows) {
  const auto x = noise(399, 2);
  const RowMatrix m = mfcc(x.data(), x.size(), 16000);
  EXPECT_EQ(m.rows(), 0);
  EXPECT_EQ(m.cols(), 13);
  const RowMatrix empty = mfcc(nullptr, 0, 16000);
  EXPECT_EQ(empty.rows(), 0);
  EXPECT_EQ(fbank(x.data(), x.size(), 16000).rows(), 0);
  EXPECT_EQ(fbank(x.data(), x.size(), 16000).cols(), 23);
}

TEST(Frontend, DigitalSilenceIsFiniteAndFloored) {
  std::vector<float> zeros(4000, 0.0f);
  const RowMatrix m = mfcc(zeros.data(), zeros.size(), 16000);
  ASSERT_GT(m.rows(), 0);
  EXPECT_TRUE(m.allFinite());
  // Raw log energy floored at float epsilon, as Kaldi does.
  EXPECT_NEAR(m(0, 0), std::log(double(std::numeric_limits<float>::epsilon())), 1e-9);
  MfccOptions o;
  o.energyFloor = 1.0;
  EXPECT_NEAR(mfcc(zeros.data(), zeros.size(), 16000, o)(0, 0), 0.0, 1e-12);
}

TEST(Frontend, InputScaleMapsWebAudioToInt16Scale) {
  const auto x = noise(8000, 3);
  std::vector<float> scaled(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) scaled[i] = x[i] * 32768.0f;
  MfccOptions unscaled;
  unscaled.inputScale = 1.0;
  const RowMatrix a = mfcc(x.data(), x.size(), 16000);
  const RowMatrix b = mfcc(scaled.data(), scaled.size(), 16000, unscaled);
  EXPECT_LT((a - b).cwiseAbs().maxCoeff(), 1e-9);
}

TEST(Frontend, FbankEnergyColumnAndHtkOrder) {
  const auto x = noise(8000, 4);
  FbankOptions o;
  const RowMatrix plain = fbank(x.data(), x.size(), 16000, o);
  o.useEnergy = true;
  const RowMatrix withEnergy = fbank(x.data(), x.size(), 16000, o);
  ASSERT_EQ(withEnergy.cols(), 24);
  EXPECT_LT((withEnergy.rightCols(23) - plain).cwiseAbs().maxCoeff(), 1e-12);
  o.htkCompat = true;
  const RowMatrix htk = fbank(x.data(), x.size(), 16000, o);
  EXPECT_LT((htk.leftCols(23) - plain).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LT((htk.col(23) - withEnergy.col(0)).cwiseAbs().maxCoeff(), 1e-12);
  // MFCC energy replaces C0 and equals fbank's energy column.
  const RowMatrix m = mfcc(x.data(), x.size(), 16000);
  EXPECT_LT((m.col(0) - withEnergy.col(0)).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(Frontend, MfccHtkCompatMovesC0ToTheEnd) {
  const auto x = noise(8000, 5);
  MfccOptions o;
  o.useEnergy = false;
  const RowMatrix kaldi = mfcc(x.data(), x.size(), 16000, o);
  o.htkCompat = true;
  const RowMatrix htk = mfcc(x.data(), x.size(), 16000, o);
  EXPECT_LT((htk.leftCols(12) - kaldi.rightCols(12)).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LT((htk.col(12) - std::sqrt(2.0) * kaldi.col(0)).cwiseAbs().maxCoeff(), 1e-9);
}

TEST(Frontend, DitherIsSeededAndDeterministic) {
  std::vector<float> zeros(8000, 0.0f);
  MfccOptions o;
  o.dither = 1.0;
  const RowMatrix a = mfcc(zeros.data(), zeros.size(), 16000, o);
  const RowMatrix b = mfcc(zeros.data(), zeros.size(), 16000, o);
  EXPECT_EQ((a - b).cwiseAbs().maxCoeff(), 0.0);
  // Unit-variance dither in int16 scale: raw log energy near log(400) per frame.
  EXPECT_NEAR(a.col(0).mean(), std::log(400.0), 0.2);
  o.seed = 7;
  const RowMatrix c = mfcc(zeros.data(), zeros.size(), 16000, o);
  EXPECT_GT((a - c).cwiseAbs().maxCoeff(), 1e-3);
}

TEST(Frontend, AllWindowTypesWork) {
  const auto x = noise(4000, 6);
  for (const char* w : {"povey", "hamming", "hanning", "rectangular", "blackman"}) {
    MfccOptions o;
    o.windowType = w;
    const RowMatrix m = mfcc(x.data(), x.size(), 16000, o);
    EXPECT_TRUE(m.allFinite()) << w;
    EXPECT_EQ(m.rows(), 23) << w;
  }
  MfccOptions hamming, hanning;
  hamming.windowType = "hamming";
  hanning.windowType = "hanning";
  EXPECT_GT((mfcc(x.data(), x.size(), 16000, hamming) - mfcc(x.data(), x.size(), 16000, hanning)).cwiseAbs().maxCoeff(), 1e-3);
}

TEST(Frontend, NonPowerOfTwoFftGivesSameBandEnergies) {
  // A 400-point FFT samples the same spectrum more coarsely: features stay close.
  const auto x = noise(16000, 7);
  MfccOptions o;
  o.roundToPowerOfTwo = false;
  const RowMatrix a = mfcc(x.data(), x.size(), 16000, o);
  const RowMatrix b = mfcc(x.data(), x.size(), 16000);
  EXPECT_TRUE(a.allFinite());
  EXPECT_LT((a - b).cwiseAbs().mean(), 0.5);
}

TEST(Frontend, MelBanksAreTrianglesBetweenLowAndHighFreq) {
  MelOptions o;
  o.numMelBins = 10;
  o.lowFreq = 100;
  o.highFreq = 3000;
  const MelBanks banks(o, 8000, 256);
  ASSERT_EQ(banks.numBins(), 10);
  for (int b = 0; b < banks.numBins(); ++b) {
    const double center = banks.centerFrequencies()[b];
    EXPECT_GT(center, 100);
    EXPECT_LT(center, 3000);
    for (std::size_t i = 0; i < banks.weights(b).size(); ++i) {
      const double f = 8000.0 * (banks.firstIndex(b) + i) / 256;
      EXPECT_GT(f, 100);
      EXPECT_LE(f, 3000);  // a bin exactly at the edge may keep a rounding-size weight
      EXPECT_GE(banks.weights(b)[i], 0.0);
      EXPECT_LE(banks.weights(b)[i], 1.0);
    }
  }
  EXPECT_NEAR(melScale(inverseMelScale(1234.5)), 1234.5, 1e-9);
  EXPECT_NEAR(melScale(700), 1127 * std::log(2.0), 1e-12);
}

TEST(Frontend, BadSamplesAreNamed) {
  auto x = noise(1000, 8);
  x[123] = std::numeric_limits<float>::quiet_NaN();
  expectInvalid([&] { mfcc(x.data(), x.size(), 16000); }, {"samples[123]", "NaN"});
  x[123] = 0;
  x[999] = -std::numeric_limits<float>::infinity();
  expectInvalid([&] { fbank(x.data(), x.size(), 16000); }, {"samples[999]", "infinite"});
  expectInvalid([&] { mfcc(nullptr, 10, 16000); }, {"samples", "null"});
}

TEST(Frontend, TheFirstBadSampleIsNamedWhereverItIs) {
  // The check works on blocks of 1024 samples: bad samples at the edges of blocks, two in one
  // block, and one in a later block than another.
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  for (std::size_t at : {std::size_t(0), std::size_t(1), std::size_t(1023), std::size_t(1024), std::size_t(2047),
                         std::size_t(2048), std::size_t(4999)}) {
    auto x = noise(5000, 10);
    x[at] = (at % 2) ? nan : -inf;
    if (at + 1 < x.size()) x[at + 1] = inf;           // a second one right after it
    if (at + 1500 < x.size()) x[at + 1500] = nan;     // and one in a later block
    const std::string name = "samples[" + std::to_string(at) + "]";
    expectInvalid([&] { mfcc(x.data(), x.size(), 16000); }, {name.c_str(), (at % 2) ? "NaN" : "infinite"});
  }
  // Largest finite values and subnormals are fine.
  auto x = noise(3000, 11);
  x[5] = std::numeric_limits<float>::max();
  x[1030] = -std::numeric_limits<float>::max();
  x[2000] = std::numeric_limits<float>::denorm_min();
  EXPECT_NO_THROW(fbank(x.data(), x.size(), 16000));
}

TEST(Frontend, BadSampleRatesAreRejected) {
  const auto x = noise(1000, 9);
  for (double rate : {0.0, -16000.0, 999.0, 2e6, std::numeric_limits<double>::quiet_NaN(),
                      std::numeric_limits<double>::infinity()})
    expectInvalid([&] { mfcc(x.data(), x.size(), rate); }, {"sampleRate"});
}

TEST(Frontend, BadOptionsAreNamed) {
  const auto x = noise(1000, 10);
  auto with = [&](auto change, std::initializer_list<const char*> fragments) {
    MfccOptions o;
    change(o);
    expectInvalid([&] { mfcc(x.data(), x.size(), 16000, o); }, fragments);
  };
  with([](MfccOptions& o) { o.numCeps = 24; }, {"numCeps", "numMelBins"});
  with([](MfccOptions& o) { o.numCeps = 0; }, {"numCeps"});
  with([](MfccOptions& o) { o.numMelBins = 0; }, {"numMelBins"});
  with([](MfccOptions& o) { o.lowFreq = 4000; o.highFreq = 3000; }, {"lowFreq", "highFreq"});
  with([](MfccOptions& o) { o.lowFreq = 3000; o.highFreq = 3000; }, {"lowFreq", "highFreq"});
  with([](MfccOptions& o) { o.highFreq = 9000; }, {"highFreq", "Nyquist"});
  with([](MfccOptions& o) { o.lowFreq = 8000; }, {"lowFreq", "Nyquist"});
  with([](MfccOptions& o) { o.highFreq = -9000; }, {"highFreq"});
  with([](MfccOptions& o) { o.lowFreq = -1; }, {"lowFreq"});
  with([](MfccOptions& o) { o.frameLength = 0.05; }, {"frameLength", "samples"});
  with([](MfccOptions& o) { o.frameLength = 0; }, {"frameLength"});
  with([](MfccOptions& o) { o.frameShift = 0; }, {"frameShift"});
  with([](MfccOptions& o) { o.frameShift = -10; }, {"frameShift"});
  with([](MfccOptions& o) { o.frameShift = 0.01; }, {"frameShift", "one sample"});
  with([](MfccOptions& o) { o.frameLength = std::numeric_limits<double>::quiet_NaN(); }, {"frameLength"});
  with([](MfccOptions& o) { o.windowType = "kaiser"; }, {"windowType", "kaiser"});
  with([](MfccOptions& o) { o.preemphasisCoefficient = 1.5; }, {"preemphasisCoefficient"});
  with([](MfccOptions& o) { o.dither = -1; }, {"dither"});
  with([](MfccOptions& o) { o.inputScale = 0; }, {"inputScale"});
  with([](MfccOptions& o) { o.cepstralLifter = -1; }, {"cepstralLifter"});
  with([](MfccOptions& o) { o.energyFloor = -1; }, {"energyFloor"});
  with([](MfccOptions& o) { o.numMelBins = 200; o.numCeps = 13; }, {"numMelBins", "too large"});
}

TEST(Frontend, ComputerIsReusable) {
  MfccComputer computer(MfccOptions(), 16000);
  const auto x = noise(8000, 11), y = noise(4000, 12);
  const RowMatrix a1 = computer.compute(x.data(), x.size());
  const RowMatrix b = computer.compute(y.data(), y.size());
  const RowMatrix a2 = computer.compute(x.data(), x.size());
  EXPECT_EQ((a1 - a2).cwiseAbs().maxCoeff(), 0.0);
  EXPECT_EQ((b - mfcc(y.data(), y.size(), 16000)).cwiseAbs().maxCoeff(), 0.0);
}
