#include "gmmhmm/features/feature_stream.hpp"

#include <algorithm>

#include "checks.hpp"

namespace gmmhmm::features {

using detail::fail;

FeatureStream::FeatureStream(const MfccOptions& options, double sampleRate)
    : FeatureStream(std::make_unique<MfccComputer>(options, sampleRate)) {}

FeatureStream::FeatureStream(const FbankOptions& options, double sampleRate)
    : FeatureStream(std::make_unique<FbankComputer>(options, sampleRate)) {}

FeatureStream::FeatureStream(std::unique_ptr<FeatureComputer> computer)
    : computer_(std::move(computer)) {
  if (!computer_) fail("FeatureStream needs a feature computer");
  frame_.resize(computer_->geometry().windowSize);
  computer_->resetDither();
}

void FeatureStream::reset() {
  buffer_.clear();
  bufferStart_ = total_ = nextFrame_ = 0;
  finished_ = false;
  ready_.clear();
  readyRows_ = 0;
  computer_->resetDither();
}

void FeatureStream::push(const float* samples, std::size_t numSamples) {
  if (finished_) fail("FeatureStream.push after finish(); call reset() to start a new stream");
  validateSamples(samples, numSamples);
  buffer_.insert(buffer_.end(), samples, samples + numSamples);
  total_ += static_cast<std::int64_t>(numSamples);
  computeAvailable(false);
}

void FeatureStream::finish() {
  if (finished_) return;
  finished_ = true;
  computeAvailable(true);
}

void FeatureStream::computeAvailable(bool atEnd) {
  const FrameGeometry& g = geometry();
  const std::int64_t framesInSignal = g.numFrames(total_);
  const int d = dim();
  while (nextFrame_ < framesInSignal) {
    // Before the end, only frames that need no reflection at the right edge are final:
    // the same frame of the whole signal sees the same samples.
    if (!atEnd && g.frameStart(nextFrame_) + g.windowSize > total_) break;
    ready_.resize((readyRows_ + 1) * d);
    const std::int64_t start = g.frameStart(nextFrame_);
    if (start >= bufferStart_ && start + g.windowSize <= total_) {  // no reflection needed
      computer_->computeFrame(buffer_.data() + (start - bufferStart_), ready_.data() + readyRows_ * d);
    } else {
      extractFrame(g, buffer_.data(), bufferStart_, total_, nextFrame_, frame_.data());
      computer_->computeFrame(frame_.data(), ready_.data() + readyRows_ * d);
    }
    ++readyRows_;
    ++nextFrame_;
  }
  dropConsumedSamples();
}

void FeatureStream::dropConsumedSamples() {
  const FrameGeometry& g = geometry();
  // Keep one window and one shift before the next frame's start: with snipEdges = false the
  // last frames reflect the signal end back into the kept tail.
  std::int64_t keepFrom = g.frameStart(nextFrame_);
  if (!g.snipEdges) keepFrom -= g.windowSize + g.windowShift;
  keepFrom = std::min(keepFrom, total_);
  const std::int64_t dead = keepFrom - bufferStart_;
  // Compact only when the dead prefix is at least half the buffer (amortised O(1) per
  // sample even for one-sample pushes).
  if (dead > 0 && 2 * dead >= static_cast<std::int64_t>(buffer_.size())) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + dead);
    bufferStart_ = keepFrom;
  }
}

RowMatrix FeatureStream::pull(std::size_t maxFrames) {
  const std::size_t rows = std::min(maxFrames, readyRows_);
  const int d = dim();
  RowMatrix out(static_cast<Eigen::Index>(rows), d);
  std::copy(ready_.begin(), ready_.begin() + rows * d, out.data());
  ready_.erase(ready_.begin(), ready_.begin() + rows * d);
  readyRows_ -= rows;
  return out;
}

}  // namespace gmmhmm::features
