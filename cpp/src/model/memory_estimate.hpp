#pragma once
// How much memory a model and its training need, from the sizes alone (internal header):
// checked against memoryLimit() before anything is allocated, so a call that cannot fit is
// refused with OutOfMemory instead of growing the heap and failing half-way.

#include <string>

#include "data_pass.hpp"
#include "gmmhmm/model/config.hpp"

namespace gmmhmm::detail {

// Bytes of the parameters of a model of this config (startprob, transmat, weights, means,
// covariances); nFeatures 0 counts as 1.
double parameterBytes(const ModelConfig& config);

// Bytes fit() plans to use besides the data: the model's parameters, its working copy and
// the copy kept across each M-step, the statistics (two more sets), the emission evaluator's
// precomputed factors, the sparse chain, the [x, x²] tiles of diagonal and spherical models
// (FeatureTiles::bytes; counted also when the E-steps run in shares elsewhere: at most
// kTileCacheBytes too many), and the per-frame buffers of the largest group
// (expectationPassBytes).
double fitBytes(const ModelConfig& config, const SequenceData& data);

// A pass over the data's chain: the model's transmat (N × N) and the sparse form built for
// the pass (both directions: index, probability, log-probability; 5 values per allowed
// transition, so a left-right chain of 10,000 states costs its transmat alone).
double chainBytes(const RowMatrix& transmat);

// Throws OutOfMemory when `bytes` exceed memoryLimit(), naming `what` and both sizes.
void requireMemory(double bytes, const std::string& what);

}  // namespace gmmhmm::detail
