#pragma once
// Hot loops of the diagonal-covariance E-step as hand-tiled kernels over contiguous memory:
// in WebAssembly, Eigen's generic GEMM uses a 2×4 register tile and reaches only a fraction
// of what wasm SIMD can do, and these two products are most of the work of an EM iteration.
// Written with 2-lane double vectors (GCC/clang vector extensions): wasm SIMD (f64x2) with
// -msimd128, SSE2 natively, plain scalar pairs otherwise.
//
// Layouts: xxT is [x, x²] transposed (P × T, row p contiguous over frames); columns of T × K
// matrices are contiguous over frames (column-major).

#include <cstddef>

namespace gmmhmm::detail::kernels {

using Index = std::ptrdiff_t;

// True when these kernels are used instead of Eigen's products (WebAssembly builds).
constexpr bool kEnabled =
#if defined(__wasm__)
    true;
#else
    false;
#endif

// xxT (2D × T) from X (T × D, row-major with row stride ldx).
void squaredTransposed(const double* X, Index T, Index D, Index ldx, double* xxT);

// Frames per call that keep xxT and the outputs cache-resident (callers split larger blocks).
constexpr Index kTileFrames = 256;

// out(t, k) = c[k] + Σ_p xxT(p, t) · W(p, k): out column-major T × K with column stride ldo,
// W row-major P × K.
void emissionProduct(const double* xxT, Index T, Index P, const double* W, Index K, const double* c, double* out,
                     Index ldo);

// S(k, p) += Σ_t w(t, k) · xxT(p, t): w column-major T × K, S row-major K × P.
void weightedSums(const double* w, Index T, Index K, const double* xxT, Index P, double* S);

}  // namespace gmmhmm::detail::kernels
