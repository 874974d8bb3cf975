// The real FFT against a naive O(N^2) DFT in long double.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <random>
#include <vector>

#include "gmmhmm/features/real_fft.hpp"

using gmmhmm::features::BasicRealFft;

namespace {

std::vector<std::complex<long double>> naiveDft(const std::vector<long double>& x) {
  const std::size_t n = x.size();
  std::vector<std::complex<long double>> out(n / 2 + 1);
  const long double pi = 3.141592653589793238462643383279502884L;
  for (std::size_t k = 0; k <= n / 2; ++k) {
    std::complex<long double> sum = 0;
    for (std::size_t t = 0; t < n; ++t) {
      const long double angle = -2 * pi * static_cast<long double>((k * t) % n) / n;
      sum += x[t] * std::complex<long double>(std::cos(angle), std::sin(angle));
    }
    out[k] = sum;
  }
  return out;
}

template <typename Real>
void checkAgainstDft(int n, double tolerance) {
  std::mt19937 rng(n);
  std::normal_distribution<double> gauss(0.0, 1000.0);
  std::vector<Real> x(n);
  std::vector<long double> xl(n);
  for (int i = 0; i < n; ++i) {
    x[i] = static_cast<Real>(gauss(rng));
    xl[i] = x[i];
  }
  const auto reference = naiveDft(xl);
  long double scale = 0;
  for (const auto& c : reference) scale = std::max(scale, std::abs(c));

  BasicRealFft<Real> fft(n);
  ASSERT_EQ(fft.numBins(), n / 2 + 1);
  std::vector<std::complex<Real>> spectrum(n / 2 + 1);
  std::vector<Real> power(n / 2 + 1);
  // Twice, so the scratch state of the first call cannot leak into the second.
  for (int repeat = 0; repeat < 2; ++repeat) {
    fft.forward(x.data(), spectrum.data());
    fft.powerSpectrum(x.data(), power.data());
    for (int k = 0; k <= n / 2; ++k) {
      const std::complex<long double> got(spectrum[k].real(), spectrum[k].imag());
      EXPECT_LE(static_cast<double>(std::abs(got - reference[k]) / scale), tolerance)
          << "n=" << n << " bin " << k;
      const long double refPower = std::norm(reference[k]);
      EXPECT_LE(static_cast<double>(std::abs(power[k] - refPower) / (scale * scale)), 2 * tolerance)
          << "power, n=" << n << " bin " << k;
    }
  }
}

}  // namespace

TEST(RealFft, PowerOfTwoFloatMatchesNaiveDft) {
  for (int n : {4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}) checkAgainstDft<float>(n, 1e-6);
}

TEST(RealFft, PowerOfTwoDoubleMatchesNaiveDft) {
  for (int n : {4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}) checkAgainstDft<double>(n, 1e-13);
}

TEST(RealFft, OtherLengthsMatchNaiveDft) {
  // Kaldi's roundToPowerOfTwo = false: frame lengths such as 200, 400, 1102 (44.1 kHz).
  for (int n : {2, 3, 5, 6, 12, 200, 400, 441, 1102}) {
    checkAgainstDft<double>(n, 1e-12);
    checkAgainstDft<float>(n, 2e-6);
  }
}

TEST(RealFft, ImpulseAndConstant) {
  BasicRealFft<double> fft(16);
  std::vector<double> x(16, 0.0), power(9);
  x[0] = 1;  // impulse: flat spectrum
  fft.powerSpectrum(x.data(), power.data());
  for (double p : power) EXPECT_NEAR(p, 1.0, 1e-15);
  std::fill(x.begin(), x.end(), 2.0);  // constant: all energy at DC
  fft.powerSpectrum(x.data(), power.data());
  EXPECT_NEAR(power[0], 32.0 * 32.0, 1e-9);
  for (int k = 1; k < 9; ++k) EXPECT_NEAR(power[k], 0.0, 1e-20);
}

TEST(RealFft, LargerSizesWithUniformInputMatchNaiveDft) {
  // The vectorised paths: 16 is the smallest size whose first pass pairs groups (8 complex
  // points), 4096 ends with a radix-2 pass (2048 = 2 * 4^5), 8192 has radix-4 passes only.
  for (int n : {16, 4096, 8192}) checkAgainstDft<double>(n, 1e-12);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  for (int n : {32, 128, 512, 2048}) {
    std::vector<double> x(n);
    std::vector<long double> xl(n);
    for (int i = 0; i < n; ++i) xl[i] = x[i] = uniform(rng);
    const auto reference = naiveDft(xl);
    long double scale = 0;
    for (const auto& c : reference) scale = std::max(scale, std::abs(c));
    BasicRealFft<double> fft(n);
    std::vector<double> power(n / 2 + 1);
    fft.powerSpectrum(x.data(), power.data());
    for (int k = 0; k <= n / 2; ++k)
      EXPECT_LE(static_cast<double>(std::abs(power[k] - std::norm(reference[k])) / (scale * scale)), 1e-12)
          << "n=" << n << " bin " << k;
  }
}

TEST(RealFft, UnalignedBuffersAndEarlierCallsDoNotChangeTheResult) {
  // The vector loads and stores are unaligned ones: input and output one double off a
  // 16-byte boundary give the same bits, and so does an object that transformed other
  // data before (the scratch state is fully overwritten).
  for (int n : {8, 64, 512, 1024}) {
    std::mt19937 rng(n + 1);
    std::normal_distribution<double> gauss(0.0, 1.0);
    std::vector<double> storage(n + 1), other(n);
    for (double& v : storage) v = gauss(rng);
    for (double& v : other) v = gauss(rng);
    const std::vector<double> x(storage.begin(), storage.begin() + n);
    BasicRealFft<double> fresh(n), used(n);
    std::vector<double> expected(n / 2 + 1), powerStorage(n / 2 + 2);
    fresh.powerSpectrum(x.data(), expected.data());
    used.powerSpectrum(other.data(), powerStorage.data());
    std::copy(x.begin(), x.end(), storage.begin() + 1);  // the input one double further on
    used.powerSpectrum(storage.data() + 1, powerStorage.data() + 1);
    for (int k = 0; k <= n / 2; ++k) EXPECT_EQ(powerStorage[k + 1], expected[k]) << "n=" << n << " bin " << k;
    std::vector<std::complex<double>> a(n / 2 + 1), b(n / 2 + 1);
    fresh.forward(x.data(), a.data());
    used.forward(other.data(), b.data());
    used.forward(storage.data() + 1, b.data());
    for (int k = 0; k <= n / 2; ++k) EXPECT_EQ(a[k], b[k]) << "n=" << n << " bin " << k;
  }
}
