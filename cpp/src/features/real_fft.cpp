#include "gmmhmm/features/real_fft.hpp"

#include <cmath>
#include <stdexcept>
#include <unsupported/Eigen/FFT>

#include "lanes.hpp"

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
void BasicRealFft<Real>::firstPassFromInput(const Real* input) {
  // The gather of packBitReversed and the radix-4 pass of spans 1 and 2 (twiddles 1 and -i)
  // in one go, two output groups at a time as the two lanes of a pair: groups s and s + m/2
  // (s = 0, 4, ... < m/2). Group s reads z[rev(s + t)], t = 0..3: rev(s + 1) = rev(s) + m/2,
  // rev(s + 2) = rev(s) + m/4, rev(s + 3) = rev(s) + 3m/4, and group s + m/2 reads the
  // complex sample just after each of those (rev(s + m/2) = rev(s) + 1, rev(s) being even).
  // So each input is one contiguous load of 4 reals, de-interleaved into re and im lanes.
  // The arithmetic is the scalar pass's, in the same order.
  using L = detail::Lanes<Real>;
  using Pair = typename L::Pair;
  const int* rev = bitReverse_.data();
  Real* __restrict re = re_.data();
  Real* __restrict im = im_.data();
  const int m = half_, halfM = m / 2, q = m / 4;
  for (int s = 0; s < halfM; s += 4) {
    const Real* z = input + 2 * rev[s];
    Pair x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i;
    L::loadComplexPair(z, x0r, x0i);
    L::loadComplexPair(z + 2 * (2 * q), x1r, x1i);
    L::loadComplexPair(z + 2 * q, x2r, x2i);
    L::loadComplexPair(z + 2 * (3 * q), x3r, x3i);
    const Pair a0r = x0r + x1r, a0i = x0i + x1i;
    const Pair a1r = x0r - x1r, a1i = x0i - x1i;
    const Pair b0r = x2r + x3r, b0i = x2i + x3i;
    const Pair b1r = x2r - x3r, b1i = x2i - x3i;
    L::storeApart(re + s, halfM, a0r + b0r);
    L::storeApart(im + s, halfM, a0i + b0i);
    L::storeApart(re + s + 2, halfM, a0r - b0r);
    L::storeApart(im + s + 2, halfM, a0i - b0i);
    // (b1) * (-i) = b1i - i b1r
    L::storeApart(re + s + 1, halfM, a1r + b1i);
    L::storeApart(im + s + 1, halfM, a1i - b1r);
    L::storeApart(re + s + 3, halfM, a1r - b1i);
    L::storeApart(im + s + 3, halfM, a1i + b1r);
  }
}

