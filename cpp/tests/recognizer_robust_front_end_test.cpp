// The recognizer's front end against how words reach it (issue 14): cut tight, padded with
// digital silence or steady noise, files from before the robust front end.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/features/cmvn.hpp"
#include "gmmhmm/features/deltas.hpp"
#include "gmmhmm/features/frontend.hpp"
#include "gmmhmm/recognizer/recognizer.hpp"
#include "gmmhmm/recognizer/word_features.hpp"

using namespace gmmhmm::recognizer;

namespace {

constexpr double kRate = 16000;
constexpr std::size_t kShift = 160;  // 10 ms at 16 kHz

// A 0.5 s "word": a harmonic tone whose pitch glides and whose level rises and falls twice
// (two syllables), starting and ending abruptly like a recording cut tight at the word.
std::vector<float> word(unsigned seed = 1) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> gauss(0.0, 1.0);
  const std::size_t n = static_cast<std::size_t>(0.5 * kRate);
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / kRate;
    const double f0 = 110 + 80 * t;
    double v = 0;
    for (int h = 1; h <= 25; ++h) v += std::sin(2 * M_PI * f0 * h * t) / h * (h == 3 || h == 8 ? 3 : 1);
    const double envelope = 0.3 + 0.7 * std::pow(std::sin(2 * M_PI * t / 0.5), 2);
    x[i] = static_cast<float>(0.15 * v * envelope + 0.002 * gauss(rng));
  }
  return x;
}

double rmsDbfs(const std::vector<float>& x) {
  double s = 0;
  for (float v : x) s += static_cast<double>(v) * v;
  return 10.0 * std::log10(s / static_cast<double>(x.size()));
}

enum class Pad { Zeros, White, Pink };

// `samples` with `frames` frame shifts of padding on both sides, at `dbfs` RMS for noise.
std::vector<float> padded(const std::vector<float>& samples, std::size_t frames, Pad kind, double dbfs = -60) {
  std::mt19937 rng(7);
  std::normal_distribution<double> gauss(0.0, 1.0);
  const double rms = std::pow(10.0, dbfs / 20.0);
  const std::size_t n = frames * kShift;
  std::vector<float> pad(2 * n, 0.0f);
  double b0 = 0, b1 = 0, b2 = 0, energy = 0;
  std::vector<double> raw(2 * n);
  for (std::size_t i = 0; i < 2 * n && kind != Pad::Zeros; ++i) {
    const double w = gauss(rng);
    if (kind == Pad::White) {
      raw[i] = w;
    } else {  // a three-pole approximation of 1/f noise
      b0 = 0.99765 * b0 + w * 0.0990460;
      b1 = 0.96300 * b1 + w * 0.2965164;
      b2 = 0.57000 * b2 + w * 1.0526913;
      raw[i] = b0 + b1 + b2 + w * 0.1848;
    }
    energy += raw[i] * raw[i];
  }
  for (std::size_t i = 0; i < 2 * n && kind != Pad::Zeros; ++i) pad[i] = static_cast<float>(raw[i] * rms / std::sqrt(energy / (2.0 * n)));
  std::vector<float> out(pad.begin(), pad.begin() + static_cast<std::ptrdiff_t>(n));
  out.insert(out.end(), samples.begin(), samples.end());
  out.insert(out.end(), pad.begin() + static_cast<std::ptrdiff_t>(n), pad.end());
  return out;
}

RowMatrix features(const std::vector<float>& x, const WordFeatureOptions& o = WordFeatureOptions(), UtteranceInfo* info = nullptr) {
  return wordFeatures(x.data(), x.size(), kRate, o, info);
}

}  // namespace

TEST(RobustFrontEnd, DigitalSilenceAroundAWordChangesNothing) {
  const auto tight = word();
  const RowMatrix f = features(tight);
  UtteranceInfo previous;
  for (std::size_t frames : {1, 30, 100}) {
    UtteranceInfo info;
    const RowMatrix g = features(padded(tight, frames, Pad::Zeros), WordFeatureOptions(), &info);
    ASSERT_EQ(g.rows(), f.rows()) << frames << " frames of silence";
    EXPECT_LT((g - f).cwiseAbs().maxCoeff(), 1e-9) << frames << " frames of silence";
    // The kept frames are the word's wherever it lies (the tight cut's own range is clamped
    // to its frames: the frames straddling its edges exist only with padding).
    if (frames == 100) {
      EXPECT_EQ(info.kept.first - 100, previous.kept.first - 30);
      EXPECT_EQ(info.kept.last - 100, previous.kept.last - 30);
    }
    previous = info;
  }
}

