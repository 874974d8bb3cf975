#pragma once
// Hot loops of the diagonal-covariance E-step as hand-tiled kernels over contiguous memory:
// in WebAssembly, Eigen's generic GEMM uses a 2×4 register tile and reaches only a fraction
// of what wasm SIMD can do, and these products are most of the work of an EM iteration.
// Written with the vectors of simd.hpp (wasm SIMD, SSE2 or AVX2; scalar in the non-SIMD wasm
// build, with the same operations in the same order).
//
// Every product kernel exists in double and in float (Precision::Float32); float kernels
// accumulate at most one tile (kTileFrames frames, or the 2D terms of one emission) in float
// and add the result into doubles. The callers keep subnormal floats out of them (see
// kFloatFlush): WebAssembly has no flush-to-zero, and subnormal operands make float
// arithmetic 5-8 times slower on x86.
//
// Layouts: a tile is [x, x²] transposed (P = 2D rows of n values, row p contiguous over the
// tile's frames); columns of T × K matrices are contiguous over frames (column-major).

#include <cstddef>

namespace gmmhmm::detail::kernels {

using Index = std::ptrdiff_t;

// True when scoring uses these kernels instead of Eigen's products (WebAssembly builds; the
// training E-step uses them everywhere).
constexpr bool kEnabled =
#if defined(__wasm__)
    true;
#else
    false;
#endif

// Frames per tile: [x, x²] and the outputs of a tile stay cache-resident.
constexpr Index kTileFrames = 256;

// Magnitudes below which the float kernels' operands are set to 0 before conversion, so that
// no product or partial sum of them is subnormal: a weight w >= 2^-59, a standardised
// feature |z| >= 2^-33 (z² >= 2^-66) and an emission coefficient |W| >= 2^-59 give products
// w z² and z² W of at least 2^-125 (float's smallest normal is 2^-126). What is dropped is
// far below float's resolution of the sums it would join.
constexpr double kFloatFlushWeight = 0x1p-59;
constexpr double kFloatFlushFeature = 0x1p-33;

// A tile of n frames (n <= kTileFrames) from X (n × D, row-major with row stride ldx):
// double: [x, x²]; float: [z, z²] with z = (x - shift) · inverseScale, |z| < kFloatFlushFeature
// set to 0 (shift and inverseScale: D values).
void buildTile(const double* X, Index n, Index D, Index ldx, double* tile);
void buildTile(const double* X, Index n, Index D, Index ldx, const double* shift, const double* inverseScale,
               float* tile);

// out(t, k) = c[k] + Σ_p tile(p, t) · W(p, k): out column-major n × K with column stride ldo,
// W row-major P × K.
void emissionProduct(const double* tile, Index n, Index P, const double* W, Index K, const double* c, double* out,
                     Index ldo);
void emissionProduct(const float* tile, Index n, Index P, const float* W, Index K, const double* c, double* out,
                     Index ldo);

// S(k, p) += Σ_t w(t, k) · tile(p, t): w column-major n × K (contiguous), S row-major K × P.
void weightedSums(const double* w, Index n, Index K, const double* tile, Index P, double* S);
void weightedSums(const float* w, Index n, Index K, const float* tile, Index P, double* S);

// The mixture log-sum-exp of every state. comps: column-major T × (N·M) component
// log-likelihoods (column stride T), state s owning columns s·M .. s·M + M - 1. Afterwards
// stateLogLik (row-major T × N) holds the state log-likelihoods and, with responsibilities,
// comps holds each component's responsibility within its state (else comps is left as it
// was: decoding and posteriors need the states only). A frame that no component of a state
// can emit (all -inf, or a non-finite value) gets responsibilities 0 and -inf.
void mixtureLogSumExp(double* comps, Index T, Index N, Index M, double* stateLogLik, bool responsibilities = true);

// The training E-step's form of mixtureLogSumExp, for the frames [first, first + n) of comps
// (column stride ld): responsibilities in place, the same bits as mixtureLogSumExp, and
// instead of the state log-likelihoods what the scaled forward-backward takes: offset[t] =
// the largest state maximum of frame t and e(t, s) = Σ_m exp(comps(t, s·M + m) - max_s) ·
// exp(max_s - offset[t]) (row-major n × N) — one exp per state in place of a log and the
// scaled pass's exp. stateShift and stateSum (n × N, column-major: state s at s·n) keep each
// state's maximum and sum, from which stateLogLikelihoods gives mixtureLogSumExp's
// log-likelihoods bit for bit (for the log-space path). Returns false when a frame has no
// state that can emit it (its offset is then 0 and its e all 0): the caller takes the
// log-space path.
bool mixtureScaledEmissions(double* comps, Index ld, Index first, Index n, Index N, Index M, double* e,
                            double* offset, double* stateShift, double* stateSum);

// mixtureLogSumExp's state log-likelihoods (row-major n × N) from mixtureScaledEmissions's
// stateShift and stateSum.
void stateLogLikelihoods(const double* stateShift, const double* stateSum, Index n, Index N, double* stateLogLik);

// The emissions of T frames as the scaled forward pass takes them, from the same component
// log-likelihoods (comps as above, left unchanged): offset[t] = the largest component
// log-likelihood of frame t, and e(t, s) = Σ_m exp(comps(t, s·M + m) - offset[t]) (row-major
// T × N, e + t·N), which is exp(state log-likelihood - offset[t]) without the log and exp
// in between. Returns false when a frame's largest value is not finite (no component can
// emit it, or an overflow): the caller then takes the log-space path.
bool scaledStateEmissions(const double* comps, Index T, Index N, Index M, double* e, double* offset);

}  // namespace gmmhmm::detail::kernels
