// Speed of the speech front end (a benchmark, not a test): frames per second of mfcc +
// addDeltas on 60 s of 16 kHz audio, ms of compute per second of audio, the streaming and
// endpointing paths, and the real FFT against Eigen's kissfft backend.
// Run: build/bench_frontend            (median of 7 runs each)
// Note: natively, most run-to-run variance here is glibc returning the multi-megabyte
// feature matrices to the OS and page-faulting them back in on the next call (this VM
// makes page faults expensive); MALLOC_MMAP_THRESHOLD_=100000000 MALLOC_TRIM_THRESHOLD_=
// 1000000000 build/bench_frontend shows the compute alone. wasm has its own allocator.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <complex>
#include <cstdio>
#include <functional>
#include <random>
#include <unsupported/Eigen/FFT>
#include <vector>

#include "gmmhmm/features/cmvn.hpp"
#include "gmmhmm/features/deltas.hpp"
#include "gmmhmm/features/endpointer.hpp"
#include "gmmhmm/features/feature_computer.hpp"
#include "gmmhmm/features/feature_stream.hpp"
#include "gmmhmm/features/frontend.hpp"
#include "gmmhmm/features/real_fft.hpp"

using namespace gmmhmm::features;

namespace {

// Speech-like test audio: voiced segments (harmonics of a gliding pitch with a formant-ish
// envelope) separated by noise bursts and pauses, in Web Audio scale.
std::vector<float> syntheticSpeech(double seconds, int rate) {
  std::mt19937 rng(1);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  std::vector<float> x(static_cast<std::size_t>(seconds * rate));
  double phase = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double t = double(i) / rate;
    const double segment = std::fmod(t, 0.9);
    float v = 0.003f * noise(rng);
    if (segment < 0.45) {
      const double f0 = 110 + 40 * std::sin(2 * M_PI * 0.7 * t);
      phase += 2 * M_PI * f0 / rate;
      double s = 0;
      for (int h = 1; h <= 25; ++h) s += std::sin(h * phase) / (1 + std::abs(h * f0 - 700) / 300.0);
      v += static_cast<float>(0.05 * s * std::sin(M_PI * segment / 0.45));
    } else if (segment < 0.55) {
      v += 0.05f * noise(rng);
    }
    x[i] = v;
  }
  return x;
}

double medianMs(const std::function<void()>& f, int runs = 7) {
  std::vector<double> ms;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

volatile double sink = 0;

}  // namespace

int main() {
  const int rate = 16000;
  const double seconds = 60;
  const std::vector<float> x = syntheticSpeech(seconds, rate);
  std::printf("audio: %.0f s at %d Hz (synthetic speech-like), median of 7 runs\n\n", seconds, rate);

  auto report = [&](const char* what, double ms, double frames) {
    std::printf("%-44s %8.2f ms  %9.0f frames/s  %6.3f ms per s of audio\n", what, ms, frames / (ms / 1000),
                ms / seconds);
  };

  MfccComputer computer(MfccOptions(), rate);
  const double frames = double(computer.geometry().numFrames(static_cast<std::int64_t>(x.size())));
  report("mfcc (Kaldi defaults), new computer", medianMs([&] { sink = mfcc(x.data(), x.size(), rate)(0, 0); }), frames);
  report("mfcc (Kaldi defaults), reused MfccComputer", medianMs([&] { sink = computer.compute(x.data(), x.size())(0, 0); }), frames);
  report("mfcc + addDeltas(2, 2)", medianMs([&] { sink = addDeltas(mfcc(x.data(), x.size(), rate))(0, 0); }), frames);
  report("speechPreset mfcc + addDeltas + cmvn",
         medianMs([&] { sink = cmvn(addDeltas(mfcc(x.data(), x.size(), rate, MfccOptions::speechPreset())))(0, 0); }),
         frames);
  report("fbank (23 bins)", medianMs([&] { sink = fbank(x.data(), x.size(), rate)(0, 0); }), frames);
  report("FeatureStream mfcc, 128-sample pushes", medianMs([&] {
           FeatureStream s(MfccOptions(), rate);
           for (std::size_t p = 0; p < x.size(); p += 128) {
             s.push(x.data() + p, std::min<std::size_t>(128, x.size() - p));
             if (s.framesReady() > 0) sink = s.pull()(0, 0);
           }
         }),
         frames);
  report("Endpointer, 128-sample pushes", medianMs([&] {
           Endpointer e(rate);
           for (std::size_t p = 0; p < x.size(); p += 128) sink = double(e.push(x.data() + p, std::min<std::size_t>(128, x.size() - p)).size());
         }),
         frames);

  std::printf("\nmfcc at other sample rates (same 60 s resampled by linear interpolation):\n");
  for (int r : {8000, 44100, 48000}) {
    std::vector<float> y(static_cast<std::size_t>(seconds * r));
    for (std::size_t i = 0; i < y.size(); ++i) {
      const double s = double(i) * rate / r;
      const std::size_t k = std::min(static_cast<std::size_t>(s), x.size() - 2);
      y[i] = static_cast<float>(x[k] + (s - k) * (x[k + 1] - x[k]));
    }
    MfccComputer c(MfccOptions::speechPreset(), r);
    const double f = double(c.geometry().numFrames(static_cast<std::int64_t>(y.size())));
    char label[64];
    std::snprintf(label, sizeof label, "speechPreset mfcc at %d Hz (FFT %d)", r, c.geometry().paddedSize);
    report(label, medianMs([&] { sink = c.compute(y.data(), y.size())(0, 0); }), f);
  }

  std::printf("\nreal FFT, power spectrum of one frame (us per transform):\n");
  std::printf("%6s %12s %12s %14s\n", "size", "radix-4 f64", "radix-4 f32", "Eigen kissfft f64");
  for (int n : {256, 512, 1024, 2048}) {
    std::vector<double> in(n), power(n / 2 + 1);
    std::vector<float> inf(n), powerf(n / 2 + 1);
    for (int i = 0; i < n; ++i) inf[i] = static_cast<float>(in[i] = std::sin(0.37 * i) + 0.1 * std::cos(2.1 * i));
    BasicRealFft<double> mine(n);
    BasicRealFft<float> minef(n);
    Eigen::FFT<double> eigen;
    eigen.SetFlag(Eigen::FFT<double>::HalfSpectrum);
    std::vector<std::complex<double>> spectrum(n);
    const int reps = 4000000 / n;
    const double a = medianMs([&] { for (int r = 0; r < reps; ++r) { mine.powerSpectrum(in.data(), power.data()); sink = power[1]; } });
    const double b = medianMs([&] { for (int r = 0; r < reps; ++r) { minef.powerSpectrum(inf.data(), powerf.data()); sink = powerf[1]; } });
    const double c = medianMs([&] {
      for (int r = 0; r < reps; ++r) {
        eigen.fwd(spectrum.data(), in.data(), n);
        for (int k = 0; k <= n / 2; ++k) power[k] = std::norm(spectrum[k]);
        sink = power[1];
      }
    });
    std::printf("%6d %12.3f %12.3f %14.3f\n", n, a * 1000 / reps, b * 1000 / reps, c * 1000 / reps);
  }
  return 0;
}
