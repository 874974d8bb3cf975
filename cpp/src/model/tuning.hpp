#pragma once
// Switches of the E-step's speed levers, for benchmarks only (bench/em.bench.js,
// bench/bench_em.cpp measure each lever by turning it off in the same run). Every default
// is the fast path; the alternatives are the previous implementations, kept as references.
// Not thread-safe to change while a fit runs.

namespace gmmhmm::detail {

struct Tuning {
  // The mixture log-sum-exp and the forward-backward's scaling with our vectorised exp/log
  // (vector_math.hpp); false: Eigen's exp/log.
  bool ownExp = true;
  // [x, x²] tiles of a fit built once and kept (when they fit in kTileCacheBytes); false:
  // rebuilt for each group in every iteration (once for both of the group's products).
  bool cacheTiles = true;
};

Tuning& tuning();

}  // namespace gmmhmm::detail
