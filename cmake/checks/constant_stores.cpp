// Configure-time probe (cmake/native-isa.cmake), compiled with the native build's flags:
// exits 0 when the compiler stores a non-uniform constant vector correctly. GCC 12.2 with an
// Intel AVX-512 tuning (-march=native on Ice Lake / Rocket Lake / Sapphire Rapids Xeons,
// -mtune=icelake-server, even with -march=x86-64-v3 or -mno-avx512f) stores {0.5, 0.5, 0, 0}
// as one broadcast of 0.5, so this vector sums to 2. cpp/tests/compiler_sanity_test.cpp
// checks the same pattern, and more of its shapes, in the test suite.
#include <vector>

__attribute__((noinline)) double sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

// Each case in a function of its own: GCC materialises a lone constant vector the way it
// broke, but a main() holding several copies them from a stack array instead.
__attribute__((noinline)) bool halves() { return sum({0.5, 0.5, 0.0, 0.0}) == 1.0; }
__attribute__((noinline)) bool quarters() { return sum({0.25, 0.25, 0.25, 0.25, 0.0, 0.0, 0.0, 0.0}) == 1.0; }
__attribute__((noinline)) bool first() { return sum({1.0, 0.0, 0.0, 0.0}) == 1.0; }

int main() {
  if (!halves()) return 1;
  if (!quarters()) return 2;
  if (!first()) return 3;
  return 0;
}
