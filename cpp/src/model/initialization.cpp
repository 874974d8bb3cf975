#include "initialization.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "checks.hpp"
#include "forward_backward.hpp"
#include "param_letters.hpp"
#include "simd.hpp"

namespace gmmhmm::detail {

namespace {

// k-means runs on at most this many frames (an evenly spaced subset), which keeps
// initialisation cheap on large data sets without changing its result materially.
constexpr Index kMaxKMeansPoints = 20000;

// Frames per block of state log-likelihoods during the Viterbi re-segmentation.
constexpr Index kAlignmentGroupRows = 4096;

RowMatrix subsample(const Eigen::Ref<const RowMatrix>& X) {
  if (X.rows() <= kMaxKMeansPoints) return X;
  RowMatrix out(kMaxKMeansPoints, X.cols());
  for (Index i = 0; i < kMaxKMeansPoints; ++i) out.row(i) = X.row(i * X.rows() / kMaxKMeansPoints);
  return out;
}

// Mixture of one state from its frames. Diagonal and spherical models need only per-feature
// variances: the D x D scatter is built for full and tied covariances alone (it was a third of
// the recognizer's training time when built for every type).
void fitStateMixture(const Eigen::Ref<const RowMatrix>& frames, int s, const GlobalStatistics& global,
                     Random& rng, int nInit, MixtureParams& p) {
  const int M = p.nMix, D = p.nFeatures;
  const bool full = p.isFullType();
  const Index n = frames.rows();
  Eigen::VectorXd stateMean = global.mean, stateVar = global.variance;
  Eigen::MatrixXd stateCov;
  if (full) stateCov = global.covariance;
  if (n >= 2) {
    stateMean = frames.colwise().mean().transpose();
    const RowMatrix centered = frames.rowwise() - stateMean.transpose();
    if (full) {
      stateCov = centered.transpose() * centered / static_cast<double>(n);
      stateVar = stateCov.diagonal();
    } else {
      stateVar = centered.colwise().squaredNorm().transpose() / static_cast<double>(n);
    }
  } else if (n == 1) {
    stateMean = frames.row(0).transpose();
  }
  std::vector<int> labels(n, 0);
  RowMatrix centers(M, D);
  if (M == 1 || n == 0) {
    for (int m = 0; m < M; ++m) centers.row(m) = stateMean.transpose();
    // Without frames to separate them, spread components ±0.2σ along every feature.
    for (int m = 1; m < M; ++m)
      centers.row(m) += ((m % 2 ? 0.2 : -0.2) * ((m + 1) / 2)) * stateVar.cwiseSqrt().transpose();
  } else {
    KMeansResult km = kmeans(frames, M, rng, nInit);
    centers = km.centers;
    labels = km.labels;
  }
  std::vector<Index> count(M, 0);
  for (int l : labels) ++count[l];
  // Per-component second moments about the centre: squares for diag/spherical, scatters for
  // full/tied. A component with fewer than 2 frames keeps the state's (co)variance.
  RowMatrix squares;
  std::vector<Eigen::MatrixXd> scatters;
  if (M > 1 && n > 0) {
    if (full) {
      scatters.assign(M, Eigen::MatrixXd::Zero(D, D));
      for (Index t = 0; t < n; ++t) {
        const Eigen::VectorXd d = frames.row(t).transpose() - centers.row(labels[t]).transpose();
        scatters[labels[t]].noalias() += d * d.transpose();
      }
    } else {
      squares = RowMatrix::Zero(M, D);
      for (Index t = 0; t < n; ++t)
        squares.row(labels[t]).array() += (frames.row(t) - centers.row(labels[t])).array().square();
    }
  }
  Eigen::MatrixXd pooled;
  if (p.type == CovarianceType::Tied) pooled = Eigen::MatrixXd::Zero(D, D);
  Index pooledCount = 0;
  for (int m = 0; m < M; ++m) {
    const int k = s * M + m;
    p.means.row(k) = centers.row(m);
    p.weights(s, m) = n > 0 ? std::max<double>(count[m], 0.5) : 1.0;
    const bool own = M > 1 && count[m] >= 2;
    const double c = static_cast<double>(count[m]);
    switch (p.type) {
      case CovarianceType::Diag:
        p.var.row(k) = own ? Eigen::RowVectorXd(squares.row(m) / c) : Eigen::RowVectorXd(stateVar.transpose());
        break;
      case CovarianceType::Spherical:
        p.var.row(k).setConstant(own ? squares.row(m).mean() / c : stateVar.mean());
        break;
      case CovarianceType::Full: p.fullCov[k] = own ? Eigen::MatrixXd(scatters[m] / c) : stateCov; break;
      case CovarianceType::Tied:
        if (own) {
          pooled += scatters[m];
          pooledCount += count[m];
        }
        break;
    }
  }
  if (p.type == CovarianceType::Tied)
    p.fullCov[s] = pooledCount >= 2 ? Eigen::MatrixXd(pooled / static_cast<double>(pooledCount)) : stateCov;
  p.weights.row(s) /= p.weights.row(s).sum();
}

// Copies the mixture letters (w, m, c) of `from` into `to`.
void copyLetters(const MixtureParams& from, const std::string& letters, MixtureParams& to) {
  if (hasLetter(letters, 'w')) to.weights = from.weights;
  if (hasLetter(letters, 'm')) to.means = from.means;
  if (hasLetter(letters, 'c')) {
    to.var = from.var;
    to.fullCov = from.fullCov;
  }
}

MixtureParams blankLike(const MixtureParams& p) {
  MixtureParams q;
  q.nStates = p.nStates;
  q.nMix = p.nMix;
  q.nFeatures = p.nFeatures;
  q.type = p.type;
  q.weights = RowMatrix::Constant(p.nStates, p.nMix, 1.0 / p.nMix);
  q.means = RowMatrix::Zero(p.nComponents(), p.nFeatures);
  if (p.isFullType())
    q.fullCov.assign(p.type == CovarianceType::Full ? p.nComponents() : p.nStates,
                     Eigen::MatrixXd::Identity(p.nFeatures, p.nFeatures));
  else
    q.var = RowMatrix::Ones(p.nComponents(), p.nFeatures);
  return q;
}

// Frames aligned to state s.
RowMatrix framesOf(const SequenceData& data, const std::vector<int>& alignment, int s) {
  Index count = 0;
  for (int a : alignment) count += a == s;
  RowMatrix frames(count, data.X.cols());
  Index i = 0;
  for (Index t = 0; t < data.X.rows(); ++t)
    if (alignment[t] == s) frames.row(i++) = data.X.row(t);
  return frames;
}

}  // namespace

GlobalStatistics GlobalStatistics::of(const Eigen::Ref<const RowMatrix>& X, bool withCovariance) {
  GlobalStatistics g;
  const Index T = X.rows(), D = X.cols(), ld = X.outerStride();
  // One pass, row by row over contiguous memory (a centred copy of all of X and Eigen's
  // column-wise reductions of a row-major matrix cost 60 ms per fit of 100k frames of 39
  // features in wasm, before the first iteration). The sums are of x - shift, with shift the
  // mean of up to 1024 evenly spaced frames: close enough to the mean that Σ(x - shift)² -
  // (Σ(x - shift))² / T loses no more digits than the two-pass formula would.
  constexpr Index kShiftRows = 1024;
  const Index probes = std::min(kShiftRows, T);
  std::vector<double> shift(D, 0.0), sum(D, 0.0), squares(D, 0.0), largest(D, 0.0);
  for (Index i = 0; i < probes; ++i) {
    const double* row = X.data() + (i * T / probes) * ld;
    for (Index d = 0; d < D; ++d) shift[d] += row[d];
  }
  for (double& v : shift) v /= static_cast<double>(probes);
  // Row by row in memory order (X streams in), W features per vector, the three sums of
  // every feature in vectors of their own: the compiler could not vectorise the loop over
  // features through three std::vectors that might overlap. (Blocks of rows walked feature
  // by feature were slower: their strided reads missed the cache.) Each feature's sums
  // still add its rows in order.
  using F = simd::Native::F64;
  using U = simd::Native::U64;
  constexpr Index W = simd::Native::kCount;
  const Index nv = D / W, vectorD = nv * W;
  const U magnitude = simd::splat<U>(0x7FFFFFFFFFFFFFFFull);
  std::vector<F> vs(nv, simd::splat<F>(0.0)), vq(nv, simd::splat<F>(0.0)), vbig(nv, simd::splat<F>(0.0)), vshift(nv);
  for (Index j = 0; j < nv; ++j) vshift[j] = simd::load<F>(&shift[j * W]);
  for (Index t = 0; t < T; ++t) {
    const double* row = X.data() + t * ld;
    for (Index j = 0; j < nv; ++j) {
      const F x = simd::load<F>(row + j * W);
      const F v = x - vshift[j];
      vs[j] += v;
      vq[j] += v * v;
      const F a = (F)((U)x & magnitude);
      vbig[j] = vbig[j] < a ? a : vbig[j];
    }
    for (Index d = vectorD; d < D; ++d) {
      const double x = row[d], v = x - shift[d];
      sum[d] += v;
      squares[d] += v * v;
      largest[d] = std::max(largest[d], std::abs(x));
    }
  }
  for (Index j = 0; j < nv; ++j) {
    simd::store(&sum[j * W], vs[j]);
    simd::store(&squares[j * W], vq[j]);
    simd::store(&largest[j * W], vbig[j]);
  }
  g.mean.resize(D);
  g.variance.resize(D);
  for (Index d = 0; d < D; ++d) {
    const double m = sum[d] / static_cast<double>(T);
    g.mean[d] = shift[d] + m;
    g.variance[d] = std::max(squares[d] / static_cast<double>(T) - m * m, 0.0);
    // A NaN or an infinity makes the sum of squares NaN or +inf for good (no finite values
    // within the limit overflow it: T < 2^31 squares of at most ~4e200); `largest` sees the
    // finite values beyond the limit.
    g.usable = g.usable && std::isfinite(squares[d]) && largest[d] <= kMaxFrameMagnitude;
  }
  if (withCovariance) g.addCovariance(X);
  return g;
}

void GlobalStatistics::addCovariance(const Eigen::Ref<const RowMatrix>& X) {
  const Index T = X.rows(), D = X.cols();
  // Centred in cache-sized blocks (never all of X at once).
  constexpr Index kRows = 1024;
  covariance = Eigen::MatrixXd::Zero(D, D);
  RowMatrix centered;
  for (Index b = 0; b < T; b += kRows) {
    const Index n = std::min(kRows, T - b);
    centered = X.middleRows(b, n).rowwise() - mean.transpose();
    covariance.noalias() += centered.transpose() * centered;
  }
  covariance /= static_cast<double>(T);
  variance = covariance.diagonal();
}

namespace {

// Nearest centre of every row; the sum of squared distances to it in *inertia when given.
// Blocks of rows, each through one product (‖x‖² - 2x·c + ‖c‖²).
std::vector<int> nearestCenters(const Eigen::Ref<const RowMatrix>& points, const RowMatrix& centers, double* inertia) {
  constexpr Index kBlockRows = 1024;
  std::vector<int> labels(points.rows());
  const Eigen::RowVectorXd centerNorms = centers.rowwise().squaredNorm().transpose();
  RowMatrix cross;
  double total = 0;
  for (Index b = 0; b < points.rows(); b += kBlockRows) {
    const Index n = std::min(kBlockRows, points.rows() - b);
    cross.noalias() = points.middleRows(b, n) * centers.transpose();
    for (Index i = 0; i < n; ++i) {
      Index best = 0;
      const double d = (centerNorms - 2.0 * cross.row(i)).minCoeff(&best);
      labels[b + i] = static_cast<int>(best);
      if (inertia) total += std::max(d + points.row(b + i).squaredNorm(), 0.0);
    }
  }
  if (inertia) *inertia = total;
  return labels;
}

// One k-means run: k-means++ seeding, then Lloyd iterations on `points`.
RowMatrix kmeansOnce(const RowMatrix& points, int k, Random& rng, int maxIterations) {
  const Index n = points.rows();
  const Index D = points.cols();
  RowMatrix centers(k, D);
  Eigen::VectorXd nearest = Eigen::VectorXd::Constant(n, std::numeric_limits<double>::infinity());
  Index first = static_cast<Index>(rng.below(static_cast<std::uint64_t>(n)));
  centers.row(0) = points.row(first);
  for (int c = 1; c < k; ++c) {
    nearest = nearest.cwiseMin((points.rowwise() - centers.row(c - 1)).rowwise().squaredNorm());
    const Index pick = nearest.sum() > 0 ? rng.categorical(nearest.data(), static_cast<int>(n))
                                         : static_cast<Index>(rng.below(static_cast<std::uint64_t>(n)));
    centers.row(c) = points.row(pick);
  }
  std::vector<int> labels;
  for (int iter = 0; iter < maxIterations; ++iter) {
    // Assignment: the same code as the final labelling (one copy of it in the WebAssembly).
    std::vector<int> assigned = nearestCenters(points, centers, nullptr);
    const bool changed = assigned != labels;
    labels = std::move(assigned);
    if (!changed && iter > 0) break;
    RowMatrix sums = RowMatrix::Zero(k, D);
    std::vector<Index> count(k, 0);
    for (Index i = 0; i < n; ++i) {
      sums.row(labels[i]) += points.row(i);
      ++count[labels[i]];
    }
    for (int c = 0; c < k; ++c)
      if (count[c] > 0) centers.row(c) = sums.row(c) / static_cast<double>(count[c]);
  }
  return centers;
}

}  // namespace

void requireFramePerCluster(Index frames, int states) {
  if (frames < states)
    throw InvalidArgument(concat("fit: ", frames, frames == 1 ? " frame" : " frames", " cannot initialise ", states,
                                 " states by k-means (it needs at least one frame per state, as hmmlearn's KMeans);",
                                 " give more frames or fewer states, or set the parameters and leave their letters",
                                 " out of initParams"));
}

KMeansResult kmeans(const Eigen::Ref<const RowMatrix>& input, int k, Random& rng, int nInit, int maxIterations) {
  const RowMatrix points = subsample(input);
  // sklearn's n_init: several seeded runs, the lowest inertia wins. One run's k-means++ start
  // depends on which frame is drawn first, i.e. on the order of the frames (of the sequences);
  // the best of several runs lands in the same optimum whatever the order (docs/hmmlearn.md).
  KMeansResult out;
  double bestInertia = std::numeric_limits<double>::infinity();
  for (int run = 0; run < std::max(nInit, 1); ++run) {
    RowMatrix centers = kmeansOnce(points, k, rng, maxIterations);
    double inertia = 0;
    nearestCenters(points, centers, &inertia);
    // Strictly lower: among equal runs the first is kept (deterministic for a given seed).
    if (run == 0 || inertia < bestInertia) {
      bestInertia = inertia;
      out.centers = std::move(centers);
    }
  }
  // Labels for every input frame (the subset may be smaller than the input).
  out.labels = nearestCenters(input, out.centers, nullptr);
  return out;
}

void initializeKMeans(const SequenceData& data, const GlobalStatistics& global, const Floors& floors,
                      const std::string& letters, Random& rng, int nInit, MixtureParams& p) {
  requireFramePerCluster(data.X.rows(), p.nStates);
  MixtureParams fresh = blankLike(p);
  const KMeansResult states = kmeans(data.X, p.nStates, rng, nInit);
  for (int s = 0; s < p.nStates; ++s) {
    Index count = 0;
    for (int l : states.labels) count += l == s;
    RowMatrix frames(count, p.nFeatures);
    Index i = 0;
    for (Index t = 0; t < data.X.rows(); ++t)
      if (states.labels[t] == s) frames.row(i++) = data.X.row(t);
    fitStateMixture(frames, s, global, rng, nInit, fresh);
  }
  applyFloors(floors, fresh);
  copyLetters(fresh, letters, p);
}

namespace {

// HInit-style refinement of an alignment with ONE Gaussian per state (as HTK does before
// mixture splitting: with several components a state can swallow its neighbour's frames as
// an extra component, and the segmentation never recovers). Updates `alignment` and `trans`;
// returns the total Viterbi log-likelihood of the final alignment.
double refineAlignment(const SequenceData& data, const GlobalStatistics& global, const Floors& floors,
                       Random& rng, const Eigen::VectorXd& startprob, const RowMatrix& structure,
                       const std::vector<char>& endMask, const MixtureParams& shape, std::vector<int>& alignment,
                       RowMatrix& trans) {
  const int N = shape.nStates;
  MixtureParams single = blankLike(shape);
  single.nMix = 1;
  single.weights = RowMatrix::Ones(N, 1);
  single.means = RowMatrix::Zero(N, shape.nFeatures);
  if (shape.type == CovarianceType::Full)
    single.fullCov.assign(N, Eigen::MatrixXd::Identity(shape.nFeatures, shape.nFeatures));
  if (!shape.isFullType()) single.var = RowMatrix::Ones(N, shape.nFeatures);
  double total = -std::numeric_limits<double>::infinity();
  for (int pass = 0; pass < 10; ++pass) {
    // One component per state: no k-means runs here.
    for (int s = 0; s < N; ++s) fitStateMixture(framesOf(data, alignment, s), s, global, rng, 1, single);
    applyFloors(floors, single);
    // Transition probabilities from the alignment's counts (+0.5 on every allowed entry).
    RowMatrix counts = RowMatrix::Zero(N, N);
    for (Index q = 0; q < data.nSequences(); ++q)
      for (Index t = 1; t < data.length[q]; ++t)
        counts(alignment[data.begin[q] + t - 1], alignment[data.begin[q] + t]) += 1;
    for (int r = 0; r < N; ++r) {
      double sum = 0;
      for (int s = 0; s < N; ++s)
        if (structure(r, s) > 0) sum += counts(r, s) + 0.5;
      for (int s = 0; s < N; ++s) trans(r, s) = structure(r, s) > 0 ? (counts(r, s) + 0.5) / sum : 0.0;
    }
    // Viterbi re-segmentation with the current estimate.
    const EmissionEvaluator evaluator(single);
    const Transitions tr = Transitions::build(startprob, trans, endMask);
    Index changed = 0;
    total = 0;
    RowMatrix stateLL;
    std::vector<int> path;
    // State log-likelihoods for runs of whole sequences at once (one product instead of one
    // per short sequence), then Viterbi per sequence.
    for (Index first = 0; first < data.nSequences();) {
      Index last = first, rows = 0;
      while (last < data.nSequences() && (rows == 0 || rows + data.length[last] <= kAlignmentGroupRows))
        rows += data.length[last++];
      const Index row0 = data.begin[first];
      stateLogLikelihoods(evaluator, data.X.middleRows(row0, rows), stateLL);
      for (Index q = first; q < last; ++q) {
        const Index len = data.length[q];
        path.assign(len, 0);
        const double ll = viterbi(tr, stateLL.middleRows(data.begin[q] - row0, len), path.data());
        if (!std::isfinite(ll)) continue;  // keep this sequence's current cut
        total += ll;
        for (Index t = 0; t < len; ++t) {
          int& a = alignment[data.begin[q] + t];
          if (a != path[t]) {
            a = path[t];
            ++changed;
          }
        }
      }
      first = last;
    }
    // Converged when (almost) no frame moves: the last few boundary flips of a large data set
    // do not change the initial model, and used to cost all 10 passes every time.
    if (changed * 100 <= data.X.rows()) break;
  }
  return total;
}

}  // namespace

void initializeSegmental(const SequenceData& data, const GlobalStatistics& global, const Floors& floors,
                         const std::string& letters, Random& rng, int nInit, const Eigen::VectorXd& startprob,
                         RowMatrix& transmat, const std::vector<char>& endMask, MixtureParams& p) {
  const int N = p.nStates;
  // Two starting cuts, refined independently; the better final alignment wins:
  //  - uniform: every sequence cut into N equal parts (HTK HInit);
  //  - clustered: k-means clusters ordered by the mean relative time of their frames, which
  //    copes with states of very unequal durations that the uniform cut mislabels.
  std::vector<int> uniform(data.X.rows());
  for (Index q = 0; q < data.nSequences(); ++q)
    for (Index t = 0; t < data.length[q]; ++t) uniform[data.begin[q] + t] = static_cast<int>(t * N / data.length[q]);
  std::vector<int> clustered = uniform;
  if (N > 1 && data.X.rows() >= N) {
    const KMeansResult km = kmeans(data.X, N, rng, nInit);
    std::vector<double> position(N, 0.0), count(N, 0.0);
    for (Index q = 0; q < data.nSequences(); ++q)
      for (Index t = 0; t < data.length[q]; ++t) {
        const int c = km.labels[data.begin[q] + t];
        position[c] += (t + 0.5) / data.length[q];
        count[c] += 1;
      }
    std::vector<int> order(N);
    for (int c = 0; c < N; ++c) order[c] = c;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return position[a] / std::max(count[a], 1.0) < position[b] / std::max(count[b], 1.0);
    });
    std::vector<int> rank(N);
    for (int r = 0; r < N; ++r) rank[order[r]] = r;
    for (Index q = 0; q < data.nSequences(); ++q) {
      // Monotone cut: a frame's state never goes back below the previous frame's.
      int current = 0;
      for (Index t = 0; t < data.length[q]; ++t) {
        current = std::max(current, rank[km.labels[data.begin[q] + t]]);
        clustered[data.begin[q] + t] = current;
      }
    }
  }
  RowMatrix transUniform = transmat, transClustered = transmat;
  const double llUniform =
      refineAlignment(data, global, floors, rng, startprob, transmat, endMask, p, uniform, transUniform);
  const double llClustered =
      refineAlignment(data, global, floors, rng, startprob, transmat, endMask, p, clustered, transClustered);
  const bool useClustered = llClustered > llUniform;
  const std::vector<int>& alignment = useClustered ? clustered : uniform;
  MixtureParams fresh = blankLike(p);
  for (int s = 0; s < N; ++s) fitStateMixture(framesOf(data, alignment, s), s, global, rng, nInit, fresh);
  applyFloors(floors, fresh);
  copyLetters(fresh, letters, p);
  if (hasLetter(letters, 't')) transmat = useClustered ? transClustered : transUniform;
}

