// The vectorised exp and log of the E-step (cpp/src/model/vector_math.hpp) against libm, in
// ulps, over their whole range: random arguments over every binade, the subnormal and
// overflow edges, and the special values. Both the 2-lane (WebAssembly SIMD, SSE2) and the
// 4-lane (AVX2) forms are checked: the code is the same, the compiler's lowering is not.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "../src/model/vector_math.hpp"

namespace gmmhmm::detail::simd {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMinSubnormal = std::numeric_limits<double>::denorm_min();

// Distance in units in the last place (subnormal ulps count as ulps); a huge number when the
// two differ in kind (NaN, infinity, sign).
std::int64_t ulpsBetween(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : INT64_MAX;
  if (a == b) return 0;
  if (std::isinf(a) || std::isinf(b) || std::signbit(a) != std::signbit(b)) return INT64_MAX;
  std::int64_t ia = 0, ib = 0;
  std::memcpy(&ia, &a, sizeof a);
  std::memcpy(&ib, &b, sizeof b);
  return ia > ib ? ia - ib : ib - ia;
}

template <class L, class Fn>
std::vector<double> apply(Fn fn, const std::vector<double>& xs) {
  using F = typename L::F64;
  std::vector<double> out(xs.size());
  for (size_t i = 0; i < xs.size(); i += L::kCount) {
    double lanes[L::kCount] = {};
    for (int j = 0; j < L::kCount && i + j < xs.size(); ++j) lanes[j] = xs[i + j];
    double result[L::kCount];
    store(result, fn(load<F>(lanes)));
    for (int j = 0; j < L::kCount && i + j < xs.size(); ++j) out[i + j] = result[j];
  }
  return out;
}

struct Worst {
  std::int64_t ulps = 0;
  double at = 0;
};

template <class L>
Worst worstExp(const std::vector<double>& xs) {
  const std::vector<double> got = apply<L>([](typename L::F64 v) { return exp<L>(v); }, xs);
  Worst w;
  for (size_t i = 0; i < xs.size(); ++i) {
    const std::int64_t d = ulpsBetween(got[i], std::exp(xs[i]));
    if (d > w.ulps) w = {d, xs[i]};
  }
  return w;
}

template <class L>
Worst worstLog(const std::vector<double>& xs) {
  const std::vector<double> got = apply<L>([](typename L::F64 v) { return log<L>(v); }, xs);
  Worst w;
  for (size_t i = 0; i < xs.size(); ++i) {
    const std::int64_t d = ulpsBetween(got[i], std::log(xs[i]));
    if (d > w.ulps) w = {d, xs[i]};
  }
  return w;
}

std::vector<double> uniform(double lo, double hi, int n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  std::vector<double> xs(n);
  for (double& x : xs) x = u(rng);
  return xs;
}

// Positive numbers spread over every binade from the smallest subnormal to the largest double.
std::vector<double> everyBinade(int n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> exponent(-1074.0, 1024.0), mantissa(1.0, 2.0);
  std::vector<double> xs(n);
  for (double& x : xs) x = std::min(std::ldexp(mantissa(rng), static_cast<int>(std::floor(exponent(rng))) - 1),
                                    std::numeric_limits<double>::max());
  return xs;
}

// Arguments whose exp is subnormal, overflows, or sits at either edge.
std::vector<double> expEdges() {
  std::vector<double> xs = {0.0, -0.0, kInf, -kInf, kNaN, kMinSubnormal, -kMinSubnormal, 1e-300, -1e-300,
                            709.782712893384, std::nextafter(709.782712893384, kInf), 709.78, 710.0, 711.0, 1e300,
                            -708.3964185322641, -708.4, -745.1332191019411, -745.1332191019412, -745.2, -746.0,
                            -750.0, -1e300, std::numeric_limits<double>::lowest(), std::numeric_limits<double>::max()};
  for (double x = -745.2; x < -707.0; x += 0.0137) xs.push_back(x);  // subnormal results
  for (double x = 709.0; x < 710.0; x += 0.00731) xs.push_back(x);  // up to overflow
  return xs;
}

std::vector<double> logEdges() {
  return {0.0, -0.0, -1.0, -kInf, kInf, kNaN, kMinSubnormal, 2 * kMinSubnormal, 1e-310,
          std::numeric_limits<double>::min(), std::nextafter(std::numeric_limits<double>::min(), 0.0),
          std::numeric_limits<double>::max(), 1.0, std::nextafter(1.0, 2.0), std::nextafter(1.0, 0.0),
          1.0 + 1e-10, 1.0 - 1e-10, 0.7071067811865476, 1.4142135623730951, 2.0, 0.5, M_E};
}

template <class L>
void checkExp() {
  // Accuracy: within 1 ulp of glibc's exp (itself correctly rounded in almost every case).
  for (const auto& [lo, hi] : {std::pair{-750.0, 712.0}, {-746.0, -707.0}, {-1.0, 1.0}, {-1e-6, 1e-6}}) {
    const Worst w = worstExp<L>(uniform(lo, hi, 400000, 7));
    EXPECT_LE(w.ulps, 1) << "exp on [" << lo << ", " << hi << "], worst at " << w.at;
  }
  const Worst edges = worstExp<L>(expEdges());
  EXPECT_LE(edges.ulps, 1) << "exp at the edges, worst at " << edges.at;
  // Kinds, exactly.
  const std::vector<double> got = apply<L>([](typename L::F64 v) { return exp<L>(v); },
                                           {-kInf, kInf, kNaN, 0.0, -746.0, 710.0, -740.0});
  EXPECT_EQ(got[0], 0.0);
  EXPECT_EQ(got[1], kInf);
  EXPECT_TRUE(std::isnan(got[2]));
  EXPECT_EQ(got[3], 1.0);
  EXPECT_EQ(got[4], 0.0);  // underflows to zero
  EXPECT_EQ(got[5], kInf);  // overflows
  EXPECT_GT(got[6], 0.0);  // subnormal, not flushed
  EXPECT_LT(got[6], std::numeric_limits<double>::min());
}

template <class L>
void checkLog() {
  for (const auto& [lo, hi] : {std::pair{0.5, 2.0}, {0.999, 1.001}, {1.0, 32.0}}) {
    const Worst w = worstLog<L>(uniform(lo, hi, 400000, 9));
    EXPECT_LE(w.ulps, 1) << "log on [" << lo << ", " << hi << "], worst at " << w.at;
  }
  const Worst all = worstLog<L>(everyBinade(400000, 11));
  EXPECT_LE(all.ulps, 1) << "log over every binade, worst at " << all.at;
  const Worst edges = worstLog<L>(logEdges());
  EXPECT_LE(edges.ulps, 1) << "log at the edges, worst at " << edges.at;
  const std::vector<double> got =
      apply<L>([](typename L::F64 v) { return log<L>(v); }, {0.0, -0.0, -1.0, kInf, kNaN, -kInf, 1.0});
  EXPECT_EQ(got[0], -kInf);
  EXPECT_EQ(got[1], -kInf);
  EXPECT_TRUE(std::isnan(got[2]));
  EXPECT_EQ(got[3], kInf);
  EXPECT_TRUE(std::isnan(got[4]));
  EXPECT_TRUE(std::isnan(got[5]));
  EXPECT_EQ(got[6], 0.0);
}

TEST(VectorMath, ExpTwoLanesWithinOneUlpOfLibm) { checkExp<Lanes<2>>(); }
TEST(VectorMath, ExpFourLanesWithinOneUlpOfLibm) { checkExp<Lanes<4>>(); }
TEST(VectorMath, LogTwoLanesWithinOneUlpOfLibm) { checkLog<Lanes<2>>(); }
TEST(VectorMath, LogFourLanesWithinOneUlpOfLibm) { checkLog<Lanes<4>>(); }

TEST(VectorMath, ExpInPlaceGivesEveryElementTheSameValueWhereverItSits) {
  // The tail of an array goes through a padded vector: same value as inside the body.
  for (int n = 0; n <= 9; ++n) {
    std::vector<double> v(n);
    for (int i = 0; i < n; ++i) v[i] = -3.7 + 1.3 * i;
    std::vector<double> expected = apply<Native>([](Native::F64 x) { return exp<Native>(x); }, v);
    expInPlace(v.data(), n);
    for (int i = 0; i < n; ++i) EXPECT_EQ(v[i], expected[i]) << "n=" << n << " i=" << i;
  }
}

TEST(VectorMath, LogInPlaceGivesEveryElementTheSameValueWhereverItSits) {
  // As expInPlace (the padded tail must not change a value; the padding is never stored), and
  // within an ulp of std::log over the dense forward-backward's scales (1e-200 .. 1e4).
  for (int n = 0; n <= 9; ++n) {
    std::vector<double> v(n);
    for (int i = 0; i < n; ++i) v[i] = std::pow(10.0, -200.0 + 25.0 * i) * 1.37;
    const std::vector<double> original = v;
    std::vector<double> expected = apply<Native>([](Native::F64 x) { return log<Native>(x); }, v);
    logInPlace(v.data(), n);
    for (int i = 0; i < n; ++i) {
      EXPECT_EQ(v[i], expected[i]) << "n=" << n << " i=" << i;
      EXPECT_NEAR(v[i], std::log(original[i]), 2 * std::abs(std::log(original[i])) * 1.2e-16) << "n=" << n << " i=" << i;
    }
  }
}

}  // namespace
}  // namespace gmmhmm::detail::simd
