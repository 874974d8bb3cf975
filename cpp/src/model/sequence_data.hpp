#pragma once
// A validated, non-owning view of the frames of one or more sequences (data_pass.cpp).

#include <vector>

#include <Eigen/Core>

#include "gmmhmm/model/gmm_hmm.hpp"

namespace gmmhmm::detail {

struct SequenceData {
  Eigen::Map<const RowMatrix> X{nullptr, 0, 0};
  std::vector<Index> begin;   // first row of each sequence
  std::vector<Index> length;  // rows of each sequence
  Index nSequences() const { return static_cast<Index>(length.size()); }

  // Validates: data non-null when frames > 0, finite and |x| <= 1e100, lengths >= 1 summing
  // to nFrames, nFeatures matching `expectedFeatures` (when > 0).
  static SequenceData from(const SequenceSet& set, int expectedFeatures);
};

}  // namespace gmmhmm::detail
