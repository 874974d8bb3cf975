#include "gmmhmm/features/frame_extraction.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "checks.hpp"

namespace gmmhmm::features {

using detail::fail;
using detail::requireFinite;

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr int kMaxPaddedSize = 1 << 20;

int roundUpToPowerOfTwo(int n) {
  int p = 1;
  while (p < n) p *= 2;
  return p;
}
}  // namespace

void validateSampleRate(double sampleRate) {
  if (!std::isfinite(sampleRate) || sampleRate < 1000.0 || sampleRate > 1e6)
    fail("sampleRate must be between 1000 and 1000000 Hz, got ", sampleRate);
}

void validateSamples(const float* samples, std::size_t numSamples) {
  if (numSamples > 0 && samples == nullptr) fail("samples is null but numSamples is ", numSamples);
  // Blocks of samples checked on their bits (exponent all ones: NaN or infinite) with no
  // early exit, which compilers vectorise (a loop that stops at the first bad sample is
  // scalar: a third of a millisecond per minute of audio in wasm); a block with a bad sample
  // is then searched for the first one.
  constexpr std::size_t kBlock = 1024;
  for (std::size_t start = 0; start < numSamples; start += kBlock) {
    const std::size_t end = std::min(numSamples, start + kBlock);
    std::uint32_t bad = 0;
    for (std::size_t i = start; i < end; ++i) {
      std::uint32_t bits;
      std::memcpy(&bits, samples + i, sizeof bits);
      bad |= static_cast<std::uint32_t>((bits & 0x7f800000u) == 0x7f800000u);
    }
    if (bad == 0) continue;
    for (std::size_t i = start; i < end; ++i)
      if (!std::isfinite(samples[i]))
        fail("samples[", i, "] is ", std::isnan(samples[i]) ? "NaN" : "infinite",
             std::isnan(samples[i]) ? "" : " as a 32-bit float (a number beyond ±3.4e38 is)",
             "; audio samples must be finite (Web Audio's scale is [-1, 1])");
  }
}

FrameGeometry makeFrameGeometry(const FrameOptions& options, double sampleRate) {
  validateSampleRate(sampleRate);
  validate(options);

  FrameGeometry g;
  // Same expression and truncation as Kaldi's WindowSize() / WindowShift().
  g.windowSize = static_cast<int>(sampleRate * 0.001 * options.frameLength);
  g.windowShift = static_cast<int>(sampleRate * 0.001 * options.frameShift);
  if (g.windowSize < 2)
    fail("frameLength ", options.frameLength, " ms at ", sampleRate, " Hz gives ", g.windowSize,
         " samples; a frame needs at least 2");
  if (g.windowShift < 1)
    fail("frameShift ", options.frameShift, " ms at ", sampleRate,
         " Hz is shorter than one sample");
  g.paddedSize = options.roundToPowerOfTwo ? roundUpToPowerOfTwo(g.windowSize) : g.windowSize;
  if (g.paddedSize > kMaxPaddedSize) fail("frameLength ", options.frameLength, " ms is too long");
  g.snipEdges = options.snipEdges;
  return g;
}

std::int64_t FrameGeometry::numFrames(std::int64_t numSamples) const {
  if (numSamples <= 0) return 0;
  if (snipEdges) {
    if (numSamples < windowSize) return 0;
    return 1 + (numSamples - windowSize) / windowShift;
  }
  return (numSamples + windowShift / 2) / windowShift;
}

std::int64_t FrameGeometry::frameStart(std::int64_t frame) const {
  if (snipEdges) return frame * windowShift;
  return frame * windowShift + windowShift / 2 - windowSize / 2;
}

std::vector<double> makeWindow(const FrameOptions& options, int windowSize) {
  const std::string& type = options.windowType;
  std::vector<double> window(windowSize);
  const double a = 2.0 * kPi / (windowSize - 1);
  for (int i = 0; i < windowSize; ++i) {
    double w;
    if (type == "hanning") {
      w = 0.5 - 0.5 * std::cos(a * i);
    } else if (type == "hamming") {
      w = 0.54 - 0.46 * std::cos(a * i);
    } else if (type == "povey") {
      w = std::pow(0.5 - 0.5 * std::cos(a * i), 0.85);
    } else if (type == "rectangular") {
      w = 1.0;
    } else if (type == "blackman") {
      w = options.blackmanCoeff - 0.5 * std::cos(a * i) +
          (0.5 - options.blackmanCoeff) * std::cos(2 * a * i);
    } else {
      fail("windowType must be one of povey, hamming, hanning, rectangular, blackman; got '",
           type, "'");
    }
    window[i] = w;
  }
  return window;
}

void extractFrame(const FrameGeometry& geometry, const float* samples, std::int64_t firstIndex,
                  std::int64_t numSamples, std::int64_t frame, float* out) {
  const std::int64_t start = geometry.frameStart(frame);
  const int size = geometry.windowSize;
  if (start >= 0 && start + size <= numSamples) {
    std::copy(samples + (start - firstIndex), samples + (start - firstIndex) + size, out);
    return;
  }
  for (int s = 0; s < size; ++s) {
    std::int64_t i = start + s;
    // Reflect until inside, like Kaldi's ExtractWindow (a very short signal may need
    // several reflections).
    while (i < 0 || i >= numSamples) i = i < 0 ? -i - 1 : 2 * numSamples - 1 - i;
    out[s] = samples[i - firstIndex];
  }
}

}  // namespace gmmhmm::features
