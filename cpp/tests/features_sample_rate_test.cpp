// Sample-rate independence of MfccOptions::speechPreset(): the same words at 8 kHz and
// resampled by sox to 16, 44.1 and 48 kHz give nearly the same features.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gmmhmm/features/cmvn.hpp"
#include "gmmhmm/features/frontend.hpp"
#include "helpers/audio_tools.hpp"

using namespace gmmhmm::features;
namespace gt = gmmhmm::testing;

namespace {

struct Utterance {
  std::string name;
  std::vector<float> samples;  // 8 kHz
};

// Dynamic-time-warping distance between two feature sequences (Euclidean frame distance,
// symmetric steps, normalised by the summed lengths).
double dtwDistance(const RowMatrix& a, const RowMatrix& b) {
  const Eigen::Index n = a.rows(), m = b.rows();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> prev(m + 1, inf), cur(m + 1, inf);
  prev[0] = 0;
  for (Eigen::Index i = 1; i <= n; ++i) {
    cur[0] = inf;
    for (Eigen::Index j = 1; j <= m; ++j) {
      const double d = (a.row(i - 1) - b.row(j - 1)).norm();
      cur[j] = d + std::min({prev[j], cur[j - 1], prev[j - 1]});
    }
    std::swap(prev, cur);
  }
  return prev[m] / double(n + m);
}

RowMatrix features(const std::vector<float>& x, double rate, const MfccOptions& o) {
  return cmvn(mfcc(x.data(), x.size(), rate, o));
}

// For each target rate: (1) per coefficient, the mean |difference| between the 8 kHz
// features and those of the resampled audio, frame by frame, is at most 10% of that
// coefficient's spread (standard deviation over all frames of all utterances): the
// spread is what a model has to resolve; (2) every resampled utterance's nearest 8 kHz
// utterance (DTW) is its own original, at most half as far as the nearest other word.
void checkRateIndependence(const std::vector<Utterance>& utterances, const MfccOptions& o,
                           const std::string& source) {
  gt::TempDir dir;
  std::vector<RowMatrix> reference;
  for (const Utterance& u : utterances) reference.push_back(features(u.samples, 8000, o));
  Eigen::RowVectorXd sumSquares = Eigen::RowVectorXd::Zero(o.numCeps);
  double frames = 0;
  for (const RowMatrix& r : reference) {
    sumSquares += r.array().square().colwise().sum().matrix();  // cmvn: zero mean per utterance
    frames += r.rows();
  }
  const Eigen::RowVectorXd spread = (sumSquares / frames).array().sqrt();

  for (int rate : {16000, 44100, 48000}) {
    Eigen::RowVectorXd diff = Eigen::RowVectorXd::Zero(o.numCeps);
    double compared = 0;
    for (std::size_t u = 0; u < utterances.size(); ++u) {
      const std::vector<float> up = gt::resample(dir, utterances[u].samples, 8000, rate);
      const RowMatrix f = features(up, rate, o);
      const Eigen::Index t = std::min(f.rows(), reference[u].rows());
      ASSERT_LE(std::abs(f.rows() - reference[u].rows()), 1) << utterances[u].name << " at " << rate;
      diff += (f.topRows(t) - reference[u].topRows(t)).cwiseAbs().colwise().sum();
      compared += t;

      double self = 0, nearestOther = std::numeric_limits<double>::infinity();
      std::string nearestName;
      for (std::size_t v = 0; v < utterances.size(); ++v) {
        const double d = dtwDistance(f, reference[v]);
        if (v == u) {
          self = d;
        } else if (d < nearestOther) {
          nearestOther = d;
          nearestName = utterances[v].name;
        }
      }
      EXPECT_LT(self, 0.5 * nearestOther)
          << source << ": " << utterances[u].name << " at " << rate << " Hz is " << self
          << " from its 8 kHz original but " << nearestOther << " from " << nearestName;
    }
    const Eigen::RowVectorXd relative = (diff / compared).cwiseQuotient(spread);
    for (int j = 0; j < o.numCeps; ++j)
      EXPECT_LE(relative(j), 0.10) << source << ": coefficient " << j << " at " << rate
                                   << " Hz differs by " << relative(j) << " of its spread";
  }
}

// espeak-ng's pauses are digital silence; a microphone always adds some noise. Without it
// the silent frames compare rounding residue of the resamplers, not speech.
std::vector<float> withMicrophoneNoise(std::vector<float> x, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 0.001f);  // -60 dBFS
  for (float& v : x) v += g(rng);
  return x;
}

