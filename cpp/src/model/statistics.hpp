#pragma once
// Sufficient statistics of Baum-Welch and the exact maximum-likelihood (or MAP, with priors)
// M-step: covariances are computed around the UPDATED means.
//
// Rule for parts that receive no data (occupancy below kEmptyOccupancy): a component keeps
// its mean and covariance and its weight becomes its (tiny) share of the state; a state keeps
// all its mixture parameters and its transition row. Nothing becomes NaN.

#include <vector>

#include <Eigen/Core>

#include "emissions.hpp"
#include "mixture_params.hpp"

namespace gmmhmm::detail {

constexpr double kEmptyOccupancy = 1e-8;

struct Statistics {
  Eigen::VectorXd start;  // N: expected initial occupancy
  RowMatrix trans;        // N × N: expected transition counts
  Eigen::VectorXd occupancy;  // K
  RowMatrix sum1;             // K × D: Σ w x
  RowMatrix sum2;             // K × D: Σ w x² (diag, spherical)
  std::vector<Eigen::MatrixXd> outer;  // full: K, tied: N matrices Σ w x xᵀ
  double logLikelihood = 0;

  void reset(const MixtureParams& shape);
  // One block of frames: X (T × D), within-state responsibilities (T × K), state posteriors
  // gamma (T × N).
  void accumulate(const Eigen::Ref<const RowMatrix>& X, const ColMatrix& responsibilities,
                  const Eigen::Ref<const RowMatrix>& gamma, const MixtureParams& shape);
};

struct Floors {
  Eigen::VectorXd perFeature;  // variance floor for every feature
};

struct PriorSettings {
  double startprob = 1, transmat = 1, weights = 1, meansPrior = 0, meansWeight = 0, covarsPrior = 0,
         covarsWeight = 0;
};

// Updates the selected parameters in place from the statistics ("stmcw" letters).
void maximize(const Statistics& stats, const std::string& params, const Floors& floors,
              const PriorSettings& priors, Eigen::VectorXd& startprob, RowMatrix& transmat,
              MixtureParams& mixtures);

// Applies the variance floors to every covariance (diag: elementwise; spherical: the largest
// floor; full/tied: Σ ⪰ diag(floor) by clamping eigenvalues in the floor-whitened space).
void applyFloors(const Floors& floors, MixtureParams& mixtures);

}  // namespace gmmhmm::detail
