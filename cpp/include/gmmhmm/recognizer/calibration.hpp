#pragma once
// Turning per-word scores into probabilities: softmax(scale · duration-normalised
// log-likelihood), with the scale fitted on held-out scores.
//
// Why duration-normalised: log P(X | word) grows with the number of frames, so the raw
// differences between words are hundreds of nats for a one-second word and a softmax of them
// is always 0/1. Per frame, the differences are comparable across utterance lengths, and
// one scale maps them to probabilities that can be checked against held-out accuracy.
//
// Why Platt's targets: with few examples every held-out utterance may be classified correctly
// with a margin, and the maximum-likelihood scale is then infinite (every probability 1).
// Platt (1999) replaces the 0/1 targets by (n+1)/(n+2) and 1/(n+2) (here split over the other
// words), which keeps the fitted scale finite and the confidence honest about the small n.

#include <vector>

namespace gmmhmm::recognizer {

struct CalibrationSample {
  std::vector<double> perFrameScores;  // one per word, duration-normalised log-likelihoods
  int truth = 0;                       // index of the correct word
};

struct CalibrationFit {
  double scale = 1.0;
  int samples = 0;
  double heldOutAccuracy = 0;  // fraction of samples whose best score is the truth
  double heldOutLogLoss = 0;   // mean -log p(truth) at the fitted scale
};

// Fits the scale on held-out samples by minimising the cross-entropy to Platt's targets
// (golden-section search over log(scale) in [log 1e-3, log 1e3]). Needs at least one sample
// and two words; otherwise returns the default scale `fallback` with samples = 0.
CalibrationFit fitSoftmaxScale(const std::vector<CalibrationSample>& samples, double fallback = 1.0);

// softmax(scale · scores); -inf scores get probability 0; all -inf -> uniform.
std::vector<double> softmaxProbabilities(const std::vector<double>& perFrameScores, double scale);

}  // namespace gmmhmm::recognizer
