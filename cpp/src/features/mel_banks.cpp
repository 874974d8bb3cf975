#include "gmmhmm/features/mel_banks.hpp"

#include <cmath>

#include "checks.hpp"
#include "kernels.hpp"

namespace gmmhmm::features {

using detail::fail;
using detail::requireFinite;

double melScale(double hz) { return 1127.0 * std::log(1.0 + hz / 700.0); }
double inverseMelScale(double mel) { return 700.0 * (std::exp(mel / 1127.0) - 1.0); }

MelBanks::MelBanks(const MelOptions& options, double sampleRate, int paddedSize) {
  validate(options);
  const double nyquist = 0.5 * sampleRate;
  lowFreq_ = options.lowFreq;
  highFreq_ = options.highFreq > 0 ? options.highFreq : nyquist + options.highFreq;
  if (options.highFreq > nyquist)
    fail("highFreq ", options.highFreq, " Hz is above the Nyquist frequency ", nyquist,
         " Hz of sampleRate ", sampleRate);
  if (lowFreq_ >= nyquist)
    fail("lowFreq ", lowFreq_, " Hz must be below the Nyquist frequency ", nyquist,
         " Hz of sampleRate ", sampleRate);
  if (highFreq_ <= 0)
    fail("highFreq ", options.highFreq, " Hz (offset from Nyquist ", nyquist,
         " Hz) leaves no band");
  if (lowFreq_ >= highFreq_)
    fail("lowFreq (", lowFreq_, " Hz) must be below highFreq (", highFreq_, " Hz)");

  const int numBins = options.numMelBins;
  const int numFftBins = paddedSize / 2;  // Kaldi leaves out the Nyquist bin
  const double fftBinWidth = sampleRate / paddedSize;
  const double melLow = melScale(lowFreq_), melHigh = melScale(highFreq_);
  const double melDelta = (melHigh - melLow) / (numBins + 1);
  offsets_.resize(numBins);
  weights_.resize(numBins);
  centers_.resize(numBins);
  for (int b = 0; b < numBins; ++b) {
    const double left = melLow + b * melDelta, center = left + melDelta,
                 right = center + melDelta;
    centers_[b] = inverseMelScale(center);
    int first = -1, last = -1;
    std::vector<double> row(numFftBins, 0.0);
    for (int i = 0; i < numFftBins; ++i) {
      const double mel = melScale(fftBinWidth * i);
      if (mel > left && mel < right) {
        const double w = mel <= center ? (mel - left) / (center - left)
                                       : (right - mel) / (right - center);
        row[i] = w;
        if (first < 0) first = i;
        last = i;
      }
    }
    if (first < 0)
      fail("numMelBins ", numBins, " is too large for a ", paddedSize, "-point FFT at ",
           sampleRate, " Hz between ", lowFreq_, " and ", highFreq_,
           " Hz: mel bin ", b, " contains no FFT bin");
    offsets_[b] = first;
    weights_[b].assign(row.begin() + first, row.begin() + last + 1);
  }
}

void MelBanks::compute(const double* spectrum, double* energies) const {
  const int n = numBins();
  for (int b = 0; b < n; ++b) {
    energies[b] = detail::dot(weights_[b].data(), spectrum + offsets_[b],
                              static_cast<int>(weights_[b].size()));
  }
}

}  // namespace gmmhmm::features
