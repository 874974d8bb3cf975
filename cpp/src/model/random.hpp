#pragma once
// A small seeded generator (xoshiro256** seeded by splitmix64) so that initialisation and
// sampling are bit-reproducible across platforms and standard libraries (std::
// distributions are not).

#include <cmath>
#include <cstdint>

namespace gmmhmm::detail {

class Random {
 public:
  explicit Random(std::uint64_t seed) {
    std::uint64_t x = seed;
    for (auto& s : state_) s = splitmix(x);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Uniform integer in [0, n).
  std::uint64_t below(std::uint64_t n) { return static_cast<std::uint64_t>(uniform() * static_cast<double>(n)) % n; }

  // Standard normal (Marsaglia polar method).
  double normal() {
    if (hasSpare_) {
      hasSpare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * f;
    hasSpare_ = true;
    return u * f;
  }

  // Gamma(shape, scale), shape > 0 (Marsaglia and Tsang; shape < 1 through shape + 1 and
  // U^(1/shape)): PoissonHMM's initial rates, as hmmlearn draws them.
  double gamma(double shape, double scale) {
    if (shape < 1.0) {
      const double u = uniform();
      return gamma(shape + 1.0, scale) * std::pow(u > 0 ? u : 0x1.0p-53, 1.0 / shape);
    }
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
      double x, v;
      do {
        x = normal();
        v = 1.0 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const double u = uniform();
      if (u < 1.0 - 0.0331 * x * x * x * x) return d * v * scale;
      if (u > 0 && std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v * scale;
    }
  }

  // Poisson(lambda), lambda >= 0: Knuth's product of uniforms below 10, Hörmann's transformed
  // rejection (PTRS, as numpy) above, so that the cost stays bounded for large rates.
  double poisson(double lambda) {
    if (!(lambda > 0)) return 0;
    if (lambda < 10) {
      const double limit = std::exp(-lambda);
      double k = 0, p = uniform();
      while (p > limit) {
        p *= uniform();
        ++k;
      }
      return k;
    }
    const double slam = std::sqrt(lambda), loglam = std::log(lambda);
    const double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
    const double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const double U = uniform() - 0.5, V = uniform(), us = 0.5 - std::abs(U);
      const double k = std::floor((2 * a / us + b) * U + lambda + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (std::log(V) + std::log(invalpha) - std::log(a / (us * us) + b) <= -lambda + k * loglam - std::lgamma(k + 1))
        return k;
    }
  }

  // Index drawn from unnormalised non-negative weights.
  int categorical(const double* weights, int n) {
    double total = 0;
    for (int i = 0; i < n; ++i) total += weights[i];
    double u = uniform() * total;
    for (int i = 0; i < n; ++i) {
      if (u < weights[i]) return i;
      u -= weights[i];
    }
    for (int i = n - 1; i >= 0; --i)
      if (weights[i] > 0) return i;
    return 0;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t state_[4];
  bool hasSpare_ = false;
  double spare_ = 0;
};

}  // namespace gmmhmm::detail
