#pragma once
// The speech front end (namespace gmmhmm::features): Kaldi-compatible MFCC and filter-bank
// features, deltas, per-utterance normalisation, streaming extraction and endpointing.

#include "gmmhmm/features/cmvn.hpp"
#include "gmmhmm/features/deltas.hpp"
#include "gmmhmm/features/endpointer.hpp"
#include "gmmhmm/features/feature_computer.hpp"
#include "gmmhmm/features/feature_stream.hpp"
#include "gmmhmm/features/frontend.hpp"
#include "gmmhmm/features/options.hpp"
