// The code generator itself: GCC 12.2 with an Intel AVX-512 tuning (-march=native on Ice Lake,
// Rocket Lake and Sapphire Rapids Xeons) stored the constant vector {0.5, 0.5, 0, 0} as a
// broadcast of 0.5, so a model given that startprob was refused ("startprob sums to 2") and
// any such constant came out wrong silently. cmake/native-isa.cmake builds for a portable
// level with generic tuning and refuses a compiler that fails cmake/checks/constant_stores.cpp;
// these tests keep the same pattern, in more shapes, in the suite that every build runs.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "gmmhmm/model/gmm_hmm.hpp"

namespace {

// Out of line, so that the compiler must materialise the constant in memory.
__attribute__((noinline)) double sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

// The same values written one at a time through a volatile (no constant to merge).
std::vector<double> oneByOne(std::initializer_list<double> values) {
  std::vector<double> out;
  for (double v : values) {
    volatile double copy = v;
    out.push_back(static_cast<double>(copy));
  }
  return out;
}

// One constant per function: GCC materialises a lone constant vector the way it broke, but
// copies several from a stack array when they share a function.
__attribute__((noinline)) double halves() { return sum({0.5, 0.5, 0.0, 0.0}); }
__attribute__((noinline)) double halvesLast() { return sum({0.0, 0.0, 0.5, 0.5}); }
__attribute__((noinline)) double firstOnly() { return sum({1.0, 0.0, 0.0, 0.0}); }
__attribute__((noinline)) double quarters() { return sum({0.25, 0.25, 0.25, 0.25, 0.0, 0.0, 0.0, 0.0}); }
__attribute__((noinline)) double six() { return sum({0.5, 0.5, 0.0, 0.0, 0.0, 0.0}); }
__attribute__((noinline)) double rows() { return sum({0.6, 0.4, 0.0, 0.0, 0.0, 0.5, 0.5, 0.0}); }
__attribute__((noinline)) std::vector<double> literal() { return {0.5, 0.5, 0.0, 0.0, 0.2, 0.2, 0.2, 0.2}; }
__attribute__((noinline)) std::array<double, 4> array() { return {0.5, 0.5, 0.0, 0.0}; }

TEST(CompilerSanity, NonUniformConstantVectorsAreStoredAsWritten) {
  EXPECT_EQ(halves(), 1.0);
  EXPECT_EQ(halvesLast(), 1.0);
  EXPECT_EQ(firstOnly(), 1.0);
  EXPECT_EQ(quarters(), 1.0);
  EXPECT_EQ(six(), 1.0);
  EXPECT_EQ(rows(), 2.0);
  EXPECT_EQ(literal(), oneByOne({0.5, 0.5, 0.0, 0.0, 0.2, 0.2, 0.2, 0.2}));
  const std::array<double, 4> a = array();
  EXPECT_EQ(std::vector<double>(a.begin(), a.end()), oneByOne({0.5, 0.5, 0.0, 0.0}));
}

TEST(CompilerSanity, ProbabilityVectorsWithStructuralZerosAreAccepted) {
  gmmhmm::ModelConfig config;
  config.nStates = 4;
  config.nMix = 1;
  config.nFeatures = 2;
  gmmhmm::GmmHmm model(config);
  model.setStartprob({0.5, 0.5, 0.0, 0.0});
  EXPECT_EQ(model.startprob(), oneByOne({0.5, 0.5, 0.0, 0.0}));
  model.setTransmat({0.6, 0.4, 0.0, 0.0, 0.0, 0.5, 0.5, 0.0, 0.0, 0.0, 0.7, 0.3, 0.2, 0.0, 0.0, 0.8});
  EXPECT_EQ(model.transmat(), oneByOne({0.6, 0.4, 0.0, 0.0, 0.0, 0.5, 0.5, 0.0, 0.0, 0.0, 0.7, 0.3, 0.2, 0.0, 0.0, 0.8}));
}

}  // namespace
