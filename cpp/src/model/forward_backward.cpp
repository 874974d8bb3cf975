#include "forward_backward.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "forward_backward_dense.hpp"  // the pass on a dense chain
#include "scaled_pass.hpp"             // kTiny, kSubnormalRisk, scaledEndTerm
#include "tuning.hpp"
#include "vector_math.hpp"

namespace gmmhmm::detail {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// Returns false when a frame has no finite emission at all.
bool scaleEmissions(const Eigen::Ref<const RowMatrix>& logEmission, ScaledEmissions& out) {
  out.offset = logEmission.rowwise().maxCoeff();
  if (!out.offset.allFinite()) return false;
  if (!tuning().ownExp) {
    out.e = (logEmission.colwise() - out.offset).array().exp().matrix();
    return true;
  }
  out.e = logEmission.colwise() - out.offset;
  simd::expInPlace(out.e.data(), out.e.size());
  return true;
}

inline double logSumExp(const double* values, int n) {
  double m = kNegInf;
  for (int i = 0; i < n; ++i) m = std::max(m, values[i]);
  if (m == kNegInf) return kNegInf;
  double sum = 0;
  for (int i = 0; i < n; ++i) sum += std::exp(values[i] - m);
  return m + std::log(sum);
}

// Rounding of a subnormal result loses at most this much (absolute) per operation.
constexpr double kSubnormalUlp = 4.9406564584124654e-324;
// Error bounds are propagated in units of 1e-300, so that the bounds do not underflow too.
constexpr double kErrorUnit = 1e300;
// Largest relative error (of the log-likelihood mass, a posterior, a transition count) the
// scaled pass may have before the sequence is recomputed in log space.
constexpr double kMaxRelativeError = 1e-12;

struct ScaledForward {
  RowMatrix alpha;           // T × N, rows sum to 1
  Eigen::VectorXd logScale;  // T: log c_t (for the backward consistency check)
  Eigen::VectorXd error;     // T: bound on Σ_s |true scaled alpha - alpha| (rows of alpha sum to 1)
  double loglik = 0;         // excludes the end constraint (added by callers)
};

// Scaled forward pass. Returns false when the log-space path is needed.
//
// Why the error bound: a state whose scaled forward value underflows (its paths are more than
// ~700 nats behind at this frame) is lost, and nothing in the normalisers shows it. If the
// chain can refill that state from the surviving mass (ergodic), the loss stays relatively
// tiny; behind a structural zero (left-right, parallel branches) the lost paths may dominate
// later. So the absolute rounding error of every subnormal-risk value is bounded and carried
// forward with the same recursion as alpha; it grows exactly when the lost paths would have
// done better than the surviving ones. Callers compare it with the mass they use.
bool scaledForward(const Transitions& tr, const ScaledEmissions& se, ScaledForward& f) {
  const Index T = se.e.rows();
  const int n = tr.n;
  f.alpha.resize(T, n);
  f.logScale.resize(T);
  f.error.resize(T);
  std::vector<double> err(n, 0.0), nextErr(n, 0.0);
  std::vector<char> reach(n), nextReach(n);
  bool reachStable = false, tracking = false;
  for (int s = 0; s < n; ++s) reach[s] = tr.start[s] > 0;
  double total = 0;
  for (Index t = 0; t < T; ++t) {
    const double* e = se.e.row(t).data();
    double* a = f.alpha.row(t).data();
    if (t == 0) {
      for (int s = 0; s < n; ++s) a[s] = tr.start[s] * e[s];
    } else {
      const double* prev = f.alpha.row(t - 1).data();
      for (int s = 0; s < n; ++s) {
        double pred = 0;
        for (int k = tr.predBegin[s]; k < tr.predBegin[s + 1]; ++k) pred += prev[tr.predState[k]] * tr.predProb[k];
        a[s] = pred * e[s];
      }
      if (!reachStable) {
        // States structurally reachable in exactly t steps (constant once it repeats).
        bool same = true;
        for (int s = 0; s < n; ++s) {
          char r = 0;
          for (int k = tr.predBegin[s]; k < tr.predBegin[s + 1] && !r; ++k) r = reach[tr.predState[k]];
          nextReach[s] = r;
          same = same && r == reach[s];
        }
        reach.swap(nextReach);
        reachStable = same;
      }
    }
    double c = 0;
    for (int s = 0; s < n; ++s) c += a[s];
    if (!(c >= kTiny)) return false;
    const double inv = 1.0 / c;
    double errorSum = 0;
    for (int s = 0; s < n; ++s) {
      double bound = 0;
      if (tracking && t > 0) {
        double in = 0;
        for (int k = tr.predBegin[s]; k < tr.predBegin[s + 1]; ++k) in += err[tr.predState[k]] * tr.predProb[k];
        bound = in * e[s] * inv;
      }
      if (reach[s] && a[s] < kSubnormalRisk) {
        // At most (terms + 2) subnormal roundings in a[s] (the products of the predecessor
        // sum, the product with the emission, the division by c) and the emission's own error
        // (pred <= 1 carries it over at most whole).
        const int terms = t == 0 ? 1 : tr.predBegin[s + 1] - tr.predBegin[s];
        bound += (terms + 2 + se.subnormalUlps) * kSubnormalUlp * kErrorUnit * inv;
        tracking = true;
      }
      nextErr[s] = bound;
      errorSum += bound;
    }
    err.swap(nextErr);
    f.error[t] = errorSum / kErrorUnit;
    if (!(f.error[t] <= 1.0)) return false;  // the bound itself is useless (or not finite)
    for (int s = 0; s < n; ++s) a[s] *= inv;
    f.logScale[t] = std::log(c);
    total += f.logScale[t] + se.offset[t];
  }
  f.loglik = total;
  return true;
}

void logForward(const Transitions& tr, const Eigen::Ref<const RowMatrix>& L, RowMatrix& la) {
  const Index T = L.rows();
  const int n = tr.n;
  la.resize(T, n);
  std::vector<double> terms(n);
  for (int s = 0; s < n; ++s) la(0, s) = tr.logStart[s] + L(0, s);
  for (Index t = 1; t < T; ++t) {
    for (int s = 0; s < n; ++s) {
      int m = 0;
      for (int k = tr.predBegin[s]; k < tr.predBegin[s + 1]; ++k)
        terms[m++] = la(t - 1, tr.predState[k]) + tr.predLogProb[k];
      la(t, s) = L(t, s) + logSumExp(terms.data(), m);
    }
  }
}

double logEnd(const Transitions& tr, const RowMatrix& la) {
  const Index last = la.rows() - 1;
  std::vector<double> terms;
  for (int s = 0; s < tr.n; ++s)
    if (tr.endAllowed[s]) terms.push_back(la(last, s));
  return logSumExp(terms.data(), static_cast<int>(terms.size()));
}

}  // namespace

