#pragma once
// Cutting a signal into frames, as Kaldi's feature-window.cc does.

#include <cstdint>
#include <vector>

#include "gmmhmm/features/options.hpp"

namespace gmmhmm::features {

// Frame sizes in samples for one sample rate, and where each frame lies in the signal.
struct FrameGeometry {
  int windowSize = 0;   // samples per frame: int(sampleRate * frameLength / 1000)
  int windowShift = 0;  // samples between frame starts
  int paddedSize = 0;   // FFT length
  bool snipEdges = true;

  // Frames in a signal of numSamples samples. snipEdges: only frames that fit entirely
  // (0 when numSamples < windowSize). Otherwise (numSamples + shift/2) / shift frames,
  // centred on multiples of the shift, with the signal reflected at both ends.
  std::int64_t numFrames(std::int64_t numSamples) const;
  // Index of the first sample of a frame (negative for early frames without snipEdges).
  std::int64_t frameStart(std::int64_t frame) const;
};

// Validates sampleRate and the frame options (throws InvalidArgument naming the option).
FrameGeometry makeFrameGeometry(const FrameOptions& options, double sampleRate);

// Window function of the given length (Kaldi's FeatureWindowFunction).
std::vector<double> makeWindow(const FrameOptions& options, int windowSize);

// Copies frame `frame` of a signal of numSamples samples into out[0..windowSize),
// reflecting indices that fall outside [0, numSamples) as Kaldi does when snipEdges is
// false. `samples` holds the signal from index firstIndex on (a stream keeps only a tail);
// every index the frame needs must be >= firstIndex.
void extractFrame(const FrameGeometry& geometry, const float* samples, std::int64_t firstIndex,
                  std::int64_t numSamples, std::int64_t frame, float* out);

// Throws InvalidArgument unless sampleRate is finite and within [1000, 1e6] Hz.
void validateSampleRate(double sampleRate);
// Throws InvalidArgument naming the first NaN or infinite sample.
void validateSamples(const float* samples, std::size_t numSamples);

}  // namespace gmmhmm::features
