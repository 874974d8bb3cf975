#pragma once
// Real-input FFT for the MFCC front end: the power spectrum of one padded frame.

#include <complex>
#include <memory>
#include <vector>

namespace gmmhmm::features {

// Forward DFT of a real sequence of fixed length N >= 2, returning bins 0..N/2.
// Power-of-two lengths: the real input is packed as even + i*odd samples into N/2 complex
// points, transformed in place (bit-reversed load, radix-4 passes plus one radix-2 pass
// when needed, precomputed twiddles) and split into the real spectrum. Measured 3-4x faster
// than Eigen's unsupported/FFT (kissfft) at 256-2048 points (bench/bench_frontend.cpp).
// Other lengths (Kaldi's roundToPowerOfTwo = false) go through Eigen's kissfft backend.
// Holds scratch space, so one object must not be used by two threads at once.
// Instantiated for float and double.
template <typename Real>
class BasicRealFft {
 public:
  explicit BasicRealFft(int size);
  ~BasicRealFft();
  BasicRealFft(BasicRealFft&&) noexcept;
  BasicRealFft& operator=(BasicRealFft&&) noexcept;
  BasicRealFft(const BasicRealFft&) = delete;
  BasicRealFft& operator=(const BasicRealFft&) = delete;

  int size() const { return size_; }
  int numBins() const { return size_ / 2 + 1; }

  // spectrum[k] = sum_n input[n] exp(-2 pi i k n / N), k = 0..N/2. input has size() values.
  void forward(const Real* input, std::complex<Real>* spectrum);
  // power[k] = |spectrum[k]|^2, k = 0..N/2.
  void powerSpectrum(const Real* input, Real* power);

 private:
  // The transform of the packed input into re_/im_ (power-of-two path).
  void complexTransform(const Real* input);
  void firstPassFromInput(const Real* input);  // half_ >= 8
  void packBitReversed(const Real* input);     // smaller sizes

  int size_ = 0;
  int half_ = 0;       // N/2 complex points (power-of-two path)
  bool powerOfTwo_ = false;
  std::vector<int> bitReverse_;              // half_ entries
  std::vector<Real> twiddleRe_, twiddleIm_; // stage with span h stores w^j at [h + j]
  std::vector<Real> splitRe_, splitIm_;     // exp(-2 pi i k / N), k = 0..half_
  std::vector<Real> re_, im_;               // scratch
  struct Generic;                            // Eigen FFT for other lengths
  std::unique_ptr<Generic> generic_;
};

extern template class BasicRealFft<float>;
extern template class BasicRealFft<double>;
using RealFft = BasicRealFft<float>;

}  // namespace gmmhmm::features
