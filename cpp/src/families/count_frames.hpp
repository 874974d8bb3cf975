#pragma once
// Frames of counts (PoissonHMM, MultinomialHMM), internal header: rows of nFeatures
// non-negative integers, checked once where every call enters (fit, score, decode...).

#include "gmmhmm/model/gmm_hmm.hpp"  // SequenceSet, Index

namespace gmmhmm::detail {

// The largest count accepted: every integer up to it is exact in a double (2^53 - 1).
inline constexpr double kMaxCount = 9007199254740991.0;

// Throws InvalidArgument "<method>: X[t][k] is v: ..." for the first value that is not an
// integer in [0, kMaxCount], "<method>: X must hold rows of nFeatures counts" for another row
// width (when nFeatures > 0; 0: unknown, any width), and, when nTrials > 0,
// "<method>: X[t] sums to S ..." for a frame whose counts do not add up to nTrials.
void checkCountFrames(const SequenceSet& X, Index nFeatures, const char* method, double nTrials = 0);

// sum_k log(x_k!) of each of the T frames of width M at `frames` (the part of the Poisson and
// multinomial log-probabilities that depends on the frame only).
void logFactorialSums(const double* frames, Index T, Index M, double* out);

}  // namespace gmmhmm::detail
