#pragma once
// Feature frames for tests: rows x cols standard normal numbers (x spread), from a seed.
#include <cstdint>
#include <random>

#include "gmmhmm/features/feature_matrix.hpp"

inline gmmhmm::features::RowMatrix randomFrames(int rows, int cols, std::uint64_t seed, double spread = 1.0) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> gauss(0.0, spread);
  gmmhmm::features::RowMatrix x(rows, cols);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = gauss(rng);
  return x;
}
