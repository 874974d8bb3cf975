#pragma once
// Triangular mel filter bank (Kaldi's MelBanks, without VTLN warping).

#include <vector>

#include "gmmhmm/features/options.hpp"

namespace gmmhmm::features {

// mel(f) = 1127 ln(1 + f / 700)
double melScale(double hz);
double inverseMelScale(double mel);

class MelBanks {
 public:
  // Validates numMelBins, lowFreq and highFreq against the sample rate (throws
  // InvalidArgument naming the option). paddedSize is the FFT length.
  MelBanks(const MelOptions& options, double sampleRate, int paddedSize);

  int numBins() const { return static_cast<int>(offsets_.size()); }
  double lowFreq() const { return lowFreq_; }
  double highFreq() const { return highFreq_; }
  // Centre frequency (Hz) of each bin.
  const std::vector<double>& centerFrequencies() const { return centers_; }

  // energies[b] = sum_k weight[b][k] * spectrum[k]; spectrum has paddedSize/2 + 1 values.
  void compute(const double* spectrum, double* energies) const;

  // Non-zero weights of bin b, starting at FFT bin firstIndex(b).
  int firstIndex(int bin) const { return offsets_[bin]; }
  const std::vector<double>& weights(int bin) const { return weights_[bin]; }

 private:
  double lowFreq_ = 0, highFreq_ = 0;
  std::vector<int> offsets_;
  std::vector<std::vector<double>> weights_;
  std::vector<double> centers_;
};

}  // namespace gmmhmm::features
