#pragma once
// Passes over all frames of a training/scoring set: emission log-likelihoods computed in
// blocks (bounded memory even for 10⁶-frame sequences), forward-backward per sequence, and
// accumulation of the Baum-Welch statistics.

#include <vector>

#include <Eigen/Core>

#include "emissions.hpp"
#include "statistics.hpp"
#include "transitions.hpp"

namespace gmmhmm::detail {

// Validated, non-owning view of sequences.
struct SequenceData {
  Eigen::Map<const RowMatrix> X{nullptr, 0, 0};
  std::vector<Index> begin;   // first row of each sequence
  std::vector<Index> length;  // rows of each sequence
  Index nSequences() const { return static_cast<Index>(length.size()); }

  // Validates: data non-null when frames > 0, finite and |x| <= 1e100, lengths >= 1 summing
  // to nFrames, nFeatures matching `expectedFeatures` (when > 0).
  static SequenceData from(const SequenceSet& set, int expectedFeatures);
};

// State log-likelihoods (T × N) of the rows of X; optionally the within-state component
// responsibilities (T × K).
void stateLogLikelihoods(const EmissionEvaluator& evaluator, const Eigen::Ref<const RowMatrix>& X,
                         RowMatrix& stateLogLik, ColMatrix* responsibilities = nullptr);

// Bytes of the per-frame buffers one expectationStep allocates for a model of N states, K
// components and D features (the largest group of sequences it processes at once).
double expectationPassBytes(const SequenceData& data, Index nStates, Index nComponents, Index nFeatures);

// One E-step over all sequences: statistics (reset first) and their total log-likelihood.
// Throws InvalidArgument naming the sequence when one cannot be explained by any path.
void expectationStep(const SequenceData& data, const EmissionEvaluator& evaluator, const Transitions& tr,
                     const MixtureParams& shape, Statistics& stats);

}  // namespace gmmhmm::detail
