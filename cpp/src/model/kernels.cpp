#include "kernels.hpp"

#include <cstring>

namespace gmmhmm::detail::kernels {

namespace {

typedef double f64x2 __attribute__((vector_size(16)));

inline f64x2 load(const double* p) {
  f64x2 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void store(double* p, f64x2 v) { std::memcpy(p, &v, sizeof v); }

inline f64x2 splat(double x) { return f64x2{x, x}; }

}  // namespace

void squaredTransposed(const double* X, Index T, Index D, Index ldx, double* xxT) {
  // Feature-major: contiguous writes. (Frame-major writes with a power-of-two row length
  // hit the same cache sets over and over: this loop was 17 % of an EM iteration.)
  for (Index d = 0; d < D; ++d) {
    double* lin = xxT + d * T;
    double* sq = xxT + (D + d) * T;
    const double* col = X + d;
    for (Index t = 0; t < T; ++t) {
      const double x = col[t * ldx];
      lin[t] = x;
      sq[t] = x * x;
    }
  }
}

void emissionProduct(const double* xxT, Index T, Index P, const double* W, Index K, const double* c, double* out,
                     Index ldo) {
  Index k0 = 0;
  // Tiles of 4 components × 4 frames: 8 vector accumulators.
  for (; k0 + 4 <= K; k0 += 4) {
    double* o0 = out + (k0 + 0) * ldo;
    double* o1 = out + (k0 + 1) * ldo;
    double* o2 = out + (k0 + 2) * ldo;
    double* o3 = out + (k0 + 3) * ldo;
    Index t = 0;
    for (; t + 4 <= T; t += 4) {
      f64x2 a0 = splat(c[k0]), b0 = a0;
      f64x2 a1 = splat(c[k0 + 1]), b1 = a1;
      f64x2 a2 = splat(c[k0 + 2]), b2 = a2;
      f64x2 a3 = splat(c[k0 + 3]), b3 = a3;
      for (Index p = 0; p < P; ++p) {
        const double* x = xxT + p * T + t;
        const f64x2 xa = load(x), xb = load(x + 2);
        const double* w = W + p * K + k0;
        const f64x2 w0 = splat(w[0]), w1 = splat(w[1]), w2 = splat(w[2]), w3 = splat(w[3]);
        a0 += xa * w0; b0 += xb * w0;
        a1 += xa * w1; b1 += xb * w1;
        a2 += xa * w2; b2 += xb * w2;
        a3 += xa * w3; b3 += xb * w3;
      }
      store(o0 + t, a0); store(o0 + t + 2, b0);
      store(o1 + t, a1); store(o1 + t + 2, b1);
      store(o2 + t, a2); store(o2 + t + 2, b2);
      store(o3 + t, a3); store(o3 + t + 2, b3);
    }
    for (; t < T; ++t)
      for (Index j = 0; j < 4; ++j) {
        double s = c[k0 + j];
        for (Index p = 0; p < P; ++p) s += xxT[p * T + t] * W[p * K + k0 + j];
        out[(k0 + j) * ldo + t] = s;
      }
  }
  for (; k0 < K; ++k0)
    for (Index t = 0; t < T; ++t) {
      double s = c[k0];
      for (Index p = 0; p < P; ++p) s += xxT[p * T + t] * W[p * K + k0];
      out[k0 * ldo + t] = s;
    }
}

void weightedSums(const double* w, Index T, Index K, const double* xxT, Index P, double* S) {
  // Dot products of contiguous columns: tiles of 2 components × 4 features, 8 accumulators.
  const Index T2 = T & ~Index(1);
  Index k = 0;
  for (; k + 2 <= K; k += 2) {
    const double* w0 = w + k * T;
    const double* w1 = w + (k + 1) * T;
    Index p = 0;
    for (; p + 4 <= P; p += 4) {
      const double* x0 = xxT + p * T;
      const double* x1 = x0 + T;
      const double* x2 = x1 + T;
      const double* x3 = x2 + T;
      f64x2 s00 = splat(0), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00;
      for (Index t = 0; t < T2; t += 2) {
        const f64x2 a = load(w0 + t), b = load(w1 + t);
        const f64x2 v0 = load(x0 + t), v1 = load(x1 + t), v2 = load(x2 + t), v3 = load(x3 + t);
        s00 += a * v0; s01 += a * v1; s02 += a * v2; s03 += a * v3;
        s10 += b * v0; s11 += b * v1; s12 += b * v2; s13 += b * v3;
      }
      double r[8] = {s00[0] + s00[1], s01[0] + s01[1], s02[0] + s02[1], s03[0] + s03[1],
                     s10[0] + s10[1], s11[0] + s11[1], s12[0] + s12[1], s13[0] + s13[1]};
      if (T2 < T) {
        const Index t = T2;
        r[0] += w0[t] * x0[t]; r[1] += w0[t] * x1[t]; r[2] += w0[t] * x2[t]; r[3] += w0[t] * x3[t];
        r[4] += w1[t] * x0[t]; r[5] += w1[t] * x1[t]; r[6] += w1[t] * x2[t]; r[7] += w1[t] * x3[t];
      }
      for (Index j = 0; j < 4; ++j) {
        S[k * P + p + j] += r[j];
        S[(k + 1) * P + p + j] += r[4 + j];
      }
    }
    for (; p < P; ++p) {
      const double* x = xxT + p * T;
      double s0 = 0, s1 = 0;
      for (Index t = 0; t < T; ++t) {
        s0 += w0[t] * x[t];
        s1 += w1[t] * x[t];
      }
      S[k * P + p] += s0;
      S[(k + 1) * P + p] += s1;
    }
  }
  for (; k < K; ++k)
    for (Index p = 0; p < P; ++p) {
      double s = 0;
      for (Index t = 0; t < T; ++t) s += w[k * T + t] * xxT[p * T + t];
      S[k * P + p] += s;
    }
}

}  // namespace gmmhmm::detail::kernels
