#pragma once
// A validated, non-owning view of the frames of one or more sequences (data_pass.cpp).

#include <vector>

#include <Eigen/Core>

#include "gmmhmm/model/gmm_hmm.hpp"

namespace gmmhmm::detail {

// Frames beyond this magnitude could overflow x² in the emission products.
constexpr double kMaxFrameMagnitude = 1e100;

struct SequenceData {
  Eigen::Map<const RowMatrix> X{nullptr, 0, 0};
  std::vector<Index> begin;   // first row of each sequence
  std::vector<Index> length;  // rows of each sequence
  Index nSequences() const { return static_cast<Index>(length.size()); }

  // Validates: data non-null when frames > 0, finite and |x| <= kMaxFrameMagnitude (unless
  // checkValues is false: a caller that reads every value anyway checks them in its own pass,
  // see requireUsableValues), lengths >= 1 summing to nFrames, nFeatures matching
  // `expectedFeatures` (when > 0).
  static SequenceData from(const SequenceSet& set, int expectedFeatures, bool checkValues = true);
};

// Throws InvalidArgument naming the first value of X that is not finite or beyond
// kMaxFrameMagnitude (row-major order), if there is one.
void requireUsableValues(const Eigen::Map<const RowMatrix>& X);
// The same for the frames of sequence q alone (scoring checks each sequence right before it
// reads it, while it is in the cache, instead of all of X in a pass of its own).
void requireUsableValues(const SequenceData& data, Index q);

}  // namespace gmmhmm::detail
