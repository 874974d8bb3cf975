// GmmHmm::stationaryDistribution (hmmlearn's get_stationary_distribution). hmmlearn takes the
// left eigenvector of the largest eigenvalue of transmat, which is the answer for an
// irreducible chain but an arbitrary (even signed) mixture when several eigenvalues are 1
// (reducible chains, e.g. left-right models) or when eigenvalues of modulus 1 tie (periodic
// chains). Here: the long-run average distribution of the chain started from startprob,
//   π = lim (1/T) Σ_t startprob · transmat^t,
// which is the unique stationary distribution for an irreducible chain (periodic or not)
// and, for a reducible one, the mixture of its closed classes' stationary distributions
// weighted by the probability of ending up in each class.
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include <Eigen/Dense>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/model/gmm_hmm.hpp"
#include "model_state.hpp"
#include "stationary.hpp"

namespace gmmhmm {

namespace {

// Strongly connected components of the graph i -> j where transmat(i, j) > 0 (Kosaraju,
// iterative: O(N²) on the dense matrix). component[i] is i's class.
std::vector<int> communicatingClasses(const RowMatrix& A, int& nClasses) {
  const int N = static_cast<int>(A.rows());
  std::vector<int> order, component(N, -1);
  std::vector<char> seen(N, 0);
  for (int root = 0; root < N; ++root) {
    if (seen[root]) continue;
    // Depth-first search recording finishing order: (node, next neighbour to try).
    std::vector<std::pair<int, int>> stack{{root, 0}};
    seen[root] = 1;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      while (next < N && !(A(node, next) > 0 && !seen[next])) ++next;
      if (next < N) {
        seen[next] = 1;
        stack.push_back({next, 0});
      } else {
        order.push_back(node);
        stack.pop_back();
      }
    }
  }
  nClasses = 0;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    if (component[*it] >= 0) continue;
    std::vector<int> stack{*it};
    component[*it] = nClasses;
    while (!stack.empty()) {
      const int node = stack.back();
      stack.pop_back();
      for (int from = 0; from < N; ++from)  // reversed edges: from -> node
        if (A(from, node) > 0 && component[from] < 0) {
          component[from] = nClasses;
          stack.push_back(from);
        }
    }
    ++nClasses;
  }
  return component;
}

// Solves a x = b for a small dense square a (a class of states), by Gaussian elimination
// with partial pivoting: the algorithm of Eigen's PartialPivLU, written out because this
// function runs once per call and Eigen's blocked LU, instantiated for it, weighed 30 KB
// of WebAssembly (docs/size.md). a is non-singular here: I - A_TT for transient states,
// and a closed class's balance equations with one replaced by the sum.
Eigen::VectorXd solveSmall(Eigen::MatrixXd a, Eigen::VectorXd b) {
  const Eigen::Index n = a.rows();
  for (Eigen::Index k = 0; k < n; ++k) {
    Eigen::Index pivot = k;
    for (Eigen::Index i = k + 1; i < n; ++i)
      if (std::abs(a(i, k)) > std::abs(a(pivot, k))) pivot = i;
    if (pivot != k) {
      for (Eigen::Index j = 0; j < n; ++j) std::swap(a(k, j), a(pivot, j));
      std::swap(b[k], b[pivot]);
    }
    for (Eigen::Index i = k + 1; i < n; ++i) {
      const double factor = a(i, k) / a(k, k);
      if (factor == 0) continue;
      for (Eigen::Index j = k + 1; j < n; ++j) a(i, j) -= factor * a(k, j);
      b[i] -= factor * b[k];
    }
  }
  for (Eigen::Index k = n - 1; k >= 0; --k) {
    double v = b[k];
    for (Eigen::Index j = k + 1; j < n; ++j) v -= a(k, j) * b[j];
    b[k] = v / a(k, k);
  }
  return b;
}

}  // namespace

std::vector<double> GmmHmm::stationaryDistribution() const {
  const State& st = *state_;
  // Only the chain is needed (hmmlearn checks transmat_ alone; the start is needed here too).
  if (!st.hasStartprob || !st.hasTransmat)
    throw NotFitted("stationaryDistribution: startprob and transmat are not set; call fit() or set them first");
  return detail::stationaryDistribution(st.startprob, st.transmat);
}

std::vector<double> detail::stationaryDistribution(const Eigen::VectorXd& startprob, const RowMatrix& A) {
  const int N = static_cast<int>(A.rows());
  int nClasses = 0;
  const std::vector<int> component = communicatingClasses(A, nClasses);
  // A class is closed (recurrent) when no transition leaves it.
  std::vector<char> closed(nClasses, 1);
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j)
      if (A(i, j) > 0 && component[i] != component[j]) closed[component[i]] = 0;
  std::vector<int> transient;
  for (int i = 0; i < N; ++i)
    if (!closed[component[i]]) transient.push_back(i);
  // Probability of ending in each closed class: what startprob puts there, plus what flows in
  // from the transient states, whose expected visits h solve h (I - A_TT) = startprob_T.
  std::vector<double> classMass(nClasses, 0.0);
  for (int i = 0; i < N; ++i)
    if (closed[component[i]]) classMass[component[i]] += startprob[i];
  if (!transient.empty()) {
    const int T = static_cast<int>(transient.size());
    // (I - A_TT)ᵀ hᵀ = startprob_Tᵀ.
    Eigen::MatrixXd leave = Eigen::MatrixXd::Identity(T, T);
    Eigen::VectorXd start(T);
    for (int a = 0; a < T; ++a) {
      start[a] = startprob[transient[a]];
      for (int b = 0; b < T; ++b) leave(b, a) -= A(transient[a], transient[b]);
    }
    const Eigen::VectorXd visits = solveSmall(std::move(leave), std::move(start));
    for (int a = 0; a < T; ++a)
      for (int j = 0; j < N; ++j)
        if (closed[component[j]]) classMass[component[j]] += visits[a] * A(transient[a], j);
  }
  // Each closed class's own stationary distribution: π_C (A_CC - I) = 0 with Σ π_C = 1 (one
  // balance equation, redundant, replaced by the sum).
  Eigen::VectorXd pi = Eigen::VectorXd::Zero(N);
  for (int k = 0; k < nClasses; ++k) {
    if (!closed[k] || classMass[k] <= 0) continue;
    std::vector<int> members;
    for (int i = 0; i < N; ++i)
      if (component[i] == k) members.push_back(i);
    const int C = static_cast<int>(members.size());
    Eigen::MatrixXd system(C, C);
    for (int a = 0; a < C; ++a)
      for (int b = 0; b < C; ++b) system(a, b) = A(members[b], members[a]) - (a == b ? 1.0 : 0.0);
    system.row(C - 1).setOnes();
    Eigen::VectorXd rhs = Eigen::VectorXd::Zero(C);
    rhs[C - 1] = 1.0;
    const Eigen::VectorXd piClass = solveSmall(std::move(system), std::move(rhs));
    for (int a = 0; a < C; ++a) pi[members[a]] = classMass[k] * std::max(piClass[a], 0.0);
  }
  pi /= pi.sum();
  return std::vector<double>(pi.data(), pi.data() + N);
}

}  // namespace gmmhmm
