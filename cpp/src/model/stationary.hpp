#pragma once
// The stationary distribution of a chain (internal header; stationary.cpp): the long-run
// average distribution of the chain started from startprob (docs/hmmlearn.md), shared by
// GmmHmm and the emission families' Hmm.

#include <vector>

#include <Eigen/Core>

#include "gmmhmm/model/gmm_hmm.hpp"

namespace gmmhmm::detail {

std::vector<double> stationaryDistribution(const Eigen::VectorXd& startprob, const RowMatrix& transmat);

}  // namespace gmmhmm::detail
