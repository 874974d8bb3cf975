// Endpointer: synthesised words (espeak-ng, resampled by sox) padded with silence and
// white / pink noise at 30, 20 and 10 dB SNR; FSDD recordings padded with silence;
// clicks, long sounds, several words, streaming == batch, bad options.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/features/endpointer.hpp"
#include "helpers/audio_tools.hpp"

using namespace gmmhmm::features;
namespace gt = gmmhmm::testing;

namespace {

constexpr int kRate = 16000;

struct Extent {
  std::int64_t start = 0, end = 0;  // samples, [start, end)
};

// Power of each 10 ms hop.
std::vector<double> hopPowers(const std::vector<float>& x, int rate) {
  const int hop = rate / 100;
  std::vector<double> power;
  for (std::size_t i = 0; i + hop <= x.size(); i += hop) {
    double e = 0;
    for (int j = 0; j < hop; ++j) e += double(x[i + j]) * x[i + j];
    power.push_back(e / hop);
  }
  return power;
}

// Where a clean word is: the first and last 10 ms hop whose energy is within `rangeDb` of
// the loudest hop.
Extent wordExtent(const std::vector<float>& x, int rate, double rangeDb) {
  const int hop = rate / 100;
  std::vector<double> energy = hopPowers(x, rate);
  for (double& e : energy) e = 10 * std::log10(e + 1e-20);
  const double peak = *std::max_element(energy.begin(), energy.end());
  Extent ext{-1, -1};
  for (std::size_t h = 0; h < energy.size(); ++h)
    if (energy[h] >= peak - rangeDb) {
      if (ext.start < 0) ext.start = std::int64_t(h) * hop;
      ext.end = std::int64_t(h + 1) * hop;
    }
  return ext;
}

double meanPower(const std::vector<float>& x, std::int64_t from, std::int64_t to) {
  double e = 0;
  for (std::int64_t i = from; i < to; ++i) e += double(x[i]) * x[i];
  return e / double(to - from);
}

// Noise from sox (repeatable: -R), unit power.
std::vector<float> soxNoise(const gt::TempDir& dir, const std::string& kind, double seconds, int rate) {
  const std::string path = dir.file(kind + ".wav");
  if (!gt::run("sox -R -n -r " + std::to_string(rate) + " -b 16 -c 1 " + gt::shellQuote(path) +
               " synth " + std::to_string(seconds) + " " + kind + " vol 0.3"))
    throw std::runtime_error("sox could not synthesise " + kind);
  std::vector<float> n = gt::readWav(path).samples;
  const double power = meanPower(n, 0, static_cast<std::int64_t>(n.size()));
  for (float& v : n) v = static_cast<float>(v / std::sqrt(power));
  return n;
}

bool toolsAvailable() { return gt::commandExists("espeak-ng") && gt::commandExists("sox"); }

#define REQUIRE_TOOLS()                                                                  \
  if (!toolsAvailable()) GTEST_SKIP() << "espeak-ng or sox not installed: synthesised-word " \
                                         "endpointer tests skipped"

}  // namespace

