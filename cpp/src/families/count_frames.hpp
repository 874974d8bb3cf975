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

// Counts from which a frame's log-probability is recomputed term by term (below): the fast
// form, sum_k x_k log p_k minus the log-factorials, subtracts numbers of size x log x, and at
// 2^20 its rounding is still below 1e-8 nat; at 2^52 it was 40 nats (log-probabilities > 0).
inline constexpr double kSaddlePointFrom = 1048576.0;
inline constexpr double kTwoPi = 6.283185307179586476925286766559;

// Catherine Loader's saddle-point pieces (as R's dpois and dbinom): stirlingError(n) =
// log n! - log(sqrt(2 pi n) (n/e)^n) for a count n >= 1, and deviance(x, m) = x log(x/m) + m - x
// (>= 0) for x >= 0, m > 0, both without cancellation. With them
// log Poisson(x; m) = -deviance(x, m) - stirlingError(x) - log(2 pi x)/2 (x >= 1), and the
// multinomial's log n! - sum log x_k! + sum x_k log p_k is
// sum_k -deviance(x_k, n p_k) + stirlingError(n) + log(2 pi n)/2 - sum_{x_k > 0} (stirlingError(x_k) + log(2 pi x_k)/2).
double stirlingError(double n);
double deviance(double x, double m);

}  // namespace gmmhmm::detail
