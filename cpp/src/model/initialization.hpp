#pragma once
// Initial parameters from data (only the letters of initParams are written):
//  - k-means (ergodic models): seeded k-means++ clusters the frames into the states, then each
//    state's frames into its components (hmmlearn GMMHMM's scheme);
//  - segmental (left-right models, HTK HInit): uniform segmentation of every sequence over the
//    states, then Viterbi re-segmentation until the alignment no longer changes (≤ 10 passes).
// Components get their cluster's mean, share and covariance (pooled state or global
// covariance for clusters too small to estimate one); variance floors are applied.

#include <string>
#include <vector>

#include <Eigen/Core>

#include "data_pass.hpp"
#include "mixture_params.hpp"
#include "random.hpp"
#include "statistics.hpp"

namespace gmmhmm::detail {

struct GlobalStatistics {
  Eigen::VectorXd mean, variance;  // per feature
  Eigen::MatrixXd covariance;      // D × D (empty unless asked for)
  // Every value of X is finite and within kMaxFrameMagnitude (sequence_data.hpp): found in the
  // same pass, so that fit() reads X once before its first iteration (requireUsableValues
  // then names the culprit).
  bool usable = true;
  // The covariance only when withCovariance: its D × D product is wasted on diagonal models.
  static GlobalStatistics of(const Eigen::Ref<const RowMatrix>& X, bool withCovariance);
  // Adds the covariance (and takes the variance from it) after of(X, false).
  void addCovariance(const Eigen::Ref<const RowMatrix>& X);
};

struct KMeansResult {
  RowMatrix centers;
  std::vector<int> labels;
};

// Throws InvalidArgument ("fit: 2 frames cannot initialise 3 states by k-means ...") when a
// k-means initialisation over all frames would have fewer frames than states (hmmlearn's
// KMeans refuses it; each state's mean and variance would come from nothing).
void requireFramePerCluster(Index frames, int states);

// nInit runs of seeded k-means++ then Lloyd iterations (at most maxIterations each); the run
// of lowest inertia (sum of squared distances to the nearest centre) wins. k may exceed the
// number of distinct points: surplus centers duplicate existing ones.
KMeansResult kmeans(const Eigen::Ref<const RowMatrix>& points, int k, Random& rng, int nInit, int maxIterations = 30);

void initializeKMeans(const SequenceData& data, const GlobalStatistics& global, const Floors& floors,
                      const std::string& letters, Random& rng, int nInit, MixtureParams& mixtures);

// Also sets transmat from the final alignment when letters contain 't' (zeros kept).
void initializeSegmental(const SequenceData& data, const GlobalStatistics& global, const Floors& floors,
                         const std::string& letters, Random& rng, int nInit, const Eigen::VectorXd& startprob,
                         RowMatrix& transmat, const std::vector<char>& endMask, MixtureParams& mixtures);

// HTK HHEd MU: grows every state to `target` components by repeatedly splitting the heaviest
// component of the state (means ± 0.2 σ, weight halved, covariance copied).
void splitMixtures(int target, MixtureParams& mixtures);

}  // namespace gmmhmm::detail
