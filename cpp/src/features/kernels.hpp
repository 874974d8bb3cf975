#pragma once
// Small reductions with four independent accumulators (internal header): without
// -ffast-math the compiler must keep a single sum's order and cannot use SIMD lanes; four
// partial sums let it (and shorten the dependency chain).

#include "lanes.hpp"

namespace gmmhmm::features::detail {

inline double dot(const double* a, const double* b, int n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

inline double sum(const double* a, int n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i];
    s1 += a[i + 1];
    s2 += a[i + 2];
    s3 += a[i + 3];
  }
  for (; i < n; ++i) s0 += a[i];
  return (s0 + s1) + (s2 + s3);
}

// out[i] = in[i] * scale, returning sum_i out[i] added exactly as sum(out, n) adds it: the
// copy and the sum in one pass over the frame. Explicit two-lane vectors (clang left the
// scalar form unvectorised for wasm): s01 holds the partial sums s0, s1 of sum(), s23 s2, s3.
inline double scaledCopyAndSum(const float* in, double scale, double* out, int n) {
  using L = Lanes<double>;
  using Vec = L::Vec;
  const Vec scaleV = L::splat(scale);
  Vec s01 = L::splat(0.0), s23 = L::splat(0.0);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const Vec x01 = L::fromFloats(in + i) * scaleV, x23 = L::fromFloats(in + i + 2) * scaleV;
    L::store(out + i, x01);
    L::store(out + i + 2, x23);
    s01 += x01;
    s23 += x23;
  }
  double s0 = s01[0];
  for (; i < n; ++i) s0 += (out[i] = in[i] * scale);
  return (s0 + s01[1]) + (s23[0] + s23[1]);
}

// sum_i (a[i] - c)^2
inline double sumOfSquaredDeviations(const double* a, double c, int n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const double d0 = a[i] - c, d1 = a[i + 1] - c, d2 = a[i + 2] - c, d3 = a[i + 3] - c;
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; i < n; ++i) s0 += (a[i] - c) * (a[i] - c);
  return (s0 + s1) + (s2 + s3);
}

}  // namespace gmmhmm::features::detail
