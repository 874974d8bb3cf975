#pragma once
// exp and log of vectors of doubles (simd.hpp), accurate to about 1 ulp over the whole range:
// -inf, subnormal results and inputs, underflow to 0, overflow to +inf and NaN behave as in
// libm (cpp/tests/model_vector_math_test.cpp compares them with std::exp/std::log).
//
// Why our own: Eigen's vectorised exp converts doubles to integers with _mm_cvtpd_epi32, which
// WebAssembly SIMD lacks; Emscripten 3.1.6 emulates it with two scalar lrint calls, and that
// made Eigen's exp 2.6 times slower than scalar std::exp in wasm. Here every integer step is
// done on the bits of doubles: round-to-integer by adding 1.5 * 2^52, 2^k built by shifting
// k + 1023 into the exponent field, and an integer exponent turned back into a double the same
// way. Only +, *, /, compare, select, and, or, shift: all native in wasm SIMD, SSE2 and AVX2.
//
// The polynomials are Taylor series, long enough that their truncation error is below 0.1 ulp.

#include <limits>

#include "simd.hpp"

namespace gmmhmm::detail::simd {

template <class F>
inline F broadcast(double x) {
  return splat<F>(x);
}

// 1.5 * 2^52: adding it to |v| < 2^51 rounds v to an integer held in the low mantissa bits.
constexpr double kRoundingShift = 6755399441055744.0;
// ln 2 split so that k * kLn2High is exact for |k| < 2^21 (Cody and Waite's reduction).
constexpr double kLn2High = 6.93147180369123816490e-01;  // 0x3FE62E42FEE00000
constexpr double kLn2Low = 1.90821492927058770002e-10;
constexpr double kLog2e = 1.4426950408889634074;

// 2^k for integer-valued k in [-1022, 1023] (as doubles).
template <class L>
inline typename L::F64 powerOfTwo(typename L::F64 k) {
  using U = typename L::U64;
  // The low bits of k + 1023 + 1.5 * 2^52 are k + 1023; shifting left by 52 drops the rest.
  return (typename L::F64)(((U)(k + (kRoundingShift + 1023.0))) << 52);
}

// exp's constants in the order exp uses them, and log's polynomial. In wasm they are defined
// in vector_math.cpp, out of the compiler's sight, so that they are read from memory: as
// immediates, every use of a vector constant became three instructions in V8's code (two of
// them on the units the arithmetic needs), about a tenth of scoring's time. Native compilers
// keep constants in registers: there they stay visible.
#define GMMHMM_EXP_CONSTANTS                                                                  \
  -746.0, 710.0,                              /* clamp */                                     \
      kLog2e, kRoundingShift,                 /* k = round(x / ln 2) */                       \
      kLn2High, kLn2Low,                      /* r = x - k ln 2 */                            \
      1.0 / 6227020800.0, 1.0 / 479001600.0,  /* p(r), Horner, from r^13 / 13! */             \
      1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 40320.0, 1.0 / 5040.0,       \
      1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, /* (0.5 is also k / 2) */       \
      1.0,                                    /* 1 + r + r^2 p */                             \
      kRoundingShift + 1023.0                 /* 2^k */
#define GMMHMM_LOG_CONSTANTS \
  2.0 / 21.0, 2.0 / 19.0, 2.0 / 17.0, 2.0 / 15.0, 2.0 / 13.0, 2.0 / 11.0, 2.0 / 9.0, 2.0 / 7.0, 2.0 / 5.0, 2.0 / 3.0
#if defined(__wasm__)
extern const double kExpConstants[20];
extern const double kLogConstants[10];
#else
inline constexpr double kExpConstants[20] = {GMMHMM_EXP_CONSTANTS};
inline constexpr double kLogConstants[10] = {GMMHMM_LOG_CONSTANTS};
#endif

template <class L>
inline typename L::F64 exp(typename L::F64 x) {
  using F = typename L::F64;
  using U = typename L::U64;
  const double* c = kExpConstants;
  // Beyond these the result is 0 or +inf anyway; clamping keeps the integer steps in range
  // (and -inf/+inf out of them). NaN fails both comparisons and stays NaN.
  // (Written as the vector ternary a < b ? b : a, which wasm SIMD has as one instruction,
  // f64x2.pmax / pmin; the bitwise select became the NaN-propagating f64x2.min / max.)
  const F low = broadcast<F>(c[0]), high = broadcast<F>(c[1]);
  const F raised = x < low ? low : x;
  const F clamped = high < raised ? high : raised;
  // x = k ln2 + r, |r| <= ln2 / 2.
  const F shift = broadcast<F>(c[3]);
  const F k = (clamped * broadcast<F>(c[2]) + shift) - shift;
  const F r = (clamped - k * broadcast<F>(c[4])) - k * broadcast<F>(c[5]);
  // e^r = 1 + r + r^2 p(r), p from the Taylor series up to r^13 / 13!.
  F p = broadcast<F>(c[6]);
  for (int i = 7; i < 18; ++i) p = p * r + broadcast<F>(c[i]);
  const F one = broadcast<F>(c[18]);
  const F er = one + (r + (r * r) * p);
  // 2^k as two factors, each a normal number, so that results in the subnormal range are
  // rounded once (by the last product) and 2^1024 needs no infinity in between.
  const F k1 = (k * broadcast<F>(c[17]) + shift) - shift;
  const F bias = broadcast<F>(c[19]);  // 1.5 * 2^52 + 1023: see powerOfTwo
  const F y = er * (F)(((U)(k1 + bias)) << 52) * (F)(((U)((k - k1) + bias)) << 52);
  return select(x == x, y, x);  // NaN in, NaN out
}

template <class L>
inline typename L::F64 log(typename L::F64 x) {
  using F = typename L::F64;
  using U = typename L::U64;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // Subnormal inputs: scale into the normal range first.
  const auto subnormal = x < 2.2250738585072014e-308;
  const F scaled = select(subnormal, x * 18014398509481984.0 /* 2^54 */, x);
  const U bits = (U)scaled;
  // x = 2^e m with m in [sqrt(1/2), sqrt(2)).
  F m = (F)((bits & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);
  const auto high = m > 1.4142135623730951;
  m = select(high, m * 0.5, m);
  // The biased exponent field (< 2^11, the sign bit is masked off) as a double, exactly.
  const F field = (F)(((bits >> 52) & 0x7FFull) | (U)broadcast<F>(kRoundingShift)) - kRoundingShift;
  const F e = field - 1023.0 + select(high, broadcast<F>(1.0), broadcast<F>(0.0)) +
              select(subnormal, broadcast<F>(-54.0), broadcast<F>(0.0));
  // log m = log(1 + f) = 2 atanh(s) with s = f / (2 + f), |s| <= 0.1716:
  // log(1 + f) = f - (f^2/2 - s (f^2/2 + R(s^2))), R(z) = sum 2 z^i / (2i + 1) (fdlibm's form).
  const F f = m - 1.0;
  const F s = f / (2.0 + f);
  const F z = s * s;
  // (Coefficients from memory, as exp's.)
  F R = broadcast<F>(kLogConstants[0]);
  for (int i = 1; i < 10; ++i) R = R * z + broadcast<F>(kLogConstants[i]);
  R = R * z;
  const F halfSquare = 0.5 * f * f;
  F y = e * kLn2High - ((halfSquare - (s * (halfSquare + R) + e * kLn2Low)) - f);
  y = select(x == 0.0, broadcast<F>(-kInf), y);
  y = select(x < 0.0, broadcast<F>(std::numeric_limits<double>::quiet_NaN()), y);
  y = select(x == kInf, broadcast<F>(kInf), y);
  return select(x == x, y, x);
}

// op applied in place over an array of any length. The tail is computed in a padded vector
// (padding: a value op maps without trouble), so every element gets exactly the same
// operations wherever it sits.
template <class L, class Op>
inline void mapInPlace(double* v, Index n, double padding, Op op) {
  using F = typename L::F64;
  constexpr int W = L::kCount;
  Index i = 0;
  for (; i + W <= n; i += W) store(v + i, op(load<F>(v + i)));
  if (i < n) {
    double tail[W];
    for (int j = 0; j < W; ++j) tail[j] = padding;
    std::memcpy(tail, v + i, sizeof(double) * (n - i));
    store(tail, op(load<F>(tail)));
    std::memcpy(v + i, tail, sizeof(double) * (n - i));
  }
}

template <class L = Native>
inline void expInPlace(double* v, Index n) {
  mapInPlace<L>(v, n, 0.0, [](typename L::F64 x) { return exp<L>(x); });
}

template <class L = Native>
inline void logInPlace(double* v, Index n) {
  mapInPlace<L>(v, n, 1.0, [](typename L::F64 x) { return log<L>(x); });
}

}  // namespace gmmhmm::detail::simd
