#pragma once
// Portable short vectors for the E-step kernels, written with GCC/clang vector extensions:
// WebAssembly SIMD (f64x2, f32x4) with -msimd128, AVX2 (4 doubles, 8 floats) in native
// x86-64-v3 builds, SSE2 pairs in other x86-64 builds, and plain scalar code where the target
// has no vectors (the non-SIMD wasm build). The same source gives the same operations in the
// same order in every build, so the SIMD and non-SIMD wasm builds compute identical values.
//
// Lanes<N> holds the types of an N-lane vector of doubles and of its companions of the same
// byte width (unsigned 64-bit integers) or the same lane count (floats).

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace gmmhmm::detail::simd {

using Index = std::ptrdiff_t;

template <int N>
struct Lanes {
  static constexpr int kCount = N;
  typedef double F64 __attribute__((vector_size(8 * N)));
  typedef std::uint64_t U64 __attribute__((vector_size(8 * N)));
  typedef std::int64_t I64 __attribute__((vector_size(8 * N)));
  typedef float F32 __attribute__((vector_size(4 * N)));
};

// The widest double vector the build's target executes natively.
#if defined(__AVX2__) && !defined(__wasm__)
constexpr int kDoubleLanes = 4;
#elif defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SSE4_1__)
// GCC 12.2 stops with an internal compiler error (gimple_expand_vec_cond_expr) on the
// kernels' lane selects for plain x86-64 (SSE2 has no blend): one lane there, which GCC
// compiles as scalar code with the same operations in the same order.
constexpr int kDoubleLanes = 1;
#else
constexpr int kDoubleLanes = 2;
#endif
using Native = Lanes<kDoubleLanes>;
// Floats: as many lanes as fill the same register width (f32x4 in wasm, 8 floats with AVX2).
using NativeFloat = Lanes<2 * kDoubleLanes>;

// Every lane x. (Spelled out: V{} + x is not x for x = -0, so compilers keep the add, and a
// loop over the lanes became a loop through memory in wasm, inside the kernels' inner loops.)
template <class V, class E>
inline V splat(E x) {
  constexpr int L = sizeof(V) / sizeof(E);
  static_assert(L == 1 || L == 2 || L == 4 || L == 8 || L == 16, "lane count");
  if constexpr (L == 1) return V{x};
  else if constexpr (L == 2) return V{x, x};
  else if constexpr (L == 4) return V{x, x, x, x};
  else if constexpr (L == 8) return V{x, x, x, x, x, x, x, x};
  else return V{x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x};
}

template <class V>
inline V load(const void* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <class V>
inline void store(void* p, V v) {
  std::memcpy(p, &v, sizeof v);
}

// Lane i of the result is a[i] where mask[i] is all ones, else b[i] (mask: a comparison).
template <class V, class M>
inline V select(M mask, V a, V b) {
  using U = decltype(mask);
  return (V)(((U)a & mask) | ((U)b & ~mask));
}

}  // namespace gmmhmm::detail::simd
