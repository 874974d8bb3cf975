#include "gmmhmm/features/real_fft.hpp"

#include <cmath>
#include <stdexcept>
#include <unsupported/Eigen/FFT>

namespace gmmhmm::features {

template <typename Real>
struct BasicRealFft<Real>::Generic {
  Eigen::FFT<Real> fft;
  std::vector<Real> input;
  std::vector<std::complex<Real>> output;
};

namespace {
constexpr double kPi = 3.14159265358979323846;
bool isPowerOfTwo(int n) { return n > 0 && (n & (n - 1)) == 0; }
}  // namespace

template <typename Real>
BasicRealFft<Real>::BasicRealFft(int size) : size_(size) {
  if (size < 2) throw std::logic_error("RealFft: size must be at least 2");
  powerOfTwo_ = isPowerOfTwo(size) && size >= 4;
  if (!powerOfTwo_) {
    generic_ = std::make_unique<Generic>();
    generic_->fft.SetFlag(Eigen::FFT<Real>::HalfSpectrum);
    generic_->input.resize(size);
    generic_->output.resize(size);
    return;
  }
  half_ = size / 2;
  int bits = 0;
  while ((1 << bits) < half_) ++bits;
  bitReverse_.resize(half_);
  for (int i = 0; i < half_; ++i) {
    int r = 0;
    for (int b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitReverse_[i] = r;
  }
  // Twiddles are computed in double and rounded once, so a float transform carries no
  // accumulated error from a recurrence.
  twiddleRe_.assign(std::max(half_, 1), Real(0));
  twiddleIm_.assign(std::max(half_, 1), Real(0));
  for (int h = 1; h < half_; h *= 2) {
    for (int j = 0; j < h; ++j) {
      const double angle = -kPi * j / h;
      twiddleRe_[h + j] = static_cast<Real>(std::cos(angle));
      twiddleIm_[h + j] = static_cast<Real>(std::sin(angle));
    }
  }
  splitRe_.resize(half_ + 1);
  splitIm_.resize(half_ + 1);
  for (int k = 0; k <= half_; ++k) {
    const double angle = -2.0 * kPi * k / size;
    splitRe_[k] = static_cast<Real>(std::cos(angle));
    splitIm_[k] = static_cast<Real>(std::sin(angle));
  }
  re_.resize(half_);
  im_.resize(half_);
}

template <typename Real>
BasicRealFft<Real>::~BasicRealFft() = default;
template <typename Real>
BasicRealFft<Real>::BasicRealFft(BasicRealFft&&) noexcept = default;
template <typename Real>
BasicRealFft<Real>& BasicRealFft<Real>::operator=(BasicRealFft&&) noexcept = default;

template <typename Real>
void BasicRealFft<Real>::packBitReversed(const Real* input) {
  // z[n] = x[2n] + i x[2n+1], stored in bit-reversed order for the in-place transform.
  const int* rev = bitReverse_.data();
  Real* re = re_.data();
  Real* im = im_.data();
  // Bit reversal is its own inverse, so gather: sequential stores, indexed loads (3x
  // faster in wasm than scattering the stores).
  for (int k = 0; k < half_; ++k) {
    const Real* pair = input + 2 * rev[k];
    re[k] = pair[0];
    im[k] = pair[1];
  }
}

template <typename Real>
void BasicRealFft<Real>::complexTransform() {
  Real* __restrict re = re_.data();
  Real* __restrict im = im_.data();
  const int m = half_;
  // Spans 1 and 2 fused into one radix-4 pass: twiddles are 1 and -i, no multiplications.
  if (m >= 4) {
    for (int s = 0; s < m; s += 4) {
      const Real a0r = re[s] + re[s + 1], a0i = im[s] + im[s + 1];
      const Real a1r = re[s] - re[s + 1], a1i = im[s] - im[s + 1];
      const Real b0r = re[s + 2] + re[s + 3], b0i = im[s + 2] + im[s + 3];
      const Real b1r = re[s + 2] - re[s + 3], b1i = im[s + 2] - im[s + 3];
      re[s] = a0r + b0r;
      im[s] = a0i + b0i;
      re[s + 2] = a0r - b0r;
      im[s + 2] = a0i - b0i;
      // (b1) * (-i) = b1i - i b1r
      re[s + 1] = a1r + b1i;
      im[s + 1] = a1i - b1r;
      re[s + 3] = a1r - b1i;
      im[s + 3] = a1i + b1r;
    }
  } else if (m == 2) {
    const Real r0 = re[0], i0 = im[0];
    re[0] = r0 + re[1];
    im[0] = i0 + im[1];
    re[1] = r0 - re[1];
    im[1] = i0 - im[1];
  }
  const Real* __restrict twr = twiddleRe_.data();
  const Real* __restrict twi = twiddleIm_.data();
  int h = 4;
  // Two radix-2 stages (spans h and 2h) per pass over the data: half the loads and stores.
  for (; 4 * h <= m; h *= 4) {
    const Real* w1r = twr + h;
    const Real* w1i = twi + h;
    const Real* w2r = twr + 2 * h;
    const Real* w2i = twi + 2 * h;
    for (int s = 0; s < m; s += 4 * h) {
      Real* __restrict r0 = re + s;
      Real* __restrict i0 = im + s;
      Real* __restrict r1 = r0 + h;
      Real* __restrict i1 = i0 + h;
      Real* __restrict r2 = r0 + 2 * h;
      Real* __restrict i2 = i0 + 2 * h;
      Real* __restrict r3 = r0 + 3 * h;
      Real* __restrict i3 = i0 + 3 * h;
      for (int j = 0; j < h; ++j) {
        // Span h: (x0, x1) and (x2, x3) with w1 = exp(-i pi j / h).
        const Real t1r = r1[j] * w1r[j] - i1[j] * w1i[j], t1i = r1[j] * w1i[j] + i1[j] * w1r[j];
        const Real t3r = r3[j] * w1r[j] - i3[j] * w1i[j], t3i = r3[j] * w1i[j] + i3[j] * w1r[j];
        const Real b0r = r0[j] + t1r, b0i = i0[j] + t1i, b1r = r0[j] - t1r, b1i = i0[j] - t1i;
        const Real b2r = r2[j] + t3r, b2i = i2[j] + t3i, b3r = r2[j] - t3r, b3i = i2[j] - t3i;
        // Span 2h: (b0, b2) with w2 = exp(-i pi j / 2h), (b1, b3) with -i w2.
        const Real u2r = b2r * w2r[j] - b2i * w2i[j], u2i = b2r * w2i[j] + b2i * w2r[j];
        const Real v3r = b3r * w2r[j] - b3i * w2i[j], v3i = b3r * w2i[j] + b3i * w2r[j];
        // -i (v3r + i v3i) = v3i - i v3r
        r0[j] = b0r + u2r;
        i0[j] = b0i + u2i;
        r2[j] = b0r - u2r;
        i2[j] = b0i - u2i;
        r1[j] = b1r + v3i;
        i1[j] = b1i - v3r;
        r3[j] = b1r - v3i;
        i3[j] = b1i + v3r;
      }
    }
  }
  for (; h < m; h *= 2) {
    const Real* wr = twr + h;
    const Real* wi = twi + h;
    for (int s = 0; s < m; s += 2 * h) {
      Real* __restrict ar = re + s;
      Real* __restrict ai = im + s;
      Real* __restrict br = re + s + h;
      Real* __restrict bi = im + s + h;
      for (int j = 0; j < h; ++j) {
        const Real xr = br[j] * wr[j] - bi[j] * wi[j];
        const Real xi = br[j] * wi[j] + bi[j] * wr[j];
        br[j] = ar[j] - xr;
        bi[j] = ai[j] - xi;
        ar[j] += xr;
        ai[j] += xi;
      }
    }
  }
}

template <typename Real>
void BasicRealFft<Real>::forward(const Real* input, std::complex<Real>* spectrum) {
  if (!powerOfTwo_) {
    std::copy(input, input + size_, generic_->input.begin());
    generic_->fft.fwd(generic_->output.data(), generic_->input.data(), size_);
    std::copy(generic_->output.begin(), generic_->output.begin() + numBins(), spectrum);
    return;
  }
  packBitReversed(input);
  complexTransform();
  const int m = half_;
  const Real* re = re_.data();
  const Real* im = im_.data();
  spectrum[0] = {re[0] + im[0], Real(0)};
  spectrum[m] = {re[0] - im[0], Real(0)};
  // Split the transform of the packed sequence into the transforms of the even and odd
  // samples: E_k = (Z_k + conj Z_{m-k}) / 2, O_k = (Z_k - conj Z_{m-k}) / (2i),
  // X_k = E_k + W^k O_k with W = exp(-2 pi i / N).
  for (int k = 1; k < m; ++k) {
    const Real zr = re[k], zi = im[k], cr = re[m - k], ci = -im[m - k];
    const Real er = Real(0.5) * (zr + cr), ei = Real(0.5) * (zi + ci);
    const Real dr = zr - cr, di = zi - ci;  // O_k = (dr + i di) / (2i) = (di - i dr) / 2
    const Real orr = Real(0.5) * di, oi = -Real(0.5) * dr;
    const Real wr = splitRe_[k], wi = splitIm_[k];
    spectrum[k] = {er + wr * orr - wi * oi, ei + wr * oi + wi * orr};
  }
}

template <typename Real>
void BasicRealFft<Real>::powerSpectrum(const Real* input, Real* power) {
  if (!powerOfTwo_) {
    std::copy(input, input + size_, generic_->input.begin());
    generic_->fft.fwd(generic_->output.data(), generic_->input.data(), size_);
    for (int k = 0; k < numBins(); ++k) power[k] = std::norm(generic_->output[k]);
    return;
  }
  packBitReversed(input);
  complexTransform();
  const int m = half_;
  const Real* __restrict re = re_.data();
  const Real* __restrict im = im_.data();
  const Real* __restrict swr = splitRe_.data();
  const Real* __restrict swi = splitIm_.data();
  const Real x0 = re[0] + im[0], xm = re[0] - im[0];
  power[0] = x0 * x0;
  power[m] = xm * xm;
  for (int k = 1; k < m; ++k) {
    const Real zr = re[k], zi = im[k], cr = re[m - k], ci = -im[m - k];
    const Real er = Real(0.5) * (zr + cr), ei = Real(0.5) * (zi + ci);
    const Real orr = Real(0.5) * (zi - ci), oi = Real(-0.5) * (zr - cr);
    const Real xr = er + swr[k] * orr - swi[k] * oi;
    const Real xi = ei + swr[k] * oi + swi[k] * orr;
    power[k] = xr * xr + xi * xi;
  }
}

template class BasicRealFft<float>;
template class BasicRealFft<double>;

}  // namespace gmmhmm::features
