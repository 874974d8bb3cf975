// What listeners rely on in the core: Endpointer::lookbackSamples() bounds how far back a
// segment reported later can start (so a listener keeps only that much audio), and
// Recognizer::classify's sensitivity moves the rejection tests measured in nats per frame
// (the ratio threshold and the fit margin) and nothing else.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/features/endpointer.hpp"
#include "gmmhmm/recognizer/recognizer.hpp"
#include "helpers/audio_tools.hpp"

using namespace gmmhmm;
namespace gt = gmmhmm::testing;

namespace {

// Bursts of a tone (some longer than maxWord, some with quiet fade-ins) between pauses of
// every length, over faint noise.
std::vector<float> bursts(int rate, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<float> x;
  for (int k = 0; k < 30; ++k) {
    const int pause = int(rate * (0.05 + 1.2 * u(rng)));
    const int length = int(rate * (0.05 + 3.5 * u(rng)));
    const double fade = rate * 0.3 * u(rng);
    for (int i = 0; i < pause; ++i) x.push_back(float(0.001 * (2 * u(rng) - 1)));
    for (int i = 0; i < length; ++i) {
      const double gain = fade > 0 ? std::min(1.0, i / fade) : 1.0;
      x.push_back(float(0.3 * gain * std::sin(2 * M_PI * 440 * i / rate) + 0.001 * (2 * u(rng) - 1)));
    }
  }
  return x;
}

}  // namespace

TEST(ListeningCore, SegmentsNeverStartBeforeTheLookback) {
  for (int rate : {8000, 16000, 48000}) {
    for (double hangover : {50.0, 120.0, 400.0}) {
      features::EndpointerOptions o;
      o.hangover = hangover;
      o.postRoll = std::min(o.postRoll, hangover);
      features::Endpointer ep(rate, o);
      const std::vector<float> x = bursts(rate, 7u + std::uint32_t(rate));
      int segments = 0;
      for (std::size_t at = 0; at < x.size(); at += 333) {
        const std::size_t n = std::min<std::size_t>(333, x.size() - at);
        for (const auto& s : ep.push(x.data() + at, n)) {
          EXPECT_GE(s.startSample, ep.samplesPushed() - ep.lookbackSamples()) << rate << " Hz, hangover " << hangover;
          ++segments;
        }
      }
      for (const auto& s : ep.finish()) {
        EXPECT_GE(s.startSample, ep.samplesPushed() - ep.lookbackSamples());
        ++segments;
      }
      EXPECT_GT(segments, 20) << rate << " Hz";
      EXPECT_LT(ep.lookbackSamples(), std::int64_t(rate) * 4) << "about maxWord plus half a second";
    }
  }
}

TEST(ListeningCore, SensitivityMovesTheRatioAndFitTestsOnly) {
  if (!gt::commandExists("espeak-ng") || !gt::commandExists("sox")) GTEST_SKIP() << "espeak-ng or sox not installed";
  gt::TempDir dir;
  const int rate = 16000;
  // The template tests (3 examples per word: on by default) do not move with the sensitivity
  // (recognizer.hpp); off here, so that only what it moves decides.
  recognizer::RecognizerOptions options;
  options.rejection.templateSpreads = 0;
  options.rejection.minTemplateMargin = 0;
  recognizer::Recognizer rec(options);
  for (const std::string word : {"yes", "no"}) {
    for (const std::string voice : {"en-us+m3", "en-gb+f3", "en-us+m1"}) {
      const auto audio = gt::synthesise(dir, word, voice, 150, rate);
      rec.addExample(word, audio.samples.data(), audio.samples.size(), rate);
    }
  }
  rec.train();
  const auto probe = gt::synthesise(dir, "yes", "en-gb+m3", 140, rate);
  const auto plain = rec.classify(probe.samples.data(), probe.samples.size(), rate);
  ASSERT_FALSE(plain.label.empty());
  // Far stricter than any word's ratio and fit: refused, the same label and scores.
  const double strict = -(std::abs(plain.likelihoodRatio) + std::abs(plain.fit) + 1);
  const auto refused = rec.classify(probe.samples.data(), probe.samples.size(), rate, strict);
  EXPECT_TRUE(refused.rejected);
  EXPECT_EQ(refused.reason, "out-of-vocabulary");
  EXPECT_EQ(refused.label, plain.label);
  EXPECT_DOUBLE_EQ(refused.likelihoodRatio, plain.likelihoodRatio);
  EXPECT_DOUBLE_EQ(refused.confidence, plain.confidence);
  // Lenient enough for a word the models do not know.
  const auto stranger = gt::synthesise(dir, "banana", "en-gb+m3", 140, rate);
  const auto out = rec.classify(stranger.samples.data(), stranger.samples.size(), rate);
  if (out.reason == "out-of-vocabulary") {
    const double lenient = std::abs(out.likelihoodRatio) + std::abs(out.fit) + 1;
    const auto in = rec.classify(stranger.samples.data(), stranger.samples.size(), rate, lenient);
    EXPECT_FALSE(in.rejected) << in.reason;
  }
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    EXPECT_THROW(rec.classify(probe.samples.data(), probe.samples.size(), rate, bad), InvalidArgument);
  }
}
