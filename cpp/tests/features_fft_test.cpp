// The real FFT against a naive O(N^2) DFT in long double.
#include <gtest/gtest.h>

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
