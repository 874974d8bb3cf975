// Fuzz target: GaussianHmm (hmmlearn's GaussianHMM on the shared EM loop). The first byte
// chooses: arbitrary bytes as a model file (fromJson), or a fit on arbitrary values (any
// doubles: NaN, infinities, huge, repeated) with arbitrary sizes, covariance type, options,
// priors and lengths. Bad input must throw a gmmhmm::Error and leave the model as it was; an
// accepted model must score, decode and sample without NaN, give posteriors summing to 1, keep
// tied covariances equal across states, and save to a file that loads back identically.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "family_cases.hpp"
#include "fuzz_checks.hpp"
#include "gmmhmm/errors.hpp"
#include "gmmhmm/families/gaussian_hmm.hpp"
#include "gmmhmm/limits.hpp"

namespace {

using gmmhmm::CovarianceType;
using gmmhmm::GaussianHmm;
using gmmhmm::Index;

void exercise(const GaussianHmm& model) {
  const int D = model.nFeatures();
  // Unfitted models too: their files hold the parameters set before fit().
  fuzz::checkRoundTrip(model);
  if (!model.isReady() || D < 1 || D > 64) return;
  const std::vector<double> means = model.means();
  // 5 frames near the means (a model far from them may give -inf: that is allowed, NaN is not).
  std::vector<double> x;
  for (int t = 0; t < 5; ++t)
    for (int d = 0; d < D; ++d) x.push_back(means[(t % model.nStates()) * D + d] + 0.1 * t);
  const gmmhmm::SequenceSet set{x.data(), 5, D, {2, 3}};
  fuzz::checkScoring(model, set, /*decodeFinite=*/false);
  const auto sampled = model.sample(3, 42);
  for (Index i = 0; i < sampled.X.size(); ++i) FUZZ_CHECK(!std::isnan(sampled.X.data()[i]), "sampled NaN");
  if (model.covarianceType() == CovarianceType::Tied) {
    const std::vector<double> full = model.fullCovars();
    const std::size_t block = std::size_t(D) * D;
    for (std::size_t i = block; i < full.size(); ++i) FUZZ_CHECK(full[i] == full[i % block], "tied matrices differ");
  }
}

void fitCase(FuzzedDataProvider& in) {
  gmmhmm::GaussianSizes sizes;
  sizes.nStates = fuzz::optionInt(in, 1, 4);
  sizes.nFeatures = in.ConsumeBool() ? 0 : fuzz::optionInt(in, 1, 4);
  const CovarianceType types[] = {CovarianceType::Spherical, CovarianceType::Diag, CovarianceType::Full, CovarianceType::Tied};
  sizes.covarianceType = types[in.ConsumeIntegralInRange<int>(0, 3)];
  gmmhmm::GaussianOptions o;
  fuzz::emControls(in, o, 5);
  if (in.ConsumeBool()) o.minCovar = fuzz::optionValue(in, 0, 1);
  if (in.ConsumeBool()) o.meansPrior = fuzz::optionPrior(in, -5, 5);
  if (in.ConsumeBool()) o.meansWeight = fuzz::optionPrior(in, 0, 5);
  if (in.ConsumeBool()) o.covarsPrior = fuzz::optionPrior(in, 0, 5);
  if (in.ConsumeBool()) o.covarsWeight = fuzz::optionPrior(in, 0, 10);
  if (in.ConsumeBool()) o.nInit = fuzz::optionInt(in, 1, 3);
  const int width = in.ConsumeIntegralInRange<int>(1, 4);
  const int T = in.ConsumeIntegralInRange<int>(0, 30);
  std::vector<double> x;
  for (int i = 0; i < T * width; ++i)
    x.push_back(in.ConsumeIntegralInRange<int>(0, 7) == 0 ? fuzz::rawDouble(in) : in.ConsumeIntegralInRange<int>(-3, 3) * 0.5);
  const std::vector<Index> lengths = fuzz::arbitraryLengths(in, T);
  std::optional<GaussianHmm> model;
  try {
    model.emplace(sizes, o);
  } catch (const gmmhmm::Error&) {
    return;
  }
  const gmmhmm::SequenceSet set{x.data(), static_cast<Index>(T), width, lengths};
  if (fuzz::fitOrUnchanged(*model, set)) exercise(*model);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::limitMemoryOnce();
  if (size == 0) return 0;
  if (data[0] % 2 == 0) {
    fuzz::fileCase<GaussianHmm>(data + 1, size - 1, exercise);
    return 0;
  }
  FuzzedDataProvider in(data + 1, size - 1);
  fitCase(in);
  return 0;
}
