#pragma once
// Parameters of the Gaussian mixtures of all states, in one internal layout for every
// covariance type. Component k = s * M + m.
//  diag:      var      K × D
//  spherical: var      K × D (all columns equal)
//  full:      fullCov  K matrices D × D
//  tied:      fullCov  N matrices D × D (shared by a state's components)

#include <vector>

#include <Eigen/Core>

#include "gmmhmm/model/config.hpp"
#include "gmmhmm/model/gmm_hmm.hpp"

namespace gmmhmm::detail {

struct MixtureParams {
  int nStates = 0, nMix = 0, nFeatures = 0;
  CovarianceType type = CovarianceType::Diag;
  RowMatrix weights;  // N × M
  RowMatrix means;    // K × D
  RowMatrix var;      // K × D (diag, spherical)
  std::vector<Eigen::MatrixXd> fullCov;

  int nComponents() const { return nStates * nMix; }
  bool isFullType() const { return type == CovarianceType::Full || type == CovarianceType::Tied; }
  // Covariance of component k as a full matrix (for sampling, splitting, export).
  Eigen::MatrixXd covarianceOf(int k) const;
  // Per-dimension variances of component k.
  Eigen::VectorXd varianceOf(int k) const;
};

}  // namespace gmmhmm::detail