namespace {

void checkSynthesisedWords(int kRate) {
  gt::TempDir dir;
  const std::vector<float> white = soxNoise(dir, "whitenoise", 4.0, kRate);
  const std::vector<float> pink = soxNoise(dir, "pinknoise", 4.0, kRate);
  struct Word { const char* text; const char* voice; int speed; };
  const Word words[] = {{"seven", "en", 150},       {"six", "en-us", 170},   {"banana", "en+f3", 130},
                        {"hello", "en-us+m3", 150}, {"five", "en+f2", 190}, {"stop", "en", 150}};
  const double preSeconds = 1.0, postSeconds = 1.2;
  int checked = 0;
  for (const Word& w : words) {
    const std::vector<float> clean = gt::synthesise(dir, w.text, w.voice, w.speed, kRate).samples;
    const Extent inClean = wordExtent(clean, kRate, 35.0);
    const double wordPower = meanPower(clean, inClean.start, inClean.end);
    const std::vector<double> powers = hopPowers(clean, kRate);
    const double peakPower = *std::max_element(powers.begin(), powers.end());
    const std::int64_t offset = static_cast<std::int64_t>(preSeconds * kRate);
    // The word's extent in the padded signal.
    const Extent whole{offset + inClean.start, offset + inClean.end};
    for (const char* noiseKind : {"none", "white", "pink"}) {
      for (double snr : {30.0, 20.0, 10.0}) {
        if (std::string(noiseKind) == "none" && snr != 30.0) continue;
        std::vector<float> x(static_cast<std::size_t>(offset) + clean.size() +
                                 static_cast<std::size_t>(postSeconds * kRate), 0.0f);
        std::copy(clean.begin(), clean.end(), x.begin() + offset);
        if (std::string(noiseKind) != "none") {
          const std::vector<float>& noise = std::string(noiseKind) == "white" ? white : pink;
          const float gain = static_cast<float>(std::sqrt(wordPower / std::pow(10.0, snr / 10)));
          for (std::size_t i = 0; i < x.size(); ++i) x[i] += gain * noise[i % noise.size()];
        }
        const auto segments = findSpeechSegments(x.data(), x.size(), kRate);
        const std::string what = std::string(w.text) + " (" + w.voice + ", " + std::to_string(w.speed) +
                                 " wpm) in " + noiseKind + " noise at " + std::to_string(int(snr)) + " dB, " + std::to_string(kRate) + " Hz";
        ASSERT_EQ(segments.size(), 1u) << what;
        const SpeechSegment& s = segments[0];
        // The segment must contain every 10 ms hop of the word within 35 dB of its peak and,
        // with noise, at least 3 dB above the noise power (quieter parts of the word, e.g.
        // the final /s/ of "six" in white noise at 10 dB, are below the noise and no energy
        // detector can place them), up to 30 ms.
        Extent audible = inClean;
        if (std::string(noiseKind) != "none") {
          const double noisePower = wordPower / std::pow(10.0, snr / 10);
          const double rangeDb = 10 * std::log10(peakPower / noisePower) - 3;
          audible = wordExtent(clean, kRate, std::min(35.0, rangeDb));
        }
        const Extent truth{offset + audible.start, offset + audible.end};
        const auto tol = static_cast<std::int64_t>(0.030 * kRate);
        EXPECT_LE(s.startSample, truth.start + tol) << what << ": starts " << (s.startSample - truth.start) * 1000.0 / kRate << " ms late";
        EXPECT_GE(s.endSample, truth.end - tol) << what << ": ends " << (truth.end - s.endSample) * 1000.0 / kRate << " ms early";
        // ... and the segment must not swallow much of the surrounding silence.
        EXPECT_GE(s.startSample, whole.start - kRate * 4 / 10) << what << ": starts too early";
        EXPECT_LE(s.endSample, whole.end + kRate * 4 / 10) << what << ": ends too late";
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 6 * 7);
}

}  // namespace

TEST(Endpointer, SynthesisedWordsInSilenceAndNoise16kHz) {
  REQUIRE_TOOLS();
  checkSynthesisedWords(16000);
}

TEST(Endpointer, SynthesisedWordsInSilenceAndNoise48kHz) {
  REQUIRE_TOOLS();
  checkSynthesisedWords(48000);
}

TEST(Endpointer, FsddRecordingsPaddedWithSilence) {
  const std::string shared = gt::sharedDir();
  const std::string folder = shared + "/data/fsdd/recordings";
  if (shared.empty() || !std::filesystem::is_directory(folder))
    GTEST_SKIP() << "../shared/data/fsdd not found (set GMMHMM_SHARED_DIR): FSDD endpointer test skipped";
  int checked = 0;
  for (const char* speaker : {"george", "jackson", "nicolas", "theo", "yweweler"}) {
    for (int digit = 0; digit < 10; ++digit) {
      const std::string path = folder + "/" + std::to_string(digit) + "_" + speaker + "_" + std::to_string(digit * 3 + 1) + ".wav";
      if (!std::filesystem::exists(path)) continue;
      const gt::WavAudio audio = gt::readWav(path);
      const int rate = static_cast<int>(audio.sampleRate);
      const std::int64_t pad = rate * 8 / 10;
      std::vector<float> x(audio.samples.size() + 2 * pad, 0.0f);
      std::copy(audio.samples.begin(), audio.samples.end(), x.begin() + pad);
      const Extent inRecording = wordExtent(audio.samples, rate, 25.0);
      const Extent truth{pad + inRecording.start, pad + inRecording.end};
      const auto segments = findSpeechSegments(x.data(), x.size(), rate);
      ASSERT_EQ(segments.size(), 1u) << path;
      const auto tol = rate * 20 / 1000;
      EXPECT_LE(segments[0].startSample, truth.start + tol) << path;
      EXPECT_GE(segments[0].endSample, truth.end - tol) << path;
      // Within the recording plus pre-/post-roll.
      EXPECT_GE(segments[0].startSample, pad - rate / 10) << path;
      EXPECT_LE(segments[0].endSample, pad + std::int64_t(audio.samples.size()) + rate / 10) << path;
      ++checked;
    }
  }
  EXPECT_GE(checked, 40) << "expected FSDD files named {digit}_{speaker}_{index}.wav";
}

TEST(Endpointer, ClicksAreIgnoredAndLongSoundsAreCut) {
  std::mt19937 rng(1);
  std::normal_distribution<float> g(0.0f, 0.001f);
  std::vector<float> x(3 * kRate);
  for (float& v : x) v = g(rng);
  // A 5 ms click at 1 s.
  for (int i = 0; i < kRate / 200; ++i) x[kRate + i] += 0.5f * ((i % 2) ? 1.0f : -1.0f);
  EXPECT_TRUE(findSpeechSegments(x.data(), x.size(), kRate).empty());

  // A 5 s tone from 0.5 s, then a 300 ms word at 6.5 s: the tone is cut at maxWord and then
  // taken as the new background (the noise floor jumps to it), and once it stops the floor
  // falls back at once, so the word is found.
  std::vector<float> tone(8 * kRate);
  for (std::size_t i = 0; i < tone.size(); ++i) {
    tone[i] = g(rng);
    if (i >= std::size_t(kRate / 2) && i < std::size_t(5.5 * kRate)) tone[i] += 0.3f * std::sin(0.2f * i);
    if (i >= std::size_t(6.5 * kRate) && i < std::size_t(6.8 * kRate)) tone[i] += 0.3f * std::sin(0.1f * i);
  }
  EndpointerOptions o;
  const auto pieces = findSpeechSegments(tone.data(), tone.size(), kRate, o);
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_NEAR(pieces[0].startSample, kRate / 2, 0.08 * kRate);
  EXPECT_NEAR(pieces[0].endSample - pieces[0].startSample, (o.maxWord + o.preRoll) * kRate / 1000, 0.02 * kRate);
  EXPECT_NEAR(pieces[1].startSample, 6.5 * kRate, 0.08 * kRate);
  EXPECT_NEAR(pieces[1].endSample, 6.8 * kRate, 0.08 * kRate);
}

TEST(Endpointer, TwoWordsAndStreamingEqualsBatch) {
  std::mt19937 rng(2);
  std::normal_distribution<float> g(0.0f, 0.002f);
  std::vector<float> x(4 * kRate);
  for (float& v : x) v = g(rng);
  // Two 300 ms "words" (amplitude-modulated tones) at 1.0 s and 2.2 s.
  for (double at : {1.0, 2.2})
    for (int i = 0; i < int(0.3 * kRate); ++i) {
      const std::size_t k = static_cast<std::size_t>(at * kRate) + i;
      x[k] += 0.2f * std::sin(3.14159f * i / (0.3f * kRate)) * std::sin(0.15f * k);
    }
  const auto batch = findSpeechSegments(x.data(), x.size(), kRate);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_NEAR(batch[0].startSample, 1.0 * kRate, 0.12 * kRate);
  EXPECT_NEAR(batch[1].startSample, 2.2 * kRate, 0.12 * kRate);
  EXPECT_LT(batch[0].endSample, batch[1].startSample);
  for (int blockSize : {1, 128, 333, 7919}) {
    Endpointer e(kRate);
    std::vector<SpeechSegment> streamed;
    for (std::size_t pos = 0; pos < x.size(); pos += blockSize) {
      const std::size_t n = std::min<std::size_t>(blockSize, x.size() - pos);
      for (const auto& s : e.push(x.data() + pos, n)) {
        // A word is reported once its hangover has passed.
        EXPECT_LE(s.endSample, e.samplesPushed());
        streamed.push_back(s);
      }
    }
    for (const auto& s : e.finish()) streamed.push_back(s);
    ASSERT_EQ(streamed.size(), batch.size()) << blockSize;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      EXPECT_EQ(streamed[i].startSample, batch[i].startSample) << blockSize;
      EXPECT_EQ(streamed[i].endSample, batch[i].endSample) << blockSize;
      // Where the end was decided: the hop that closed the word, whatever the blocks.
      EXPECT_EQ(streamed[i].decidedSample, batch[i].decidedSample) << blockSize;
      EXPECT_GT(streamed[i].decidedSample, streamed[i].endSample) << blockSize;
    }
  }
}

// A file cut tight at its word (FSDD's are) begins inside the word: the floor starts at the
// word's level. The word is found from the first sample, in silence and in quiet noise,
// streamed in any blocks; a stream that begins with its room's sound is cut as before.
TEST(Endpointer, AStreamThatBeginsInsideAWord) {
  REQUIRE_TOOLS();
  gt::TempDir dir;
  const std::vector<float> clean = gt::synthesise(dir, "seven", "en", 150, kRate).samples;
  const Extent inClean = wordExtent(clean, kRate, 35.0);
  // From the word's first hop within 6 dB of its loudest (its vowel: a quieter onset would
  // rise above the floor and start the word anyway); 0.6 s of silence after it.
  const std::int64_t first = wordExtent(clean, kRate, 6.0).start;
  std::vector<float> tight(clean.begin() + first, clean.begin() + inClean.end);
  const std::int64_t wordEnd = inClean.end - first;
  tight.resize(tight.size() + static_cast<std::size_t>(0.6 * kRate), 0.0f);
  std::mt19937 rng(4);
  std::normal_distribution<float> g(0.0f, 1.0f);
  const double wordPower = meanPower(tight, 0, wordEnd);
  for (const double snr : {1e9, 30.0}) {
    std::vector<float> x = tight;
    const float gain = static_cast<float>(std::sqrt(wordPower / std::pow(10.0, snr / 10)));
    for (float& v : x) v += gain * g(rng);
    const auto batch = findSpeechSegments(x.data(), x.size(), kRate);
    ASSERT_EQ(batch.size(), 1u) << "SNR " << snr;
    EXPECT_EQ(batch[0].startSample, 0) << "SNR " << snr;
    EXPECT_GE(batch[0].endSample, wordEnd - static_cast<std::int64_t>(0.030 * kRate)) << "SNR " << snr;
    for (int blockSize : {1, 160, 333, 7919}) {
      Endpointer e(kRate);
      std::vector<SpeechSegment> streamed;
      for (std::size_t pos = 0; pos < x.size(); pos += blockSize)
        for (const auto& s : e.push(x.data() + pos, std::min<std::size_t>(blockSize, x.size() - pos))) streamed.push_back(s);
      for (const auto& s : e.finish()) streamed.push_back(s);
      ASSERT_EQ(streamed.size(), 1u) << blockSize;
      EXPECT_EQ(streamed[0].startSample, batch[0].startSample) << blockSize;
      EXPECT_EQ(streamed[0].endSample, batch[0].endSample) << blockSize;
      EXPECT_EQ(streamed[0].decidedSample, batch[0].decidedSample) << blockSize;
    }
    // The same word after 0.5 s of the same noise (or silence): found where it is, as before.
    std::vector<float> later(static_cast<std::size_t>(0.5 * kRate), 0.0f);
    for (float& v : later) v = snr < 1e9 ? gain * g(rng) : 0.0f;
    later.insert(later.end(), x.begin(), x.end());
    const auto after = findSpeechSegments(later.data(), later.size(), kRate);
    ASSERT_EQ(after.size(), 1u) << "SNR " << snr;
    EXPECT_NEAR(after[0].startSample, 0.5 * kRate, 0.07 * kRate) << "SNR " << snr;
  }
  // Cut tight at both ends (no quiet after the word: the end of the stream decides), alone and
  // in streamed blocks.
  const std::vector<float> both(clean.begin() + first, clean.begin() + inClean.end);
  const auto whole = findSpeechSegments(both.data(), both.size(), kRate);
  ASSERT_EQ(whole.size(), 1u) << "a file cut tight at both ends";
  EXPECT_EQ(whole[0].startSample, 0);
  EXPECT_GE(whole[0].endSample, static_cast<std::int64_t>(both.size()) - static_cast<std::int64_t>(0.030 * kRate));
  // Steady sound that ends: no word (its level never moved).
  std::vector<float> steady(kRate * 3 / 2);
  for (float& v : steady) v = 0.05f * g(rng);
  EXPECT_TRUE(findSpeechSegments(steady.data(), steady.size(), kRate).empty());
  for (std::size_t i = 0; i < steady.size(); ++i) steady[i] = 0.2f * std::sin(0.2f * static_cast<float>(i));
  EXPECT_TRUE(findSpeechSegments(steady.data(), steady.size(), kRate).empty());
  // A short stream of room noise with key taps (10 ms clicks 0.25 s apart): no word (each is
  // shorter than a word; they are not joined into one).
  std::vector<float> taps(kRate * 3 / 2);
  for (float& v : taps) v = 0.001f * g(rng);
  for (int k = 1; k <= 5; ++k)
    for (int i = 0; i < kRate / 100; ++i) taps[static_cast<std::size_t>(k * kRate / 4 + i)] += 0.3f * std::sin(0.3f * i);
  EXPECT_TRUE(findSpeechSegments(taps.data(), taps.size(), kRate).empty());
  // A pop at the start, then a word: the word where it is, not joined to the pop.
  std::vector<float> pop(kRate, 0.0f);
  for (float& v : pop) v = 0.003f * g(rng);
  for (int i = 0; i < kRate / 20; ++i) pop[static_cast<std::size_t>(i)] += 0.3f * g(rng);
  for (int i = kRate / 4; i < kRate * 6 / 10; ++i) pop[static_cast<std::size_t>(i)] += 0.2f * std::sin(0.15f * i);
  const auto afterPop = findSpeechSegments(pop.data(), pop.size(), kRate);
  ASSERT_EQ(afterPop.size(), 1u);
  EXPECT_NEAR(afterPop[0].startSample, kRate / 4, 0.08 * kRate);
  // A stream longer than a word whose first 0.2 s are a loud transient, then room sound (a
  // microphone opening): no word.
  std::vector<float> opening(3 * kRate);
  for (float& v : opening) v = 0.003f * g(rng);
  for (int i = 0; i < kRate / 5; ++i) opening[static_cast<std::size_t>(i)] += 0.3f * g(rng);
  EXPECT_TRUE(findSpeechSegments(opening.data(), opening.size(), kRate).empty());
  // A stream that begins with a short loud click (shorter than a word) over quiet noise: no
  // word (the click is dropped as before).
  std::vector<float> click(kRate, 0.0f);
  for (float& v : click) v = 0.001f * g(rng);
  for (int i = 0; i < kRate / 50; ++i) click[static_cast<std::size_t>(i)] += 0.3f * std::sin(0.3f * i);
  EXPECT_TRUE(findSpeechSegments(click.data(), click.size(), kRate).empty());
}

// inSpeech() only for a sound that will be reported: a click never shows as speech (a
// listener's speechstart would have no speechend), a word does once it has lasted minWord.
TEST(Endpointer, InSpeechOnlyForWhatWillBeAWord) {
  std::mt19937 rng(9);
  std::normal_distribution<float> g(0.0f, 0.002f);
  std::vector<float> x(3 * kRate);
  for (float& v : x) v = g(rng);
  for (int i = 0; i < kRate / 20; ++i) x[static_cast<std::size_t>(kRate / 2 + i)] += 0.3f * std::sin(0.2f * i);  // 50 ms click
  for (int i = 0; i < kRate / 2; ++i) x[static_cast<std::size_t>(3 * kRate / 2 + i)] += 0.2f * std::sin(0.15f * i);  // a 0.5 s "word"
  Endpointer e(kRate);
  bool speechDuringClick = false;
  std::int64_t speechFrom = -1;
  std::vector<SpeechSegment> segments;
  for (std::size_t pos = 0; pos < x.size(); pos += 160) {
    for (const auto& s : e.push(x.data() + pos, std::min<std::size_t>(160, x.size() - pos))) segments.push_back(s);
    if (e.inSpeech() && e.samplesPushed() < kRate) speechDuringClick = true;
    if (e.inSpeech() && speechFrom < 0) speechFrom = e.samplesPushed();
  }
  EXPECT_FALSE(speechDuringClick) << "the click showed as speech";
  ASSERT_EQ(segments.size(), 1u);
  EXPECT_NEAR(segments[0].startSample, 1.5 * kRate, 0.08 * kRate);
  // Speech shows once the word has been loud for minWord (100 ms), well before it ends.
  EXPECT_GE(speechFrom, static_cast<std::int64_t>(1.5 * kRate + 0.09 * kRate));
  EXPECT_LE(speechFrom, static_cast<std::int64_t>(1.5 * kRate + 0.2 * kRate));
}

TEST(Endpointer, WordRunningIntoTheEndIsClosedByFinish) {
  std::vector<float> x(kRate, 0.0f);
  for (int i = kRate / 2; i < kRate; ++i) x[i] = 0.3f * std::sin(0.1f * i);
  Endpointer e(kRate);
  EXPECT_TRUE(e.push(x.data(), x.size()).empty());
  EXPECT_TRUE(e.inSpeech());
  EXPECT_NEAR(e.currentStart(), kRate / 2, 0.08 * kRate);
  const auto closed = e.finish();
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].endSample, kRate);
  EXPECT_EQ(closed[0].decidedSample, kRate);  // decided by the end of the stream
  EXPECT_FALSE(e.inSpeech());
}

