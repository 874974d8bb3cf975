#pragma once
// Speech front end: whole-signal feature functions (Kaldi-compatible numbers).
// samples are floats in Web Audio scale [-1, 1]; options.inputScale (32768) maps them to
// the 16-bit scale Kaldi works in.

#include <cstddef>

#include "gmmhmm/features/feature_matrix.hpp"
#include "gmmhmm/features/options.hpp"

namespace gmmhmm::features {

// MFCCs, numFrames x numCeps (Kaldi compute-mfcc-feats). A signal shorter than one frame
// (with snipEdges) gives 0 rows. Throws InvalidArgument for NaN/infinite samples, a sample
// rate outside [1000, 1e6] Hz, or inconsistent options (the message names the option).
RowMatrix mfcc(const float* samples, std::size_t numSamples, double sampleRate,
               const MfccOptions& options = MfccOptions());

// Log mel filter-bank energies, numFrames x numMelBins (+1 with useEnergy)
// (Kaldi compute-fbank-feats).
RowMatrix fbank(const float* samples, std::size_t numSamples, double sampleRate,
                const FbankOptions& options = FbankOptions());

}  // namespace gmmhmm::features
