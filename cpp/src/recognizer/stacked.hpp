#pragma once
// Several utterances stacked into one row-major matrix plus lengths, the form GmmHmm takes.

#include <vector>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/model/gmm_hmm.hpp"
#include "gmmhmm/recognizer/word_features.hpp"

namespace gmmhmm::recognizer::detail {

struct Stacked {
  RowMatrix data;
  std::vector<Index> lengths;

  SequenceSet view() const {
    SequenceSet set;
    set.data = data.data();
    set.nFrames = data.rows();
    set.nFeatures = data.cols();
    set.lengths = lengths;
    return set;
  }
};

template <typename Pointers>
Stacked stack(const Pointers& parts) {
  Stacked out;
  Index rows = 0, cols = -1;
  for (const RowMatrix* m : parts) {
    rows += m->rows();
    if (cols < 0) cols = m->cols();
  }
  out.data.resize(rows, cols < 0 ? 0 : cols);
  Index at = 0;
  for (const RowMatrix* m : parts) {
    out.data.middleRows(at, m->rows()) = *m;
    at += m->rows();
    out.lengths.push_back(m->rows());
  }
  return out;
}

inline SequenceSet single(const RowMatrix& m) {
  SequenceSet set;
  set.data = m.data();
  set.nFrames = m.rows();
  set.nFeatures = m.cols();
  return set;
}

}  // namespace gmmhmm::recognizer::detail
