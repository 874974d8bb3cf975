#include "transitions.hpp"

#include <cmath>
#include <limits>

namespace gmmhmm::detail {

Transitions Transitions::build(const Eigen::VectorXd& startprob, const RowMatrix& transmat,
                               const std::vector<char>& endMask) {
  Transitions tr;
  const int n = static_cast<int>(startprob.size());
  tr.n = n;
  tr.start = startprob;
  tr.logStart = startprob.array().log();
  tr.predBegin.assign(n + 1, 0);
  tr.succBegin.assign(n + 1, 0);
  // Sized once: grown entry by entry, the lists of a large chain held up to twice their size
  // (and both copies while moving), which the memory estimates do not count.
  const size_t allowed = static_cast<size_t>((transmat.array() > 0).count());
  for (auto* v : {&tr.predState, &tr.succState}) v->reserve(allowed);
  for (auto* v : {&tr.predProb, &tr.predLogProb, &tr.succProb, &tr.succLogProb}) v->reserve(allowed);
  for (int s = 0; s < n; ++s) {
    tr.predBegin[s] = static_cast<int>(tr.predState.size());
    for (int r = 0; r < n; ++r) {
      const double a = transmat(r, s);
      if (a > 0) {
        tr.predState.push_back(r);
        tr.predProb.push_back(a);
        tr.predLogProb.push_back(std::log(a));
      }
    }
  }
  tr.predBegin[n] = static_cast<int>(tr.predState.size());
  for (int r = 0; r < n; ++r) {
    tr.succBegin[r] = static_cast<int>(tr.succState.size());
    for (int s = 0; s < n; ++s) {
      const double a = transmat(r, s);
      if (a > 0) {
        tr.succState.push_back(s);
        tr.succProb.push_back(a);
        tr.succLogProb.push_back(std::log(a));
      }
    }
  }
  tr.succBegin[n] = static_cast<int>(tr.succState.size());
  if (n <= kMaxDenseStates && tr.nonZeros() == long(n) * n) {
    tr.dense = transmat;
    tr.denseTransposed = transmat.transpose();
  }
  tr.endAllowed.assign(n, 1);
  tr.allEndsAllowed = true;
  if (!endMask.empty()) {
    tr.endAllowed = endMask;
    for (char e : endMask)
      if (!e) tr.allEndsAllowed = false;
  }
  return tr;
}

}  // namespace gmmhmm::detail
