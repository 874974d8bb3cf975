#include "gmmhmm/features/cepstral_transform.hpp"

#include <cmath>

#include "checks.hpp"
#include "kernels.hpp"

namespace gmmhmm::features {

using detail::fail;
using detail::requireFinite;

CepstralTransform::CepstralTransform(int numBins, int numCeps, double cepstralLifter)
    : numBins_(numBins), numCeps_(numCeps) {
  if (numCeps < 1) fail("numCeps must be at least 1, got ", numCeps);
  if (numCeps > numBins) fail("numCeps (", numCeps, ") must not exceed numMelBins (", numBins, ")");
  requireFinite(cepstralLifter, "cepstralLifter");
  if (cepstralLifter < 0) fail("cepstralLifter must be >= 0, got ", cepstralLifter);
  // sin(pi n / L) of a tiny L is sin(inf) = NaN (3.6e-308 gave NaN MFCCs; found by fuzzing).
  if (cepstralLifter > 0 && cepstralLifter < 1e-3)
    fail("cepstralLifter must be 0 (none) or at least 0.001, got ", cepstralLifter);
  constexpr double kPi = 3.14159265358979323846;
  matrix_.resize(static_cast<std::size_t>(numCeps) * numBins);
  for (int k = 0; k < numCeps; ++k) {
    const double normalizer = std::sqrt((k == 0 ? 1.0 : 2.0) / numBins);
    const double lifter = cepstralLifter != 0 ? 1.0 + 0.5 * cepstralLifter * std::sin(kPi * k / cepstralLifter) : 1.0;
    for (int n = 0; n < numBins; ++n)
      matrix_[static_cast<std::size_t>(k) * numBins + n] = lifter * normalizer * std::cos(kPi / numBins * (n + 0.5) * k);
  }
}

void CepstralTransform::apply(const double* logMel, double* cepstra) const {
  for (int k = 0; k < numCeps_; ++k)
    cepstra[k] = detail::dot(matrix_.data() + static_cast<std::size_t>(k) * numBins_, logMel, numBins_);
}

}  // namespace gmmhmm::features
