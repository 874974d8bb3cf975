#pragma once
// The recognizer's front end: what a recording of a word becomes before any model sees it.
// Training and classification use the same function with the same options (stored in the
// recognizer's JSON), so models trained at 8 kHz classify 44.1/48 kHz microphone audio, and a
// word cut tight, padded with silence or surrounded by room noise gives the same frames:
//  1. edgePadding: digital silence (one frame length) at both ends, so that the frames at a
//     tight cut exist as they do in a padded recording of the same word;
//  2. mel band energies (the sample-rate-independent preset, MfccOptions::speechPreset());
//  3. floorDb: every band energy is raised by the same floor, floorDb below the loudest
//     frame's mean band energy, so digital silence, dither and quiet noise all become that
//     floor instead of log values near Kaldi's epsilon (-16, far from anything a model saw);
//  4. noiseEdges: steady background noise at either end is found and cut (noise_edges.hpp);
//  5. trim: the frames from the first to the last within trimDb of the loudest, measured on
//     the frame's mean band energy (trimOn "power"; "c0", the mean of the log energies, rates
//     a flat noise as loud as a vowel);
//  6. log -> DCT (MFCC), Δ, ΔΔ, per-utterance cepstral mean normalisation.
//  7. noiseUncertainty: when noise was cut at the ends, how uncertain each kept frame's
//     features are because of it; the likelihood-ratio test scores with that uncertainty.
// Recognizer files written before steps 1, 3, 4, 7 and the power trim existed load with them
// off (WordFeatureOptions::olderFiles()), and compute exactly the features they were trained on.
// Measurements behind every default: docs/robustness.md.

#include <cstddef>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "gmmhmm/features/feature_matrix.hpp"
#include "gmmhmm/features/options.hpp"

namespace gmmhmm::recognizer {

using RowMatrix = features::RowMatrix;

struct WordFeatureOptions {
  features::MfccOptions mfcc = features::MfccOptions::speechPreset();
  int deltaOrder = 2;
  int deltaWindow = 2;
  bool normalizeMean = true;       // CMN: removes the channel / recording level
  bool normalizeVariance = false;  // CVN on top of CMN
  bool edgePadding = true;         // step 1 above
  double floorDb = 40.0;           // step 3; 0 = none (Kaldi's epsilon floor only)
  bool noiseEdges = true;          // step 4 (needs floorDb > 0 to tell silence from noise)
  // Step 5: frames more than trimDb below the loudest are cut from both ends (keeping
  // trimMarginFrames of them). <= 0 disables trimming.
  std::string trimOn = "power";    // "power" | "c0"
  double trimDb = 30.0;
  int trimMarginFrames = 0;
  // Step 7 (classification only): where steady noise was cut at the ends, the variance it
  // adds to the kept frames' features (observation uncertainty, noise_uncertainty.hpp) is
  // added to the Gaussians' variances in the likelihood-ratio test; this scales it, 0: none.
  // Not with normalizeVariance.
  double noiseUncertainty = 0.25;

  // The front end of recognizer files written before edgePadding, floorDb, noiseEdges,
  // noiseUncertainty and trimOn existed (trimmed on C0 35 dB below the loudest, 3 margin frames).
  static WordFeatureOptions olderFiles();
};

// Validates every option, the front end's with the same rules as mfcc() (rate-independent);
// throws InvalidArgument naming the option.
void validate(const WordFeatureOptions& options);
// Throws InvalidArgument unless the front end of these options works at one of the common
// sample rates at least (8-96 kHz): options no recording can be classified with.
void requireServableRate(const WordFeatureOptions& options);
nlohmann::json toJson(const WordFeatureOptions& options);
// Missing keys keep the values of `base` (the defaults for options a caller gives;
// WordFeatureOptions::olderFiles() for a recognizer file); wrong types/values throw.
WordFeatureOptions wordFeatureOptionsFromJson(const nlohmann::json& json,
                                              const WordFeatureOptions& base = WordFeatureOptions());

// Frames [first, last).
struct FrameRange {
  std::ptrdiff_t first = 0;
  std::ptrdiff_t last = 0;
};

// How steady a sound is, from its static cepstra (C0 first) before any normalisation: words
// change in level and in spectral shape from frame to frame; steady noise, hum and tones do
// not. Robust to the first and last frames (a steady sound's onset and end): levelSpreadDb
// is 1.4826 x the median absolute deviation of C0 (its standard deviation for normally
// distributed values), in dB of the mean band energy; shapeSpread is the square root of the
// median over the frames of the mean squared deviation of C1..C(numCeps-1) from their
// medians (cepstral units). wordFeatures() measures the frames within trimDb of the loudest,
// without the trim's margin frames or the noise at the edges.
struct Steadiness {
  double levelSpreadDb = 0;
  double shapeSpread = 0;
};
Steadiness steadiness(const Eigen::Ref<const RowMatrix>& cepstra, const WordFeatureOptions& options);

// What wordFeatures() found besides the features.
struct UtteranceInfo {
  // The frames kept, in the frames of the samples as given (MFCC frame indices without the
  // edge padding); empty when nothing was kept.
  FrameRange kept;
  Steadiness steady;        // of the kept frames without the margin (before normalisation)
  bool onlySteadyNoise = false;  // noiseEdges found steady noise from end to end
  // Set by the caller (kept by wordFeatures): compute noiseVariance (classification only).
  bool wantNoiseVariance = false;
  // Per kept frame and feature, the variance the noise at the ends adds (noiseUncertainty);
  // empty when not wanted, when the option is 0 or when no noise was found.
  RowMatrix noiseVariance;
};

// Features of one utterance: T x 13·(deltaOrder+1). Fewer samples than one frame, or only
// steady noise (info->onlySteadyNoise) -> 0 rows. Throws InvalidArgument for NaN/infinite
// samples or a bad sample rate (from the front end).
RowMatrix wordFeatures(const float* samples, std::size_t numSamples, double sampleRate,
                       const WordFeatureOptions& options = WordFeatureOptions(), UtteranceInfo* info = nullptr);

// Throws InvalidArgument (the front end's message) unless wordFeatures() can run at sampleRate:
// a listener checks its stream's rate once, before any word.
void requireRateServed(const WordFeatureOptions& options, double sampleRate);

// Width of the features for these options: numCeps · (deltaOrder + 1).
int featureWidth(const WordFeatureOptions& options);

// Peak level of the signal in dBFS (samples of +-1 = 0 dB); -inf for digital silence.
double peakLevelDb(const float* samples, std::size_t numSamples);

}  // namespace gmmhmm::recognizer