double scaledForwardLogLikelihood(const Transitions& tr, const ScaledEmissions& se) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (se.e.rows() == 0) return 0.0;
  if (tr.isDense()) {
    const double ll = denseScaledForwardLogLikelihood(tr, se);
    if (!std::isnan(ll)) return ll;
  }
  ScaledForward f;
  if (!scaledForward(tr, se, f)) return kNaN;
  const double end = scaledEndTerm(tr, f.alpha);
  // The mass possibly lost to underflow must be negligible next to the end mass.
  if (!std::isnan(end) && f.error[f.error.size() - 1] <= kMaxRelativeError * std::exp(end)) return f.loglik + end;
  return kNaN;
}

double forwardLogLikelihood(const Transitions& tr, const Eigen::Ref<const RowMatrix>& logEmission) {
  if (logEmission.rows() == 0) return 0.0;
  ScaledEmissions se;
  if (scaleEmissions(logEmission, se)) {
    const double ll = scaledForwardLogLikelihood(tr, se);
    if (!std::isnan(ll)) return ll;
  }
  RowMatrix la;
  logForward(tr, logEmission, la);
  return logEnd(tr, la);
}

double forwardBackwardLogSpace(const Transitions& tr, const Eigen::Ref<const RowMatrix>& L,
                               Eigen::Ref<RowMatrix> gamma, RowMatrix* xiSum) {
  const Index T = L.rows();
  const int n = tr.n;
  RowMatrix la;
  logForward(tr, L, la);
  const double loglik = logEnd(tr, la);
  if (!std::isfinite(loglik)) return kNegInf;
  RowMatrix lb(T, n);
  for (int s = 0; s < n; ++s) lb(T - 1, s) = tr.endAllowed[s] ? 0.0 : kNegInf;
  std::vector<double> terms(n);
  for (Index t = T - 2; t >= 0; --t) {
    for (int r = 0; r < n; ++r) {
      int m = 0;
      for (int k = tr.succBegin[r]; k < tr.succBegin[r + 1]; ++k) {
        const int s = tr.succState[k];
        terms[m++] = tr.succLogProb[k] + L(t + 1, s) + lb(t + 1, s);
      }
      lb(t, r) = logSumExp(terms.data(), m);
    }
  }
  for (Index t = 0; t < T; ++t) {
    double sum = 0;
    for (int s = 0; s < n; ++s) {
      const double v = la(t, s) + lb(t, s);
      gamma(t, s) = v == kNegInf ? 0.0 : std::exp(v - loglik);
      sum += gamma(t, s);
    }
    // Exact in theory; renormalise away rounding so every row sums to 1.
    if (sum > 0) gamma.row(t) /= sum;
  }
  if (xiSum) {
    for (Index t = 0; t + 1 < T; ++t) {
      for (int r = 0; r < n; ++r) {
        if (la(t, r) == kNegInf) continue;
        for (int k = tr.succBegin[r]; k < tr.succBegin[r + 1]; ++k) {
          const int s = tr.succState[k];
          const double v = la(t, r) + tr.succLogProb[k] + L(t + 1, s) + lb(t + 1, s) - loglik;
          if (v > kNegInf) (*xiSum)(r, s) += std::exp(v);
        }
      }
    }
  }
  return loglik;
}

