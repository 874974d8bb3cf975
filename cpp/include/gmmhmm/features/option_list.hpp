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
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    constexpr Range r = Range::checkedByValidate();
    v(OptionInfo{"frameLength", r, "window length (ms)"}, o.frameLength);
    v(OptionInfo{"frameShift", r, "hop between frames (ms)"}, o.frameShift);
    v(OptionInfo{"windowType", r, "povey | hamming | hanning | rectangular | blackman"}, o.windowType);
    v(OptionInfo{"preemphasisCoefficient", r, "x[n] - c x[n-1], in [0, 1]"}, o.preemphasisCoefficient);
    v(OptionInfo{"removeDcOffset", r, "subtract each frame's mean"}, o.removeDcOffset);
    v(OptionInfo{"roundToPowerOfTwo", r, "pad the FFT to the next power of two"}, o.roundToPowerOfTwo);
    v(OptionInfo{"snipEdges", r, "only whole frames inside the signal (false: reflect the edges)"}, o.snipEdges);
    // The five below were not in recognizer files before they were declared here.
    v(OptionInfo{"dither", r, "std-dev of Gaussian noise added to each frame (Kaldi: 1)", InFiles::WhenSet}, o.dither);
    v(OptionInfo{"seed", r, "seed of the dither's noise", InFiles::WhenSet}, o.seed);
    v(OptionInfo{"blackmanCoeff", r, "the Blackman window's coefficient", InFiles::WhenSet}, o.blackmanCoeff);
    v(OptionInfo{"inputScale", r, "samples are multiplied by this first (int16 scale)"}, o.inputScale);
  }
};

template <>
struct OptionList<features::MelOptions> {
  static constexpr const char* kSection = "mel";
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    constexpr Range r = Range::checkedByValidate();
    v(OptionInfo{"numMelBins", r, "triangular mel filters"}, o.numMelBins);
    v(OptionInfo{"lowFreq", r, "lowest frequency of the filters (Hz)"}, o.lowFreq);
    v(OptionInfo{"highFreq", r, "highest frequency (Hz); <= 0: Nyquist + highFreq"}, o.highFreq);
    v(OptionInfo{"normalizeEnergy", r, "band power per sample, independent of the sample rate"}, o.normalizeEnergy);
  }
};

template <>
struct OptionList<features::EnergyOptions> {
  static constexpr const char* kSection = "energy";
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    constexpr Range r = Range::checkedByValidate();
    v(OptionInfo{"rawEnergy", r, "energy before pre-emphasis and window", InFiles::WhenSet}, o.rawEnergy);
    v(OptionInfo{"energyFloor", r, "floor on the energy (linear); 0 = none"}, o.energyFloor);
    v(OptionInfo{"htkCompat", r, "energy / C0 last, as HTK orders it", InFiles::WhenSet}, o.htkCompat);
  }
};

template <>
struct OptionList<features::MfccOptions> {
  static constexpr const char* kSection = "mfcc";
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    forEachBaseOption<features::FrameOptions>(o, v);
    forEachBaseOption<features::MelOptions>(o, v);
    forEachBaseOption<features::EnergyOptions>(o, v);
    constexpr Range r = Range::checkedByValidate();
    v(OptionInfo{"numCeps", r, "cepstra kept, at most numMelBins"}, o.numCeps);
    v(OptionInfo{"cepstralLifter", r, "liftering coefficient; 0 = none"}, o.cepstralLifter);
    v(OptionInfo{"useEnergy", r, "log energy in place of C0"}, o.useEnergy);
  }
};

template <>
struct OptionList<features::FbankOptions> {
  static constexpr const char* kSection = "fbank";
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    forEachBaseOption<features::FrameOptions>(o, v);
    forEachBaseOption<features::MelOptions>(o, v);
    forEachBaseOption<features::EnergyOptions>(o, v);
    constexpr Range r = Range::checkedByValidate();
    v(OptionInfo{"useEnergy", r, "log energy as an extra column (last if htkCompat)"}, o.useEnergy);
    v(OptionInfo{"useLogFbank", r, "log mel energies (false: linear)"}, o.useLogFbank);
    v(OptionInfo{"usePower", r, "power spectrum (false: magnitude)"}, o.usePower);
  }
};

template <>
struct OptionList<features::EndpointerOptions> {
  static constexpr const char* kSection = "endpointer";
  template <typename O, typename Visit>
  static void each(O& o, Visit& v) {
    constexpr Range r = Range::checkedByValidate();
    v(OptionInfo{"frameShift", r, "ms per energy hop"}, o.frameShift);
    v(OptionInfo{"highPassHz", r, "one-pole high-pass before the energy; 0 = off"}, o.highPassHz);
    v(OptionInfo{"startMarginDb", r, "above the noise floor to start a word"}, o.startMarginDb);
    v(OptionInfo{"endMarginDb", r, "a word continues while above floor + this"}, o.endMarginDb);
    v(OptionInfo{"minSpeechDb", r, "absolute level (dBFS) a word must exceed"}, o.minSpeechDb);
    v(OptionInfo{"startFrames", r, "consecutive hops above the start threshold"}, o.startFrames);
    v(OptionInfo{"preRoll", r, "ms kept before the detected onset"}, o.preRoll);
    v(OptionInfo{"postRoll", r, "ms kept after the last loud hop (<= hangover)"}, o.postRoll);
    v(OptionInfo{"hangover", r, "ms of quiet that end a word"}, o.hangover);
    v(OptionInfo{"minWord", r, "ms; shorter bursts are ignored"}, o.minWord);
    v(OptionInfo{"maxWord", r, "ms; longer words are cut"}, o.maxWord);
    v(OptionInfo{"floorRiseSeconds", r, "time constant of the noise floor's upward drift"}, o.floorRiseSeconds);
  }
};

}  // namespace gmmhmm
