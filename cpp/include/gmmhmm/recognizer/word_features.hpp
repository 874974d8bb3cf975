#pragma once
// The recognizer's front end: what a recording of a word becomes before any model sees it.
// MFCC (sample-rate-independent preset) -> trim leading/trailing silence -> Δ, ΔΔ ->
// per-utterance cepstral mean normalisation. Training and classification use the same
// function with the same options (stored in the recognizer's JSON), so models trained at
// 8 kHz classify 44.1/48 kHz microphone audio.

#include <cstddef>

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
  // Frames whose C0 is more than trimDb below the loudest frame's are cut from both ends
  // (keeping trimMarginFrames of them), so leading/trailing silence of uncut recordings
  // does not have to be modelled. <= 0 disables trimming.
  double trimDb = 35.0;
  int trimMarginFrames = 3;
};

// Validates every option, the front end's with the same rules as mfcc() (rate-independent);
// throws InvalidArgument naming the option.
void validate(const WordFeatureOptions& options);
// Throws InvalidArgument unless the front end of these options works at one of the common
// sample rates at least (8-96 kHz): options no recording can be classified with.
void requireServableRate(const WordFeatureOptions& options);
nlohmann::json toJson(const WordFeatureOptions& options);
// Missing keys keep their defaults; wrong types/values throw ModelFormatError.
WordFeatureOptions wordFeatureOptionsFromJson(const nlohmann::json& json);

// Indices [first, last) of the frames kept by the silence trim of `mfcc` (C0 in column 0).
struct FrameRange {
  std::ptrdiff_t first = 0;
  std::ptrdiff_t last = 0;
};
FrameRange speechFrames(const RowMatrix& mfcc, const WordFeatureOptions& options);

// How steady a sound is, from its static cepstra (C0 first) before any normalisation: words
// change in level and in spectral shape from frame to frame; steady noise, hum and tones do
// not. Robust to the first and last frames (a steady sound's onset and end): levelSpreadDb
// is 1.4826 x the median absolute deviation of C0 (its standard deviation for normally
// distributed values), in dB of the mean band energy; shapeSpread is the square root of the
// median over the frames of the mean squared deviation of C1..C(numCeps-1) from their
// medians (cepstral units). wordFeatures() measures the frames within trimDb of the loudest,
// without the trim's margin frames.
struct Steadiness {
  double levelSpreadDb = 0;
  double shapeSpread = 0;
};
Steadiness steadiness(const Eigen::Ref<const RowMatrix>& cepstra, const WordFeatureOptions& options);

// Features of one utterance: T x 13·(deltaOrder+1). Fewer samples than one frame -> 0 rows.
// Throws InvalidArgument for NaN/infinite samples or a bad sample rate (from the front end).
// `kept` (optional) receives which MFCC frames survived the trim, `steady` (optional) their
// steadiness (before mean/variance normalisation).
RowMatrix wordFeatures(const float* samples, std::size_t numSamples, double sampleRate,
                       const WordFeatureOptions& options = WordFeatureOptions(), FrameRange* kept = nullptr,
                       Steadiness* steady = nullptr);

// Width of the features for these options: numCeps · (deltaOrder + 1).
int featureWidth(const WordFeatureOptions& options);

// Peak level of the signal in dBFS (samples of +-1 = 0 dB); -inf for digital silence.
double peakLevelDb(const float* samples, std::size_t numSamples);

}  // namespace gmmhmm::recognizer