double forwardBackward(const Transitions& tr, const Eigen::Ref<const RowMatrix>& logEmission,
                       Eigen::Ref<RowMatrix> gamma, RowMatrix* xiSum) {
  if (logEmission.rows() == 0) return 0.0;
  ScaledEmissions se;
  if (scaleEmissions(logEmission, se)) {
    const double ll = scaledForwardBackward(tr, se, gamma, xiSum);
    if (!std::isnan(ll)) return ll;
  }
  return forwardBackwardLogSpace(tr, logEmission, gamma, xiSum);
}

double scaledForwardBackward(const Transitions& tr, const ScaledEmissions& se, Eigen::Ref<RowMatrix> gamma,
                             RowMatrix* xiSum) {
  constexpr double kFallBack = std::numeric_limits<double>::quiet_NaN();
  const Index T = se.e.rows();
  const int n = tr.n;
  if (T == 0) return 0.0;
  if (tr.isDense()) {
    const double ll = denseScaledForwardBackward(tr, se, gamma, xiSum);
    if (!std::isnan(ll)) return ll;  // NaN: gamma partly written, xiSum untouched; the sparse pass decides
  }
  ScaledForward f;
  if (!scaledForward(tr, se, f)) return kFallBack;
  const RowMatrix& alpha = f.alpha;
  const double end = scaledEndTerm(tr, alpha);
  if (std::isnan(end)) return kFallBack;
  const double loglik = f.loglik + end;

  // Backward, normalised to max 1 per frame, fused with the posteriors of frame t+1 and the
  // transition counts between t and t+1. Transition counts are kept apart until the
  // whole sequence succeeded, so a fallback never double-counts.
  RowMatrix xiLocal;
  if (xiSum) xiLocal = RowMatrix::Zero(n, n);
  //
  // Consistency: in exact arithmetic sum_s alpha_t(s) beta_t(s) = P(X) at every t, which in
  // scaled terms is log z_t = log z_{T-1} + sum_{u>t} (log c_u - log m_u). The backward pass
  // can lose paths to underflow just as the forward pass can (see scaledForward); a loss that
  // matters shows at t = 0, where every path is counted once.
  std::vector<double> beta(n), next(n), weighted(n);
  for (int s = 0; s < n; ++s) next[s] = tr.endAllowed[s] ? 1.0 : 0.0;
  double expectedLogZ = end, magnitude = std::abs(end);
  for (Index t = T - 1; t >= 0; --t) {
    // Posterior of frame t from alpha_t and beta_t (= next).
    double z = 0;
    for (int s = 0; s < n; ++s) z += alpha(t, s) * next[s];
    // The forward error bound must be negligible next to the mass used (beta <= 1).
    if (!(z >= kTiny) || !(f.error[t] <= kMaxRelativeError * z))
      return kFallBack;
    const double invZ = 1.0 / z;
    for (int s = 0; s < n; ++s) gamma(t, s) = alpha(t, s) * next[s] * invZ;
    if (t == 0) {
      if (!(std::abs(std::log(z) - expectedLogZ) <= 1e-10 + 1e-15 * magnitude))
        return kFallBack;
      break;
    }
    // beta_{t-1}(r) = sum_s a_rs e_t(s) beta_t(s); xi_{t-1}(r, s) ∝ alpha_{t-1}(r) a_rs e_t(s) beta_t(s)
    const double* e = se.e.row(t).data();
    for (int s = 0; s < n; ++s) weighted[s] = e[s] * next[s];
    double m = 0, zx = 0;
    for (int r = 0; r < n; ++r) {
      double b = 0;
      for (int k = tr.succBegin[r]; k < tr.succBegin[r + 1]; ++k) b += tr.succProb[k] * weighted[tr.succState[k]];
      beta[r] = b;
      m = std::max(m, b);
      zx += alpha(t - 1, r) * b;
    }
    if (!(m >= kTiny) || !(zx >= kTiny) || !(f.error[t - 1] <= kMaxRelativeError * zx))
      return kFallBack;
    const double logRatio = f.logScale[t] - std::log(m);
    expectedLogZ += logRatio;
    magnitude += std::abs(f.logScale[t]) + std::abs(std::log(m));
    if (xiSum) {
      const double invZx = 1.0 / zx;
      for (int r = 0; r < n; ++r) {
        const double ar = alpha(t - 1, r) * invZx;
        if (ar == 0) continue;
        for (int k = tr.succBegin[r]; k < tr.succBegin[r + 1]; ++k)
          xiLocal(r, tr.succState[k]) += ar * tr.succProb[k] * weighted[tr.succState[k]];
      }
    }
    const double invM = 1.0 / m;
    for (int r = 0; r < n; ++r) next[r] = beta[r] * invM;
  }
  if (xiSum) *xiSum += xiLocal;
  return loglik;
}

