#include "gmmhmm/features/frame_analyzer.hpp"

#include <cmath>
#include <limits>

#include "checks.hpp"
#include "kernels.hpp"
#include "lanes.hpp"

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
  raw_.assign(geometry_.windowSize + 1, 0.0);
  buffer_.assign(geometry_.paddedSize, 0.0);
  spectrum_.assign(geometry_.paddedSize / 2 + 1, 0.0);
}

void FrameAnalyzer::resetDither() { rng_.seed(frameOptions_.seed); }

double FrameAnalyzer::analyze(const float* frame, double* melEnergies, bool usePower) {
  const int n = geometry_.windowSize;
  // raw_[0] is a spare slot before the samples, so that the fused loop below may read x[-1].
  double* x = raw_.data() + 1;
  const double scale = frameOptions_.inputScale;
  double total;
  if (frameOptions_.dither > 0) {
    for (int i = 0; i < n; ++i) x[i] = frame[i] * scale;
    const double d = frameOptions_.dither;
    for (int i = 0; i < n; ++i) x[i] += d * gaussian(rng_);
    total = detail::sum(x, n);
  } else {
    total = detail::scaledCopyAndSum(frame, scale, x, n);
  }
  const double mean = frameOptions_.removeDcOffset ? total / n : 0.0;
  // DC removal, pre-emphasis (y[i] = x[i] - c x[i-1], y[0] = x[0] - c x[0]) and window in
  // one pass into the FFT buffer, together with the raw energy sum_i (x[i] - mean)^2 (four
  // partial sums, as detail::sumOfSquaredDeviations adds them). y[0] comes out of the loop
  // from the spare x[-1] and is then set by its own formula.
  const double coeff = frameOptions_.preemphasisCoefficient;
  const double offset = mean * (1.0 - coeff);
  const double* w = window_.data();
  double* y = buffer_.data();
  x[-1] = x[0];
  // Written with explicit two-lane vectors: clang left this loop scalar for wasm. s01 holds
  // the partial sums s0, s1 of detail::sumOfSquaredDeviations, s23 s2, s3: the same order.
  using L = detail::Lanes<double>;
  using Vec = L::Vec;
  const Vec meanV = L::splat(mean), coeffV = L::splat(coeff), offsetV = L::splat(offset);
  Vec s01 = L::splat(0.0), s23 = L::splat(0.0);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const Vec x01 = L::load(x + i), x23 = L::load(x + i + 2);
    const Vec d01 = x01 - meanV, d23 = x23 - meanV;
    s01 += d01 * d01;
    s23 += d23 * d23;
    L::store(y + i, (x01 - coeffV * L::load(x + i - 1) - offsetV) * L::load(w + i));
    L::store(y + i + 2, (x23 - coeffV * L::load(x + i + 1) - offsetV) * L::load(w + i + 2));
  }
  double s0 = s01[0];
  for (; i < n; ++i) {
    s0 += (x[i] - mean) * (x[i] - mean);
    y[i] = (x[i] - coeff * x[i - 1] - offset) * w[i];
  }
  y[0] = (x[0] - mean) * (1.0 - coeff) * w[0];
  // Kaldi floors the raw energy at float epsilon and the windowed one at FLT_MIN.
  double logEnergy = 0;
  if (energyOptions_.rawEnergy) {
    const double energy = ((s0 + s01[1]) + (s23[0] + s23[1])) * rawEnergyScale_;
    logEnergy = std::log(std::max(energy, double(std::numeric_limits<float>::epsilon())));
  }
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
