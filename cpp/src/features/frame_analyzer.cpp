#include "gmmhmm/features/frame_analyzer.hpp"

#include <cmath>
#include <limits>

#include "checks.hpp"
#include "kernels.hpp"

namespace gmmhmm::features {

using detail::fail;
using detail::requireFinite;

namespace {
// Gaussian noise from mt19937 by Box-Muller: std::normal_distribution differs between
// standard libraries, and dithered features must be the same natively and in wasm.
double gaussian(std::mt19937& rng) {
  constexpr double kTwoPi = 6.283185307179586476925286766559;
  const double u1 = (static_cast<double>(rng()) + 1.0) / 4294967296.0;  // (0, 1]
  const double u2 = static_cast<double>(rng()) / 4294967296.0;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}
}  // namespace

FrameAnalyzer::FrameAnalyzer(const FrameOptions& frame, const MelOptions& mel,
                             const EnergyOptions& energy, double sampleRate)
    : frameOptions_(frame),
      energyOptions_(energy),
      normalizeEnergy_(mel.normalizeEnergy),
      sampleRate_(sampleRate),
      geometry_(makeFrameGeometry(frame, sampleRate)),
      window_(makeWindow(frame, geometry_.windowSize)),
      melBanks_(mel, sampleRate, geometry_.paddedSize),
      fft_(geometry_.paddedSize),
      rng_(frame.seed) {
  validate(energy);
  logEnergyFloor_ = energy.energyFloor > 0 ? std::log(energy.energyFloor) : 0.0;
  if (normalizeEnergy_) {
    double sumSquares = 0;
    for (double w : window_) sumSquares += w * w;
    powerScale_ = 1.0 / (geometry_.paddedSize * sumSquares);
    rawEnergyScale_ = 1.0 / geometry_.windowSize;
    windowedEnergyScale_ = 1.0 / sumSquares;
  }
  raw_.assign(geometry_.windowSize, 0.0);
  buffer_.assign(geometry_.paddedSize, 0.0);
  spectrum_.assign(geometry_.paddedSize / 2 + 1, 0.0);
}

void FrameAnalyzer::resetDither() { rng_.seed(frameOptions_.seed); }

double FrameAnalyzer::analyze(const float* frame, double* melEnergies, bool usePower) {
  const int n = geometry_.windowSize;
  double* x = raw_.data();
  const double scale = frameOptions_.inputScale;
  for (int i = 0; i < n; ++i) x[i] = frame[i] * scale;

  if (frameOptions_.dither > 0) {
    const double d = frameOptions_.dither;
    for (int i = 0; i < n; ++i) x[i] += d * gaussian(rng_);
  }
  const double mean = frameOptions_.removeDcOffset ? detail::sum(x, n) / n : 0.0;
  // Kaldi floors the raw energy at float epsilon and the windowed one at FLT_MIN.
  double logEnergy = 0;
  if (energyOptions_.rawEnergy) {
    const double energy = detail::sumOfSquaredDeviations(x, mean, n) * rawEnergyScale_;
    logEnergy = std::log(std::max(energy, double(std::numeric_limits<float>::epsilon())));
  }
  // DC removal, pre-emphasis (y[i] = x[i] - c x[i-1], y[0] = x[0] - c x[0]) and window in
  // one pass into the FFT buffer.
  const double coeff = frameOptions_.preemphasisCoefficient;
  const double offset = mean * (1.0 - coeff);
  const double* w = window_.data();
  double* y = buffer_.data();
  y[0] = (x[0] - mean) * (1.0 - coeff) * w[0];
  for (int i = 1; i < n; ++i) y[i] = (x[i] - coeff * x[i - 1] - offset) * w[i];
  // buffer_[n..paddedSize) stays zero.
  if (!energyOptions_.rawEnergy) {
    const double energy = detail::dot(y, y, n) * windowedEnergyScale_;
    logEnergy = std::log(std::max(energy, double(std::numeric_limits<float>::min())));
  }
  if (energyOptions_.energyFloor > 0 && logEnergy < logEnergyFloor_) logEnergy = logEnergyFloor_;

  double* power = spectrum_.data();
  fft_.powerSpectrum(y, power);
  const int bins = static_cast<int>(spectrum_.size());
  if (!usePower)
    for (int k = 0; k < bins; ++k) power[k] = std::sqrt(power[k]);
  melBanks_.compute(power, melEnergies);
  // normalizeEnergy: scaling the 23-odd band energies instead of every FFT bin.
  if (powerScale_ != 1.0) {
    const double scale = usePower ? powerScale_ : std::sqrt(powerScale_);
    for (int b = 0; b < melBanks_.numBins(); ++b) melEnergies[b] *= scale;
  }
  return logEnergy;
}

}  // namespace gmmhmm::features
