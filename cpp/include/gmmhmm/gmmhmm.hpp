#pragma once
// gmmhmm: hidden Markov models with Gaussian-mixture emissions, and a speech front end.
#include "gmmhmm/errors.hpp"
#include "gmmhmm/features.hpp"
#include "gmmhmm/model/config.hpp"
#include "gmmhmm/model/gmm_hmm.hpp"