std::vector<Utterance> synthesisedDigits() {
  gt::TempDir dir;
  std::vector<Utterance> out;
  const char* words[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
  unsigned seed = 1;
  for (const char* w : words)
    out.push_back({w, withMicrophoneNoise(gt::synthesise(dir, w, "en", 150, 8000).samples, seed++)});
  return out;
}

std::vector<Utterance> fsddDigits(const std::string& folder) {
  std::vector<Utterance> out;
  const char* speakers[] = {"george", "jackson", "nicolas", "theo", "yweweler"};
  for (int digit = 0; digit < 10; ++digit)
    for (int k = 0; k < 2; ++k) {
      const std::string name = std::to_string(digit) + "_" + speakers[(digit + 2 * k) % 5] + "_" + std::to_string(7 + k);
      const std::string path = folder + "/" + name + ".wav";
      if (!std::filesystem::exists(path)) continue;
      gt::WavAudio a = gt::readWav(path);
      if (a.sampleRate != 8000) continue;
      out.push_back({name, std::move(a.samples)});
    }
  return out;
}

}  // namespace

TEST(SampleRateIndependence, SynthesisedDigitsResampledTo16And44And48kHz) {
  if (!gt::commandExists("espeak-ng") || !gt::commandExists("sox"))
    GTEST_SKIP() << "espeak-ng or sox not installed: sample-rate test on synthesised words skipped";
  checkRateIndependence(synthesisedDigits(), MfccOptions::speechPreset(), "espeak-ng");
}

TEST(SampleRateIndependence, FsddDigitsResampledTo16And44And48kHz) {
  const std::string shared = gt::sharedDir();
  const std::string folder = shared + "/data/fsdd/recordings";
  if (shared.empty() || !std::filesystem::is_directory(folder))
    GTEST_SKIP() << "../shared/data/fsdd not found (set GMMHMM_SHARED_DIR): FSDD sample-rate test skipped";
  if (!gt::commandExists("sox")) GTEST_SKIP() << "sox not installed: FSDD sample-rate test skipped";
  const auto utterances = fsddDigits(folder);
  ASSERT_GE(utterances.size(), 15u);
  checkRateIndependence(utterances, MfccOptions::speechPreset(), "FSDD");
}

TEST(SampleRateIndependence, KaldiDefaultsAreNotRateIndependent) {
  // Why the preset exists: with pre-emphasis and per-frame (not per-sample) energy, the
  // same audio at 8 and 48 kHz differs by far more than the 10% bound above.
  if (!gt::commandExists("espeak-ng") || !gt::commandExists("sox"))
    GTEST_SKIP() << "espeak-ng or sox not installed";
  gt::TempDir dir;
  const std::vector<float> x = withMicrophoneNoise(gt::synthesise(dir, "seven", "en", 150, 8000).samples, 1);
  const std::vector<float> up = gt::resample(dir, x, 8000, 48000);
  MfccOptions kaldi;
  kaldi.highFreq = 3800;
  const RowMatrix a = mfcc(x.data(), x.size(), 8000, kaldi), b = mfcc(up.data(), up.size(), 48000, kaldi);
  const MfccOptions preset = MfccOptions::speechPreset();
  const RowMatrix c = mfcc(x.data(), x.size(), 8000, preset), d = mfcc(up.data(), up.size(), 48000, preset);
  const Eigen::Index t = std::min({a.rows(), b.rows(), c.rows(), d.rows()});
  const double kaldiDiff = (a.topRows(t) - b.topRows(t)).cwiseAbs().mean();
  const double presetDiff = (c.topRows(t) - d.topRows(t)).cwiseAbs().mean();
  EXPECT_GT(kaldiDiff, 5 * presetDiff) << "kaldi " << kaldiDiff << " preset " << presetDiff;
}
