#include "gmmhmm/recognizer/word_features.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gmmhmm/features/cmvn.hpp"
#include "gmmhmm/features/deltas.hpp"
#include "gmmhmm/features/feature_computer.hpp"
#include "gmmhmm/features/frontend.hpp"
#include "json_fields.hpp"
#include "median.hpp"

namespace gmmhmm::recognizer {

using detail::failArgument;
using detail::median;
using detail::read;

void validate(const WordFeatureOptions& o) {
  if (o.deltaOrder < 0 || o.deltaOrder > 3) failArgument("features.deltaOrder must be in [0, 3], got ", o.deltaOrder);
  if (o.deltaWindow < 1 || o.deltaWindow > 10) failArgument("features.deltaWindow must be in [1, 10], got ", o.deltaWindow);
  if (!std::isfinite(o.trimDb) || o.trimDb > 200) failArgument("features.trimDb must be a number <= 200 (<= 0 disables trimming), got ", o.trimDb);
  if (o.trimMarginFrames < 0 || o.trimMarginFrames > 1000)
    failArgument("features.trimMarginFrames must be in [0, 1000], got ", o.trimMarginFrames);
  if (o.mfcc.useEnergy) failArgument("features.useEnergy must be false: the silence trim reads C0 from column 0");
  // The front end's own rules, the same as for mfcc() (options.cpp), named as options here.
  try {
    features::validate(o.mfcc);
  } catch (const InvalidArgument& e) {
    failArgument("features.", e.what());
  }
}

void requireServableRate(const WordFeatureOptions& o) {
  // Options may be valid one by one and still serve no recording: 1024 mel bins in a 60-3800
  // Hz band leave the lowest bins without an FFT bin at every rate, a band reaching 20 kHz
  // needs 40 kHz audio. The front end is built at the common rates (and at the lowest one
  // the band allows) until one works; classify() at a rate the options cannot serve then
  // fails naming the rule.
  std::vector<double> rates = {8000, 16000, 22050, 32000, 44100, 48000, 96000};
  const double bandRate = std::ceil(2.0 * std::max(o.mfcc.highFreq, o.mfcc.lowFreq) + 1.0);
  if (bandRate > 96000 && bandRate <= 1e6) rates.push_back(bandRate);
  std::string firstFailure;
  for (const double rate : rates) {
    try {
      const features::MfccComputer probe(o.mfcc, rate);
      return;
    } catch (const InvalidArgument& e) {
      if (firstFailure.empty()) firstFailure = e.what();
    }
  }
  failArgument("features: no common sample rate (8-96 kHz) can be served by these options (at 8000 Hz: ",
               firstFailure, ")");
}

nlohmann::json toJson(const WordFeatureOptions& o) {
  const auto& m = o.mfcc;
  return {
      {"frameLength", m.frameLength}, {"frameShift", m.frameShift}, {"windowType", m.windowType},
      {"preemphasisCoefficient", m.preemphasisCoefficient}, {"removeDcOffset", m.removeDcOffset},
      {"roundToPowerOfTwo", m.roundToPowerOfTwo}, {"snipEdges", m.snipEdges}, {"inputScale", m.inputScale},
      {"numMelBins", m.numMelBins}, {"lowFreq", m.lowFreq}, {"highFreq", m.highFreq},
      {"normalizeEnergy", m.normalizeEnergy}, {"numCeps", m.numCeps}, {"cepstralLifter", m.cepstralLifter},
      {"useEnergy", m.useEnergy}, {"energyFloor", m.energyFloor},
      {"deltaOrder", o.deltaOrder}, {"deltaWindow", o.deltaWindow}, {"normalizeMean", o.normalizeMean},
      {"normalizeVariance", o.normalizeVariance}, {"trimDb", o.trimDb}, {"trimMarginFrames", o.trimMarginFrames},
  };
}

WordFeatureOptions wordFeatureOptionsFromJson(const nlohmann::json& j) {
  WordFeatureOptions o;
  const std::string w = "features";
  detail::rejectUnknownKeys(j, toJson(o), w);
  auto& m = o.mfcc;
  read(j, "frameLength", m.frameLength, w);
  read(j, "frameShift", m.frameShift, w);
  read(j, "windowType", m.windowType, w);
  read(j, "preemphasisCoefficient", m.preemphasisCoefficient, w);
  read(j, "removeDcOffset", m.removeDcOffset, w);
  read(j, "roundToPowerOfTwo", m.roundToPowerOfTwo, w);
  read(j, "snipEdges", m.snipEdges, w);
  read(j, "inputScale", m.inputScale, w);
  read(j, "numMelBins", m.numMelBins, w);
  read(j, "lowFreq", m.lowFreq, w);
  read(j, "highFreq", m.highFreq, w);
  read(j, "normalizeEnergy", m.normalizeEnergy, w);
  read(j, "numCeps", m.numCeps, w);
  read(j, "cepstralLifter", m.cepstralLifter, w);
  read(j, "useEnergy", m.useEnergy, w);
  read(j, "energyFloor", m.energyFloor, w);
  read(j, "deltaOrder", o.deltaOrder, w);
  read(j, "deltaWindow", o.deltaWindow, w);
  read(j, "normalizeMean", o.normalizeMean, w);
  read(j, "normalizeVariance", o.normalizeVariance, w);
  read(j, "trimDb", o.trimDb, w);
  read(j, "trimMarginFrames", o.trimMarginFrames, w);
  validate(o);
  return o;
}

namespace {

// The frames from the first to the last within trimDb of the loudest (no margin).
FrameRange loudFrames(const RowMatrix& mfcc, const WordFeatureOptions& options) {
  const std::ptrdiff_t T = mfcc.rows();
  if (T == 0 || options.trimDb <= 0) return {0, T};
  // Kaldi's C0 is sqrt(1/numMelBins) * sum of the log mel energies (before liftering, and
  // the lifter's weight of C0 is 1), i.e. sqrt(numMelBins) * their mean: a drop of trimDb
  // in every band lowers C0 by sqrt(numMelBins) * trimDb * ln(10) / 10.
  const double drop = std::sqrt(static_cast<double>(options.mfcc.numMelBins)) * options.trimDb * std::log(10.0) / 10.0;
  const double loudest = mfcc.col(0).maxCoeff();
  std::ptrdiff_t first = 0, last = T;
  while (first < T && mfcc(first, 0) < loudest - drop) ++first;
  while (last > first && mfcc(last - 1, 0) < loudest - drop) --last;
  return {first, last};
}

// The loud frames and trimMarginFrames on either side (when trimming at all).
FrameRange withMargin(const FrameRange& loud, std::ptrdiff_t frames, const WordFeatureOptions& options) {
  if (options.trimDb <= 0) return loud;
  return {std::max<std::ptrdiff_t>(0, loud.first - options.trimMarginFrames),
          std::min<std::ptrdiff_t>(frames, loud.last + options.trimMarginFrames)};
}

}  // namespace

FrameRange speechFrames(const RowMatrix& mfcc, const WordFeatureOptions& options) {
  return withMargin(loudFrames(mfcc, options), mfcc.rows(), options);
}

Steadiness steadiness(const Eigen::Ref<const RowMatrix>& cepstra, const WordFeatureOptions& options) {
  // Medians, not means: a steady sound's first and last frames (its onset and end, partly
  // silence) differ from the rest as much as speech frames do, and would otherwise decide.
  Steadiness s;
  const std::ptrdiff_t T = cepstra.rows();
  if (T == 0 || cepstra.cols() == 0) return s;
  std::vector<double> column(static_cast<std::size_t>(T)), deviation(static_cast<std::size_t>(T));
  const auto columnMedian = [&](Eigen::Index c) {
    for (std::ptrdiff_t t = 0; t < T; ++t) column[static_cast<std::size_t>(t)] = cepstra(t, c);
    return median(column);
  };
  // Level: 1.4826 x the median absolute deviation of C0 (= its standard deviation for a
  // normal distribution); C0 = sqrt(numMelBins) x mean log mel energy (see speechFrames()).
  const double c0Median = columnMedian(0);
  for (std::ptrdiff_t t = 0; t < T; ++t) deviation[static_cast<std::size_t>(t)] = std::fabs(cepstra(t, 0) - c0Median);
  s.levelSpreadDb = 1.4826 * median(deviation) / (std::sqrt(static_cast<double>(options.mfcc.numMelBins)) * std::log(10.0) / 10.0);
  // Shape: the median over frames of the mean squared deviation of C1.. from their medians.
  const Eigen::Index D = cepstra.cols() - 1;
  if (D > 0) {
    Eigen::RowVectorXd centre(D);
    for (Eigen::Index c = 0; c < D; ++c) centre[c] = columnMedian(c + 1);
    for (std::ptrdiff_t t = 0; t < T; ++t)
      deviation[static_cast<std::size_t>(t)] = (cepstra.row(t).tail(D) - centre).squaredNorm() / static_cast<double>(D);
    s.shapeSpread = std::sqrt(median(deviation));
  }
  return s;
}

RowMatrix wordFeatures(const float* samples, std::size_t numSamples, double sampleRate,
                       const WordFeatureOptions& options, FrameRange* kept, Steadiness* steady) {
  validate(options);
  RowMatrix mfcc = features::mfcc(samples, numSamples, sampleRate, options.mfcc);
  const FrameRange loud = loudFrames(mfcc, options);
  const FrameRange keep = withMargin(loud, mfcc.rows(), options);
  if (kept) *kept = keep;
  RowMatrix speech = mfcc.middleRows(keep.first, keep.last - keep.first);
  // Steadiness of the sound itself: the margin frames (often silence before and after a
  // steady hum) would count as change.
  if (steady) *steady = steadiness(mfcc.middleRows(loud.first, loud.last - loud.first), options);
  if (speech.rows() == 0) return RowMatrix(0, featureWidth(options));
  RowMatrix withDeltas = options.deltaOrder > 0 ? features::addDeltas(speech, options.deltaOrder, options.deltaWindow) : speech;
  if (options.normalizeMean || options.normalizeVariance) return features::cmvn(withDeltas, options.normalizeVariance);
  return withDeltas;
}

int featureWidth(const WordFeatureOptions& options) { return options.mfcc.numCeps * (options.deltaOrder + 1); }

double peakLevelDb(const float* samples, std::size_t numSamples) {
  double peak = 0;
  for (std::size_t i = 0; i < numSamples; ++i) peak = std::max(peak, std::fabs(static_cast<double>(samples[i])));
  return peak > 0 ? 20.0 * std::log10(peak) : -std::numeric_limits<double>::infinity();
}

}  // namespace gmmhmm::recognizer
