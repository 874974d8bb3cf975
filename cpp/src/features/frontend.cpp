#include "gmmhmm/features/frontend.hpp"

#include "gmmhmm/features/feature_computer.hpp"

namespace gmmhmm::features {

RowMatrix mfcc(const float* samples, std::size_t numSamples, double sampleRate,
               const MfccOptions& options) {
  MfccComputer computer(options, sampleRate);
  return computer.compute(samples, numSamples);
}

RowMatrix fbank(const float* samples, std::size_t numSamples, double sampleRate,
                const FbankOptions& options) {
  FbankComputer computer(options, sampleRate);
  return computer.compute(samples, numSamples);
}

}  // namespace gmmhmm::features
