#include "kernels.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "simd.hpp"
#include "vector_math.hpp"

namespace gmmhmm::detail::kernels {

namespace {

using simd::load;
using simd::splat;
using simd::store;

// Horizontal sum of a vector, in double.
template <class V>
inline double laneSum(V v) {
  constexpr int L = sizeof(V) / sizeof(v[0]);
  double s = 0;
  for (int i = 0; i < L; ++i) s += v[i];
  return s;
}

// o[0, 2L) = c + [a, b] in doubles (float lanes converted: whole vectors, no lane by lane
// extraction, which went through memory in wasm).
template <class V>
inline void storePlus(double* o, V a, V b, double c) {
  constexpr int L = sizeof(V) / sizeof(a[0]);
  using D = typename simd::Lanes<L>::F64;
  store(o, __builtin_convertvector(a, D) + splat<D>(c));
  store(o + L, __builtin_convertvector(b, D) + splat<D>(c));
}

// The register blocks of the two products below, natively compiled as functions of their own:
// inlined into the loops around them, GCC 12 had too few general registers left for the
// block's pointers and strides and kept them (and the loop counter) on the stack, so every
// iteration waited on a store just made (docs/performance.md, "Native: the kernels' register
// blocks"). In WebAssembly they stay inline, as before (V8 allocates the registers; not
// measured as calls there).
#if defined(__wasm__)
#define GMMHMM_REGISTER_BLOCK inline
#else
#define GMMHMM_REGISTER_BLOCK __attribute__((noinline))
#endif

// 4 components × 2L frames of emissionProduct: out(t, k) = c[k] + Σ_p x(p, t) · w(p, k) for
// the 2L frames at x (row stride n) and the 4 components at w (row stride K).
template <class E, class V>
GMMHMM_REGISTER_BLOCK void emissionBlock(const E* x, Index n, Index P, const E* w, Index K, const double* c,
                                         double* out, Index ldo) {
  constexpr int L = sizeof(V) / sizeof(E);
  V a0 = splat<V>(E(0)), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
  for (Index p = 0; p < P; ++p, x += n, w += K) {
    const V xa = load<V>(x), xb = load<V>(x + L);
    const V w0 = splat<V>(w[0]), w1 = splat<V>(w[1]), w2 = splat<V>(w[2]), w3 = splat<V>(w[3]);
    a0 += xa * w0; b0 += xb * w0;
    a1 += xa * w1; b1 += xb * w1;
    a2 += xa * w2; b2 += xb * w2;
    a3 += xa * w3; b3 += xb * w3;
  }
  storePlus(out, a0, b0, c[0]);
  storePlus(out + ldo, a1, b1, c[1]);
  storePlus(out + 2 * ldo, a2, b2, c[2]);
  storePlus(out + 3 * ldo, a3, b3, c[3]);
}

// Element type E (double or float) in vectors V of L lanes.
template <class E, class V>
void emissionProductT(const E* tile, Index n, Index P, const E* W, Index K, const double* c, double* out, Index ldo) {
  constexpr int L = sizeof(V) / sizeof(E);
  const Index K4 = K - K % 4, n2 = n - n % (2 * L);
  // Blocks of 4 components × 2L frames: 8 vector accumulators. Frames outermost, so that the
  // P × 2L values of the tile a block reads stay in L1 for every group of components (the
  // other way round, the whole tile came from L2 once per group).
  for (Index t = 0; t < n2; t += 2 * L)
    for (Index k0 = 0; k0 < K4; k0 += 4) emissionBlock<E, V>(tile + t, n, P, W + k0, K, c + k0, out + k0 * ldo + t, ldo);
  // The frames after the last whole block, and the components after the last group of 4.
  for (Index k0 = 0; k0 < K4; k0 += 4)
    for (Index t = n2; t < n; ++t)
      for (Index j = 0; j < 4; ++j) {
        E s = 0;
        for (Index p = 0; p < P; ++p) s += tile[p * n + t] * W[p * K + k0 + j];
        out[(k0 + j) * ldo + t] = c[k0 + j] + double(s);
      }
  for (Index k0 = K4; k0 < K; ++k0)
    for (Index t = 0; t < n; ++t) {
      E s = 0;
      for (Index p = 0; p < P; ++p) s += tile[p * n + t] * W[p * K + k0];
      out[k0 * ldo + t] = c[k0] + double(s);
    }
}

// 2 components × 4 features of weightedSums: S0[j] += Σ_t w0(t) · x(j, t), S1[j] += Σ_t
// w1(t) · x(j, t) for j < 4, the features' rows at x (stride n).
template <class E, class V>
GMMHMM_REGISTER_BLOCK void weightedSumsBlock(const E* w0, const E* w1, const E* x0, Index n, double* S0, double* S1) {
  constexpr int L = sizeof(V) / sizeof(E);
  const Index nv = n - n % L;
  const E* x1 = x0 + n;
  const E* x2 = x1 + n;
  const E* x3 = x2 + n;
  V s00 = splat<V>(E(0)), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00;
  for (Index t = 0; t < nv; t += L) {
    const V a = load<V>(w0 + t), b = load<V>(w1 + t);
    const V v0 = load<V>(x0 + t), v1 = load<V>(x1 + t), v2 = load<V>(x2 + t), v3 = load<V>(x3 + t);
    s00 += a * v0; s01 += a * v1; s02 += a * v2; s03 += a * v3;
    s10 += b * v0; s11 += b * v1; s12 += b * v2; s13 += b * v3;
  }
  double r[8] = {laneSum(s00), laneSum(s01), laneSum(s02), laneSum(s03),
                 laneSum(s10), laneSum(s11), laneSum(s12), laneSum(s13)};
  for (Index t = nv; t < n; ++t) {
    r[0] += double(w0[t] * x0[t]); r[1] += double(w0[t] * x1[t]);
    r[2] += double(w0[t] * x2[t]); r[3] += double(w0[t] * x3[t]);
    r[4] += double(w1[t] * x0[t]); r[5] += double(w1[t] * x1[t]);
    r[6] += double(w1[t] * x2[t]); r[7] += double(w1[t] * x3[t]);
  }
  for (Index j = 0; j < 4; ++j) {
    S0[j] += r[j];
    S1[j] += r[4 + j];
  }
}

template <class E, class V>
void weightedSumsT(const E* w, Index n, Index K, const E* tile, Index P, double* S) {
  // Dot products of contiguous columns: tiles of 2 components × 4 features, 8 accumulators.
  Index k = 0;
  for (; k + 2 <= K; k += 2) {
    const E* w0 = w + k * n;
    const E* w1 = w + (k + 1) * n;
    Index p = 0;
    for (; p + 4 <= P; p += 4) weightedSumsBlock<E, V>(w0, w1, tile + p * n, n, S + k * P + p, S + (k + 1) * P + p);
    for (; p < P; ++p) {
      const E* x = tile + p * n;
      E s0 = 0, s1 = 0;
      for (Index t = 0; t < n; ++t) {
        s0 += w0[t] * x[t];
        s1 += w1[t] * x[t];
      }
      S[k * P + p] += double(s0);
      S[(k + 1) * P + p] += double(s1);
    }
  }
  for (; k < K; ++k)
    for (Index p = 0; p < P; ++p) {
      E s = 0;
      for (Index t = 0; t < n; ++t) s += w[k * n + t] * tile[p * n + t];
      S[k * P + p] += double(s);
    }
}

using F64 = simd::Native::F64;
using F32 = simd::NativeFloat::F32;

// Lanes of the exponentials of the mixture log-sum-exp and the scaled emissions: two native
// vectors in wasm, where one exp at a time waited on its own chain of dependent operations
// (about 10 ns per exp, against 5 ns two at a time; four at a time were no faster). Native
// builds keep one AVX2 vector: there the wider one measured slower.
#if defined(__wasm__)
constexpr int kExpLanes = 2 * simd::kDoubleLanes;
#else
constexpr int kExpLanes = simd::kDoubleLanes;
#endif

}  // namespace

// The tiles are a transpose: frame-major rows in, feature-major rows out, written a feature's
// run of frames at a time (frame-major writes with a power-of-two row length hit the same
// cache sets over and over). In wasm, eight frames at a time, so that their rows stay in the
// first-level cache while each feature's run of eight is written (a cache line of doubles);
// one feature at a time over the whole tile read its frames D times over. Native builds
// measured the whole tile at once faster (docs/performance.md, "Tiles and single-component
// emissions").
#if defined(__wasm__)
constexpr Index kTileBlock = 8;
#else
constexpr Index kTileBlock = kTileFrames;
#endif

void buildTile(const double* X, Index n, Index D, Index ldx, double* tile) {
  for (Index t0 = 0; t0 < n; t0 += kTileBlock) {
    const Index m = std::min(kTileBlock, n - t0);
    const double* rows = X + t0 * ldx;
    double* lin = tile + t0;
    double* sq = tile + D * n + t0;
    for (Index d = 0; d < D; ++d, lin += n, sq += n)
      for (Index i = 0; i < m; ++i) {
        const double x = rows[i * ldx + d];
        lin[i] = x;
        sq[i] = x * x;
      }
  }
}

void buildTile(const double* X, Index n, Index D, Index ldx, const double* shift, const double* inverseScale,
               float* tile) {
  for (Index t0 = 0; t0 < n; t0 += kTileBlock) {
    const Index m = std::min(kTileBlock, n - t0);
    const double* rows = X + t0 * ldx;
    float* lin = tile + t0;
    float* sq = tile + D * n + t0;
    for (Index d = 0; d < D; ++d, lin += n, sq += n) {
      const double mean = shift[d], s = inverseScale[d];
      for (Index i = 0; i < m; ++i) {
        double z = (rows[i * ldx + d] - mean) * s;
        if (std::abs(z) < kFloatFlushFeature) z = 0;
        lin[i] = float(z);
        sq[i] = float(z * z);
      }
    }
  }
}

void emissionProduct(const double* tile, Index n, Index P, const double* W, Index K, const double* c, double* out,
                     Index ldo) {
  emissionProductT<double, F64>(tile, n, P, W, K, c, out, ldo);
}

void emissionProduct(const float* tile, Index n, Index P, const float* W, Index K, const double* c, double* out,
                     Index ldo) {
  emissionProductT<float, F32>(tile, n, P, W, K, c, out, ldo);
}

void weightedSums(const double* w, Index n, Index K, const double* tile, Index P, double* S) {
  weightedSumsT<double, F64>(w, n, K, tile, P, S);
}

void weightedSums(const float* w, Index n, Index K, const float* tile, Index P, double* S) {
  weightedSumsT<float, F32>(w, n, K, tile, P, S);
}

namespace {

// One state's mixture for the W frames of a vector: the components' log-likelihoods at column
// + m·ld (m < M), of which `lanes` frames are real (the rest read as -inf and never stored).
// Gives the state's maximum `shift` (0 where it is not finite) and its sum of exps, and with
// `responsibilities` writes each component's share of that sum back in place. What both
// mixture kernels do per state, written once so that they give the same bits. A state whose
// maximum is not finite (all -inf, +inf or NaN) emits nothing: sum 0; NaN components make the
// sum NaN (the callers treat a sum not > 0 as no emission).
template <class L>
inline void stateMixture(double* column, Index ld, Index lanes, Index M, bool responsibilities, typename L::F64& shift,
                         typename L::F64& sum) {
  using F64 = typename L::F64;
  constexpr int W = L::kCount;
  constexpr double kNegInf = -std::numeric_limits<double>::infinity();
  const auto get = [&](Index m) {
    if (lanes == W) return load<F64>(column + m * ld);
    double padded[W];
    for (Index i = 0; i < W; ++i) padded[i] = i < lanes ? column[m * ld + i] : kNegInf;
    return load<F64>(padded);
  };
  const auto put = [&](Index m, F64 x) {
    if (lanes == W) {
      store(column + m * ld, x);
    } else {
      for (Index i = 0; i < lanes; ++i) column[m * ld + i] = x[i];
    }
  };
  F64 mx = get(0);
  for (Index m = 1; m < M; ++m) {
    const F64 c = get(m);
    mx = simd::select(c > mx, c, mx);
  }
  const auto finite = (mx * 0.0) == 0.0;
  shift = simd::select(finite, mx, splat<F64>(0.0));
  sum = splat<F64>(0.0);
  for (Index m = 0; m < M; ++m) {
    const F64 e = simd::select(finite, simd::exp<L>(get(m) - shift), splat<F64>(0.0));
    if (responsibilities) put(m, e);
    sum += e;
  }
  if (responsibilities) {
    const F64 inverse = simd::select(sum > 0.0, 1.0 / sum, splat<F64>(0.0));
    for (Index m = 0; m < M; ++m) put(m, get(m) * inverse);
  }
}

}  // namespace

void mixtureLogSumExp(double* comps, Index T, Index N, Index M, double* stateLogLik, bool responsibilities) {
  using L = simd::Lanes<kExpLanes>;
  using F64 = L::F64;
  constexpr int W = L::kCount;
  constexpr double kNegInf = -std::numeric_limits<double>::infinity();
  // Frames in vectors of W; the last partial vector is padded (stateMixture), so every frame
  // gets the same operations wherever it sits. Three passes over the state's columns (maximum;
  // exp and sum; normalisation): they stay in L1.
  for (Index s = 0; s < N; ++s) {
    double* block = comps + s * M * T;
    for (Index t = 0; t < T; t += W) {
      const Index lanes = std::min<Index>(W, T - t);
      F64 shift, sum;
      stateMixture<L>(block + t, T, lanes, M, responsibilities, shift, sum);
      const F64 logLik = simd::select(sum > 0.0, shift + simd::log<L>(sum), splat<F64>(kNegInf));
      for (Index i = 0; i < lanes; ++i) stateLogLik[(t + i) * N + s] = logLik[i];
    }
  }
}

bool mixtureScaledEmissions(double* comps, Index ld, Index first, Index n, Index N, Index M, double* e,
                            double* offset, double* stateShift, double* stateSum) {
  using L = simd::Lanes<kExpLanes>;
  using F64 = L::F64;
  constexpr int W = L::kCount;
  constexpr double kNegInf = -std::numeric_limits<double>::infinity();
  // First each state's frames as mixtureLogSumExp does them (stateMixture: the same
  // responsibilities and, through stateLogLikelihoods, the same state log-likelihoods, bit for
  // bit), keeping the maximum and the sum instead of taking the log. stateShift, stateSum:
  // column s at s·n (contiguous frames).
  for (Index s = 0; s < N; ++s) {
    double* block = comps + s * M * ld + first;
    for (Index t = 0; t < n; t += W) {
      const Index lanes = std::min<Index>(W, n - t);
      F64 shift, sum;
      stateMixture<L>(block + t, ld, lanes, M, true, shift, sum);
      if (lanes == W) {
        store(stateShift + s * n + t, shift);
        store(stateSum + s * n + t, sum);
      } else {
        for (Index i = 0; i < lanes; ++i) {
          stateShift[s * n + t + i] = shift[i];
          stateSum[s * n + t + i] = sum[i];
        }
      }
    }
  }
  // Then per frame: the offset, the largest maximum of a state that emits the frame, and
  // e(t, s) = sum · exp(shift - offset), at most M, the largest state's at least 1.
  bool allFinite = true;
  for (Index t = 0; t < n; t += W) {
    const Index lanes = std::min<Index>(W, n - t);
    const auto get = [&](const double* column) {
      if (lanes == W) return load<F64>(column + t);
      double padded[W] = {};
      for (Index i = 0; i < lanes; ++i) padded[i] = column[t + i];
      return load<F64>(padded);
    };
    F64 frameMax = splat<F64>(kNegInf);
    for (Index s = 0; s < N; ++s) {
      const F64 candidate = simd::select(get(stateSum + s * n) > 0.0, get(stateShift + s * n), splat<F64>(kNegInf));
      frameMax = simd::select(candidate > frameMax, candidate, frameMax);
    }
    const auto frameFinite = (frameMax * 0.0) == 0.0;
    const F64 frameOffset = simd::select(frameFinite, frameMax, splat<F64>(0.0));
    for (Index i = 0; i < lanes; ++i) {
      allFinite = allFinite && frameFinite[i];
      offset[t + i] = frameOffset[i];
    }
    for (Index s = 0; s < N; ++s) {
      const F64 sum = get(stateSum + s * n);
      const auto good = sum > 0.0;
      const F64 gap = simd::select(good, get(stateShift + s * n) - frameOffset, splat<F64>(0.0));
      const F64 scaled = simd::select(good, sum * simd::exp<L>(gap), splat<F64>(0.0));
      for (Index i = 0; i < lanes; ++i) e[(t + i) * N + s] = scaled[i];
    }
  }
  return allFinite;
}

void stateLogLikelihoods(const double* stateShift, const double* stateSum, Index n, Index N, double* stateLogLik) {
  constexpr double kNegInf = -std::numeric_limits<double>::infinity();
  // mixtureLogSumExp's shift + log(sum), or -inf where the sum is not positive; the log
  // lane by lane as there (the lanes of simd::log are independent of each other).
  std::vector<double> logs(stateSum, stateSum + n * N);
  for (double& v : logs)
    if (!(v > 0.0)) v = 1.0;  // its log is not used
  simd::logInPlace(logs.data(), n * N);
  for (Index s = 0; s < N; ++s)
    for (Index t = 0; t < n; ++t)
      stateLogLik[t * N + s] = stateSum[s * n + t] > 0.0 ? stateShift[s * n + t] + logs[s * n + t] : kNegInf;
}

bool scaledStateEmissions(const double* comps, Index T, Index N, Index M, double* e, double* offset) {
  using L = simd::Lanes<kExpLanes>;
  using F = L::F64;
  constexpr int W = L::kCount;
  const Index K = N * M;
  // The last partial vector is padded with zeros (never stored), so that every frame gets the
  // same operations wherever it sits (SIMD and scalar builds agree).
  for (Index t = 0; t < T; t += W) {
    const Index lanes = std::min<Index>(W, T - t);
    const auto get = [&](Index k) {
      if (lanes == W) return load<F>(comps + k * T + t);
      double padded[W] = {};
      for (Index i = 0; i < lanes; ++i) padded[i] = comps[k * T + t + i];
      return load<F>(padded);
    };
    F mx = get(0);
    for (Index k = 1; k < K; ++k) {
      const F c = get(k);
      mx = simd::select(c > mx, c, mx);
    }
    // -inf (no component emits the frame), +inf or NaN: the log-space path decides.
    const auto finite = (mx * 0.0) == 0.0;
    for (Index i = 0; i < lanes; ++i)
      if (!finite[i]) return false;
    for (Index i = 0; i < lanes; ++i) offset[t + i] = mx[i];
    if (M == 1) {
      // One component per state: the differences now, their exps below in one pass over e.
      for (Index s = 0; s < N; ++s) {
        const F gap = get(s) - mx;
        for (Index i = 0; i < lanes; ++i) e[(t + i) * N + s] = gap[i];
      }
      continue;
    }
    for (Index s = 0; s < N; ++s) {
      F sum = splat<F>(0.0);
      for (Index m = 0; m < M; ++m) sum += simd::exp<L>(get(s * M + m) - mx);
      for (Index i = 0; i < lanes; ++i) e[(t + i) * N + s] = sum[i];
    }
  }
  // The same exp on the same values as the loop above (0 + exp(gap) is exp(gap)), on whole
  // vectors of e instead of each lane stored apart (faster in wasm: docs/performance.md).
  if (M == 1) simd::expInPlace<L>(e, T * N);
  return true;
}

}  // namespace gmmhmm::detail::kernels
