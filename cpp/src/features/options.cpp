// The rules every front-end option must follow, whatever the sample rate: one place, used by
// every entry point (mfcc/fbank, FeatureStream, the recognizer's options and files). The
// rules that depend on the rate (a frame of at least 2 samples, a mel band below Nyquist,
// every mel bin holding an FFT bin) are checked where the rate is known (frame_extraction.cpp,
// mel_banks.cpp).
#include <cmath>

#include "checks.hpp"
#include "gmmhmm/features/frame_extraction.hpp"
#include "gmmhmm/features/options.hpp"

namespace gmmhmm::features {

using detail::fail;
using detail::requireFinite;

void validate(const FrameOptions& o) {
  requireFinite(o.frameLength, "frameLength");
  requireFinite(o.frameShift, "frameShift");
  if (o.frameShift <= 0) fail("frameShift must be positive (ms), got ", o.frameShift);
  if (o.frameLength <= 0) fail("frameLength must be positive (ms), got ", o.frameLength);
  if (o.frameLength > 1000) fail("frameLength must be at most 1000 ms, got ", o.frameLength);
  // Bounded like frameLength: the sample count must fit an int (1e301 ms was UB).
  if (o.frameShift > 1000) fail("frameShift must be at most 1000 ms, got ", o.frameShift);
  requireFinite(o.preemphasisCoefficient, "preemphasisCoefficient");
  if (o.preemphasisCoefficient < 0 || o.preemphasisCoefficient > 1)
    fail("preemphasisCoefficient must be in [0, 1], got ", o.preemphasisCoefficient);
  requireFinite(o.dither, "dither");
  // Bounded like inputScale: noise of std-dev 1e190 overflowed the frame power (NaN fbank).
  if (o.dither < 0) fail("dither must be >= 0, got ", o.dither);
  if (o.dither > 1e10) fail("dither must be at most 1e10, got ", o.dither);
  requireFinite(o.inputScale, "inputScale");
  // Bounded so that the power of any finite float sample stays finite (1e300 gave NaN MFCCs);
  // 1e10 still covers int32 scale (2^31).
  if (o.inputScale <= 0 || o.inputScale > 1e10) fail("inputScale must be in (0, 1e10], got ", o.inputScale);
  requireFinite(o.blackmanCoeff, "blackmanCoeff");
  (void)makeWindow(o, 2);  // validates the window name
}

void validate(const MelOptions& o) {
  if (o.numMelBins < 1) fail("numMelBins must be at least 1, got ", o.numMelBins);
  if (o.numMelBins > 1024) fail("numMelBins must be at most 1024, got ", o.numMelBins);
  requireFinite(o.lowFreq, "lowFreq");
  requireFinite(o.highFreq, "highFreq");
  if (o.lowFreq < 0) fail("lowFreq must be >= 0 Hz, got ", o.lowFreq);
  if (o.highFreq > 0 && o.lowFreq >= o.highFreq)
    fail("lowFreq (", o.lowFreq, " Hz) must be below highFreq (", o.highFreq, " Hz)");
}

void validate(const EnergyOptions& o) {
  requireFinite(o.energyFloor, "energyFloor");
  if (o.energyFloor < 0) fail("energyFloor must be >= 0, got ", o.energyFloor);
}

void validate(const MfccOptions& o) {
  validate(static_cast<const FrameOptions&>(o));
  validate(static_cast<const MelOptions&>(o));
  validate(static_cast<const EnergyOptions&>(o));
  if (o.numCeps < 1) fail("numCeps must be at least 1, got ", o.numCeps);
  if (o.numCeps > o.numMelBins) fail("numCeps (", o.numCeps, ") must not exceed numMelBins (", o.numMelBins, ")");
  requireFinite(o.cepstralLifter, "cepstralLifter");
  if (o.cepstralLifter < 0) fail("cepstralLifter must be >= 0, got ", o.cepstralLifter);
  // sin(pi n / L) of a tiny L is sin(inf) = NaN (3.6e-308 gave NaN MFCCs; found by fuzzing).
  if (o.cepstralLifter > 0 && o.cepstralLifter < 1e-3)
    fail("cepstralLifter must be 0 (none) or at least 0.001, got ", o.cepstralLifter);
}

void validate(const FbankOptions& o) {
  validate(static_cast<const FrameOptions&>(o));
  validate(static_cast<const MelOptions&>(o));
  validate(static_cast<const EnergyOptions&>(o));
}

}  // namespace gmmhmm::features
