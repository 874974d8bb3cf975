#include "gmmhmm/features/options.hpp"

namespace gmmhmm::features {

MfccOptions MfccOptions::speechPreset() {
  MfccOptions o;
  o.frameLength = 25.0;
  o.frameShift = 10.0;
  o.numMelBins = 23;
  o.numCeps = 13;
  o.lowFreq = 60.0;
  o.highFreq = 3800.0;
  o.preemphasisCoefficient = 0.0;
  o.normalizeEnergy = true;
  o.useEnergy = false;
  return o;
}

}  // namespace gmmhmm::features
