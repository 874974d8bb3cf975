#include "data_pass.hpp"

#include <algorithm>
#include <cmath>

#include "checks.hpp"
#include "forward_backward.hpp"
#include "kernels.hpp"

namespace gmmhmm::detail {

namespace {
// Rows per emission block: large enough for efficient matrix products, small enough for caches.
constexpr Index kBlockRows = 2048;
static_assert(kBlockRows % kernels::kTileFrames == 0, "blocks start at tile boundaries");
// Component responsibilities of a group are kept (not recomputed) up to this many values.
constexpr Index kCacheValues = Index(1) << 22;

// The first value of data[0, n) that is not finite or beyond kMaxFrameMagnitude: an error
// naming it (data starts at frame `firstFrame`).
void requireUsable(const double* data, long n, long nFeatures, long firstFrame = 0) {
  // One comparison catches NaN, infinities and magnitudes above the limit, without a branch
  // per value; the culprit is looked up after.
  bool bad = false;
  for (long i = 0; i < n; ++i) bad |= !(std::abs(data[i]) <= kMaxFrameMagnitude);
  for (long i = 0; bad && i < n; ++i) {
    const double v = data[i];
    if (!std::isfinite(v))
      fail("X: value at frame ", firstFrame + i / nFeatures, ", feature ", i % nFeatures, " is ", v,
           " (NaN or infinite values are not allowed)");
    if (std::abs(v) > kMaxFrameMagnitude)
      fail("X: value at frame ", firstFrame + i / nFeatures, ", feature ", i % nFeatures, " is ", v,
           " (magnitudes above 1e100 are not supported)");
  }
}
}  // namespace

void requireUsableValues(const Eigen::Map<const RowMatrix>& X) {
  requireUsable(X.data(), static_cast<long>(X.size()), static_cast<long>(X.cols()));
}

void requireUsableValues(const SequenceData& data, Index q) {
  const long D = static_cast<long>(data.X.cols());
  requireUsable(data.X.data() + data.begin[q] * D, static_cast<long>(data.length[q]) * D, D,
                static_cast<long>(data.begin[q]));
}

SequenceData SequenceData::from(const SequenceSet& set, int expectedFeatures, bool checkValues) {
  require(set.nFrames >= 1, "X: no frames (empty data)");
  require(set.nFeatures >= 1, "X: nFeatures must be >= 1, got ", set.nFeatures);
  require(set.data != nullptr, "X: missing data");
  if (expectedFeatures > 0)
    require(set.nFeatures == expectedFeatures, "X: rows have ", set.nFeatures, " features but the model has ",
            expectedFeatures);
  if (checkValues) requireUsable(set.data, static_cast<long>(set.nFrames * set.nFeatures), static_cast<long>(set.nFeatures));
  SequenceData out;
  new (&out.X) Eigen::Map<const RowMatrix>(set.data, set.nFrames, set.nFeatures);
  if (set.lengths.empty()) {
    out.begin = {0};
    out.length = {set.nFrames};
    return out;
  }
  Index total = 0;
  for (size_t i = 0; i < set.lengths.size(); ++i) {
    const Index len = set.lengths[i];
    require(len >= 1, "lengths[", i, "] is ", len, ": every sequence needs at least one frame");
    require(len <= set.nFrames - total, "lengths sum to more than the ", set.nFrames, " rows of X");
    out.begin.push_back(total);
    out.length.push_back(len);
    total += len;
  }
  require(total == set.nFrames, "lengths sum to ", total, " but X has ", set.nFrames, " rows");
  return out;
}

void stateLogLikelihoods(const EmissionEvaluator& ev, const Eigen::Ref<const RowMatrix>& X, RowMatrix& stateLogLik,
                         ColMatrix* resp) {
  const Index T = X.rows();
  stateLogLik.resize(T, ev.nStates());
  if (resp) resp->resize(T, ev.nComponents());
  ColMatrix comps;
  RowMatrix block;
  for (Index b = 0; b < T; b += kBlockRows) {
    const Index rows = std::min(kBlockRows, T - b);
    ev.componentLogLikelihoods(X.middleRows(b, rows), comps);
    ev.reduceToStates(comps, block, resp != nullptr);
    stateLogLik.middleRows(b, rows) = block;
    if (resp) resp->middleRows(b, rows) = comps;
  }
}

bool scaledStateEmissions(const EmissionEvaluator& ev, const Eigen::Ref<const RowMatrix>& X, ScaledEmissions& out) {
  const Index T = X.rows();
  const int N = ev.nStates(), M = ev.nComponents() / N;
  out.e.resize(T, N);
  out.offset.resize(T);
  // e is a sum of M exps: M roundings of at most half an ulp each, and M - 1 additions.
  out.subnormalUlps = M;
  // One tile at a time: its component log-likelihoods stay in the cache between the product
  // and the exponentials. (Not kept from call to call: a buffer that outlives the call
  // shows as memory left behind, by the size of the last tile.)
  ColMatrix comps;
  for (Index b = 0; b < T; b += kernels::kTileFrames) {
    const Index rows = std::min(kernels::kTileFrames, T - b);
    ev.componentLogLikelihoods(X.middleRows(b, rows), comps);
    if (!kernels::scaledStateEmissions(comps.data(), rows, N, M, out.e.data() + b * N, out.offset.data() + b))
      return false;
  }
  return true;
}

double expectationPassBytes(Index largestGroupRows, Index nStates, Index nComponents, Index nFeatures) {
  const double G = static_cast<double>(largestGroupRows), N = static_cast<double>(nStates);
  const double K = static_cast<double>(nComponents), D = static_cast<double>(nFeatures);
  const double block = static_cast<double>(std::min(kBlockRows, largestGroupRows));
  // GroupScratch: state log-likelihoods and posteriors (G × N each), the responsibilities and
  // the statistics' weights (G × K each when cached, else a block's), a block of state
  // log-likelihoods; forward and backward variables (G × N each) and the Viterbi back-pointers
  // of a segmental initialisation; a block of x, x² where there are no tiles; with cached
  // responsibilities of several components per state, a sequence's state maxima and sums
  // (groupStatistics's fused path, at most G × N each).
  const bool cache = G * K <= static_cast<double>(kCacheValues);
  const double cached = cache ? G * K : block * K;
  const double fused = cache && K > N ? 2.0 * G * N : 0.0;
  return sizeof(double) * (5.0 * G * N + 2.0 * cached + block * (N + 2.0 * D) + fused);
}

double expectationPassBytes(const SequenceData& data, Index nStates, Index nComponents, Index nFeatures) {
  return expectationPassBytes(largestGroupRows(groupSequences(data)), nStates, nComponents, nFeatures);
}


namespace {

// The frames [first, first + n) of a group's tiles (first: a multiple of kTileFrames).
TileView slice(const TileView& v, Index first, Index n) {
  TileView s = v;
  s.rows = n;
  if (s.f32) s.f32 += v.P * first;
  else s.f64 += v.P * first;
  return s;
}

// Component log-likelihoods of the group's frames [first, first + n).
void components(const EmissionEvaluator& ev, const Eigen::Ref<const RowMatrix>& X, const TileView* tiles, Index first,
                Index n, ColMatrix& out) {
  if (tiles) ev.componentLogLikelihoods(slice(*tiles, first, n), out);
  else ev.componentLogLikelihoods(X.middleRows(first, n), out);
}

// The forward-backward of one sequence (the rows [off, off + len) of the group's component
// log-likelihoods, which become responsibilities): the scaled pass on emissions scaled while
// the responsibilities are computed, or the log-space path on the state log-likelihoods when
// the scaled pass cannot vouch for its result — what forwardBackward does from state
// log-likelihoods, without computing them on the fast path.
double fusedForwardBackward(const EmissionEvaluator& ev, const Transitions& tr, ColMatrix& comps, Index off, Index len,
                            Eigen::Ref<RowMatrix> gamma, RowMatrix* xiSum, GroupScratch& scratch) {
  if (len == 0) return 0.0;
  if (ev.scaledResponsibilities(comps, off, len, scratch.scaled, scratch.stateShift, scratch.stateSum)) {
    const double ll = scaledForwardBackward(tr, scratch.scaled, gamma, xiSum);
    if (!std::isnan(ll)) return ll;
  }
  EmissionEvaluator::stateLogLikelihoods(scratch.stateShift, scratch.stateSum, scratch.block);
  return forwardBackwardLogSpace(tr, scratch.block, gamma, xiSum);
}

}  // namespace

void groupStatistics(const SequenceData& data, const SequenceGroup& group, FeatureTiles* tiles, Index g,
                     const EmissionEvaluator& ev, const Transitions& tr, const MixtureParams& shape, Statistics& st,
                     GroupScratch& scratch) {
  st.reset(shape);
  const Index rows = group.rows, K = ev.nComponents();
  const auto X = data.X.middleRows(group.firstRow, rows);
  // Tiles of [x, x²] unless the parameters need the frames themselves: scored from their
  // differences (far from the origin), or float tiles too coarse for them (double instead).
  const bool useTiles = tiles && !ev.scoresFromDifferences() && !(tiles->isFloat() && ev.floatTilesTooCoarse());
  TileView view;
  if (useTiles) view = tiles->group(g);
  const TileView* tv = useTiles ? &view : nullptr;
  RowMatrix& stateLL = scratch.stateLogLik;
  RowMatrix& gammaAll = scratch.gamma;
  RowMatrix& block = scratch.block;
  ColMatrix& resp = scratch.responsibilities;
  gammaAll.resize(rows, tr.n);
  const bool cache = rows * K <= kCacheValues;
  // With the group's components at hand, each sequence's scaled emissions come with its
  // responsibilities (no state log-likelihoods unless the log-space path needs them).
  const bool fused = cache && ev.fusesScaling();
  if (!fused) stateLL.resize(rows, ev.nStates());
  if (cache) {
    components(ev, X, tv, 0, rows, resp);
    if (!fused) ev.reduceToStates(resp, stateLL);
  } else {
    for (Index b = 0; b < rows; b += kBlockRows) {
      const Index n = std::min(kBlockRows, rows - b);
      components(ev, X, tv, b, n, resp);
      ev.reduceToStates(resp, block);
      stateLL.middleRows(b, n) = block;
    }
  }
  for (Index q = group.firstSequence; q < group.endSequence; ++q) {
    const Index off = data.begin[q] - group.firstRow, len = data.length[q];
    const double ll = fused ? fusedForwardBackward(ev, tr, resp, off, len, gammaAll.middleRows(off, len), &st.trans, scratch)
                            : forwardBackward(tr, stateLL.middleRows(off, len), gammaAll.middleRows(off, len), &st.trans);
    if (!std::isfinite(ll))
      fail("sequence ", q, " (", len, " frames) cannot be produced by the model: no path of the topology",
           " explains it (too short for a left-right model that must end in its last state?)");
    st.logLikelihood += ll;
    st.start += gammaAll.row(off).transpose();
  }
  const auto addBlock = [&](Index first, Index n, const ColMatrix& r) {
    if (tv) st.accumulate(slice(*tv, first, n), tiles->scaling(), r, gammaAll.middleRows(first, n), shape, scratch.weights);
    else st.accumulate(X.middleRows(first, n), r, gammaAll.middleRows(first, n), shape, scratch.weights);
  };
  if (cache) {
    addBlock(0, rows, resp);
    return;
  }
  for (Index b = 0; b < rows; b += kBlockRows) {
    const Index n = std::min(kBlockRows, rows - b);
    components(ev, X, tv, b, n, resp);
    ev.reduceToStates(resp, block);
    addBlock(b, n, resp);
  }
}

void expectationStep(const SequenceData& data, const std::vector<SequenceGroup>& groups, FeatureTiles* tiles,
                     const EmissionEvaluator& ev, const Transitions& tr, const MixtureParams& shape, Statistics& total,
                     GroupScratch& scratch) {
  total.reset(shape);
  Statistics part;
  for (Index g = 0; g < static_cast<Index>(groups.size()); ++g) {
    groupStatistics(data, groups[g], tiles, g, ev, tr, shape, part, scratch);
    total.add(part);
  }
}

}  // namespace gmmhmm::detail
