#pragma once
// Brute force for the families' tests: every state path of a tiny chain, with its joint
// probability, and the exact posteriors (gamma, xi) and likelihood summed from them.

#include <cmath>
#include <functional>
#include <vector>

namespace gmmhmm::testing {

struct ChainEnumeration {
  double total = 0;            // p(X)
  std::vector<double> gamma;   // T × N posteriors
  std::vector<double> xi;      // N × N expected transitions
  double best = -1;            // the best path's probability
  std::vector<int> bestPath;
};

// emit(s, t): p(frame t | state s).
inline ChainEnumeration enumerateChain(const std::vector<double>& startprob, const std::vector<double>& transmat, int T,
                                       const std::function<double(int, int)>& emit) {
  const int N = static_cast<int>(startprob.size());
  ChainEnumeration out;
  out.gamma.assign(T * N, 0.0);
  out.xi.assign(N * N, 0.0);
  std::vector<int> path(T, 0);
  long count = 1;
  for (int t = 0; t < T; ++t) count *= N;
  for (long code = 0; code < count; ++code) {
    long c = code;
    for (int t = 0; t < T; ++t) {
      path[t] = static_cast<int>(c % N);
      c /= N;
    }
    double p = startprob[path[0]] * emit(path[0], 0);
    for (int t = 1; t < T; ++t) p *= transmat[path[t - 1] * N + path[t]] * emit(path[t], t);
    out.total += p;
    for (int t = 0; t < T; ++t) out.gamma[t * N + path[t]] += p;
    for (int t = 1; t < T; ++t) out.xi[path[t - 1] * N + path[t]] += p;
    if (p > out.best) {
      out.best = p;
      out.bestPath = path;
    }
  }
  for (double& g : out.gamma) g /= out.total;
  for (double& x : out.xi) x /= out.total;
  return out;
}

}  // namespace gmmhmm::testing
