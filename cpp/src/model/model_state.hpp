#pragma once
// The private state of GmmHmm (internal header shared by its source files).

#include <Eigen/Core>

#include "gmmhmm/model/gmm_hmm.hpp"
#include "mixture_params.hpp"
#include "transitions.hpp"

namespace gmmhmm {

struct GmmHmm::State {
  ModelConfig config;
  Eigen::VectorXd startprob;
  RowMatrix transmat;
  detail::MixtureParams mixtures;
  bool hasStartprob = false, hasTransmat = false, hasWeights = false, hasMeans = false, hasCovars = false;
  Monitor monitor;

  bool ready() const { return hasStartprob && hasTransmat && hasWeights && hasMeans && hasCovars; }
  // Fresh mixtures of nFeatures (the weights kept when their shape fits), after checking the
  // sizes (validateConfig) and their memory (memoryLimit()): throws before allocating.
  detail::MixtureParams mixturesFor(int nFeatures) const;
  // Replaces the mixtures by mixturesFor(nFeatures), unless they already have that size.
  void allocateMixtures(int nFeatures);
  std::vector<char> endMask() const;
  detail::Transitions transitions() const;
  // Throws NotFitted naming what is missing.
  void requireReady(const char* method) const;
};

namespace detail {
// Default start/transition probabilities of a topology (ergodic: uniform; left-right: start
// in state 0, uniform over i..i+maxJump).
void defaultChain(const ModelConfig& config, Eigen::VectorXd& startprob, RowMatrix& transmat);
// Validation of user-given parameters (message names the parameter).
void checkProbabilityVector(const double* values, int n, const char* name);
void checkCovariance(const Eigen::MatrixXd& cov, const std::string& name);
}  // namespace detail

}  // namespace gmmhmm
