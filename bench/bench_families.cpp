// EM throughput of the hmmlearn families on the shared EM loop (families/hmm.cpp), natively:
// the shapes of bench/hmmlearn-compare.js (a benchmark, not a test). Each task samples its data
// from a fixed random model and runs exactly 10 Baum-Welch iterations (tol -inf) from fixed
// parameters; prints frame-iterations per second in process CPU time (std::clock), the best of
// the rounds, and the last log-likelihood (the same from build to build when nothing changed
// but the speed). For profiling: `perf record build/native/bench_families 1 categorical`.
//
//   build/native/bench_families [rounds] [categorical,poisson,gaussian]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gmmhmm/families/categorical_hmm.hpp"
#include "gmmhmm/families/gaussian_hmm.hpp"
#include "gmmhmm/families/poisson_hmm.hpp"

namespace {

using gmmhmm::Index;
constexpr int kIterations = 10;

std::vector<double> stochasticRows(int rows, int cols, std::mt19937_64& rng, double power, double selfWeight) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> v(size_t(rows) * cols);
  for (int r = 0; r < rows; ++r) {
    double sum = 0;
    for (int c = 0; c < cols; ++c) sum += v[size_t(r) * cols + c] = (rows == cols && r == c ? selfWeight : 0) + std::pow(u(rng), power) + 1e-3;
    for (int c = 0; c < cols; ++c) v[size_t(r) * cols + c] /= sum;
  }
  return v;
}

struct Task {
  std::string name;
  Index frames = 0;
  std::function<double()> fitOnce;  // returns the last log-likelihood
};

template <typename Model>
double fitTimed(Model model, const gmmhmm::SequenceSet& X) {
  const auto& monitor = model.fit(X);
  return monitor.history.back();
}

gmmhmm::SequenceSet sequences(const std::vector<double>& data, Index width, int count, Index length) {
  gmmhmm::SequenceSet X;
  X.data = data.data();
  X.nFeatures = width;
  X.nFrames = Index(count) * length;
  X.lengths.assign(count, length);
  return X;
}

template <typename Options>
Options fixedRun(Options o) {
  o.nIter = kIterations;
  o.tol = -std::numeric_limits<double>::infinity();
  o.initParams = "";
  return o;
}

// 10 states × 1,000 symbols, 100 × 1,000 frames
Task categorical() {
  constexpr int N = 10, M = 1000, Q = 100, L = 1000;
  std::mt19937_64 rng(7);
  gmmhmm::CategoricalSizes sizes{N, M};
  gmmhmm::CategoricalHmm truth(sizes);
  truth.setTransmat(stochasticRows(N, N, rng, 1, 20));
  truth.setEmissionprob(stochasticRows(N, M, rng, 4, 0));
  auto data = std::make_shared<std::vector<double>>();
  for (int q = 0; q < Q; ++q) {
    const auto s = truth.sample(L, q);
    data->insert(data->end(), s.X.data(), s.X.data() + s.X.size());
  }
  gmmhmm::CategoricalHmm start(sizes, fixedRun(gmmhmm::CategoricalOptions()));
  start.setTransmat(truth.transmat());
  start.setEmissionprob(stochasticRows(N, M, rng, 1, 0));
  return {"CategoricalHMM 10 states x 1000 symbols, 100 x 1000 frames", Index(Q) * L,
          [=] { return fitTimed(start, sequences(*data, 1, Q, L)); }};
}

// 10 states × 20 features (rates 0.5–20), 100 × 1,000 frames
Task poisson() {
  constexpr int N = 10, D = 20, Q = 100, L = 1000;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> rate(0.5, 20);
  gmmhmm::PoissonSizes sizes{N, D};
  gmmhmm::PoissonHmm truth(sizes);
  truth.setTransmat(stochasticRows(N, N, rng, 1, 20));
  std::vector<double> lambdas(N * D);
  for (double& v : lambdas) v = rate(rng);
  truth.setLambdas(lambdas);
  auto data = std::make_shared<std::vector<double>>();
  for (int q = 0; q < Q; ++q) {
    const auto s = truth.sample(L, q);
    data->insert(data->end(), s.X.data(), s.X.data() + s.X.size());
  }
  gmmhmm::PoissonHmm start(sizes, fixedRun(gmmhmm::PoissonOptions()));
  start.setTransmat(truth.transmat());
  for (double& v : lambdas) v = rate(rng);
  start.setLambdas(lambdas);
  return {"PoissonHMM 10 states x 20 features, 100 x 1000 frames", Index(Q) * L,
          [=] { return fitTimed(start, sequences(*data, D, Q, L)); }};
}

// GaussianHMM diag, 8 states × 39 dims, 200 × 500 frames
Task gaussian() {
  constexpr int N = 8, D = 39, Q = 200, L = 500;
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(0, 1);
  gmmhmm::GaussianSizes sizes{N, D, gmmhmm::CovarianceType::Diag};
  gmmhmm::GaussianHmm truth(sizes);
  truth.setTransmat(stochasticRows(N, N, rng, 1, 8));
  std::vector<double> means(N * D), covars(N * D);
  for (double& v : means) v = 6 * u(rng) - 3;
  for (double& v : covars) v = 0.5 + u(rng);
  truth.setMeans(means);
  truth.setCovars(covars);
  auto data = std::make_shared<std::vector<double>>();
  for (int q = 0; q < Q; ++q) {
    const auto s = truth.sample(L, q);
    data->insert(data->end(), s.X.data(), s.X.data() + s.X.size());
  }
  gmmhmm::GaussianHmm start(sizes, fixedRun(gmmhmm::GaussianOptions()));
  start.setTransmat(truth.transmat());
  for (double& v : means) v += 0.5;
  start.setMeans(means);
  start.setCovars(covars);
  return {"GaussianHMM diag 8 states x 39 dims, 200 x 500 frames", Index(Q) * L,
          [=] { return fitTimed(start, sequences(*data, D, Q, L)); }};
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  const std::string which = argc > 2 ? argv[2] : "categorical,poisson,gaussian";
  std::vector<Task> tasks;
  if (which.find("categorical") != std::string::npos) tasks.push_back(categorical());
  if (which.find("poisson") != std::string::npos) tasks.push_back(poisson());
  if (which.find("gaussian") != std::string::npos) tasks.push_back(gaussian());
  std::vector<double> best(tasks.size(), 1e300), last(tasks.size());
  for (int r = 0; r < rounds; ++r)
    for (size_t i = 0; i < tasks.size(); ++i) {
      const std::clock_t c0 = std::clock();
      last[i] = tasks[i].fitOnce();
      best[i] = std::min(best[i], double(std::clock() - c0) / CLOCKS_PER_SEC);
    }
  for (size_t i = 0; i < tasks.size(); ++i)
    std::printf("%s: %.2f M frame-iterations/s (%.2f ms per iteration, CPU, best of %d); last log-likelihood %.6f\n",
                tasks[i].name.c_str(), double(tasks[i].frames) * kIterations / best[i] / 1e6, best[i] / kIterations * 1e3,
                rounds, last[i]);
}
