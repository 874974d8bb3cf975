#pragma once
// Steady background noise at the ends of a recording (internal header of the recognizer's
// front end, word_features.cpp).
//
// A word recorded in a room comes with whatever the microphone heard before and after it: a
// fan, hiss, traffic, the hum of a laptop. A threshold relative to the loudest frame cannot
// tell such noise from the quiet parts of the word (quiet FSDD speakers put white noise at
// -50 dBFS only 13 dB below their speech, pink noise at -40 dBFS level with it). But noise
// that fills the edges is steady: from each end, past any digital silence, the first 80 ms
// are taken as a noise estimate when their band energies hardly change, their level neither
// rises nor falls (a word's onset and decay do) and they are clearly quieter than the
// loudest frame. The word is then the stretch between the two ends' noises that is most
// unlike them (a per-band likelihood ratio as in statistical voice-activity detectors, summed
// over frames: one split for both ends), and its new ends are looked at again (silence, then
// room noise, then a quieter hiss before the word). A recording cut tight at the word begins
// with a changing onset and loses nothing. Figures and the choice of every constant:
// docs/robustness.md.

#include <vector>

#include "gmmhmm/recognizer/word_features.hpp"

namespace gmmhmm::recognizer::detail {

struct NoiseEdgeOptions {
  double estimateMs = 80;        // frames that estimate the noise at an edge
  double maxSpreadDb = 8;        // their mean per-band range (max - min) must not exceed this
  double maxTrendDb = 3;         // the mean power of their last third within this of their first third
  double belowPeakDb = 6;        // and their loudest must be this far below the loudest frame,
  double loudNoiseMs = 250;      // or the noise must last this long (a held vowel does not)
  double peakToleranceDb = 1;    // and hold no frame within this of the loudest
  int confirmFrames = 3;         // a loud noise stops where one of the next frames is belowPeakDb under it;
                                 // fewer frames than this (plus those a window straddles) between
                                 // noises are no sound (a click)
  double twinNoiseDb = 3;        // the same loud noise at both ends (mean band difference) pads the recording
  // A frame belongs to an end's noise when its unlikeness (mean over bands of g - ln g - 1,
  // g = energy / noise) stays under costFactor x that of the estimate's own frames (at least minCost).
  double costFactor = 4;
  double minCost = 0.3;
};

// bandEnergies: T x B linear band energies (already floored). powerDb: per frame,
// 10 log10 of the mean band energy. silenceDb: frames below it count as digital silence.
// straddleFrames: frames that mix silence and sound at an edge (a window is longer than a
// shift). Returns the frames between the noise at the two ends (between the digital silence
// at the ends when there is no noise), an empty range when steady noise fills the whole
// recording around a sound too short to be a word (a click). Steady noise and nothing else
// is returned whole: the steadiness test of wordFeatures() calls it not-speech.
FrameRange soundBetweenNoise(const RowMatrix& bandEnergies, const std::vector<double>& powerDb, double silenceDb,
                             double frameShiftMs, int straddleFrames,
                             const NoiseEdgeOptions& options = NoiseEdgeOptions());

}  // namespace gmmhmm::recognizer::detail
