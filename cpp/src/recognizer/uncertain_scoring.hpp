#pragma once
// A GMM-HMM's log-likelihood of frames whose features carry a known variance of their own
// (observation uncertainty, noise_uncertainty.hpp): each diagonal Gaussian is evaluated with
// its variance plus the frame's, then the forward recursion in the log domain. For the
// recognizer's likelihood-ratio test (one word model and the background model, one word's
// frames): plain loops, no tiling.

#include "gmmhmm/features/feature_matrix.hpp"
#include "gmmhmm/model/gmm_hmm.hpp"

namespace gmmhmm::recognizer::detail {

// The model's parameters as uncertain scoring reads them (copied from the model per call).
struct DiagonalModel {
  int states = 0, mixtures = 0, features = 0;
  std::vector<double> logStart, logTrans, logWeights, means, variances;
  bool endInLastState = false;  // paths must end in the last state (ModelConfig::endInLastState)
  bool usable = false;          // diagonal covariances (the recognizer's); else score() is used
};
DiagonalModel diagonalModel(const GmmHmm& model);

// log p(x | model) with variance[t] added to every Gaussian's variance at frame t.
double uncertainScore(const DiagonalModel& model, const features::RowMatrix& x, const features::RowMatrix& variance);

}  // namespace gmmhmm::recognizer::detail
