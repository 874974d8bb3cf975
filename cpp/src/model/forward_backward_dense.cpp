#include "forward_backward_dense.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "vector_math.hpp"

namespace gmmhmm::detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// out[j] = Σ_r x[r] M(r, j) for j in [j0, j0 + W), M row-major n × n: W sums held in
// registers over the whole loop (a loop over out[] through memory waited on its own stores),
// even and odd r apart, so that two chains of additions run side by side.
template <int W>
inline void combineRowsBlock(const double* x, const double* M, int n, int j0, double* out) {
  double even[W], odd[W];
  for (int j = 0; j < W; ++j) {
    even[j] = x[0] * M[j0 + j];
    odd[j] = 0.0;
  }
  int r = 1;
  for (; r + 1 < n; r += 2) {
    const double x1 = x[r], x2 = x[r + 1];
    const double* row1 = M + Index(r) * n + j0;
    const double* row2 = row1 + n;
    for (int j = 0; j < W; ++j) {
      odd[j] += x1 * row1[j];
      even[j] += x2 * row2[j];
    }
  }
  if (r < n) {
    const double* row = M + Index(r) * n + j0;
    for (int j = 0; j < W; ++j) odd[j] += x[r] * row[j];
  }
  for (int j = 0; j < W; ++j) out[j0 + j] = even[j] + odd[j];
}

// Σ x[i] y[i] in four chains of additions (one chain of n waited on each addition).
inline double dot(const double* x, const double* y, int n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += x[i] * y[i];
    s1 += x[i + 1] * y[i + 1];
    s2 += x[i + 2] * y[i + 2];
    s3 += x[i + 3] * y[i + 3];
  }
  for (; i < n; ++i) s0 += x[i] * y[i];
  return (s0 + s1) + (s2 + s3);
}

// out = xᵀ M (n values), in blocks of 8, 2 and 1 columns.
inline void combineRows(const double* x, const double* M, int n, double* out) {
  int j = 0;
  for (; j + 8 <= n; j += 8) combineRowsBlock<8>(x, M, n, j, out);
  for (; j + 2 <= n; j += 2) combineRowsBlock<2>(x, M, n, j, out);
  for (; j < n; ++j) combineRowsBlock<1>(x, M, n, j, out);
}

// The scaled forward pass (forward_backward.cpp's scaledForward) without its error bounds:
// false where those would have started (a reachable value below kSubnormalRisk), or where the
// sparse pass gives up (a frame's mass below kTiny). Every state is reachable from frame 1 on
// (every transition is allowed), at frame 0 those with startprob > 0.
bool denseForward(const Transitions& tr, const ScaledEmissions& se, RowMatrix& alpha, Eigen::VectorXd& logScale,
                  double& loglik) {
  const Index T = se.e.rows();
  const int n = tr.n;
  const double* A = tr.dense.data();
  alpha.resize(T, n);
  logScale.resize(T);
  double total = 0;
  for (Index t = 0; t < T; ++t) {
    const double* e = se.e.row(t).data();
    double* a = alpha.row(t).data();
    if (t == 0) {
      for (int s = 0; s < n; ++s) a[s] = tr.start[s] * e[s];
      for (int s = 0; s < n; ++s)
        if (tr.start[s] > 0 && a[s] < kSubnormalRisk) return false;
    } else {
      // a(s) = Σ_r prev(r) a_rs (times e(s) below).
      combineRows(alpha.row(t - 1).data(), A, n, a);
    }
    // a ∘= e (frame 0 has it), the risk check and the sum in one pass.
    double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    bool risk = false;
    int s = 0;
    for (; s + 4 <= n; s += 4) {
      const double v0 = t > 0 ? a[s] * e[s] : a[s], v1 = t > 0 ? a[s + 1] * e[s + 1] : a[s + 1];
      const double v2 = t > 0 ? a[s + 2] * e[s + 2] : a[s + 2], v3 = t > 0 ? a[s + 3] * e[s + 3] : a[s + 3];
      a[s] = v0, a[s + 1] = v1, a[s + 2] = v2, a[s + 3] = v3;
      risk |= (v0 < kSubnormalRisk) | (v1 < kSubnormalRisk) | (v2 < kSubnormalRisk) | (v3 < kSubnormalRisk);
      c0 += v0, c1 += v1, c2 += v2, c3 += v3;
    }
    for (; s < n; ++s) {
      const double v = t > 0 ? a[s] * e[s] : a[s];
      a[s] = v;
      risk |= v < kSubnormalRisk;
      c0 += v;
    }
    if (t > 0 && risk) return false;
    const double c = (c0 + c1) + (c2 + c3);
    if (!(c >= kTiny)) return false;
    const double inv = 1.0 / c;
    for (int s = 0; s < n; ++s) a[s] *= inv;
    logScale[t] = c;
  }
  // The logs of the scales in one vectorised pass (simd::log, within an ulp of std::log).
  simd::logInPlace(logScale.data(), T);
  for (Index t = 0; t < T; ++t) total += logScale[t] + se.offset[t];
  loglik = total;
  return true;
}

}  // namespace

