// Fuzz target: the speech front end with arbitrary samples, sample rates and options.
// Every call either throws a gmmhmm::Error or returns finite features of the documented
// shape; the streaming FeatureStream gives exactly the batch features whatever the block
// sizes; the Endpointer returns ordered segments inside the signal.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_checks.hpp"
#include "gmmhmm/errors.hpp"
#include "gmmhmm/features/cmvn.hpp"
#include "gmmhmm/features/deltas.hpp"
#include "gmmhmm/features/endpointer.hpp"
#include "gmmhmm/features/feature_stream.hpp"
#include "gmmhmm/features/frontend.hpp"

namespace {

namespace gf = gmmhmm::features;
using gf::RowMatrix;

double sampleRate(FuzzedDataProvider& in) {
  static const double common[] = {8000, 11025, 16000, 22050, 44100, 48000};
  switch (in.ConsumeIntegralInRange<int>(0, 5)) {
    case 0: return fuzz::optionValue(in, 0, 2e6);
    case 1: return in.ConsumeFloatingPointInRange<double>(900, 96000);
    default: return common[in.ConsumeIntegralInRange<int>(0, 5)];
  }
}

std::string windowType(FuzzedDataProvider& in) {
  static const char* names[] = {"povey", "hamming", "hanning", "rectangular", "blackman"};
  const int pick = in.ConsumeIntegralInRange<int>(0, 5);
  return pick < 5 ? names[pick] : in.ConsumeRandomLengthString(12);
}

// Options shared by MFCC and fbank: one byte decides which are drawn (others keep defaults),
// so the fuzzer can reach the deep code with mostly valid options.
template <class Options>
void commonOptions(FuzzedDataProvider& in, Options& o) {
  const auto mask = in.ConsumeIntegral<std::uint16_t>();
  if (mask & 1) o.frameLength = fuzz::optionValue(in, 1, 60);
  if (mask & 2) o.frameShift = fuzz::optionValue(in, 1, 30);
  if (mask & 4) o.windowType = windowType(in);
  if (mask & 8) o.preemphasisCoefficient = fuzz::optionValue(in, 0, 1);
  if (mask & 16) o.removeDcOffset = in.ConsumeBool();
  if (mask & 32) o.roundToPowerOfTwo = in.ConsumeBool();
  if (mask & 64) o.snipEdges = in.ConsumeBool();
  if (mask & 128) o.dither = fuzz::optionValue(in, 0, 2);
  if (mask & 256) o.seed = in.ConsumeIntegral<std::uint32_t>();
  if (mask & 512) o.inputScale = fuzz::optionValue(in, 1e-3, 1e6);
  if (mask & 1024) o.numMelBins = fuzz::optionInt(in, 1, 80);
  if (mask & 2048) o.lowFreq = fuzz::optionValue(in, 0, 4000);
  if (mask & 4096) o.highFreq = fuzz::optionValue(in, -2000, 24000);
  if (mask & 8192) o.normalizeEnergy = in.ConsumeBool();
  if (mask & 16384) {
    o.rawEnergy = in.ConsumeBool();
    o.htkCompat = in.ConsumeBool();
  }
  if (mask & 32768) o.energyFloor = fuzz::optionValue(in, 0, 10);
}

gf::EndpointerOptions endpointerOptions(FuzzedDataProvider& in) {
  gf::EndpointerOptions o;
  const auto mask = in.ConsumeIntegral<std::uint8_t>();
  if (mask & 1) o.frameShift = fuzz::optionValue(in, 1, 30);
  if (mask & 2) o.highPassHz = fuzz::optionValue(in, 0, 500);
  if (mask & 4) {
    o.startMarginDb = fuzz::optionValue(in, 0, 20);
    o.endMarginDb = fuzz::optionValue(in, 0, 10);
  }
  if (mask & 8) o.minSpeechDb = fuzz::optionValue(in, -100, 0);
  if (mask & 16) o.startFrames = fuzz::optionInt(in, 1, 10);
  if (mask & 32) {
    o.preRoll = fuzz::optionValue(in, 0, 200);
    o.postRoll = fuzz::optionValue(in, 0, 200);
    o.hangover = fuzz::optionValue(in, 10, 500);
  }
  if (mask & 64) {
    o.minWord = fuzz::optionValue(in, 0, 300);
    o.maxWord = fuzz::optionValue(in, 50, 3000);
  }
  if (mask & 128) o.floorRiseSeconds = fuzz::optionValue(in, 0, 5);
  return o;
}

std::vector<float> samples(FuzzedDataProvider& in) {
  std::vector<float> out;
  const bool rawFloats = in.ConsumeIntegralInRange<int>(0, 7) == 0;  // NaN/Inf/huge possible
  while (in.remaining_bytes() >= (rawFloats ? 4u : 2u)) {
    if (rawFloats) {
      float x;
      const auto bytes = in.ConsumeBytes<unsigned char>(4);  // 4 remain (loop condition)
      std::memcpy(&x, bytes.data(), 4);
      out.push_back(x);
    } else {
      out.push_back(in.ConsumeIntegral<std::int16_t>() / 32768.0f);
    }
  }
  return out;
}

// The options, printed when a check fails (to tell what the crashing input asked for).
template <class Options>
void printOptions(const Options& o, double rate, std::size_t n) {
  std::fprintf(stderr,
               "rate %.17g, %zu samples, frameLength %.17g, frameShift %.17g, window %s, preemph %.17g, dc %d, pow2 %d, "
               "snip %d, dither %.17g, inputScale %.17g, bins %d, low %.17g, high %.17g, normalizeEnergy %d, raw %d, "
               "htk %d, energyFloor %.17g\n",
               rate, n, o.frameLength, o.frameShift, o.windowType.c_str(), o.preemphasisCoefficient, o.removeDcOffset,
               o.roundToPowerOfTwo, o.snipEdges, o.dither, o.inputScale, o.numMelBins, o.lowFreq, o.highFreq,
               o.normalizeEnergy, o.rawEnergy, o.htkCompat, o.energyFloor);
}

void checkFeatures(const RowMatrix& F, const char* what) {
  FUZZ_CHECK(fuzz::allFinite(F.reshaped()), "%s: non-finite value in %ld x %ld features", what, (long)F.rows(),
             (long)F.cols());
}

// Streaming in blocks of fuzzed sizes must reproduce the batch result bit for bit.
template <class Options>
void checkStream(const Options& options, double rate, const std::vector<float>& x, const RowMatrix& batch,
                 FuzzedDataProvider& in) {
  gf::FeatureStream stream(options, rate);
  RowMatrix got(0, batch.cols());
  std::size_t at = 0;
  while (at < x.size()) {
    const std::size_t block = std::min<std::size_t>(x.size() - at, 1 + in.ConsumeIntegralInRange<int>(0, 700));
    stream.push(x.data() + at, block);
    at += block;
    const RowMatrix part = stream.pull(in.ConsumeIntegralInRange<int>(1, 8));
    RowMatrix joined(got.rows() + part.rows(), batch.cols());
    joined << got, part;
    got = joined;
  }
  stream.finish();
  const RowMatrix rest = stream.pull();
  RowMatrix all(got.rows() + rest.rows(), batch.cols());
  all << got, rest;
  FUZZ_CHECK(all.rows() == batch.rows(), "stream gave %ld frames, batch %ld", (long)all.rows(), (long)batch.rows());
  FUZZ_CHECK(all == batch, "stream frames differ from the batch frames");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const int which = in.ConsumeIntegralInRange<int>(0, 3);
  const double rate = sampleRate(in);
  gf::MfccOptions mfccOptions = in.ConsumeBool() ? gf::MfccOptions::speechPreset() : gf::MfccOptions();
  gf::FbankOptions fbankOptions;
  if (which == 0 || which == 1) {
    commonOptions(in, mfccOptions);
    mfccOptions.numCeps = in.ConsumeBool() ? fuzz::optionInt(in, 1, 23) : mfccOptions.numCeps;
    mfccOptions.cepstralLifter = in.ConsumeBool() ? fuzz::optionValue(in, 0, 40) : mfccOptions.cepstralLifter;
    mfccOptions.useEnergy = in.ConsumeBool();
  } else if (which == 2) {
    commonOptions(in, fbankOptions);
    fbankOptions.useEnergy = in.ConsumeBool();
    fbankOptions.useLogFbank = in.ConsumeBool();
    fbankOptions.usePower = in.ConsumeBool();
  }
  const int deltaOrder = fuzz::optionInt(in, 0, 3), deltaWindow = fuzz::optionInt(in, 1, 4);
  const bool variance = in.ConsumeBool();
  const gf::EndpointerOptions endpointer = endpointerOptions(in);
  const auto streamSeed = in.ConsumeIntegral<std::uint32_t>();
  const std::vector<float> x = samples(in);
  // Block sizes for the stream come from the seed, not from bytes the samples need.
  const auto seedBytes = reinterpret_cast<const std::uint8_t*>(&streamSeed);
  FuzzedDataProvider blocks(seedBytes, sizeof streamSeed);

  std::optional<RowMatrix> features;
  try {
    if (which == 2) features = gf::fbank(x.data(), x.size(), rate, fbankOptions);
    else features = gf::mfcc(x.data(), x.size(), rate, mfccOptions);
  } catch (const gmmhmm::Error&) {
  }
  if (features) {
    if (!fuzz::allFinite(features->reshaped())) {
      if (which == 2) printOptions(fbankOptions, rate, x.size());
      else {
        printOptions(mfccOptions, rate, x.size());
        std::fprintf(stderr, "numCeps %d, lifter %.17g, useEnergy %d\n", mfccOptions.numCeps, mfccOptions.cepstralLifter,
                     mfccOptions.useEnergy);
      }
    }
    checkFeatures(*features, which == 2 ? "fbank" : "mfcc");
    if (which == 2) checkStream(fbankOptions, rate, x, *features, blocks);
    else checkStream(mfccOptions, rate, x, *features, blocks);
    try {
      const RowMatrix d = gf::addDeltas(*features, deltaOrder, deltaWindow);
      FUZZ_CHECK(d.rows() == features->rows() && d.cols() == features->cols() * (deltaOrder + 1), "addDeltas shape");
      checkFeatures(d, "addDeltas");
    } catch (const gmmhmm::InvalidArgument&) {
      FUZZ_CHECK(deltaOrder < 0 || deltaOrder > 8 || deltaWindow < 1 || deltaWindow > 1000,
                 "addDeltas rejected order %d window %d", deltaOrder, deltaWindow);
    }
    const RowMatrix normalised = gf::cmvn(*features, variance);
    checkFeatures(normalised, "cmvn");
  }

  if (which == 3) {
    // The matrix functions on arbitrary numbers (NaN, Inf, 1e308...) as features.
    const int cols = 1 + (x.size() % 7);
    const int rows = static_cast<int>(x.size() / cols);
    RowMatrix F(rows, cols);
    for (int i = 0; i < rows * cols; ++i) F.data()[i] = x[i] * (i % 3 == 0 ? 1e4 : 1.0);
    for (bool v : {false, true}) {
      try {
        checkFeatures(gf::cmvn(F, v), "cmvn of arbitrary features");
      } catch (const gmmhmm::InvalidArgument&) {
        FUZZ_CHECK(!fuzz::allFinite(F.reshaped()), "cmvn rejected finite features");
      }
    }
    try {
      checkFeatures(gf::addDeltas(F, deltaOrder, deltaWindow), "addDeltas of arbitrary features");
    } catch (const gmmhmm::InvalidArgument&) {
    }
  }

  try {
    const auto segments = gf::findSpeechSegments(x.data(), x.size(), rate, endpointer);
    std::int64_t previousEnd = 0;
    for (const auto& s : segments) {
      FUZZ_CHECK(s.startSample >= previousEnd && s.startSample < s.endSample &&
                     s.endSample <= static_cast<std::int64_t>(x.size()),
                 "segment [%lld, %lld) after %lld, %zu samples", (long long)s.startSample, (long long)s.endSample,
                 (long long)previousEnd, x.size());
      previousEnd = s.endSample;
    }
  } catch (const gmmhmm::Error&) {
  }
  return 0;
}
