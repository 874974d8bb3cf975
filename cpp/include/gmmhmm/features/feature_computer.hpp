#pragma once
// Frame-by-frame feature extraction with all setup done once: MfccComputer and
// FbankComputer precompute window, FFT tables, filter bank and DCT for one configuration
// and sample rate, so repeated calls and streams do no setup work. A computer holds scratch
// buffers and the dither generator: use one per thread.

#include <cstddef>
#include <vector>

#include "gmmhmm/features/cepstral_transform.hpp"
#include "gmmhmm/features/feature_matrix.hpp"
#include "gmmhmm/features/frame_analyzer.hpp"
#include "gmmhmm/features/options.hpp"

namespace gmmhmm::features {

class FeatureComputer {
 public:
  virtual ~FeatureComputer() = default;

  // Values per frame.
  virtual int dim() const = 0;
  // One frame of geometry().windowSize samples (Web Audio scale) -> dim() values.
  virtual void computeFrame(const float* frame, double* out) = 0;

  const FrameGeometry& geometry() const { return analyzer_.geometry(); }
  const FrameAnalyzer& analyzer() const { return analyzer_; }
  double sampleRate() const { return analyzer_.sampleRate(); }
  void resetDither() { analyzer_.resetDither(); }

  // All frames of a signal: numFrames x dim(). Fewer samples than one frame (snipEdges)
  // or no samples -> 0 rows. Throws InvalidArgument on NaN/infinite samples.
  RowMatrix compute(const float* samples, std::size_t numSamples);

 protected:
  explicit FeatureComputer(FrameAnalyzer analyzer) : analyzer_(std::move(analyzer)) {}
  FrameAnalyzer analyzer_;
};

// Kaldi compute-mfcc-feats: log mel energies -> DCT-II (orthonormal) -> lifter, with C0
// replaced by log energy when useEnergy.
class MfccComputer : public FeatureComputer {
 public:
  MfccComputer(const MfccOptions& options, double sampleRate);
  int dim() const override { return options_.numCeps; }
  void computeFrame(const float* frame, double* out) override;
  const MfccOptions& options() const { return options_; }

 private:
  MfccOptions options_;
  CepstralTransform cepstra_;
  std::vector<double> mel_;
};

// Kaldi compute-fbank-feats: (log) mel energies, plus log energy first (last if htkCompat)
// when useEnergy.
class FbankComputer : public FeatureComputer {
 public:
  FbankComputer(const FbankOptions& options, double sampleRate);
  int dim() const override { return numMelBins() + (options_.useEnergy ? 1 : 0); }
  void computeFrame(const float* frame, double* out) override;
  const FbankOptions& options() const { return options_; }

 private:
  int numMelBins() const { return analyzer_.numMelBins(); }
  FbankOptions options_;
};

}  // namespace gmmhmm::features
