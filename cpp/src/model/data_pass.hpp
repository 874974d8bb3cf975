#pragma once
// Passes over all frames of a training/scoring set: emission log-likelihoods computed in
// blocks (bounded memory even for 10⁶-frame sequences), forward-backward per sequence, and
// accumulation of the Baum-Welch statistics.

#include <vector>

#include <Eigen/Core>

#include "emissions.hpp"
#include "feature_tiles.hpp"
#include "forward_backward.hpp"
#include "sequence_data.hpp"
#include "statistics.hpp"
#include "transitions.hpp"

namespace gmmhmm::detail {

// State log-likelihoods (T × N) of the rows of X; optionally the within-state component
// responsibilities (T × K).
void stateLogLikelihoods(const EmissionEvaluator& evaluator, const Eigen::Ref<const RowMatrix>& X,
                         RowMatrix& stateLogLik, ColMatrix* responsibilities = nullptr);

// The rows of X as the scaled forward pass takes them (forward_backward.hpp), built tile by
// tile from the component log-likelihoods without the states' log-sum-exp: the scoring
// passes' emissions. False when a frame has no finite largest component log-likelihood (the
// caller then takes the log-space path with stateLogLikelihoods).
bool scaledStateEmissions(const EmissionEvaluator& evaluator, const Eigen::Ref<const RowMatrix>& X,
                          ScaledEmissions& out);

// Working memory of the E-step, kept from group to group and iteration to iteration (fresh
// megabyte-sized matrices for every group cost page faults each time natively).
struct GroupScratch {
  RowMatrix stateLogLik, gamma, block;
  ColMatrix responsibilities, weights;
  // One sequence's scaled emissions and its states' maxima and sums (EmissionEvaluator::
  // scaledResponsibilities).
  ScaledEmissions scaled;
  ColMatrix stateShift, stateSum;
};

// The E-step statistics of one group of sequences (st is reset first), and their
// log-likelihood. tiles: the frames as FeatureTiles (diag / spherical; g is the group's index
// there), or null to read X (full / tied). Throws InvalidArgument naming the sequence when
// one cannot be explained by any path.
void groupStatistics(const SequenceData& data, const SequenceGroup& group, FeatureTiles* tiles, Index g,
                     const EmissionEvaluator& evaluator, const Transitions& tr, const MixtureParams& shape,
                     Statistics& st, GroupScratch& scratch);

// One E-step over all groups: their statistics summed in group order (total is reset first).
void expectationStep(const SequenceData& data, const std::vector<SequenceGroup>& groups, FeatureTiles* tiles,
                     const EmissionEvaluator& evaluator, const Transitions& tr, const MixtureParams& shape,
                     Statistics& total, GroupScratch& scratch);

// Bytes of the per-frame buffers of an E-step (GroupScratch, forward-backward) over groups of at
// most `largestGroupRows` frames, for a model of N states, K components and D features.
double expectationPassBytes(Index largestGroupRows, Index nStates, Index nComponents, Index nFeatures);
// The same for the groups groupSequences(data) forms (scoring passes: no group is larger).
double expectationPassBytes(const SequenceData& data, Index nStates, Index nComponents, Index nFeatures);

}  // namespace gmmhmm::detail