TEST(Endpointer, BadInput) {
  EXPECT_THROW(Endpointer(0), gmmhmm::InvalidArgument);
  auto expectNamed = [](auto change, const char* name) {
    EndpointerOptions o;
    change(o);
    try {
      Endpointer e(kRate, o);
      ADD_FAILURE() << "accepted bad " << name;
    } catch (const gmmhmm::InvalidArgument& err) {
      EXPECT_NE(std::string(err.what()).find(name), std::string::npos) << err.what();
    }
  };
  expectNamed([](EndpointerOptions& o) { o.frameShift = 0; }, "frameShift");
  expectNamed([](EndpointerOptions& o) { o.startMarginDb = 1; }, "startMarginDb");
  expectNamed([](EndpointerOptions& o) { o.endMarginDb = -1; }, "endMarginDb");
  expectNamed([](EndpointerOptions& o) { o.startFrames = 0; }, "startFrames");
  expectNamed([](EndpointerOptions& o) { o.postRoll = 500; }, "postRoll");
  expectNamed([](EndpointerOptions& o) { o.maxWord = 50; }, "maxWord");
  expectNamed([](EndpointerOptions& o) { o.highPassHz = 9000; }, "highPassHz");
  expectNamed([](EndpointerOptions& o) { o.minSpeechDb = 3; }, "minSpeechDb");
  expectNamed([](EndpointerOptions& o) { o.hangover = 0; }, "hangover");
  expectNamed([](EndpointerOptions& o) { o.floorRiseSeconds = 0; }, "floorRiseSeconds");
  Endpointer e(kRate);
  std::vector<float> bad = {0.0f, 0.1f, std::nanf("")};
  EXPECT_THROW(e.push(bad.data(), bad.size()), gmmhmm::InvalidArgument);
  EXPECT_EQ(e.samplesPushed(), 0);
}
