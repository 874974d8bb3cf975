#pragma once
// The Markov chain of a model in sparse form. Zeros of startprob/transmat are structural: only
// allowed transitions are stored, so a banded (left-right) chain costs O(band) per state and
// frame instead of O(N). A chain of at most kMaxDenseStates states with every transition
// allowed (ergodic) also keeps the matrix itself, which the scaled forward-backward runs on
// (forward_backward_dense.hpp).

#include <vector>

#include <Eigen/Core>

#include "gmmhmm/model/gmm_hmm.hpp"

namespace gmmhmm::detail {

struct Transitions {
  int n = 0;
  Eigen::VectorXd start;     // N
  Eigen::VectorXd logStart;  // N (-inf where 0)
  // By destination s: predecessors r with a_rs > 0 (CSR).
  std::vector<int> predBegin, predState;
  std::vector<double> predProb, predLogProb;
  // By source r: successors s with a_rs > 0 (CSR), same values.
  std::vector<int> succBegin, succState;
  std::vector<double> succProb, succLogProb;
  std::vector<char> endAllowed;  // N: 1 where a path may end
  bool allEndsAllowed = true;
  // When every a_rs > 0 and N <= kMaxDenseStates: transmat (N × N) and its transpose; else empty.
  RowMatrix dense, denseTransposed;
  static constexpr int kMaxDenseStates = 256;
  bool isDense() const { return dense.size() > 0; }

  // transmat is N×N row-major; endMask empty = every state may end.
  static Transitions build(const Eigen::VectorXd& startprob, const RowMatrix& transmat,
                           const std::vector<char>& endMask);
  long nonZeros() const { return static_cast<long>(predState.size()); }
};

}  // namespace gmmhmm::detail
