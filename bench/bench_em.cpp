// EM and scoring throughput of the GMM-HMM engine (a benchmark, not a test), with each speed
// lever of issue 18 turned off in turn, side by side in one run.
//
// Synthetic 8-state, 4-component, 39-dimensional diagonal ergodic model; 200 sequences of
// 500 frames sampled from it; Baum-Welch for exactly 10 iterations (tol 0) from fixed
// parameters (initParams ''), so every run does the same work. Prints EM frame-iterations per
// second (medians of several runs, rounds interleaved so that a busy machine slows every
// variant alike), the per-call overhead (fit() with nIter 0), and scoring frames per second.
// One-thread variants are timed in process CPU time (std::clock), which other programs on the
// machine disturb far less than the wall clock; threaded ones on the wall clock.
//
//   cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release && make -C build/native bench_em
//   build/native/bench_em [runs]
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../cpp/src/model/tuning.hpp"
#include "gmmhmm/model/fit_session.hpp"
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

// fit() with its E-steps in `threads` threads, each on a share of the groups (FitSession and
// ShareStatistics, as the package's Workers do).
void fitInThreads(GmmHmm& model, const gmmhmm::SequenceSet& data, int threads) {
  gmmhmm::FitSession session(model, data);
  const std::vector<Index> groups = session.groupSizes();
  const std::vector<double> setup = session.shareSetup();
  std::vector<std::unique_ptr<gmmhmm::ShareStatistics>> shares;
  Index g = 0, row = 0, q = 0;
  for (int i = 0; i < threads; ++i) {
    const Index end = static_cast<Index>(groups.size()) * (i + 1) / threads;
    const std::vector<Index> sizes(groups.begin() + g, groups.begin() + end);
    std::vector<Index> lengths;
    for (Index s : sizes)
      for (Index k = 0; k < s; ++k) lengths.push_back(data.lengths[q++]);
    Index rows = 0;
    for (Index l : lengths) rows += l;
    shares.push_back(std::make_unique<gmmhmm::ShareStatistics>(
        setup, gmmhmm::SequenceSet{data.data + row * data.nFeatures, rows, data.nFeatures, lengths}, sizes));
    row += rows;
    g = end;
  }
  std::vector<std::vector<double>> results(threads);
  while (!session.done()) {
    const std::vector<double> p = session.parameters();
    std::vector<std::thread> running;
    for (int i = 0; i < threads; ++i) running.emplace_back([&, i] { results[i] = shares[i]->compute(p); });
    for (auto& t : running) t.join();
    std::vector<double> all;
    for (const auto& r : results) all.insert(all.end(), r.begin(), r.end());
    session.step(all);
  }
  session.finish();
}

struct Variant {
  std::string name;
  gmmhmm::Precision precision;
  gmmhmm::detail::Tuning tuning;
  int threads;
  bool wall;  // timed on the wall clock (threads: always)
  std::vector<double> rates;
  double logLikelihood = 0;
};

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

  using gmmhmm::Precision;
  // The build's defaults (tuning.hpp), each lever turned the other way in turn.
  const gmmhmm::detail::Tuning all{};
  gmmhmm::detail::Tuning eigenExp = all, unfused = all, otherTiles64 = all, perGroup = all;
  eigenExp.ownExp = false;
  unfused.fuseScaling = false;
  const bool keeps64 = all.cacheTiles && all.keepFloat64Tiles;
  otherTiles64.cacheTiles = otherTiles64.keepFloat64Tiles = !keeps64;
  perGroup.cacheTiles = false;
  std::vector<Variant> variants = {
      {keeps64 ? "float64 (default: [x, x^2] kept for the fit)" : "float64 (default: [x, x^2] per group)", Precision::Float64, all, 1, false, {}},
      {"float64, Eigen's exp/log", Precision::Float64, eigenExp, 1, false, {}},
      {"float64, state log-likelihoods, then scaled", Precision::Float64, unfused, 1, false, {}},
      {keeps64 ? "float64, [x, x^2] per group and iteration" : "float64, [x, x^2] kept for the fit", Precision::Float64, otherTiles64, 1, false, {}},
      {"float32 (default: [x, x^2] kept for the fit)", Precision::Float32, all, 1, false, {}},
      {"float32, [x, x^2] per group and iteration", Precision::Float32, perGroup, 1, false, {}},
      {"float64 (wall clock)", Precision::Float64, all, 1, true, {}},
      {"float64, 2 threads", Precision::Float64, all, 2, true, {}},
      {"float32, 2 threads", Precision::Float32, all, 2, true, {}},
  };
  std::vector<double> overheads, scoreRates;
  for (int r = 0; r < runs; ++r) {
    for (Variant& v : variants) {
      gmmhmm::detail::tuning() = v.tuning;
      GmmHmm model = start;
      gmmhmm::ModelConfig c = model.config();
      c.precision = v.precision;
      model.setTrainingConfig(c);
      const auto t0 = std::chrono::steady_clock::now();
      const std::clock_t c0 = std::clock();
      if (v.threads > 1) fitInThreads(model, data, v.threads);
      else model.fit(data);
      const double elapsed = v.wall ? seconds(t0) : double(std::clock() - c0) / CLOCKS_PER_SEC;
      v.rates.push_back(static_cast<double>(nFrames) * model.monitor().iterations / elapsed);
      v.logLikelihood = model.monitor().history.back();
    }
    gmmhmm::detail::tuning() = all;
    GmmHmm model = start;
    gmmhmm::ModelConfig c = model.config();
    c.nIter = 0;
    model.setTrainingConfig(c);
    const auto t0 = std::chrono::steady_clock::now();
    model.fit(data);
    overheads.push_back(seconds(t0));
    const auto t1 = std::chrono::steady_clock::now();
    volatile double ll = start.score(data);
    (void)ll;
    scoreRates.push_back(static_cast<double>(nFrames) / seconds(t1));
  }
  std::printf("em: %d states x %d components x %d dims diag, %d x %d frames, %d iterations (tol 0), median of %d runs\n",
              kStates, kMix, kFeatures, kSequences, kFrames, kIterations, runs);
  // Ratios within one clock: CPU-timed variants to the first, wall-timed ones to the first
  // wall-timed one.
  const auto firstWall = std::find_if(variants.begin(), variants.end(), [](const Variant& v) { return v.wall; });
  const double cpuBase = median(variants[0].rates), wallBase = median(firstWall->rates);
  for (const Variant& v : variants)
    std::printf("  %-44s %6.3g frame-iterations/s  x%.2f  (%s; last log-likelihood %.10g)\n", v.name.c_str(),
                median(v.rates), median(v.rates) / (v.wall ? wallBase : cpuBase), v.wall ? "wall" : "CPU",
                v.logLikelihood);
  std::printf("per-call overhead (fit with nIter 0): %.1f ms\n", 1000 * median(overheads));
  std::printf("score: %.3g frames/s (median of %d runs)\n", median(scoreRates), runs);
  return 0;
}
