#include "forward_backward_dense.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace gmmhmm::detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

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
      // a(s) = (sum over r in increasing order of prev(r) a_rs) e(s), the sparse pass's order.
      const double* prev = alpha.row(t - 1).data();
      for (int s = 0; s < n; ++s) a[s] = prev[0] * A[s];
      for (int r = 1; r < n; ++r) {
        const double p = prev[r];
        const double* row = A + Index(r) * n;
        for (int s = 0; s < n; ++s) a[s] += p * row[s];
      }
      bool risk = false;
      for (int s = 0; s < n; ++s) {
        a[s] *= e[s];
        risk |= a[s] < kSubnormalRisk;
      }
      if (risk) return false;
    }
    double c = 0;
    for (int s = 0; s < n; ++s) c += a[s];
    if (!(c >= kTiny)) return false;
    const double inv = 1.0 / c;
    for (int s = 0; s < n; ++s) a[s] *= inv;
    logScale[t] = std::log(c);
    total += logScale[t] + se.offset[t];
  }
  loglik = total;
  return true;
}

// forward_backward.cpp's endTerm: log of the last frame's mass in allowed end states.
double endTerm(const Transitions& tr, const RowMatrix& alpha) {
  if (tr.allEndsAllowed) return 0.0;
  const Index last = alpha.rows() - 1;
  double z = 0;
  for (int s = 0; s < tr.n; ++s)
    if (tr.endAllowed[s]) z += alpha(last, s);
  if (!(z >= kTiny)) return kNaN;
  return std::log(z);
}

}  // namespace

double denseScaledForwardLogLikelihood(const Transitions& tr, const ScaledEmissions& se) {
  if (se.e.rows() == 0) return 0.0;
  RowMatrix alpha;
  Eigen::VectorXd logScale;
  double loglik = 0;
  if (!denseForward(tr, se, alpha, logScale, loglik)) return kNaN;
  return loglik + endTerm(tr, alpha);  // NaN stays NaN
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
  const double end = endTerm(tr, alpha);
  if (std::isnan(end)) return kNaN;
  const double loglik = forwardLoglik + end;

  // The sparse pass's backward (see scaledForwardBackward), its loops over rows of the dense
  // matrix: beta_{t-1} = A (e_t ∘ beta_t) as a sum of the columns of A (rows of Aᵀ).
  const double* A = tr.dense.data();
  const double* At = tr.denseTransposed.data();
  RowMatrix xiLocal;
  if (xiSum) xiLocal = RowMatrix::Zero(n, n);
  std::vector<double> beta(n), next(n), weighted(n);
  for (int s = 0; s < n; ++s) next[s] = tr.endAllowed[s] ? 1.0 : 0.0;
  double expectedLogZ = end, magnitude = std::abs(end);
  for (Index t = T - 1; t >= 0; --t) {
    const double* al = alpha.row(t).data();
    double z = 0;
    for (int s = 0; s < n; ++s) z += al[s] * next[s];
    if (!(z >= kTiny)) return kNaN;
    const double invZ = 1.0 / z;
    double* g = &gamma(t, 0);
    for (int s = 0; s < n; ++s) g[s] = al[s] * next[s] * invZ;
    if (t == 0) {
      if (!(std::abs(std::log(z) - expectedLogZ) <= 1e-10 + 1e-15 * magnitude)) return kNaN;
      break;
    }
    const double* e = se.e.row(t).data();
    for (int s = 0; s < n; ++s) weighted[s] = e[s] * next[s];
    for (int r = 0; r < n; ++r) beta[r] = At[r] * weighted[0];
    for (int s = 1; s < n; ++s) {
      const double w = weighted[s];
      const double* column = At + Index(s) * n;
      for (int r = 0; r < n; ++r) beta[r] += column[r] * w;
    }
    const double* prev = alpha.row(t - 1).data();
    double m = 0, zx = 0;
    for (int r = 0; r < n; ++r) {
      m = std::max(m, beta[r]);
      zx += prev[r] * beta[r];
    }
    if (!(m >= kTiny) || !(zx >= kTiny)) return kNaN;
    const double logM = std::log(m);
    expectedLogZ += logScale[t] - logM;
    magnitude += std::abs(logScale[t]) + std::abs(logM);
    if (xiSum) {
      const double invZx = 1.0 / zx;
      for (int r = 0; r < n; ++r) {
        const double ar = prev[r] * invZx;
        if (ar == 0) continue;
        const double* row = A + Index(r) * n;
        double* x = &xiLocal(r, 0);
        for (int s = 0; s < n; ++s) x[s] += ar * row[s] * weighted[s];
      }
    }
    const double invM = 1.0 / m;
    for (int r = 0; r < n; ++r) next[r] = beta[r] * invM;
  }
  if (xiSum) *xiSum += xiLocal;
  return loglik;
}

}  // namespace gmmhmm::detail
