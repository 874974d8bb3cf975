#pragma once
// Streaming feature extraction: push audio blocks of any size (e.g. 128-sample
// AudioWorklet quanta), pull the frames completed so far. The frames are bit-identical to
// the batch computation (mfcc() / fbank()) of everything pushed: the same per-frame code
// runs on the same samples, including DC removal, pre-emphasis and dither (the dither
// sequence restarts at reset(), as each batch call restarts it).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "gmmhmm/features/feature_computer.hpp"
#include "gmmhmm/features/options.hpp"

namespace gmmhmm::features {

class FeatureStream {
 public:
  // Throws InvalidArgument for bad options or sample rate, like mfcc() / fbank().
  FeatureStream(const MfccOptions& options, double sampleRate);
  FeatureStream(const FbankOptions& options, double sampleRate);
  explicit FeatureStream(std::unique_ptr<FeatureComputer> computer);

  // Appends samples (Web Audio scale) and computes every frame they complete.
  // Throws InvalidArgument for NaN/infinite samples (nothing is appended then) or after
  // finish().
  void push(const float* samples, std::size_t numSamples);
  // End of input. With snipEdges = false the last frames need the end of the signal
  // (reflected), so they only become ready here; with snipEdges = true nothing changes.
  void finish();
  // Back to an empty stream (same configuration).
  void reset();

  std::size_t framesReady() const { return readyRows_; }
  // Removes and returns up to maxFrames ready frames (oldest first), frames x dim().
  RowMatrix pull(std::size_t maxFrames = std::numeric_limits<std::size_t>::max());

  int dim() const { return computer_->dim(); }
  const FrameGeometry& geometry() const { return computer_->geometry(); }
  std::int64_t samplesPushed() const { return total_; }
  // Frames computed so far (pulled or ready); frame f starts at geometry().frameStart(f).
  std::int64_t framesComputed() const { return nextFrame_; }
  bool finished() const { return finished_; }

 private:
  void computeAvailable(bool atEnd);
  void dropConsumedSamples();

  std::unique_ptr<FeatureComputer> computer_;
  std::vector<float> buffer_;     // samples [bufferStart_, total_)
  std::int64_t bufferStart_ = 0;
  std::int64_t total_ = 0;
  std::int64_t nextFrame_ = 0;
  bool finished_ = false;
  std::vector<double> ready_;     // readyRows_ x dim, row-major
  std::size_t readyRows_ = 0;
  std::vector<float> frame_;
};

}  // namespace gmmhmm::features
