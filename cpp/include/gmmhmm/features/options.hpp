#pragma once
// Front-end options: Kaldi's names in camelCase and Kaldi's defaults, except dither = 0
// (deterministic) and inputScale (samples arrive in Web Audio scale [-1, 1]).
// Kaldi: FrameExtractionOptions, MelBanksOptions, MfccOptions, FbankOptions
// (src/feat/feature-window.h, mel-computations.h, feature-mfcc.h, feature-fbank.h).

#include <cstdint>
#include <string>

namespace gmmhmm::features {

// How samples are cut into frames and prepared before the FFT.
struct FrameOptions {
  double frameLength = 25.0;  // ms
  double frameShift = 10.0;   // ms
  std::string windowType = "povey";  // povey | hamming | hanning | rectangular | blackman
  double preemphasisCoefficient = 0.97;
  bool removeDcOffset = true;
  bool roundToPowerOfTwo = true;  // pad the FFT to the next power of two
  bool snipEdges = true;  // true: only whole frames inside the signal; false: reflect edges
  double dither = 0.0;    // std-dev of Gaussian noise added to each frame (Kaldi: 1.0)
  std::uint32_t seed = 0; // random seed for dither (the computation is deterministic)
  double blackmanCoeff = 0.42;
  double inputScale = 32768.0;  // samples are multiplied by this first (int16 scale)
};

// The triangular mel filter bank.
struct MelOptions {
  int numMelBins = 23;
  double lowFreq = 20.0;   // Hz
  double highFreq = 0.0;   // Hz; <= 0 means Nyquist + highFreq
  // Not in Kaldi (default off = Kaldi numbers): divide the power spectrum by
  // paddedLength * sum(window^2) and the energy by the frame length, so log energies
  // estimate band power per sample and do not change with the sample rate (a 48 kHz frame
  // holds 6x more samples than an 8 kHz one). Used by speechPreset().
  bool normalizeEnergy = false;
};

// Energy handling shared by MFCC and filter-bank features.
struct EnergyOptions {
  bool rawEnergy = true;     // energy before pre-emphasis and window (Kaldi default)
  double energyFloor = 0.0;  // floor on energy (linear); 0 = none
  bool htkCompat = false;    // energy / C0 last, as HTK orders it
};

struct MfccOptions : FrameOptions, MelOptions, EnergyOptions {
  int numCeps = 13;
  double cepstralLifter = 22.0;  // 0 = no liftering
  bool useEnergy = true;         // replace C0 by log energy

  // Sample-rate-independent recogniser front end, so models trained on 8 kHz audio work on
  // 16, 44.1 and 48 kHz audio of the same words:
  //  - mel band fixed in Hz, 60-3800 Hz: inside the band of 8 kHz audio (and of resamplers'
  //    anti-aliasing filters), above mains hum; the narrow lowest filters are where FFT
  //    resolution differs most between rates (lowFreq 20 doubled the 8k/48k mismatch);
  //  - frames fixed in ms (25 / 10), 23 mel bins, 13 cepstra, Povey window;
  //  - no pre-emphasis: 1 - 0.97 z^-1 is a different filter at every sample rate (~15 dB
  //    apart at 1 kHz between 8 and 48 kHz), a spectral tilt that shifts every cepstrum;
  //  - normalizeEnergy: spectrum and energy per sample, so C0 does not grow with the
  //    number of samples per frame (without it C0 of the same FSDD words differed by ~18
  //    on average between 8 and 48 kHz; with it by 0.04);
  //  - C0 instead of raw log energy (useEnergy = false).
  // The level of the recording still shifts C0: use cmvn() per utterance downstream.
  static MfccOptions speechPreset();
};

struct FbankOptions : FrameOptions, MelOptions, EnergyOptions {
  bool useEnergy = false;    // prepend log energy as an extra column (last if htkCompat)
  bool useLogFbank = true;   // log mel energies (false: linear)
  bool usePower = true;      // power spectrum (false: magnitude)
};

// The rules of the options that hold at every sample rate (ranges, finiteness, names, numCeps
// <= numMelBins): throw InvalidArgument naming the option. The front end applies them (and
// the rules that depend on the rate) whenever it is built; callers that store options for
// later (the recognizer) apply them up front.
void validate(const FrameOptions& options);
void validate(const MelOptions& options);
void validate(const EnergyOptions& options);
void validate(const MfccOptions& options);
void validate(const FbankOptions& options);

}  // namespace gmmhmm::features
