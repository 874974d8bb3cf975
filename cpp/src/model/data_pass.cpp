#include "data_pass.hpp"

#include <algorithm>
#include <cmath>

#include "checks.hpp"
#include "forward_backward.hpp"

namespace gmmhmm::detail {

namespace {
// Rows per emission block: large enough for efficient matrix products, small enough for caches.
constexpr Index kBlockRows = 2048;
// Sequences are grouped until a group holds this many frames (fewer, larger products).
constexpr Index kGroupRows = 8192;
// Component responsibilities of a group are kept (not recomputed) up to this many values.
constexpr Index kCacheValues = Index(1) << 22;
// Frames beyond this magnitude could overflow x² in the emission products.
constexpr double kMaxMagnitude = 1e100;
}  // namespace

SequenceData SequenceData::from(const SequenceSet& set, int expectedFeatures) {
  require(set.nFrames >= 1, "X: no frames (empty data)");
  require(set.nFeatures >= 1, "X: nFeatures must be >= 1, got ", set.nFeatures);
  require(set.data != nullptr, "X: missing data");
  if (expectedFeatures > 0)
    require(set.nFeatures == expectedFeatures, "X: rows have ", set.nFeatures, " features but the model has ",
            expectedFeatures);
  const long n = static_cast<long>(set.nFrames * set.nFeatures);
  for (long i = 0; i < n; ++i) {
    const double v = set.data[i];
    if (!std::isfinite(v))
      fail("X: value at frame ", i / set.nFeatures, ", feature ", i % set.nFeatures, " is ", v,
           " (NaN or infinite values are not allowed)");
    if (std::abs(v) > kMaxMagnitude)
      fail("X: value at frame ", i / set.nFeatures, ", feature ", i % set.nFeatures, " is ", v,
           " (magnitudes above 1e100 are not supported)");
  }
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
    ev.reduceToStates(comps, block);
    stateLogLik.middleRows(b, rows) = block;
    if (resp) resp->middleRows(b, rows) = comps;
  }
}

double expectationPassBytes(const SequenceData& data, Index nStates, Index nComponents, Index nFeatures) {
  // The largest group expectationStep forms: consecutive sequences up to kGroupRows frames,
  // or one longer sequence alone.
  Index largest = 0;
  for (Index first = 0; first < data.nSequences();) {
    Index last = first, rows = 0;
    while (last < data.nSequences() && (rows == 0 || rows + data.length[last] <= kGroupRows)) rows += data.length[last++];
    largest = std::max(largest, rows);
    first = last;
  }
  const double G = static_cast<double>(largest), N = static_cast<double>(nStates);
  const double K = static_cast<double>(nComponents), D = static_cast<double>(nFeatures);
  const double block = static_cast<double>(std::min(kBlockRows, largest));
  // State log-likelihoods, posteriors, forward and backward variables (G × N each, and the
  // Viterbi back-pointers of a segmental initialisation), the cached responsibilities (at
  // most kCacheValues), one block of component log-likelihoods and of x, x².
  const double cached = std::min(G * K, static_cast<double>(kCacheValues));
  return sizeof(double) * (5.0 * G * N + cached + block * (K + 2.0 * D));
}

void expectationStep(const SequenceData& data, const EmissionEvaluator& ev, const Transitions& tr,
                     const MixtureParams& shape, Statistics& st) {
  st.reset(shape);
  const Index nSeq = data.nSequences();
  const Index K = ev.nComponents();
  RowMatrix stateLL, gamma;
  ColMatrix resp;
  for (Index first = 0; first < nSeq;) {
    Index last = first, rows = 0;
    while (last < nSeq && (rows == 0 || rows + data.length[last] <= kGroupRows)) rows += data.length[last++];
    const Index row0 = data.begin[first];
    const auto X = data.X.middleRows(row0, rows);
    const bool cache = rows * K <= kCacheValues;
    stateLogLikelihoods(ev, X, stateLL, cache ? &resp : nullptr);
    gamma.resize(rows, tr.n);
    for (Index q = first; q < last; ++q) {
      const Index off = data.begin[q] - row0, len = data.length[q];
      const double ll = forwardBackward(tr, stateLL.middleRows(off, len), gamma.middleRows(off, len), &st.trans);
      if (!std::isfinite(ll))
        fail("sequence ", q, " (", len, " frames) cannot be produced by the model: no path of the topology",
             " explains it (too short for a left-right model that must end in its last state?)");
      st.logLikelihood += ll;
      st.start += gamma.row(off).transpose();
    }
    if (cache) {
      st.accumulate(X, resp, gamma, shape);
    } else {
      ColMatrix comps;
      RowMatrix ignored;
      for (Index b = 0; b < rows; b += kBlockRows) {
        const Index n = std::min(kBlockRows, rows - b);
        ev.componentLogLikelihoods(X.middleRows(b, n), comps);
        ev.reduceToStates(comps, ignored);
        st.accumulate(X.middleRows(b, n), comps, gamma.middleRows(b, n), shape);
      }
    }
    first = last;
  }
}

}  // namespace gmmhmm::detail
