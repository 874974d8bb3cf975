// Does speechPreset() make features independent of the sample rate? Digit recognition on
// FSDD (8 kHz) with a 1-nearest-neighbour DTW classifier whose templates are 8 kHz
// recordings, tested on held-out recordings at 8 kHz and resampled by sox to 16, 44.1 and
// 48 kHz. (The HMM recogniser repeats this with trained models; DTW needs no training, so
// it isolates the front end.) A benchmark, not a test: it reads ../shared and runs sox.
// Run: build/bench_frontend_rates [testsPerSpeakerDigit=5]

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "../cpp/tests/helpers/audio_tools.hpp"
#include "gmmhmm/features/cmvn.hpp"
#include "gmmhmm/features/deltas.hpp"
#include "gmmhmm/features/frontend.hpp"

using namespace gmmhmm::features;
namespace gt = gmmhmm::testing;

namespace {

double dtw(const RowMatrix& a, const RowMatrix& b) {
  const Eigen::Index n = a.rows(), m = b.rows();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> prev(m + 1, inf), cur(m + 1, inf);
  prev[0] = 0;
  for (Eigen::Index i = 1; i <= n; ++i) {
    cur[0] = inf;
    for (Eigen::Index j = 1; j <= m; ++j)
      cur[j] = (a.row(i - 1) - b.row(j - 1)).squaredNorm() + std::min({prev[j], cur[j - 1], prev[j - 1]});
    std::swap(prev, cur);
  }
  return prev[m] / double(n + m);
}

RowMatrix features(const std::vector<float>& x, double rate, const MfccOptions& o) {
  return cmvn(addDeltas(mfcc(x.data(), x.size(), rate, o)));
}

struct Recording {
  int digit;
  std::vector<float> samples;
};

}  // namespace

int main(int argc, char** argv) {
  const int testsPer = argc > 1 ? std::atoi(argv[1]) : 5;
  const std::string shared = gt::sharedDir();
  const std::string folder = shared + "/data/fsdd/recordings";
  if (shared.empty() || !std::filesystem::is_directory(folder) || !gt::commandExists("sox")) {
    std::printf("skipped: needs ../shared/data/fsdd (or GMMHMM_SHARED_DIR) and sox\n");
    return 0;
  }
  const char* speakers[] = {"george", "jackson", "nicolas", "theo", "yweweler"};
  std::vector<Recording> templates, tests;
  for (const char* sp : speakers)
    for (int d = 0; d < 10; ++d) {
      for (int i = 0; i < 3; ++i)
        templates.push_back({d, gt::readWav(folder + "/" + std::to_string(d) + "_" + sp + "_" + std::to_string(i) + ".wav").samples});
      for (int i = 0; i < testsPer; ++i)
        tests.push_back({d, gt::readWav(folder + "/" + std::to_string(d) + "_" + sp + "_" + std::to_string(49 - i) + ".wav").samples});
    }
  std::printf("FSDD, 5 speakers: %zu templates (indices 0-2) at 8 kHz, %zu test recordings (indices 49-%d)\n",
              templates.size(), tests.size(), 50 - testsPer);
  std::printf("1-NN DTW on MFCC + deltas + delta-deltas, CMN per utterance\n\n");

  gt::TempDir dir;
  struct Config { const char* name; MfccOptions options; };
  MfccOptions kaldi;
  kaldi.highFreq = 3800;
  const Config configs[] = {{"speechPreset()", MfccOptions::speechPreset()},
                            {"Kaldi defaults, highFreq 3800", kaldi}};
  // Resample every test recording once per rate.
  std::vector<std::vector<std::vector<float>>> resampled;  // [rate][test]
  const int rates[] = {8000, 16000, 44100, 48000};
  for (int rate : rates) {
    std::vector<std::vector<float>> byTest;
    for (const Recording& t : tests) byTest.push_back(rate == 8000 ? t.samples : gt::resample(dir, t.samples, 8000, rate));
    resampled.push_back(std::move(byTest));
  }
  for (const Config& c : configs) {
    std::vector<RowMatrix> templateFeatures;
    for (const Recording& t : templates) templateFeatures.push_back(features(t.samples, 8000, c.options));
    std::printf("%-32s", c.name);
    for (std::size_t r = 0; r < std::size(rates); ++r) {
      int correct = 0;
      for (std::size_t t = 0; t < tests.size(); ++t) {
        const RowMatrix f = features(resampled[r][t], rates[r], c.options);
        double best = std::numeric_limits<double>::infinity();
        int label = -1;
        for (std::size_t k = 0; k < templates.size(); ++k) {
          const double d = dtw(f, templateFeatures[k]);
          if (d < best) {
            best = d;
            label = templates[k].digit;
          }
        }
        correct += label == tests[t].digit;
      }
      std::printf("  %5d Hz: %5.1f%%", rates[r], 100.0 * correct / tests.size());
      std::fflush(stdout);
    }
    std::printf("\n");
  }
  return 0;
}