TEST(RobustFrontEnd, QuietNoiseAroundAWordChangesAlmostNothing) {
  const auto tight = word();
  const RowMatrix f = features(tight);
  for (const Pad kind : {Pad::White, Pad::Pink}) {
    for (const double dbfs : {-90.0, -60.0}) {
      const RowMatrix g = features(padded(tight, 30, kind, dbfs));
      ASSERT_EQ(g.rows(), f.rows()) << "noise at " << dbfs << " dBFS";
      // The C0 column of the frames between the word and the noise differs a little.
      EXPECT_LT((g - f).cwiseAbs().mean(), 0.05) << "noise at " << dbfs << " dBFS";
    }
  }
}

TEST(RobustFrontEnd, SteadyNoiseNearTheWordsLevelIsCutAtTheEdges) {
  const auto tight = word();
  UtteranceInfo a, b;
  features(tight, WordFeatureOptions(), &a);
  for (const Pad kind : {Pad::White, Pad::Pink}) {
    // 15 and 10 dB below the word's RMS: well within the 30 dB that a trim relative to the
    // loudest frame keeps.
    for (const double below : {15.0, 10.0}) {
      const double dbfs = rmsDbfs(tight) - below;
      const RowMatrix g = features(padded(tight, 40, kind, dbfs), WordFeatureOptions(), &b);
      EXPECT_NEAR(static_cast<double>(b.kept.first - 40), static_cast<double>(a.kept.first), 2.0) << dbfs;
      EXPECT_NEAR(static_cast<double>(b.kept.last - 40), static_cast<double>(a.kept.last), 2.0) << dbfs;
      WordFeatureOptions noEdges;
      noEdges.noiseEdges = false;
      EXPECT_GT(features(padded(tight, 40, kind, dbfs), noEdges).rows(), g.rows() + 40)
          << "without noiseEdges the padding is kept (the test would not see the difference)";
    }
  }
}

// Noise that stops where the recording of the word begins (a word padded with noise, a fan
// switched off): as loud as the word's quiet parts or louder. Where the noise stops the search
// starts afresh, so the word's quiet onset and decay, quieter than that noise, are kept and
// the noise is not.
TEST(RobustFrontEnd, NoiseThatStopsAtTheWordIsCutButNotTheWordsQuietParts) {
  const auto tight = word();
  UtteranceInfo a, b;
  features(tight, WordFeatureOptions(), &a);
  for (const Pad kind : {Pad::White, Pad::Pink}) {
    for (const double below : {5.0, 0.0}) {
      const double dbfs = rmsDbfs(tight) - below;
      features(padded(tight, 40, kind, dbfs), WordFeatureOptions(), &b);
      EXPECT_NEAR(static_cast<double>(b.kept.first - 40), static_cast<double>(a.kept.first), 2.0) << dbfs;
      EXPECT_NEAR(static_cast<double>(b.kept.last - 40), static_cast<double>(a.kept.last), 2.0) << dbfs;
    }
  }
}

// A word that starts with a long steady sound as loud as its loudest part (a held vowel
// after a tight cut) and then decays: steady and then quieter, like noise that stops, but the
// loudest frame is in it, so it is the word.
TEST(RobustFrontEnd, AHeldVowelAtATightCutIsNotNoise) {
  const std::size_t n = static_cast<std::size_t>(0.6 * kRate);
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / kRate;
    double v = 0;
    for (int h = 1; h <= 20; ++h) v += std::sin(2 * M_PI * 120 * h * t) / h;
    const double envelope = t < 0.35 ? 1.0 : std::exp(-(t - 0.35) / 0.06);
    x[i] = static_cast<float>(0.2 * v * envelope);
  }
  UtteranceInfo info;
  const RowMatrix f = features(x, WordFeatureOptions(), &info);
  EXPECT_LE(info.kept.first, 1);
  EXPECT_GT(f.rows(), 35);
}

TEST(RobustFrontEnd, SteadyNoiseWithAClickGivesNoFrames) {
  // A hiss with one loud click (a mouse button): the click is the loudest frame, the hiss is
  // steady noise below it from end to end, and one frame is no sound.
  std::mt19937 rng(3);
  std::normal_distribution<double> gauss(0.0, 1.0);
  std::vector<float> hiss(static_cast<std::size_t>(kRate));
  for (auto& s : hiss) s = static_cast<float>(0.01 * gauss(rng));
  for (std::size_t i = 8000; i < 8040; ++i) hiss[i] += (i % 2 ? 0.5f : -0.5f);
  UtteranceInfo info;
  EXPECT_EQ(features(hiss, WordFeatureOptions(), &info).rows(), 0);
  EXPECT_TRUE(info.onlySteadyNoise);
  // A word keeps its frames and is not called noise.
  EXPECT_GT(features(word(), WordFeatureOptions(), &info).rows(), 40);
  EXPECT_FALSE(info.onlySteadyNoise);
}

