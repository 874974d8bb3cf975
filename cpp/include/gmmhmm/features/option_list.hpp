#pragma once
// The front end's options, declared once (gmmhmm/options.hpp): the binding reads mfcc(),
// fbank(), FeatureStream and Endpointer options and writes mfccPreset() from these lists, and
// the recognizer's `features` section (recognizer/option_list.hpp) includes the MFCC list.
// Their rules are checked by hand in validate() (features/options.cpp) and the Endpointer's
// constructor: the messages give units and the rules between options (numCeps <= numMelBins,
// postRoll <= hangover...), so the ranges here are Range::checkedByValidate().

#include "gmmhmm/features/endpointer.hpp"
#include "gmmhmm/features/options.hpp"
#include "gmmhmm/options.hpp"

namespace gmmhmm {

template <>
struct OptionList<features::FrameOptions> {
  static constexpr const char* kSection = "frame";
  GMMHMM_OPTION(frameLength, kByHand, "window length (ms)");
  GMMHMM_OPTION(frameShift, kByHand, "hop between frames (ms)");
  GMMHMM_OPTION(windowType, kByHand, "povey | hamming | hanning | rectangular | blackman");
  GMMHMM_OPTION(preemphasisCoefficient, kByHand, "x[n] - c x[n-1], in [0, 1]");
  GMMHMM_OPTION(removeDcOffset, kByHand, "subtract each frame's mean");
  GMMHMM_OPTION(roundToPowerOfTwo, kByHand, "pad the FFT to the next power of two");
  GMMHMM_OPTION(snipEdges, kByHand, "only whole frames inside the signal (false: reflect the edges)");
  // WhenSet: dither, seed, blackmanCoeff, rawEnergy and htkCompat were not in recognizer
  // files before they were declared here.
  GMMHMM_OPTION_WHEN_SET(dither, kByHand, "std-dev of Gaussian noise added to each frame (Kaldi: 1)");
  GMMHMM_OPTION_WHEN_SET(seed, kByHand, "seed of the dither's noise");
  GMMHMM_OPTION_WHEN_SET(blackmanCoeff, kByHand, "the Blackman window's coefficient");
  GMMHMM_OPTION(inputScale, kByHand, "samples are multiplied by this first (int16 scale)");
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    v(frameLength, o.frameLength);
    v(frameShift, o.frameShift);
    v(windowType, o.windowType);
    v(preemphasisCoefficient, o.preemphasisCoefficient);
    v(removeDcOffset, o.removeDcOffset);
    v(roundToPowerOfTwo, o.roundToPowerOfTwo);
    v(snipEdges, o.snipEdges);
    v(dither, o.dither);
    v(seed, o.seed);
    v(blackmanCoeff, o.blackmanCoeff);
    v(inputScale, o.inputScale);
  }
};

template <>
struct OptionList<features::MelOptions> {
  static constexpr const char* kSection = "mel";
  GMMHMM_OPTION(numMelBins, kByHand, "triangular mel filters");
  GMMHMM_OPTION(lowFreq, kByHand, "lowest frequency of the filters (Hz)");
  GMMHMM_OPTION(highFreq, kByHand, "highest frequency (Hz); <= 0: Nyquist + highFreq");
  GMMHMM_OPTION(normalizeEnergy, kByHand, "band power per sample, independent of the sample rate");
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    v(numMelBins, o.numMelBins);
    v(lowFreq, o.lowFreq);
    v(highFreq, o.highFreq);
    v(normalizeEnergy, o.normalizeEnergy);
  }
};

template <>
struct OptionList<features::EnergyOptions> {
  static constexpr const char* kSection = "energy";
  GMMHMM_OPTION_WHEN_SET(rawEnergy, kByHand, "energy before pre-emphasis and window");
  GMMHMM_OPTION(energyFloor, kByHand, "floor on the energy (linear); 0 = none");
  GMMHMM_OPTION_WHEN_SET(htkCompat, kByHand, "energy / C0 last, as HTK orders it");
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    v(rawEnergy, o.rawEnergy);
    v(energyFloor, o.energyFloor);
    v(htkCompat, o.htkCompat);
  }
};

template <>
struct OptionList<features::MfccOptions> {
  static constexpr const char* kSection = "mfcc";
  GMMHMM_OPTION(numCeps, kByHand, "cepstra kept, at most numMelBins");
  GMMHMM_OPTION(cepstralLifter, kByHand, "liftering coefficient; 0 = none");
  GMMHMM_OPTION(useEnergy, kByHand, "log energy in place of C0");
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    forEachBaseOption<features::FrameOptions>(o, v);
    forEachBaseOption<features::MelOptions>(o, v);
    forEachBaseOption<features::EnergyOptions>(o, v);
    v(numCeps, o.numCeps);
    v(cepstralLifter, o.cepstralLifter);
    v(useEnergy, o.useEnergy);
  }
};

template <>
struct OptionList<features::FbankOptions> {
  static constexpr const char* kSection = "fbank";
  GMMHMM_OPTION(useEnergy, kByHand, "log energy as an extra column (last if htkCompat)");
  GMMHMM_OPTION(useLogFbank, kByHand, "log mel energies (false: linear)");
  GMMHMM_OPTION(usePower, kByHand, "power spectrum (false: magnitude)");
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    forEachBaseOption<features::FrameOptions>(o, v);
    forEachBaseOption<features::MelOptions>(o, v);
    forEachBaseOption<features::EnergyOptions>(o, v);
    v(useEnergy, o.useEnergy);
    v(useLogFbank, o.useLogFbank);
    v(usePower, o.usePower);
  }
};

template <>
struct OptionList<features::EndpointerOptions> {
  static constexpr const char* kSection = "endpointer";
  GMMHMM_OPTION(frameShift, kByHand, "ms per energy hop");
  GMMHMM_OPTION(highPassHz, kByHand, "one-pole high-pass before the energy; 0 = off");
  GMMHMM_OPTION(startMarginDb, kByHand, "above the noise floor to start a word");
  GMMHMM_OPTION(endMarginDb, kByHand, "a word continues while above floor + this");
  GMMHMM_OPTION(minSpeechDb, kByHand, "absolute level (dBFS) a word must exceed");
  GMMHMM_OPTION(startFrames, kByHand, "consecutive hops above the start threshold");
  GMMHMM_OPTION(preRoll, kByHand, "ms kept before the detected onset");
  GMMHMM_OPTION(postRoll, kByHand, "ms kept after the last loud hop (<= hangover)");
  GMMHMM_OPTION(hangover, kByHand, "ms of quiet that end a word");
  GMMHMM_OPTION(minWord, kByHand, "ms; shorter bursts are ignored");
  GMMHMM_OPTION(maxWord, kByHand, "ms; longer words are cut");
  GMMHMM_OPTION(floorRiseSeconds, kByHand, "time constant of the noise floor's upward drift");
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    v(frameShift, o.frameShift);
    v(highPassHz, o.highPassHz);
    v(startMarginDb, o.startMarginDb);
    v(endMarginDb, o.endMarginDb);
    v(minSpeechDb, o.minSpeechDb);
    v(startFrames, o.startFrames);
    v(preRoll, o.preRoll);
    v(postRoll, o.postRoll);
    v(hangover, o.hangover);
    v(minWord, o.minWord);
    v(maxWord, o.maxWord);
    v(floorRiseSeconds, o.floorRiseSeconds);
  }
};

}  // namespace gmmhmm
