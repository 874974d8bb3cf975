#pragma once
// A 16-byte vector of Real (2 doubles or 4 floats) for the front end's inner loops: the FFT,
// the frame preparation, deltas (internal header).
//
// Why GNU vector extensions and not compiler auto-vectorisation: clang left the double FFT's
// butterflies and the fused frame loops scalar for wasm (its cost model found them
// unprofitable), and Eigen's packets are scalar in builds without SIMD. A vector_size type is
// plain C++ to GCC and clang: with SSE or wasm SIMD (-msimd128) each operation is one vector
// instruction, and without SIMD the compiler splits it into the same scalar operations per
// lane. Every lane does exactly the arithmetic the scalar code would do, in the same order,
// so the SIMD and non-SIMD builds give identical results. (cpp/src/model/simd.hpp is the
// same idea with the widest native vectors for the model's kernels; the front end keeps to
// 16 bytes, whose lanes map one-to-one onto its existing two- and four-term partial sums.)

#include <cstring>
#include <type_traits>

namespace gmmhmm::features::detail {

template <typename Real>
struct Lanes {
  static_assert(std::is_same_v<Real, float> || std::is_same_v<Real, double>);
  static constexpr int kCount = static_cast<int>(16 / sizeof(Real));
  typedef Real Vec __attribute__((vector_size(16)));

  // Unaligned load and store: memcpy compiles to one vector load/store.
  static Vec load(const Real* p) {
    Vec v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static void store(Real* p, Vec v) { std::memcpy(p, &v, sizeof v); }
  // kCount floats from p, converted to Real.
  static Vec fromFloats(const float* p) {
    typedef float Floats __attribute__((vector_size(kCount * sizeof(float))));
    Floats f;
    std::memcpy(&f, p, sizeof f);
    return __builtin_convertvector(f, Vec);
  }
  // (Spelled out per lane: Vec{} + x is not x for x = -0, so compilers keep the add.)
  static Vec splat(Real x) {
    if constexpr (kCount == 2) {
      return Vec{x, x};
    } else {
      return Vec{x, x, x, x};
    }
  }
  // Two values of Real: the lanes of the FFT's first pass (a full vector for double).
  typedef Real Pair __attribute__((vector_size(2 * sizeof(Real))));

  // z[0..3] = {re0, im0, re1, im1} -> re = {re0, re1}, im = {im0, im1}.
  static void loadComplexPair(const Real* z, Pair& re, Pair& im) {
    Pair a, b;
    std::memcpy(&a, z, sizeof a);
    std::memcpy(&b, z + 2, sizeof b);
    re = __builtin_shufflevector(a, b, 0, 2);
    im = __builtin_shufflevector(a, b, 1, 3);
  }
  // p[0] = v[0], p[stride] = v[1].
  static void storeApart(Real* p, int stride, Pair v) {
    p[0] = v[0];
    p[stride] = v[1];
  }
  // Lanes in reverse order: {v[kCount-1], ..., v[0]}.
  static Vec reverse(Vec v) {
    if constexpr (kCount == 2) {
      return __builtin_shufflevector(v, v, 1, 0);
    } else {
      return __builtin_shufflevector(v, v, 3, 2, 1, 0);
    }
  }
};

}  // namespace gmmhmm::features::detail
