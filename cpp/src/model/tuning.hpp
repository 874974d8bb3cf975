#pragma once
// Switches of the E-step's speed levers, for benchmarks and tests only (bench/em.bench.js,
// bench/bench_em.cpp measure each lever by turning it the other way in the same run). Every
// default is the build's fast path; the alternatives are kept as references.
// Not thread-safe to change while a fit runs.

#ifndef GMMHMM_KEEP_FLOAT64_FIT_TILES
#define GMMHMM_KEEP_FLOAT64_FIT_TILES 1
#endif

namespace gmmhmm::detail {

struct Tuning {
  // The mixture log-sum-exp and the forward-backward's scaling with our vectorised exp/log
  // (vector_math.hpp); false: Eigen's exp/log.
  bool ownExp = true;
  // With ownExp and several components per state, the training E-step's scaled emissions
  // computed with the responsibilities (kernels::mixtureScaledEmissions: one exp per state and
  // frame); false: state log-likelihoods first, then scaled by the forward-backward (a log and
  // an exp per state and frame).
  bool fuseScaling = true;
  // [x, x²] tiles of a fit built once and kept (when they fit in kTileCacheBytes); false:
  // rebuilt for each group in every iteration (once for both of the group's products).
  bool cacheTiles = true;
  // With cacheTiles, whether float64 tiles are kept too. Which is faster depends on the
  // target, so the build chooses (GMMHMM_KEEP_FLOAT64_FIT_TILES): kept in WebAssembly; rebuilt
  // natively, where reading them back from memory costs more than building them in the cache
  // (float32 tiles, half the bytes, are still faster kept; docs/performance.md). The same
  // numbers either way.
  bool keepFloat64Tiles = GMMHMM_KEEP_FLOAT64_FIT_TILES;
};

Tuning& tuning();

}  // namespace gmmhmm::detail
