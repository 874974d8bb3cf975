#pragma once
// Small reductions with four independent accumulators (internal header): without
// -ffast-math the compiler must keep a single sum's order and cannot use SIMD lanes; four
// partial sums let it (and shorten the dependency chain).

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
