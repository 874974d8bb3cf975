#include "gmmhmm/features/feature_computer.hpp"

#include <cmath>
#include <limits>

namespace gmmhmm::features {

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
    : FeatureComputer(makeAnalyzer(options, sampleRate)),
      options_(options),
      cepstra_(analyzer_.numMelBins(), options.numCeps, options.cepstralLifter),
      mel_(analyzer_.numMelBins()) {}

void MfccComputer::computeFrame(const float* frame, double* out) {
  const double logEnergy = analyzer_.analyze(frame, mel_.data());
  const int bins = static_cast<int>(mel_.size());
  // Kaldi floors mel energies at float epsilon before the log.
  const double eps = std::numeric_limits<float>::epsilon();
  for (int b = 0; b < bins; ++b) mel_[b] = std::log(std::max(mel_[b], eps));
  const int ceps = options_.numCeps;
  cepstra_.apply(mel_.data(), out);
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
