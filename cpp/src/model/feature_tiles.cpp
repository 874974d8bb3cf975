#include "feature_tiles.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "checks.hpp"
#include "kernels.hpp"
#include "tuning.hpp"

namespace gmmhmm::detail {

std::vector<SequenceGroup> groupSequences(const SequenceData& data) {
  std::vector<SequenceGroup> groups;
  const Index nSeq = data.nSequences();
  for (Index first = 0; first < nSeq;) {
    Index last = first, rows = 0;
    while (last < nSeq && (rows == 0 || rows + data.length[last] <= kGroupRows)) rows += data.length[last++];
    groups.push_back({first, last, data.begin[first], rows});
    first = last;
  }
  return groups;
}

std::vector<SequenceGroup> groupSequences(const SequenceData& data, const std::vector<Index>& sequencesPerGroup) {
  std::vector<SequenceGroup> groups;
  Index first = 0;
  for (size_t g = 0; g < sequencesPerGroup.size(); ++g) {
    const Index count = sequencesPerGroup[g];
    require(count >= 1 && count <= data.nSequences() - first, "groups: group ", g, " has ", count,
            " sequences, but only ", data.nSequences() - first, " remain");
    Index rows = 0;
    for (Index q = first; q < first + count; ++q) rows += data.length[q];
    groups.push_back({first, first + count, data.begin[first], rows});
    first += count;
  }
  require(first == data.nSequences(), "groups: they hold ", first, " sequences, the data has ", data.nSequences());
  return groups;
}

Index largestGroupRows(const std::vector<SequenceGroup>& groups) {
  Index largest = 0;
  for (const SequenceGroup& g : groups) largest = std::max(largest, g.rows);
  return largest;
}

FeatureScaling standardisation(const Eigen::VectorXd& mean, const Eigen::VectorXd& variance) {
  FeatureScaling s;
  for (Index d = 0; d < mean.size(); ++d) {
    s.shift.push_back(mean[d]);
    const double inverse = 1.0 / std::sqrt(variance[d]);
    s.inverseScale.push_back(variance[d] > 0 && std::isfinite(inverse) ? inverse : 1.0);
  }
  return s;
}

namespace {

double tileBytes(Index frames, Index D, bool isFloat) {
  return 2.0 * static_cast<double>(D) * static_cast<double>(frames) * (isFloat ? sizeof(float) : sizeof(double));
}

// Whether the tiles of all frames are built once and kept (else one group's, rebuilt).
bool keepsAll(Index frames, Index D, bool isFloat) {
  return tuning().cacheTiles && (isFloat || tuning().keepFloat64Tiles) && tileBytes(frames, D, isFloat) <= kTileCacheBytes;
}

}  // namespace

double FeatureTiles::bytes(Index frames, Index nFeatures, Index largestGroupRows, bool isFloat) {
  return tileBytes(keepsAll(frames, nFeatures, isFloat) ? frames : largestGroupRows, nFeatures, isFloat);
}

FeatureTiles::FeatureTiles(const Eigen::Map<const RowMatrix>& X, const std::vector<SequenceGroup>& groups,
                           FeatureScaling scaling)
    : X_(X), groups_(groups), scaling_(std::move(scaling)), D_(X.cols()) {
  cached_ = keepsAll(X_.rows(), D_, isFloat());
  // Cached: every group at its own rows (the groups cover X's rows in order). Otherwise one
  // group's worth, rebuilt on request.
  Index rows = 0;
  for (const SequenceGroup& g : groups_) rows = cached_ ? rows + g.rows : std::max(rows, g.rows);
  const size_t size = static_cast<size_t>(2 * D_ * rows);
  if (isFloat()) f32_.resize(size);
  else f64_.resize(size);
  if (!cached_) return;
  for (Index g = 0; g < static_cast<Index>(groups_.size()); ++g) {
    const Index offset = 2 * D_ * (groups_[g].firstRow - groups_.front().firstRow);
    if (isFloat()) build(g, f32_.data() + offset);
    else build(g, f64_.data() + offset);
  }
}

template <class E>
void FeatureTiles::build(Index g, E* out) const {
  const SequenceGroup& group = groups_[g];
  const Index P = 2 * D_, ld = X_.outerStride();
  for (Index b = 0; b < group.rows; b += kernels::kTileFrames) {
    const Index n = std::min(kernels::kTileFrames, group.rows - b);
    const double* rows = X_.data() + (group.firstRow + b) * ld;
    if constexpr (std::is_same_v<E, float>)
      kernels::buildTile(rows, n, D_, ld, scaling_.shift.data(), scaling_.inverseScale.data(), out + P * b);
    else
      kernels::buildTile(rows, n, D_, ld, out + P * b);
  }
}

TileView FeatureTiles::group(Index g) {
  TileView v;
  v.rows = groups_[g].rows;
  v.P = 2 * D_;
  const Index offset = cached_ ? 2 * D_ * (groups_[g].firstRow - groups_.front().firstRow) : 0;
  if (isFloat()) {
    if (!cached_) build(g, f32_.data());
    v.f32 = f32_.data() + offset;
  } else {
    if (!cached_) build(g, f64_.data());
    v.f64 = f64_.data() + offset;
  }
  return v;
}

}  // namespace gmmhmm::detail
