// EM and scoring throughput of the GMM-HMM engine (a benchmark, not a test).
//
// Synthetic 8-state, 4-component, 39-dimensional diagonal ergodic model; 200 sequences of
// 500 frames sampled from it; Baum-Welch for exactly 10 iterations (tol 0) from fixed
// parameters (initParams ''), so every run does the same work. Prints one line per figure:
// EM frame-iterations per second and scoring frames per second (medians of several runs).
//
//   cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release && make -C build/native bench_em
//   build/native/bench_em [runs]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "gmmhmm/model/gmm_hmm.hpp"

namespace {

using gmmhmm::GmmHmm;
using gmmhmm::Index;

constexpr int kStates = 8, kMix = 4, kFeatures = 39;
constexpr int kSequences = 200, kFrames = 500, kIterations = 10;

// Random parameters: well separated states, moderately overlapping components.
GmmHmm makeModel(unsigned seed, double spread) {
  gmmhmm::ModelConfig c;
  c.nStates = kStates;
  c.nMix = kMix;
  c.nFeatures = kFeatures;
  c.covarianceType = gmmhmm::CovarianceType::Diag;
  c.topology = gmmhmm::Topology::Ergodic;
  c.nIter = kIterations;
  c.tol = 0;
  c.initParams = "";
  GmmHmm model(c);
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  std::uniform_real_distribution<double> u(0.5, 1.5);
  std::vector<double> start(kStates, 1.0 / kStates), trans(kStates * kStates), weights(kStates * kMix);
  for (int r = 0; r < kStates; ++r) {
    double sum = 0;
    for (int s = 0; s < kStates; ++s) sum += trans[r * kStates + s] = (r == s ? 8.0 : 0.0) + u(rng);
    for (int s = 0; s < kStates; ++s) trans[r * kStates + s] /= sum;
    double wsum = 0;
    for (int m = 0; m < kMix; ++m) wsum += weights[r * kMix + m] = u(rng);
    for (int m = 0; m < kMix; ++m) weights[r * kMix + m] /= wsum;
  }
  std::vector<double> means(kStates * kMix * kFeatures), covars(kStates * kMix * kFeatures);
  for (int s = 0; s < kStates; ++s) {
    std::vector<double> center(kFeatures);
    for (double& x : center) x = spread * g(rng);
    for (int m = 0; m < kMix; ++m)
      for (int d = 0; d < kFeatures; ++d) {
        means[(s * kMix + m) * kFeatures + d] = center[d] + 0.7 * g(rng);
        covars[(s * kMix + m) * kFeatures + d] = u(rng);
      }
  }
  model.setStartprob(start);
  model.setTransmat(trans);
  model.setWeights(weights);
  model.setMeans(means);
  model.setCovars(covars);
  return model;
}

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  const GmmHmm truth = makeModel(1, 1.5);
  std::vector<double> X;
  std::vector<Index> lengths;
  X.reserve(static_cast<size_t>(kSequences) * kFrames * kFeatures);
  for (int q = 0; q < kSequences; ++q) {
    const auto sample = truth.sample(kFrames, 1000 + q);
    X.insert(X.end(), sample.X.data(), sample.X.data() + sample.X.size());
    lengths.push_back(kFrames);
  }
  const Index nFrames = static_cast<Index>(kSequences) * kFrames;
  const gmmhmm::SequenceSet data{X.data(), nFrames, kFeatures, lengths};
  const GmmHmm start = makeModel(2, 1.5);  // fixed initial parameters, different from the truth

  std::vector<double> emRates, scoreRates;
  int iterations = 0;
  double finalLogLik = 0;
  for (int r = 0; r < runs; ++r) {
    GmmHmm model = start;
    const auto t0 = std::chrono::steady_clock::now();
    const gmmhmm::Monitor& monitor = model.fit(data);
    const double elapsed = seconds(t0);
    iterations = monitor.iterations;
    finalLogLik = monitor.history.back();
    emRates.push_back(static_cast<double>(nFrames) * monitor.iterations / elapsed);

    const auto t1 = std::chrono::steady_clock::now();
    volatile double ll = model.score(data);
    (void)ll;
    scoreRates.push_back(static_cast<double>(nFrames) / seconds(t1));
  }
  std::printf("em: %d states x %d components x %d dims diag, %d x %d frames, %d iterations (tol 0): "
              "%.3g frame-iterations/s (median of %d runs; last log-likelihood %.6g)\n",
              kStates, kMix, kFeatures, kSequences, kFrames, iterations, median(emRates), runs, finalLogLik);
  std::printf("score: %.3g frames/s (median of %d runs)\n", median(scoreRates), runs);
  return 0;
}
