#include "gmmhmm/features/feature_computer.hpp"

#include <cmath>
#include <limits>

#include "checks.hpp"
#include "kernels.hpp"

namespace gmmhmm::features {

using detail::fail;
using detail::requireFinite;

RowMatrix FeatureComputer::compute(const float* samples, std::size_t numSamples) {
  validateSamples(samples, numSamples);
  const FrameGeometry& g = geometry();
  const auto n = static_cast<std::int64_t>(numSamples);
  const std::int64_t frames = g.numFrames(n);
  const int d = dim();
  RowMatrix features(frames, d);
  resetDither();
  std::vector<float> frame(g.windowSize);
  for (std::int64_t f = 0; f < frames; ++f) {
    const std::int64_t start = g.frameStart(f);
    if (start >= 0 && start + g.windowSize <= n) {  // no reflection: read in place
      computeFrame(samples + start, features.row(f).data());
    } else {
      extractFrame(g, samples, 0, n, f, frame.data());
      computeFrame(frame.data(), features.row(f).data());
    }
  }
  return features;
}

namespace {
// Every option is checked (options.cpp) before anything is built; the sample rate first.
FrameAnalyzer makeAnalyzer(const MfccOptions& o, double sampleRate) {
  validateSampleRate(sampleRate);
  validate(o);
  return FrameAnalyzer(o, o, o, sampleRate);
}
FrameAnalyzer makeAnalyzer(const FbankOptions& o, double sampleRate) {
  validateSampleRate(sampleRate);
  validate(o);
  return FrameAnalyzer(o, o, o, sampleRate);
}
}  // namespace

MfccComputer::MfccComputer(const MfccOptions& options, double sampleRate)
    : FeatureComputer(makeAnalyzer(options, sampleRate)), options_(options) {
  const int bins = analyzer_.numMelBins();
  // Kaldi's ComputeDctMatrix (orthonormal DCT-II) and ComputeLifterCoeffs, as one matrix.
  constexpr double kPi = 3.14159265358979323846;
  dct_.resize(static_cast<std::size_t>(options.numCeps) * bins);
  for (int k = 0; k < options.numCeps; ++k) {
    const double normalizer = std::sqrt((k == 0 ? 1.0 : 2.0) / bins);
    const double lifter = options.cepstralLifter != 0
                              ? 1.0 + 0.5 * options.cepstralLifter *
                                          std::sin(kPi * k / options.cepstralLifter)
                              : 1.0;
    for (int n = 0; n < bins; ++n)
      dct_[k * bins + n] =
          lifter * normalizer * std::cos(kPi / bins * (n + 0.5) * k);
  }
  mel_.resize(bins);
}

void MfccComputer::computeFrame(const float* frame, double* out) {
  const double logEnergy = analyzer_.analyze(frame, mel_.data());
  const int bins = static_cast<int>(mel_.size());
  // Kaldi floors mel energies at float epsilon before the log.
  const double eps = std::numeric_limits<float>::epsilon();
  for (int b = 0; b < bins; ++b) mel_[b] = std::log(std::max(mel_[b], eps));
  const int ceps = options_.numCeps;
  for (int k = 0; k < ceps; ++k) {
    out[k] = detail::dot(dct_.data() + static_cast<std::size_t>(k) * bins, mel_.data(), bins);
  }
  if (options_.useEnergy) out[0] = logEnergy;
  if (options_.htkCompat) {
    // HTK order: C1..C(n-1), then energy or C0 (C0 rescaled to HTK's DCT convention).
    double first = out[0];
    for (int k = 0; k + 1 < ceps; ++k) out[k] = out[k + 1];
    if (!options_.useEnergy) first *= std::sqrt(2.0);
    out[ceps - 1] = first;
  }
}

FbankComputer::FbankComputer(const FbankOptions& options, double sampleRate)
    : FeatureComputer(makeAnalyzer(options, sampleRate)), options_(options) {}

void FbankComputer::computeFrame(const float* frame, double* out) {
  const int bins = numMelBins();
  const int melOffset = options_.useEnergy && !options_.htkCompat ? 1 : 0;
  double* mel = out + melOffset;
  const double logEnergy = analyzer_.analyze(frame, mel, options_.usePower);
  if (options_.useLogFbank) {
    const double eps = std::numeric_limits<float>::epsilon();
    for (int b = 0; b < bins; ++b) mel[b] = std::log(std::max(mel[b], eps));
  }
  if (options_.useEnergy) out[options_.htkCompat ? bins : 0] = logEnergy;
}

}  // namespace gmmhmm::features