template <typename Real>
void BasicRealFft<Real>::complexTransform(const Real* input) {
  Real* __restrict re = re_.data();
  Real* __restrict im = im_.data();
  const int m = half_;
  if (m >= 8) {
    firstPassFromInput(input);
  } else {
    packBitReversed(input);
    if (m == 4) {  // spans 1 and 2 as one radix-4 butterfly, as in firstPassFromInput
      const Real a0r = re[0] + re[1], a0i = im[0] + im[1];
      const Real a1r = re[0] - re[1], a1i = im[0] - im[1];
      const Real b0r = re[2] + re[3], b0i = im[2] + im[3];
      const Real b1r = re[2] - re[3], b1i = im[2] - im[3];
      re[0] = a0r + b0r;
      im[0] = a0i + b0i;
      re[2] = a0r - b0r;
      im[2] = a0i - b0i;
      re[1] = a1r + b1i;
      im[1] = a1i - b1r;
      re[3] = a1r - b1i;
      im[3] = a1i + b1r;
    } else {  // m == 2
      const Real r0 = re[0], i0 = im[0];
      re[0] = r0 + re[1];
      im[0] = i0 + im[1];
      re[1] = r0 - re[1];
      im[1] = i0 - im[1];
    }
  }
  // The passes below run over j in vectors of kCount lanes: h starts at 4 and kCount is 2
  // (double) or 4 (float), so every span is a whole number of vectors.
  using L = detail::Lanes<Real>;
  using Vec = typename L::Vec;
  constexpr int kLanes = L::kCount;
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
      for (int j = 0; j < h; j += kLanes) {
        const Vec wr = L::load(w1r + j), wi = L::load(w1i + j);
        const Vec x1r = L::load(r1 + j), x1i = L::load(i1 + j);
        const Vec x3r = L::load(r3 + j), x3i = L::load(i3 + j);
        const Vec x0r = L::load(r0 + j), x0i = L::load(i0 + j);
        const Vec x2r = L::load(r2 + j), x2i = L::load(i2 + j);
        // Span h: (x0, x1) and (x2, x3) with w1 = exp(-i pi j / h).
        const Vec t1r = x1r * wr - x1i * wi, t1i = x1r * wi + x1i * wr;
        const Vec t3r = x3r * wr - x3i * wi, t3i = x3r * wi + x3i * wr;
        const Vec b0r = x0r + t1r, b0i = x0i + t1i, b1r = x0r - t1r, b1i = x0i - t1i;
        const Vec b2r = x2r + t3r, b2i = x2i + t3i, b3r = x2r - t3r, b3i = x2i - t3i;
        // Span 2h: (b0, b2) with w2 = exp(-i pi j / 2h), (b1, b3) with -i w2.
        const Vec vr = L::load(w2r + j), vi = L::load(w2i + j);
        const Vec u2r = b2r * vr - b2i * vi, u2i = b2r * vi + b2i * vr;
        const Vec v3r = b3r * vr - b3i * vi, v3i = b3r * vi + b3i * vr;
        // -i (v3r + i v3i) = v3i - i v3r
        L::store(r0 + j, b0r + u2r);
        L::store(i0 + j, b0i + u2i);
        L::store(r2 + j, b0r - u2r);
        L::store(i2 + j, b0i - u2i);
        L::store(r1 + j, b1r + v3i);
        L::store(i1 + j, b1i - v3r);
        L::store(r3 + j, b1r - v3i);
        L::store(i3 + j, b1i + v3r);
      }
    }
  }
  for (; h < m; h *= 2) {
    const Real* w1r = twr + h;
    const Real* w1i = twi + h;
    for (int s = 0; s < m; s += 2 * h) {
      Real* __restrict ar = re + s;
      Real* __restrict ai = im + s;
      Real* __restrict br = re + s + h;
      Real* __restrict bi = im + s + h;
      for (int j = 0; j < h; j += kLanes) {
        const Vec wr = L::load(w1r + j), wi = L::load(w1i + j);
        const Vec yr = L::load(br + j), yi = L::load(bi + j);
        const Vec xr = yr * wr - yi * wi;
        const Vec xi = yr * wi + yi * wr;
        const Vec zr = L::load(ar + j), zi = L::load(ai + j);
        L::store(br + j, zr - xr);
        L::store(bi + j, zi - xi);
        L::store(ar + j, zr + xr);
        L::store(ai + j, zi + xi);
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
  complexTransform(input);
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
  complexTransform(input);
  const int m = half_;
  const Real* __restrict re = re_.data();
  const Real* __restrict im = im_.data();
  const Real* __restrict swr = splitRe_.data();
  const Real* __restrict swi = splitIm_.data();
  const Real x0 = re[0] + im[0], xm = re[0] - im[0];
  power[0] = x0 * x0;
  power[m] = xm * xm;
  // Bins k..k+kLanes-1 at once; their partners m-k.. are loaded as one vector and reversed.
  using L = detail::Lanes<Real>;
  using Vec = typename L::Vec;
  constexpr int kLanes = L::kCount;
  const Vec half = L::splat(Real(0.5)), minusHalf = L::splat(Real(-0.5));
  int k = 1;
  for (; k + kLanes <= m; k += kLanes) {
    const Vec zr = L::load(re + k), zi = L::load(im + k);
    const Vec cr = L::reverse(L::load(re + m - k - (kLanes - 1)));
    const Vec ci = -L::reverse(L::load(im + m - k - (kLanes - 1)));
    const Vec er = half * (zr + cr), ei = half * (zi + ci);
    const Vec orr = half * (zi - ci), oi = minusHalf * (zr - cr);
    const Vec wr = L::load(swr + k), wi = L::load(swi + k);
    const Vec xr = er + wr * orr - wi * oi;
    const Vec xi = ei + wr * oi + wi * orr;
    L::store(power + k, xr * xr + xi * xi);
  }
  for (; k < m; ++k) {
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
