#include "statistics.hpp"

#include <algorithm>
#include <cmath>

#include "checks.hpp"
#include "full_covariance.hpp"
#include "kernels.hpp"
#include "param_letters.hpp"

namespace gmmhmm::detail {

void Statistics::reset(const MixtureParams& p) {
  const int N = p.nStates, K = p.nComponents(), D = p.nFeatures;
  start = Eigen::VectorXd::Zero(N);
  trans = RowMatrix::Zero(N, N);
  occupancy = Eigen::VectorXd::Zero(K);
  sum1 = RowMatrix::Zero(K, D);
  sum2 = p.isFullType() ? RowMatrix() : RowMatrix::Zero(K, D);
  outer.assign(p.type == CovarianceType::Full ? K : (p.type == CovarianceType::Tied ? N : 0),
               Eigen::MatrixXd::Zero(D, D));
  logLikelihood = 0;
}

void Statistics::accumulate(const Eigen::Ref<const RowMatrix>& X, const ColMatrix& resp,
                            const Eigen::Ref<const RowMatrix>& gamma, const MixtureParams& p, ColMatrix& w) {
  const Index T = X.rows();
  const int K = p.nComponents(), M = p.nMix, D = p.nFeatures;
  w.resize(T, K);
  for (int k = 0; k < K; ++k) w.col(k) = resp.col(k).cwiseProduct(gamma.col(k / M));
  occupancy += w.colwise().sum().transpose();
  if (!p.isFullType() && kernels::kEnabled) {
    // Cache-sized tiles of frames: [x, x²]ᵀ and the tile's weights, then the sums.
    thread_local std::vector<double> xxT, tileWeights;
    const Index tile = kernels::kTileFrames;
    xxT.resize(static_cast<size_t>(2 * D * tile));
    tileWeights.resize(static_cast<size_t>(K * tile));
    RowMatrix s = RowMatrix::Zero(K, 2 * D);
    for (Index b = 0; b < T; b += tile) {
      const Index n = std::min(tile, T - b);
      kernels::buildTile(X.data() + b * X.outerStride(), n, D, X.outerStride(), xxT.data());
      for (int k = 0; k < K; ++k) std::copy(w.col(k).data() + b, w.col(k).data() + b + n, tileWeights.data() + k * n);
      kernels::weightedSums(tileWeights.data(), n, K, xxT.data(), 2 * D, s.data());
    }
    sum1 += s.leftCols(D);
    sum2 += s.rightCols(D);
    return;
  }
  if (!p.isFullType()) {
    RowMatrix xx(T, 2 * D);
    xx.leftCols(D) = X;
    xx.rightCols(D) = X.array().square();
    RowMatrix s(K, 2 * D);
    s.noalias() = w.transpose() * xx;
    sum1 += s.leftCols(D);
    sum2 += s.rightCols(D);
    return;
  }
  sum1.noalias() += w.transpose() * X;
  if (p.type == CovarianceType::Full) {
    for (int k = 0; k < K; ++k)
      outer[k].noalias() += X.transpose() * (X.array().colwise() * w.col(k).array()).matrix();
  } else {
    for (int s = 0; s < p.nStates; ++s)
      outer[s].noalias() += X.transpose() * (X.array().colwise() * gamma.col(s).array()).matrix();
  }
}

namespace {

// Tile-sized copies of the weights (contiguous columns, as weightedSums reads them).
template <class E>
void weightedSumsOfTiles(const ColMatrix& w, const E* tiles, Index P, double* S) {
  thread_local std::vector<E> tileWeights;
  const Index T = w.rows(), K = w.cols();
  tileWeights.resize(static_cast<size_t>(K * kernels::kTileFrames));
  for (Index b = 0; b < T; b += kernels::kTileFrames) {
    const Index n = std::min(kernels::kTileFrames, T - b);
    for (Index k = 0; k < K; ++k) {
      const double* from = w.col(k).data() + b;
      E* to = tileWeights.data() + k * n;
      for (Index t = 0; t < n; ++t) to[t] = E(from[t]);
    }
    kernels::weightedSums(tileWeights.data(), n, K, tiles + P * b, P, S);
  }
}

}  // namespace

void Statistics::accumulate(const TileView& tiles, const FeatureScaling& scaling, const ColMatrix& resp,
                            const Eigen::Ref<const RowMatrix>& gamma, const MixtureParams& p, ColMatrix& w) {
  const Index T = tiles.rows, P = tiles.P;
  const int K = p.nComponents(), M = p.nMix, D = p.nFeatures;
  w.resize(T, K);
  for (int k = 0; k < K; ++k) w.col(k) = resp.col(k).cwiseProduct(gamma.col(k / M));
  if (tiles.f32) w = (w.array() < kernels::kFloatFlushWeight).select(0.0, w);
  const Eigen::VectorXd n = w.colwise().sum().transpose();
  occupancy += n;
  RowMatrix s = RowMatrix::Zero(K, P);
  if (!tiles.f32) {
    weightedSumsOfTiles(w, tiles.f64, P, s.data());
    sum1 += s.leftCols(D);
    sum2 += s.rightCols(D);
    return;
  }
  weightedSumsOfTiles(w, tiles.f32, P, s.data());
  // x = shift + z · scale: Σ w x = scale Σ w z + shift n, Σ w x² = scale² Σ w z² + 2 shift scale Σ w z + shift² n.
  for (int d = 0; d < D; ++d) {
    const double shift = scaling.shift[d], scale = 1.0 / scaling.inverseScale[d];
    for (int k = 0; k < K; ++k) {
      const double z1 = s(k, d), z2 = s(k, D + d);
      sum1(k, d) += scale * z1 + shift * n[k];
      sum2(k, d) += scale * scale * z2 + 2.0 * shift * scale * z1 + shift * shift * n[k];
    }
  }
}

void Statistics::add(const Statistics& o) {
  start += o.start;
  trans += o.trans;
  occupancy += o.occupancy;
  sum1 += o.sum1;
  sum2 += o.sum2;
  for (size_t i = 0; i < outer.size(); ++i) outer[i] += o.outer[i];
  logLikelihood += o.logLikelihood;
}

namespace {

template <class Matrix>
void appendValues(const Matrix& m, std::vector<double>& out) {
  out.insert(out.end(), m.data(), m.data() + m.size());
}

template <class Matrix>
const double* readValues(const double* at, const double* end, Matrix& m) {
  require(end - at >= m.size(), "statistics: ", end - at, " values left where ", m.size(), " are needed");
  std::copy(at, at + m.size(), m.data());
  return at + m.size();
}

}  // namespace

void Statistics::appendTo(std::vector<double>& out) const {
  out.push_back(logLikelihood);
  appendValues(start, out);
  appendValues(trans, out);
  appendValues(occupancy, out);
  appendValues(sum1, out);
  appendValues(sum2, out);
  for (const auto& m : outer) appendValues(m, out);
}

const double* Statistics::read(const double* at, const double* end) {
  require(end - at >= 1, "statistics: no values left");
  logLikelihood = *at++;
  at = readValues(at, end, start);
  at = readValues(at, end, trans);
  at = readValues(at, end, occupancy);
  at = readValues(at, end, sum1);
  at = readValues(at, end, sum2);
  for (auto& m : outer) at = readValues(at, end, m);
  return at;
}

namespace {

// Normalises counts + (prior - 1) over the entries allowed by `current` (> 0); keeps the
// current values when there is nothing to normalise.
void normaliseAllowed(const double* counts, const double* prior, const double* current, int n, double* out) {
  double total = 0;
  for (int i = 0; i < n; ++i)
    if (current[i] > 0) total += std::max(counts[i] + prior[i] - 1.0, 0.0);
  if (!(total > kEmptyOccupancy) || !std::isfinite(total)) {
    for (int i = 0; i < n; ++i) out[i] = current[i];
    return;
  }
  for (int i = 0; i < n; ++i) out[i] = current[i] > 0 ? std::max(counts[i] + prior[i] - 1.0, 0.0) / total : 0.0;
}

void floorFull(const Eigen::VectorXd& floor, Eigen::MatrixXd& cov) {
  liftEigenvalues(floor, cov);
  // Past double precision (condition number ~1e16: a means prior of 1e55 gave a rank-one
  // scatter of 1e109 next to a floor of 0.7) the result is not numerically positive definite
  // and the model could not score (found by fuzzing): fall back to the floored diagonal.
  Eigen::MatrixXd L;
  if (!lowerCholesky(cov, L))
    cov = cov.diagonal().cwiseMax(floor).asDiagonal();
}

}  // namespace

void applyFloors(const Floors& floors, MixtureParams& p) {
  const Eigen::VectorXd& f = floors.perFeature;
  switch (p.type) {
    case CovarianceType::Diag:
      for (Index k = 0; k < p.var.rows(); ++k) p.var.row(k) = p.var.row(k).cwiseMax(f.transpose());
      break;
    case CovarianceType::Spherical: {
      const double g = f.maxCoeff();
      for (Index k = 0; k < p.var.rows(); ++k) p.var.row(k).setConstant(std::max(p.var(k, 0), g));
      break;
    }
    case CovarianceType::Full:
    case CovarianceType::Tied:
      for (auto& cov : p.fullCov) floorFull(f, cov);
      break;
  }
}

void maximize(const Statistics& st, const std::string& params, const Floors& floors, const PriorSettings& pr,
              Eigen::VectorXd& startprob, RowMatrix& transmat, MixtureParams& p) {
  const int N = p.nStates, M = p.nMix;
  if (hasLetter(params, 's')) {
    Eigen::VectorXd next(N);
    normaliseAllowed(st.start.data(), pr.startprob.data(), startprob.data(), N, next.data());
    startprob = next;
  }
  if (hasLetter(params, 't')) {
    for (int r = 0; r < N; ++r) {
      Eigen::RowVectorXd next(N);
      const Eigen::RowVectorXd current = transmat.row(r);
      const Eigen::RowVectorXd counts = st.trans.row(r);
      normaliseAllowed(counts.data(), pr.transmat.row(r).data(), current.data(), N, next.data());
      transmat.row(r) = next;
    }
  }
  const bool updateWeights = hasLetter(params, 'w'), updateMeans = hasLetter(params, 'm'), updateCovars = hasLetter(params, 'c');
  // Old means: the covariance update uses the updated means, or the old ones if 'm' is off.
  RowMatrix newMeans = p.means;
  for (int s = 0; s < N; ++s) {
    double stateOcc = 0;
    for (int m = 0; m < M; ++m) stateOcc += st.occupancy[s * M + m];
    if (!(stateOcc > kEmptyOccupancy)) continue;  // no data: the state keeps everything
    if (updateWeights) {
      Eigen::RowVectorXd next(M);
      const Eigen::RowVectorXd current = Eigen::RowVectorXd::Ones(M);  // every weight may change
      Eigen::RowVectorXd counts(M);
      for (int m = 0; m < M; ++m) counts[m] = st.occupancy[s * M + m];
      normaliseAllowed(counts.data(), pr.weights.row(s).data(), current.data(), M, next.data());
      // With weightsPrior < 1 and little data no count may stay positive; normaliseAllowed then
      // returns `current`, all ones here, which is no distribution: keep the weights instead.
      if (next != current) p.weights.row(s) = next;
    }
    for (int m = 0; m < M; ++m) {
      const int k = s * M + m, kp = s * pr.nMix + m;
      const double n = st.occupancy[k];
      if (!(n > kEmptyOccupancy)) continue;
      if (updateMeans)
        newMeans.row(k) = ((st.sum1.row(k).array() + pr.meansWeight[kp] * pr.meansPrior.row(kp).array()) /
                           (n + pr.meansWeight[kp])).matrix();
    }
  }
  if (updateCovars) {
    for (int s = 0; s < N; ++s) {
      double stateOcc = 0;
      for (int m = 0; m < M; ++m) stateOcc += st.occupancy[s * M + m];
      if (!(stateOcc > kEmptyOccupancy)) continue;
      if (p.type == CovarianceType::Tied) {
        // Σ_s = (Σ_t γ_s x xᵀ - Σ_m n_m μ_m μ_mᵀ + priors) / (n_s + weight)
        Eigen::MatrixXd scatter = st.outer[s];
        for (int m = 0; m < M; ++m) {
          const int k = s * M + m, kp = s * pr.nMix + m;
          const double n = st.occupancy[k];
          const Eigen::VectorXd mu = newMeans.row(k).transpose();
          const Eigen::VectorXd s1 = st.sum1.row(k).transpose();
          scatter += -s1 * mu.transpose() - mu * s1.transpose() + n * mu * mu.transpose();
          const Eigen::VectorXd diff = mu - pr.meansPrior.row(kp).transpose();
          scatter += pr.meansWeight[kp] * diff * diff.transpose();
        }
        scatter.diagonal() += pr.covarsPrior.row(s).transpose();
        p.fullCov[s] = scatter / (stateOcc + pr.covarsWeight(s, 0));
        continue;
      }
      for (int m = 0; m < M; ++m) {
        const int k = s * M + m, kp = s * pr.nMix + m;
        const double n = st.occupancy[k];
        if (!(n > kEmptyOccupancy)) continue;
        const Eigen::RowVectorXd mu = newMeans.row(k);
        const Eigen::RowVectorXd diffPrior = mu - pr.meansPrior.row(kp);
        if (p.type == CovarianceType::Full) {
          const Eigen::VectorXd s1 = st.sum1.row(k).transpose();
          Eigen::MatrixXd scatter = st.outer[k] - s1 * mu - mu.transpose() * s1.transpose() +
                                    n * mu.transpose() * mu +
                                    pr.meansWeight[kp] * diffPrior.transpose() * diffPrior;
          scatter.diagonal() += pr.covarsPrior.row(kp).transpose();
          p.fullCov[k] = scatter / (n + pr.covarsWeight(kp, 0));
        } else {
          // Σ w (x - μ)² = Σ w x² - 2 μ Σ w x + n μ²
          Eigen::RowVectorXd scatter = st.sum2.row(k).array() - 2.0 * mu.array() * st.sum1.row(k).array() +
                                       n * mu.array().square() + pr.meansWeight[kp] * diffPrior.array().square() +
                                       pr.covarsPrior.row(kp).array();
          if (p.type == CovarianceType::Spherical)
            p.var.row(k).setConstant((scatter.cwiseMax(0.0) / (n + pr.covarsWeight(kp, 0))).mean());
          else
            p.var.row(k) = scatter.cwiseMax(0.0).array() / (n + pr.covarsWeight.row(kp).array());
        }
      }
    }
  }
  if (updateMeans) p.means = newMeans;
  if (updateCovars) applyFloors(floors, p);
}

Eigen::VectorXd precisionFloor(const Eigen::VectorXd& mean, const Eigen::VectorXd& variance) {
  return (1e-10 * variance.array()).max(1e-12 * mean.array().square()).max(1e-300).matrix();
}

Eigen::RowVectorXd centringOrigin(const Eigen::VectorXd& mean, const Eigen::VectorXd& variance) {
  const auto far = variance.array() > 0 && mean.array().square() > kCentringRatio * variance.array();
  if (!far.any()) return Eigen::RowVectorXd();
  return far.select(mean.array(), 0.0).matrix().transpose();
}

}  // namespace gmmhmm::detail
