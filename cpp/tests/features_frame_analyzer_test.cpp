// FrameAnalyzer (scaling, DC removal, raw or windowed energy, pre-emphasis, window, power
// spectrum, mel banks) against a plain long-double transcription of Kaldi's ProcessWindow and
// a naive DFT: the fused, vectorised loops of frame_analyzer.cpp must give the same numbers
// for every frame length (lengths 4k, 4k + 1, 4k + 2, 4k + 3 take different loop tails) and
// for every combination of the options they branch on.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "gmmhmm/features/frame_analyzer.hpp"
#include "gmmhmm/features/frame_extraction.hpp"
#include "gmmhmm/features/mel_banks.hpp"

using namespace gmmhmm::features;

namespace {

struct Reference {
  double logEnergy;
  std::vector<double> mel;
};

Reference reference(const std::vector<float>& frame, const FrameOptions& fo, const MelOptions& mo,
                    const EnergyOptions& eo, double rate, int paddedSize) {
  const int n = static_cast<int>(frame.size());
  std::vector<long double> x(n);
  for (int i = 0; i < n; ++i) x[i] = static_cast<long double>(frame[i]) * fo.inputScale;
  if (fo.removeDcOffset) {
    long double mean = 0;
    for (long double v : x) mean += v;
    mean /= n;
    for (long double& v : x) v -= mean;
  }
  long double energy = 0;
  if (eo.rawEnergy)
    for (long double v : x) energy += v * v;
  for (int i = n - 1; i > 0; --i) x[i] -= fo.preemphasisCoefficient * x[i - 1];
  x[0] -= fo.preemphasisCoefficient * x[0];
  const std::vector<double> window = makeWindow(fo, n);
  for (int i = 0; i < n; ++i) x[i] *= window[i];
  if (!eo.rawEnergy)
    for (long double v : x) energy += v * v;
  const double floor = eo.rawEnergy ? std::numeric_limits<float>::epsilon() : std::numeric_limits<float>::min();
  Reference r;
  r.logEnergy = std::log(std::max(static_cast<double>(energy), floor));
  std::vector<double> power(paddedSize / 2 + 1);
  const long double pi = 3.141592653589793238462643383279502884L;
  for (int k = 0; k <= paddedSize / 2; ++k) {
    long double re = 0, im = 0;
    for (int t = 0; t < n; ++t) {
      const long double angle = -2 * pi * static_cast<long double>((static_cast<long>(k) * t) % paddedSize) / paddedSize;
      re += x[t] * std::cos(angle);
      im += x[t] * std::sin(angle);
    }
    power[k] = static_cast<double>(re * re + im * im);
  }
  const MelBanks banks(mo, rate, paddedSize);
  r.mel.resize(banks.numBins());
  banks.compute(power.data(), r.mel.data());
  return r;
}

}  // namespace

TEST(FrameAnalyzer, MatchesAPlainTranscriptionOfKaldiForEveryLengthAndOption) {
  const double rate = 16000;
  std::mt19937 rng(3);
  std::normal_distribution<float> gauss(0.0f, 0.1f);
  int cases = 0;
  // 400, 401, 402, 403 samples per frame.
  for (double frameLength : {25.0, 25.0625, 25.125, 25.1875}) {
    for (int variant = 0; variant < 8; ++variant) {
      FrameOptions fo;
      fo.frameLength = frameLength;
      fo.removeDcOffset = (variant & 1) == 0;
      fo.preemphasisCoefficient = (variant & 2) == 0 ? 0.97 : 0.0;
      fo.windowType = (variant & 2) == 0 ? "povey" : "hamming";
      EnergyOptions eo;
      eo.rawEnergy = (variant & 4) == 0;
      const MelOptions mo;
      FrameAnalyzer analyzer(fo, mo, eo, rate);
      const int n = analyzer.geometry().windowSize;
      ASSERT_EQ(n, 400 + cases / 8);
      std::vector<float> frame(n);
      for (float& v : frame) v = 0.2f + gauss(rng);  // a DC offset for removeDcOffset to remove
      std::vector<double> mel(analyzer.numMelBins());
      const double logEnergy = analyzer.analyze(frame.data(), mel.data());
      const Reference ref = reference(frame, fo, mo, eo, rate, analyzer.geometry().paddedSize);
      EXPECT_NEAR(logEnergy, ref.logEnergy, 1e-12 * std::abs(ref.logEnergy)) << "n=" << n << " variant " << variant;
      const double largest = *std::max_element(ref.mel.begin(), ref.mel.end());
      for (std::size_t b = 0; b < mel.size(); ++b)
        EXPECT_NEAR(mel[b], ref.mel[b], 1e-11 * ref.mel[b] + 1e-13 * largest)
            << "n=" << n << " variant " << variant << " bin " << b;
      ++cases;
    }
  }
  EXPECT_EQ(cases, 32);
}
