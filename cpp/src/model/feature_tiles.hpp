#pragma once
// The frames of a training run as the E-step reads them: sequences grouped (the unit whose
// statistics are computed together and then summed in order, so that any split of the groups
// among threads or Workers sums exactly the same numbers in the same order), and for diagonal
// and spherical models the products' input [x, x²] as tiles (kernels.hpp), built once per fit
// instead of twice per group and iteration.
//
// Float32 precision: the tiles hold standardised features z = (x - mean) · 1/std (global
// mean and standard deviation of the training data), so that the single-precision products
// work on values near 1 with little cancellation, never overflow float, and stay independent
// of the data's offset and scale.

#include <vector>

#include <Eigen/Core>

#include "sequence_data.hpp"

namespace gmmhmm::detail {

// Sequences are grouped until a group holds this many frames (a longer sequence is a group on
// its own). Small enough that several Workers get balanced shares of typical data sets: a
// share is whole groups, so with G groups the busiest of two Workers has up to 1/G more than
// half (4096 gave the issue-18 task 25 groups, split 13/12: at most x1.92 with 2 Workers;
// 2048 gives 50, split 25/25), and large enough that a group's statistics (one message
// entry per group and iteration) stay small beside its E-step. One-thread fit speed is the
// same (docs/performance.md).
constexpr Index kGroupRows = 2048;
// All tiles of a fit are kept when they need at most this much memory.
constexpr double kTileCacheBytes = 256.0 * 1024 * 1024;

struct SequenceGroup {
  Index firstSequence = 0, endSequence = 0;  // [first, end)
  Index firstRow = 0, rows = 0;
};

// Consecutive sequences of at most kGroupRows frames per group.
std::vector<SequenceGroup> groupSequences(const SequenceData& data);
// Groups of the given numbers of sequences (a share of another run's groups). Throws
// InvalidArgument unless they cover the sequences exactly.
std::vector<SequenceGroup> groupSequences(const SequenceData& data, const std::vector<Index>& sequencesPerGroup);

// Frames of the largest of `groups` (what an E-step's per-frame buffers are sized for).
Index largestGroupRows(const std::vector<SequenceGroup>& groups);

// z = (x - shift) · inverseScale per feature (float tiles); empty for double tiles.
struct FeatureScaling {
  std::vector<double> shift, inverseScale;
  bool empty() const { return shift.empty(); }
};

// Standardisation from the data's global mean and variance (a feature of zero variance is only
// shifted).
FeatureScaling standardisation(const Eigen::VectorXd& mean, const Eigen::VectorXd& variance);

// The tiles of one group: tile i (of kTileFrames frames, fewer in the last) starts at element
// i · P · kTileFrames; exactly one of f64/f32 is set.
struct TileView {
  const double* f64 = nullptr;
  const float* f32 = nullptr;
  Index rows = 0;  // frames of the group
  Index P = 0;     // 2D
};

class FeatureTiles {
 public:
  // X: all frames the groups index (not copied; must outlive this). Float tiles when
  // `scaling` is not empty.
  FeatureTiles(const Eigen::Map<const RowMatrix>& X, const std::vector<SequenceGroup>& groups,
               FeatureScaling scaling);

  // Bytes the tiles of `frames` frames of D features take (float or double tiles): all of
  // them when they are kept, else one group of `largestGroupRows` frames.
  static double bytes(Index frames, Index nFeatures, Index largestGroupRows, bool isFloat);

  bool isFloat() const { return !scaling_.empty(); }
  const FeatureScaling& scaling() const { return scaling_; }
  Index nFeatures() const { return D_; }

  // Group g's tiles: from the cache, or built now into a buffer that the next call reuses.
  TileView group(Index g);

 private:
  template <class E>
  void build(Index g, E* out) const;

  Eigen::Map<const RowMatrix> X_;
  std::vector<SequenceGroup> groups_;
  FeatureScaling scaling_;
  Index D_;
  bool cached_;
  std::vector<double> f64_;
  std::vector<float> f32_;
};

}  // namespace gmmhmm::detail