TEST(RobustFrontEnd, TheFloorDoesNotMakeAWhistleOrAHumLookSteadier) {
  // A whistle: one partial gliding 300 -> 600 Hz, its level rising from nothing and falling
  // back. Its energy is in one or two bands; the others sit at the floor, whose log does not
  // move. Its steadiness must be measured as without the floor (as the "not-speech"
  // thresholds were), not diluted by 20 constant bands.
  const std::size_t n = static_cast<std::size_t>(0.5 * kRate);
  std::vector<float> whistle(n), hum(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / kRate;
    whistle[i] = static_cast<float>(0.5 * std::sin(M_PI * t / 0.5) * std::sin(2 * M_PI * (300 + 300 * t / 0.5) * t));
    hum[i] = static_cast<float>(0.3 * std::sin(2 * M_PI * 100 * t) + 0.1 * std::sin(2 * M_PI * 300 * t));
  }
  const double minSpreadDb = RejectionOptions().minSpreadDb;
  UtteranceInfo floored, plain;
  WordFeatureOptions noFloor;
  noFloor.floorDb = 0;
  features(whistle, WordFeatureOptions(), &floored);
  features(whistle, noFloor, &plain);
  EXPECT_GT(floored.steady.levelSpreadDb, 2 * minSpreadDb);
  EXPECT_NEAR(floored.steady.levelSpreadDb, plain.steady.levelSpreadDb, 0.25 * plain.steady.levelSpreadDb);
  // A steady hum stays steady.
  features(hum, WordFeatureOptions(), &floored);
  EXPECT_LT(floored.steady.levelSpreadDb, minSpreadDb);
}

TEST(RobustFrontEnd, ANoiseBurstInQuieterNoiseOfItsKindIsAsSteadyAsInSilence) {
  // 0.4 and 0.8 s of white noise at -20 to -40 dBFS, padded with 0.5 s of silence or of the
  // same noise at -50 dBFS: the step between the two levels is no change of the sound, so the
  // burst is as steady either way (the "not-speech" test). A word padded with that noise is
  // not made steady by it.
  const double minSpreadDb = RejectionOptions().minSpreadDb;
  std::mt19937 rng(3);
  std::normal_distribution<double> gauss(0.0, 1.0);
  for (const double seconds : {0.4, 0.8}) {
    for (const double dbfs : {-20.0, -30.0, -40.0}) {
      std::vector<float> burst(static_cast<std::size_t>(seconds * kRate));
      for (float& v : burst) v = static_cast<float>(std::pow(10.0, dbfs / 20) * gauss(rng));
      UtteranceInfo silent, noisy;
      features(padded(burst, 50, Pad::Zeros), WordFeatureOptions(), &silent);
      features(padded(burst, 50, Pad::White, -50), WordFeatureOptions(), &noisy);
      EXPECT_LT(silent.steady.levelSpreadDb, minSpreadDb) << seconds << " s at " << dbfs << " dBFS in silence";
      EXPECT_LT(noisy.steady.levelSpreadDb, minSpreadDb) << seconds << " s at " << dbfs << " dBFS in noise";
    }
  }
  for (const Pad kind : {Pad::White, Pad::Pink}) {
    UtteranceInfo info;
    features(padded(word(), 50, kind, -50), WordFeatureOptions(), &info);
    EXPECT_GT(info.steady.levelSpreadDb, 2 * minSpreadDb);
  }
}

TEST(RobustFrontEnd, OlderFilesComputeTheFeaturesTheyWereTrainedOn) {
  // The front end before edgePadding/floorDb/noiseEdges/trimOn: MFCC, C0 within 35 dB of the
  // loudest (+3 margin frames), deltas, CMN -- written out here as it was.
  const auto x = padded(word(), 20, Pad::White, -70);
  const WordFeatureOptions older = WordFeatureOptions::olderFiles();
  const RowMatrix mfcc = gmmhmm::features::mfcc(x.data(), x.size(), kRate, older.mfcc);
  const double drop = std::sqrt(23.0) * 35.0 * std::log(10.0) / 10.0;
  const double loudest = mfcc.col(0).maxCoeff();
  Eigen::Index first = 0, last = mfcc.rows();
  while (first < last && mfcc(first, 0) < loudest - drop) ++first;
  while (last > first && mfcc(last - 1, 0) < loudest - drop) --last;
  first = std::max<Eigen::Index>(0, first - 3);
  last = std::min<Eigen::Index>(mfcc.rows(), last + 3);
  const RowMatrix expected = gmmhmm::features::cmvn(gmmhmm::features::addDeltas(mfcc.middleRows(first, last - first), 2, 2));
  const RowMatrix got = features(x, older);
  ASSERT_EQ(got.rows(), expected.rows());
  EXPECT_EQ((got - expected).cwiseAbs().maxCoeff(), 0.0);
}