double viterbi(const Transitions& tr, const Eigen::Ref<const RowMatrix>& L, int* path) {
  const Index T = L.rows();
  const int n = tr.n;
  if (T == 0) return 0.0;
  std::vector<double> delta(n), prev(n);
  Eigen::Matrix<int, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> back(T, n);
  for (int s = 0; s < n; ++s) {
    delta[s] = tr.logStart[s] + L(0, s);
    back(0, s) = -1;
  }
  for (Index t = 1; t < T; ++t) {
    std::swap(prev, delta);
    for (int s = 0; s < n; ++s) {
      double best = kNegInf;
      int arg = -1;
      for (int k = tr.predBegin[s]; k < tr.predBegin[s + 1]; ++k) {
        const double v = prev[tr.predState[k]] + tr.predLogProb[k];
        if (v > best) {
          best = v;
          arg = tr.predState[k];
        }
      }
      delta[s] = best == kNegInf ? kNegInf : best + L(t, s);
      back(t, s) = arg;
    }
  }
  double best = kNegInf;
  int arg = -1;
  for (int s = 0; s < n; ++s)
    if (tr.endAllowed[s] && delta[s] > best) {
      best = delta[s];
      arg = s;
    }
  if (arg < 0) return kNegInf;
  for (Index t = T - 1; t >= 0; --t) {
    path[t] = arg;
    arg = back(t, arg);
  }
  return best;
}

}  // namespace gmmhmm::detail
