#include "gmmhmm/recognizer/word_features.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gmmhmm/features/cmvn.hpp"
#include "gmmhmm/features/deltas.hpp"
#include "gmmhmm/features/cepstral_transform.hpp"
#include "gmmhmm/features/feature_computer.hpp"
#include "gmmhmm/features/frame_extraction.hpp"
#include "json_fields.hpp"
#include "median.hpp"
#include "noise_edges.hpp"
#include "noise_uncertainty.hpp"

namespace gmmhmm::recognizer {

using detail::failArgument;
using detail::median;
using detail::read;

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

WordFeatureOptions WordFeatureOptions::olderFiles() {
  WordFeatureOptions o;
  o.edgePadding = false;
  o.floorDb = 0;
  o.noiseEdges = false;
  o.trimOn = "c0";
  o.trimDb = 35;
  o.trimMarginFrames = 3;
  o.noiseUncertainty = 0;
  return o;
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
  // normal distribution); C0 = sqrt(numMelBins) x mean log mel energy (see trimLevels()).
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

namespace {

// The band energies MFCC are computed from (identical to what MfccComputer takes the log of).
features::FbankOptions bandEnergyOptions(const features::MfccOptions& m) {
  features::FbankOptions f;
  static_cast<features::FrameOptions&>(f) = m;
  static_cast<features::MelOptions&>(f) = m;
  static_cast<features::EnergyOptions&>(f) = m;
  f.useEnergy = false;
  f.useLogFbank = false;
  f.usePower = true;
  return f;
}

// The frames from the first to the last within trimDb of the loudest (no margin), inside
// `within`. `level`: per frame, in the units of `drop`.
FrameRange loudFrames(const std::vector<double>& level, double drop, FrameRange within) {
  if (within.last <= within.first) return within;
  const double loudest = *std::max_element(level.begin(), level.end());
  std::ptrdiff_t first = within.first, last = within.last;
  while (first < last && level[static_cast<std::size_t>(first)] < loudest - drop) ++first;
  while (last > first && level[static_cast<std::size_t>(last - 1)] < loudest - drop) --last;
  return {first, last};
}

// The trim under which the steadiness thresholds (RejectionOptions::minSpreadDb,
// minShapeSpread) were measured: C0 within 35 dB of the loudest frame.
constexpr double kSteadinessTrimDb = 35.0;
// Mean cepstra C1.. of two stretches this close (RMS over the coefficients): the same sound.
constexpr double kSameNoiseShape = 4.0;

// The trim's level of every frame and how far below the loudest a kept frame may be.
std::pair<std::vector<double>, double> trimLevels(const RowMatrix& cepstra, const std::vector<double>& powerDb,
                                                  const WordFeatureOptions& o) {
  if (o.trimOn == "power") return {powerDb, o.trimDb};
  // Kaldi's C0 is sqrt(1/numMelBins) * sum of the log mel energies (before liftering, and
  // the lifter's weight of C0 is 1), i.e. sqrt(numMelBins) * their mean: a drop of trimDb
  // in every band lowers C0 by sqrt(numMelBins) * trimDb * ln(10) / 10.
  std::vector<double> c0(static_cast<std::size_t>(cepstra.rows()));
  for (Eigen::Index t = 0; t < cepstra.rows(); ++t) c0[static_cast<std::size_t>(t)] = cepstra(t, 0);
  return {c0, std::sqrt(static_cast<double>(o.mfcc.numMelBins)) * o.trimDb * std::log(10.0) / 10.0};
}

}  // namespace

RowMatrix wordFeatures(const float* samples, std::size_t numSamples, double sampleRate,
                       const WordFeatureOptions& options, UtteranceInfo* info) {
  validate(options);
  const bool wantNoiseVariance = info && info->wantNoiseVariance;
  if (info) {
    *info = UtteranceInfo();
    info->wantNoiseVariance = wantNoiseVariance;
  }
  features::FbankComputer bands(bandEnergyOptions(options.mfcc), sampleRate);  // validates the rate
  features::validateSamples(samples, numSamples);
  const features::FrameGeometry& g = bands.geometry();
  const std::int64_t frames = g.numFrames(static_cast<std::int64_t>(numSamples));
  if (frames == 0) return RowMatrix(0, featureWidth(options));
  // Step 1: whole shifts of silence covering one window, so the frame grid stays the same.
  // Silence at the recording's own level at an end whose first (last) window is digital
  // silence at a DC offset (constant: its deviation within 1e-3 of its mean): against zeros
  // that offset would be a click there, as loud as a word, and the trim would keep everything
  // from the click to the word. Elsewhere zeros, so that digital silence around a word changes
  // nothing. (A wider rule, any end mostly offset, also changed 27 FSDD recordings whose
  // offset sits under quiet noise, and cost acceptance there: docs/robustness.md.)
  const int windowsInShifts = (g.windowSize + g.windowShift - 1) / g.windowShift;
  const std::ptrdiff_t padFrames = options.edgePadding ? windowsInShifts : 0;
  std::vector<float> padded;
  if (padFrames > 0) {
    const std::size_t pad = static_cast<std::size_t>(padFrames) * static_cast<std::size_t>(g.windowShift);
    const std::size_t window = std::min(numSamples, static_cast<std::size_t>(g.windowSize));
    const auto level = [&](const float* from) {
      double sum = 0, squares = 0;
      for (std::size_t i = 0; i < window; ++i) sum += from[i];
      const double mean = sum / static_cast<double>(window);
      for (std::size_t i = 0; i < window; ++i) squares += (from[i] - mean) * (from[i] - mean);
      const double deviation = std::sqrt(squares / static_cast<double>(window));
      return mean != 0 && deviation <= 1e-3 * std::fabs(mean) ? static_cast<float>(mean) : 0.0f;
    };
    padded.assign(pad, level(samples));
    padded.insert(padded.end(), samples, samples + numSamples);
    padded.insert(padded.end(), pad, level(samples + numSamples - window));
  }
  RowMatrix energies = padFrames > 0 ? bands.compute(padded.data(), padded.size()) : bands.compute(samples, numSamples);
  const Eigen::Index T = energies.rows(), B = energies.cols();

  // Step 3: the floor, and each frame's mean band energy in dB.
  std::vector<double> powerDb(static_cast<std::size_t>(T));
  double peak = 0;
  for (Eigen::Index t = 0; t < T; ++t) peak = std::max(peak, energies.row(t).mean());
  const double floorEnergy = options.floorDb > 0 ? peak * std::pow(10.0, -options.floorDb / 10.0) : 0.0;
  // The steadiness test below was calibrated on energies without the floor; with it, a tone or
  // hum in a few bands leaves the others at the floor and its level seems to vary 20x less.
  const RowMatrix unfloored = floorEnergy > 0 && info ? energies : RowMatrix();
  if (floorEnergy > 0) energies.array() += floorEnergy;
  for (Eigen::Index t = 0; t < T; ++t)
    powerDb[static_cast<std::size_t>(t)] = 10.0 * std::log10(std::max(energies.row(t).mean(), 1e-300));

  // Step 6's log and DCT (Kaldi floors mel energies at float epsilon before the log).
  const features::CepstralTransform dct(static_cast<int>(B), options.mfcc.numCeps, options.mfcc.cepstralLifter);
  const double eps = std::numeric_limits<float>::epsilon();
  RowMatrix cepstra(T, options.mfcc.numCeps);
  std::vector<double> logMel(static_cast<std::size_t>(B));
  for (Eigen::Index t = 0; t < T; ++t) {
    for (Eigen::Index b = 0; b < B; ++b) logMel[static_cast<std::size_t>(b)] = std::log(std::max(energies(t, b), eps));
    dct.apply(logMel.data(), cepstra.row(t).data());
  }

  // Step 4: steady noise at the ends.
  FrameRange sound{0, T};
  if (options.noiseEdges) {
    const double peakDb = 10.0 * std::log10(std::max(peak + floorEnergy, 1e-300));
    const double silenceDb = floorEnergy > 0 ? peakDb - options.floorDb + 1.0 : -3000.0;
    sound = detail::soundBetweenNoise(energies, powerDb, silenceDb, options.mfcc.frameShift, windowsInShifts - 1);
    if (sound.last <= sound.first) {
      if (info) info->onlySteadyNoise = true;
      return RowMatrix(0, featureWidth(options));
    }
  }

  // Step 5: the trim (and its margin, inside the sound).
  FrameRange loud = sound, keep = sound;
  if (options.trimDb > 0) {
    const auto [level, drop] = trimLevels(cepstra, powerDb, options);
    loud = loudFrames(level, drop, sound);
    keep = {std::max(sound.first, loud.first - options.trimMarginFrames),
            std::min(sound.last, loud.last + options.trimMarginFrames)};
  }
  if (info) {
    const auto original = static_cast<std::ptrdiff_t>(frames);
    const auto clamp = [&](std::ptrdiff_t t) { return std::clamp<std::ptrdiff_t>(t - padFrames, 0, original); };
    info->kept = {clamp(keep.first), clamp(keep.last)};
    // Steadiness of the sound itself: the margin frames (often silence before and after a
    // steady hum) would count as change.
    if (options.trimOn == "c0") {
      info->steady = steadiness(cepstra.middleRows(loud.first, loud.last - loud.first), options);
    } else {
      // The "not-speech" thresholds were calibrated on cepstra without the floor, over the
      // frames whose C0 is within kSteadinessTrimDb of the loudest (the older front end). Two
      // delimitations of "the sound", each wrong alone: the whole recording (steady noise
      // padding a word outnumbers it, and the medians see only the noise) and the loud frames
      // between noise edges (a word's steady ends, the /j/ and /s/ of "yes", can be cut there
      // as noise, leaving one steady vowel). A sound is steady only if steady in both.
      const Eigen::Index from = padFrames, n = std::max<Eigen::Index>(T - 2 * padFrames, 0);
      RowMatrix plain(n, options.mfcc.numCeps);
      for (Eigen::Index t = 0; t < n; ++t) {
        for (Eigen::Index b = 0; b < B; ++b) {
          const double e = unfloored.rows() > 0 ? unfloored(from + t, b) : energies(from + t, b);
          logMel[static_cast<std::size_t>(b)] = std::log(std::max(e, eps));
        }
        dct.apply(logMel.data(), plain.row(t).data());
      }
      std::vector<double> c0(static_cast<std::size_t>(n));
      for (Eigen::Index t = 0; t < n; ++t) c0[static_cast<std::size_t>(t)] = plain(t, 0);
      const double drop = std::sqrt(static_cast<double>(options.mfcc.numMelBins)) * kSteadinessTrimDb * std::log(10.0) / 10.0;
      FrameRange whole = loudFrames(c0, drop, FrameRange{0, n});
      const FrameRange word{std::clamp<Eigen::Index>(loud.first - from, 0, n), std::clamp<Eigen::Index>(loud.last - from, 0, n)};
      const auto rows = [&](FrameRange r) { return plain.middleRows(r.first, std::max<Eigen::Index>(r.last - r.first, 0)); };
      // An end cut as noise whose spectral shape is the sound's own (the same noise, quieter:
      // a burst of the room's noise) is left out of the whole: else the step between the two
      // levels would count as change, and a noise burst padded with room noise would pass
      // for speech where the same burst padded with silence does not. A word's own steady
      // ends (a fricative after a vowel) have another shape and stay.
      const FrameRange cutBefore{0, std::clamp<Eigen::Index>(sound.first - from, 0, n)};
      const FrameRange cutAfter{std::clamp<Eigen::Index>(sound.last - from, 0, n), n};
      if (options.noiseEdges && word.last - word.first >= 3) {
        const auto meanShape = [&](FrameRange r) -> Eigen::RowVectorXd {
          return rows(r).rightCols(plain.cols() - 1).colwise().mean();
        };
        const Eigen::RowVectorXd wordShape = meanShape(word);
        const auto sameShape = [&](FrameRange r) {
          if (r.last - r.first < 3) return false;
          const double distance = std::sqrt((meanShape(r) - wordShape).squaredNorm() / static_cast<double>(plain.cols() - 1));
          return distance < kSameNoiseShape;
        };
        if (sameShape(cutBefore)) whole.first = std::max(whole.first, cutBefore.last);
        if (sameShape(cutAfter)) whole.last = std::min(whole.last, cutAfter.first);
        if (whole.last < whole.first) whole = word;
      }
      const Steadiness a = steadiness(rows(whole), options), b = steadiness(rows(word), options);
      info->steady = {std::max(a.levelSpreadDb, b.levelSpreadDb), std::max(a.shapeSpread, b.shapeSpread)};
    }
  }
  if (keep.last <= keep.first) return RowMatrix(0, featureWidth(options));
  if (wantNoiseVariance && options.noiseUncertainty > 0 && options.noiseEdges && !options.normalizeVariance) {
    // The noise: the mean band energy above the floor of the frames cut at either end, past
    // the edge padding and without digital silence (frames at the floor, as the edge search
    // tells them): else the silence a word is padded with would dilute the estimate, and a
    // padded word would not score as the same word cut tight.
    const double silentDb = 10.0 * std::log10(std::max(peak + floorEnergy, 1e-300)) - options.floorDb + 1.0;
    Eigen::RowVectorXd noise = Eigen::RowVectorXd::Zero(B);
    Eigen::Index count = 0;
    // Frames whose window reaches into digital silence (the edge padding's or the
    // recording's own) hold only part of the noise: left out too.
    std::vector<char> silent(static_cast<std::size_t>(T));
    for (Eigen::Index t = 0; t < T; ++t)
      silent[static_cast<std::size_t>(t)] = powerDb[static_cast<std::size_t>(t)] <= (floorEnergy > 0 ? silentDb : -200.0);
    const Eigen::Index reach = windowsInShifts - 1;
    const auto nearSilence = [&](Eigen::Index t) {
      for (Eigen::Index u = std::max<Eigen::Index>(t - reach, 0); u <= std::min<Eigen::Index>(t + reach, T - 1); ++u)
        if (silent[static_cast<std::size_t>(u)]) return true;
      return false;
    };
    const auto add = [&](Eigen::Index from, Eigen::Index to) {
      for (Eigen::Index t = from; t < to; ++t) {
        if (nearSilence(t)) continue;
        noise += (energies.row(t).array() - floorEnergy).max(0.0).matrix();
        ++count;
      }
    };
    add(padFrames, std::max<Eigen::Index>(sound.first, padFrames));
    add(std::min<Eigen::Index>(sound.last, T - padFrames), T - padFrames);
    if (count >= 3 && noise.maxCoeff() > 0) {
      noise /= static_cast<double>(count);
      info->noiseVariance = detail::noiseVariance(energies.middleRows(keep.first, keep.last - keep.first), noise, dct,
                                                  options.deltaOrder, options.deltaWindow, options.noiseUncertainty);
    }
  }
  const RowMatrix speech = cepstra.middleRows(keep.first, keep.last - keep.first);
  RowMatrix withDeltas = options.deltaOrder > 0 ? features::addDeltas(speech, options.deltaOrder, options.deltaWindow) : speech;
  if (options.normalizeMean || options.normalizeVariance) return features::cmvn(withDeltas, options.normalizeVariance);
  return withDeltas;
}

void requireRateServed(const WordFeatureOptions& options, double sampleRate) {
  validate(options);
  const features::FbankComputer bands(bandEnergyOptions(options.mfcc), sampleRate);
}

int featureWidth(const WordFeatureOptions& options) { return options.mfcc.numCeps * (options.deltaOrder + 1); }

double peakLevelDb(const float* samples, std::size_t numSamples) {
  double peak = 0;
  for (std::size_t i = 0; i < numSamples; ++i) peak = std::max(peak, std::fabs(static_cast<double>(samples[i])));
  return peak > 0 ? 20.0 * std::log10(peak) : -std::numeric_limits<double>::infinity();
}

}  // namespace gmmhmm::recognizer