TEST(RobustFrontEnd, OptionsRoundTripAndOlderFilesLoadWithTheOlderFrontEnd) {
  WordFeatureOptions o;
  o.floorDb = 35;
  o.trimOn = "c0";
  o.noiseEdges = false;
  o.edgePadding = false;
  const WordFeatureOptions back = wordFeatureOptionsFromJson(toJson(o));
  EXPECT_EQ(back.floorDb, 35);
  EXPECT_EQ(back.trimOn, "c0");
  EXPECT_FALSE(back.noiseEdges);
  EXPECT_FALSE(back.edgePadding);
  // A file's features without the new keys: the older front end; given by a caller: defaults.
  nlohmann::json j = toJson(WordFeatureOptions::olderFiles());
  for (const char* key : {"edgePadding", "floorDb", "noiseEdges", "trimOn"}) j.erase(key);
  const WordFeatureOptions file = wordFeatureOptionsFromJson(j, WordFeatureOptions::olderFiles());
  EXPECT_FALSE(file.edgePadding);
  EXPECT_EQ(file.floorDb, 0);
  EXPECT_FALSE(file.noiseEdges);
  EXPECT_EQ(file.trimOn, "c0");
  const WordFeatureOptions given = wordFeatureOptionsFromJson(nlohmann::json::object());
  EXPECT_TRUE(given.edgePadding);
  EXPECT_EQ(given.trimOn, "power");
  EXPECT_THROW(wordFeatureOptionsFromJson({{"trimOn", "rms"}}), gmmhmm::InvalidArgument);
  EXPECT_THROW(wordFeatureOptionsFromJson({{"floorDb", -1}}), gmmhmm::InvalidArgument);
  EXPECT_THROW(wordFeatureOptionsFromJson({{"floorDb", 1e9}}), gmmhmm::InvalidArgument);
  EXPECT_THROW(wordFeatureOptionsFromJson({{"noiseEdges", 1}}), gmmhmm::Error);
}

// Noise louder than the word on both sides (a quiet speaker, a loud fan that stops while the
// word is cut out of a longer recording): its loudest frames are noise, so "holds no frame as
// loud as the loudest" cannot tell it from a held vowel; the same steady sound at both ends,
// around something else, can.
TEST(RobustFrontEnd, TheSameLoudNoiseAtBothEndsIsCutEvenWhenLouderThanTheWord) {
  const auto tight = word();
  UtteranceInfo a, b;
  features(tight, WordFeatureOptions(), &a);
  for (const Pad kind : {Pad::White, Pad::Pink}) {
    const double dbfs = rmsDbfs(tight) + 6;
    features(padded(tight, 40, kind, dbfs), WordFeatureOptions(), &b);
    EXPECT_NEAR(static_cast<double>(b.kept.first - 40), static_cast<double>(a.kept.first), 2.0) << dbfs;
    EXPECT_NEAR(static_cast<double>(b.kept.last - 40), static_cast<double>(a.kept.last), 2.0) << dbfs;
  }
}

// A word ending in a steady murmur (a nasal: "seven") and a short decay, after which padding
// noise begins. Where the noise stops, the murmur is steady and clearly below the loudest
// frame, like a quieter noise; it is kept because it is unlike the noise, as in the tight cut.
TEST(RobustFrontEnd, AWordsSteadyEndIsKeptWherePaddingNoiseStops) {
  auto tight = word();
  const std::size_t murmur = static_cast<std::size_t>(0.15 * kRate), decay = static_cast<std::size_t>(0.05 * kRate);
  for (std::size_t i = 0; i < murmur + decay; ++i) {
    const double t = static_cast<double>(i) / kRate;
    const double level = i < murmur ? 1.0 : std::exp(-(t - 0.15) / 0.012);
    tight.push_back(static_cast<float>(0.05 * level * (std::sin(2 * M_PI * 150 * t) + 0.5 * std::sin(2 * M_PI * 300 * t))));
  }
  UtteranceInfo a, b;
  features(tight, WordFeatureOptions(), &a);
  for (const Pad kind : {Pad::White, Pad::Pink}) {
    const double dbfs = rmsDbfs(tight) - 25;
    features(padded(tight, 40, kind, dbfs), WordFeatureOptions(), &b);
    EXPECT_NEAR(static_cast<double>(b.kept.last - 40), static_cast<double>(a.kept.last), 2.0) << dbfs;
  }
}
