#pragma once
// Log mel energies -> cepstra: Kaldi's orthonormal DCT-II (ComputeDctMatrix) with the
// cepstral lifter (ComputeLifterCoeffs) folded in, as one numCeps x numBins matrix.
// MfccComputer uses it frame by frame; the recognizer's front end applies it to band
// energies it has floored itself (recognizer/word_features.hpp), with identical results.

#include <vector>

namespace gmmhmm::features {

class CepstralTransform {
 public:
  // Throws InvalidArgument: numCeps outside [1, numBins], a non-finite or negative lifter,
  // or a lifter in (0, 0.001) (sin(pi n / L) of a tiny L is NaN).
  CepstralTransform(int numBins, int numCeps, double cepstralLifter);

  int numBins() const { return numBins_; }
  int numCeps() const { return numCeps_; }
  // logMel: numBins() values -> cepstra: numCeps() values.
  void apply(const double* logMel, double* cepstra) const;

 private:
  int numBins_ = 0;
  int numCeps_ = 0;
  std::vector<double> matrix_;  // numCeps x numBins, row-major
};

}  // namespace gmmhmm::features