double denseScaledForwardLogLikelihood(const Transitions& tr, const ScaledEmissions& se) {
  if (se.e.rows() == 0) return 0.0;
  RowMatrix alpha;
  Eigen::VectorXd logScale;
  double loglik = 0;
  if (!denseForward(tr, se, alpha, logScale, loglik)) return kNaN;
  return loglik + scaledEndTerm(tr, alpha);  // NaN stays NaN
}

double denseScaledForwardBackward(const Transitions& tr, const ScaledEmissions& se, Eigen::Ref<RowMatrix> gamma,
                                  RowMatrix* xiSum) {
  const Index T = se.e.rows();
  const int n = tr.n;
  if (T == 0) return 0.0;
  RowMatrix alpha;
  Eigen::VectorXd logScale;
  double forwardLoglik = 0;
  if (!denseForward(tr, se, alpha, logScale, forwardLoglik)) return kNaN;
  const double end = scaledEndTerm(tr, alpha);
  if (std::isnan(end)) return kNaN;
  const double loglik = forwardLoglik + end;

  // The sparse pass's backward (see scaledForwardBackward), its loops over rows of the dense
  // matrix: beta_{t-1} = A (e_t ∘ beta_t) as a sum of the columns of A (rows of Aᵀ).
  const double* At = tr.denseTransposed.data();
  // Transition counts: xi(r, s) = a_rs Σ_t alpha_{t-1}(r) e_t(s) beta_t(s) / zx_t, the sum over
  // frames as matrix products of alpha's rows with the rows (e_t ∘ beta_t / zx_t) of a block of
  // frames (kBlock rows kept), a_rs applied once at the end; kept apart until the whole
  // sequence succeeded, so that a fall-back never counts twice.
  // Frames 1 .. T-1 in blocks [lo, lo + kBlock), lo = 1 + k kBlock: row t - lo of `block`.
  constexpr Index kBlock = 128;
  RowMatrix sums, block;
  if (xiSum) {
    sums = RowMatrix::Zero(n, n);
    block.resize(std::min(kBlock, T), n);
  }
  std::vector<double> beta(n), next(n), weighted(n);
  Eigen::VectorXd logM(T);  // frame t's backward normaliser m_t (its log after the loop)
  for (int s = 0; s < n; ++s) next[s] = tr.endAllowed[s] ? 1.0 : 0.0;
  double z0 = 0;
  for (Index t = T - 1; t >= 0; --t) {
    const double* al = alpha.row(t).data();
    const double z = dot(al, next.data(), n);
    if (!(z >= kTiny)) return kNaN;
    const double invZ = 1.0 / z;
    double* g = &gamma(t, 0);
    if (t == 0) {
      for (int s = 0; s < n; ++s) g[s] = al[s] * next[s] * invZ;
      z0 = z;
      break;
    }
    const double* e = se.e.row(t).data();
    for (int s = 0; s < n; ++s) {  // the posteriors and e ∘ beta in one pass
      g[s] = al[s] * next[s] * invZ;
      weighted[s] = e[s] * next[s];
    }
    combineRows(weighted.data(), At, n, beta.data());
    const double* prev = alpha.row(t - 1).data();
    // The largest of beta and Σ prev ∘ beta in one pass, two chains each.
    double m0 = 0, m1 = 0, z0x = 0, z1x = 0;
    int r = 0;
    for (; r + 2 <= n; r += 2) {
      m0 = m0 < beta[r] ? beta[r] : m0;
      m1 = m1 < beta[r + 1] ? beta[r + 1] : m1;
      z0x += prev[r] * beta[r];
      z1x += prev[r + 1] * beta[r + 1];
    }
    if (r < n) {
      m0 = m0 < beta[r] ? beta[r] : m0;
      z0x += prev[r] * beta[r];
    }
    const double m = m0 < m1 ? m1 : m0, zx = z0x + z1x;
    if (!(m >= kTiny) || !(zx >= kTiny)) return kNaN;
    logM[t] = m;
    const double invM = 1.0 / m;
    if (xiSum) {
      const Index lo = 1 + (t - 1) / kBlock * kBlock;
      const double invZx = 1.0 / zx;
      double* w = &block(t - lo, 0);
      for (int s = 0; s < n; ++s) {  // this frame's row of the counts' block, and the next beta
        w[s] = weighted[s] * invZx;
        next[s] = beta[s] * invM;
      }
      if (t == lo) {
        const Index rows = std::min(kBlock, T - lo);
        sums.noalias() += alpha.middleRows(lo - 1, rows).transpose() * block.topRows(rows);
      }
    } else {
      for (int s = 0; s < n; ++s) next[s] = beta[s] * invM;
    }
  }
  // The sparse pass's consistency check at t = 0 (see scaledForwardBackward), its logs in one
  // vectorised pass.
  simd::logInPlace(logM.data() + 1, T - 1);
  double expectedLogZ = end, magnitude = std::abs(end);
  for (Index t = T - 1; t >= 1; --t) {
    expectedLogZ += logScale[t] - logM[t];
    magnitude += std::abs(logScale[t]) + std::abs(logM[t]);
  }
  if (!(std::abs(std::log(z0) - expectedLogZ) <= 1e-10 + 1e-15 * magnitude)) return kNaN;
  if (xiSum) *xiSum += tr.dense.cwiseProduct(sums);
  return loglik;
}

}  // namespace gmmhmm::detail