void splitMixtures(int target, MixtureParams& p) {
  const int oldM = p.nMix;
  if (target <= oldM) return;
  const int N = p.nStates, D = p.nFeatures;
  MixtureParams q;
  q.nStates = N;
  q.nMix = target;
  q.nFeatures = D;
  q.type = p.type;
  q.weights = RowMatrix::Zero(N, target);
  q.means = RowMatrix::Zero(N * target, D);
  if (p.type == CovarianceType::Full) q.fullCov.assign(N * target, Eigen::MatrixXd());
  if (p.type == CovarianceType::Tied) q.fullCov = p.fullCov;
  if (!p.isFullType()) q.var = RowMatrix::Zero(N * target, D);
  for (int s = 0; s < N; ++s) {
    for (int m = 0; m < oldM; ++m) {
      q.weights(s, m) = p.weights(s, m);
      q.means.row(s * target + m) = p.means.row(s * oldM + m);
      if (p.type == CovarianceType::Full) q.fullCov[s * target + m] = p.fullCov[s * oldM + m];
      if (!p.isFullType()) q.var.row(s * target + m) = p.var.row(s * oldM + m);
    }
    for (int m = oldM; m < target; ++m) {
      int heaviest = 0;
      q.weights.row(s).head(m).maxCoeff(&heaviest);
      const int h = s * target + heaviest, k = s * target + m;
      const Eigen::RowVectorXd sigma =
          (p.type == CovarianceType::Full ? Eigen::RowVectorXd(q.fullCov[h].diagonal().transpose())
           : p.type == CovarianceType::Tied ? Eigen::RowVectorXd(q.fullCov[s].diagonal().transpose())
                                            : Eigen::RowVectorXd(q.var.row(h)))
              .cwiseSqrt();
      q.weights(s, heaviest) *= 0.5;
      q.weights(s, m) = q.weights(s, heaviest);
      // Within the data's limit (means beyond it are refused: a model must load back) even
      // when no later iteration moves them (nIter 0, params without 'm').
      q.means.row(k) = (q.means.row(h) + 0.2 * sigma).cwiseMin(kMaxFrameMagnitude).cwiseMax(-kMaxFrameMagnitude);
      q.means.row(h) = (q.means.row(h) - 0.2 * sigma).cwiseMin(kMaxFrameMagnitude).cwiseMax(-kMaxFrameMagnitude);
      if (p.type == CovarianceType::Full) q.fullCov[k] = q.fullCov[h];
      if (!p.isFullType()) q.var.row(k) = q.var.row(h);
    }
  }
  p = std::move(q);
}

}  // namespace gmmhmm::detail
