#pragma once
// One frame of samples -> log energy and mel filter-bank energies, the part MFCC and
// filter-bank features share (Kaldi's ProcessWindow + power spectrum + MelBanks).

#include <cstdint>
#include <random>
#include <vector>

#include "gmmhmm/features/frame_extraction.hpp"
#include "gmmhmm/features/mel_banks.hpp"
#include "gmmhmm/features/options.hpp"
#include "gmmhmm/features/real_fft.hpp"

namespace gmmhmm::features {

class FrameAnalyzer {
 public:
  // Validates everything (sample rate, frame and mel options) and precomputes the window,
  // FFT tables and filter bank.
  FrameAnalyzer(const FrameOptions& frame, const MelOptions& mel, const EnergyOptions& energy,
                double sampleRate);

  const FrameGeometry& geometry() const { return geometry_; }
  const MelBanks& melBanks() const { return melBanks_; }
  int numMelBins() const { return melBanks_.numBins(); }
  double sampleRate() const { return sampleRate_; }

  // frame: geometry().windowSize samples in input scale (before inputScale).
  // melEnergies: numMelBins() linear energies of the power (usePower) or magnitude spectrum.
  // Returns the log energy (raw or windowed per rawEnergy, floored by energyFloor).
  // Computed in double precision: with float32 FFTs (Kaldi, torchaudio) the rounding noise
  // shows in the quiet mel bins of tonal, non-pre-emphasised frames (cepstral errors of
  // 0.01 against exact arithmetic were measured), and double costs ~5% natively here.
  double analyze(const float* frame, double* melEnergies, bool usePower = true);

  // Restarts the dither noise sequence (each batch computation starts from the seed).
  void resetDither();

 private:
  FrameOptions frameOptions_;
  EnergyOptions energyOptions_;
  bool normalizeEnergy_ = false;
  double sampleRate_ = 0;
  FrameGeometry geometry_;
  std::vector<double> window_;
  MelBanks melBanks_;
  BasicRealFft<double> fft_;
  double powerScale_ = 1.0;           // normalizeEnergy: 1 / (paddedSize * sum window^2)
  double rawEnergyScale_ = 1.0;       // normalizeEnergy: 1 / windowSize
  double windowedEnergyScale_ = 1.0;  // normalizeEnergy: 1 / sum window^2
  double logEnergyFloor_ = 0;
  std::mt19937 rng_;
  std::vector<double> raw_;       // 1 + windowSize: a spare slot, scaled (and dithered) samples
  std::vector<double> buffer_;    // paddedSize: windowed frame, zero-padded
  std::vector<double> spectrum_;  // paddedSize/2 + 1
};

}  // namespace gmmhmm::features
