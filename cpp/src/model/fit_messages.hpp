#pragma once
// What FitSession and ShareStatistics (gmmhmm/model/fit_session.hpp) send each other, as flat
// vectors of doubles: the set-up of a share (fixed for a fit) and the parameters of an
// iteration. Decoding checks every size and value and throws InvalidArgument naming the
// message, so that a corrupted or mismatched message never reaches the E-step.

#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "feature_tiles.hpp"
#include "mixture_params.hpp"

namespace gmmhmm::detail {

struct ShareSetup {
  int nStates = 0, nFeatures = 0;
  CovarianceType type = CovarianceType::Diag;
  std::vector<char> endMask;  // empty: every state may end
  FeatureScaling scaling;     // empty: double tiles (or none, full / tied)
  // Empty: the frames as given. Else subtracted from every frame before anything reads them:
  // the fit of data far from the origin works on centred frames (fit_session.cpp).
  Eigen::RowVectorXd origin;
};

std::vector<double> encodeSetup(const ShareSetup& setup);
ShareSetup decodeSetup(const std::vector<double>& values);

struct IterationParameters {
  Eigen::VectorXd startprob;
  RowMatrix transmat;
  MixtureParams mixtures;
};

std::vector<double> encodeParameters(const Eigen::VectorXd& startprob, const RowMatrix& transmat,
                                     const MixtureParams& mixtures);
IterationParameters decodeParameters(const std::vector<double>& values, const ShareSetup& setup);

// A fit's mixture initialisation (k-means or segmental: the costly part of opening a
// FitSession) handed to another thread: everything it reads but the frames, whose global
// statistics the other side computes itself (the same code on the same frames: the same bits).
struct InitialisationJob {
  ShareSetup setup;              // nStates, nFeatures, type, endMask, origin (no scaling)
  bool segmental = false;        // initializeSegmental (else initializeKMeans)
  std::string letters;           // what it initialises (initParams' letters)
  std::uint64_t seed = 0;        // of the fit's generator, fresh
  int nInit = 1;
  Eigen::VectorXd floors;        // the variance floor of every feature
  IterationParameters start;     // the parameters before it (letters left out keep theirs)
};

std::vector<double> encodeInitialisation(const InitialisationJob& job);
InitialisationJob decodeInitialisation(const std::vector<double>& values);

}  // namespace gmmhmm::detail
