#pragma once
// hmmlearn's initialisation of a categorical or multinomial emissionprob (internal header):
// random_state.rand(n_components, n_features) with its rows normalised, from gmmhmm's seeded
// generator. One copy for both families.

#include "gmmhmm/model/gmm_hmm.hpp"  // RowMatrix, Index

namespace gmmhmm::detail {

class Random;

// rows × cols uniform numbers, each row divided by its sum (uniform if the sum is 0).
RowMatrix randomStochasticRows(Index rows, Index cols, Random& rng);

}  // namespace gmmhmm::detail
