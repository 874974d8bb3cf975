// Fuzz target: CategoricalHmm (the emission families' EM loop). The first byte chooses:
// arbitrary bytes as a model file (CategoricalHmm::fromJson), or a fit on arbitrary symbols
// (any doubles: negative, fractional, NaN, huge) with arbitrary sizes, options and lengths.
// Bad input must throw a gmmhmm::Error; an accepted model must score, decode and sample
// without NaN, give posteriors summing to 1, and save to a file that loads back identically.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "family_cases.hpp"
#include "fuzz_checks.hpp"
#include "gmmhmm/errors.hpp"
#include "gmmhmm/families/categorical_hmm.hpp"
#include "gmmhmm/limits.hpp"

namespace {

using gmmhmm::CategoricalHmm;
using gmmhmm::Index;

void exercise(const CategoricalHmm& model) {
  // Unfitted models too: their files hold the parameters set before fit().
  fuzz::checkRoundTrip(model);
  if (!model.isReady() || model.nFeatures() < 1) return;
  std::vector<double> x;
  for (int t = 0; t < 7; ++t) x.push_back(t % model.nFeatures());
  const gmmhmm::SequenceSet set{x.data(), 7, 1, {4, 3}};
  fuzz::checkScoring(model, set, /*decodeFinite=*/true);
  const auto sampled = model.sample(5, 42);
  for (Index t = 0; t < 5; ++t) {
    const double k = sampled.X(t, 0);
    FUZZ_CHECK(k >= 0 && k < model.nFeatures() && k == std::floor(k), "sampled symbol %g", k);
  }
}

void fitCase(FuzzedDataProvider& in) {
  gmmhmm::CategoricalSizes sizes;
  sizes.nStates = fuzz::optionInt(in, 1, 4);
  sizes.nFeatures = in.ConsumeBool() ? 0 : fuzz::optionInt(in, 1, 6);
  gmmhmm::CategoricalOptions o;
  fuzz::emControls(in, o, 4);
  if (in.ConsumeBool()) o.startprobPrior = fuzz::optionPrior(in, 0.1, 5);
  if (in.ConsumeBool()) o.transmatPrior = fuzz::optionPrior(in, 0.1, 5);
  if (in.ConsumeBool()) o.emissionprobPrior = fuzz::optionPrior(in, 0.1, 5);
  const int T = in.ConsumeIntegralInRange<int>(0, 40);
  std::vector<double> x;
  for (int t = 0; t < T; ++t)
    x.push_back(in.ConsumeIntegralInRange<int>(0, 7) == 0 ? fuzz::rawDouble(in) : in.ConsumeIntegralInRange<int>(0, 6));
  const std::vector<Index> lengths = fuzz::arbitraryLengths(in, T);
  std::optional<CategoricalHmm> model;
  try {
    model.emplace(sizes, o);
  } catch (const gmmhmm::Error&) {
    return;
  }
  const gmmhmm::SequenceSet set{x.data(), static_cast<Index>(x.size()), 1, lengths};
  if (fuzz::fitOrUnchanged(*model, set)) exercise(*model);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Sizes up to the declared limits (10^4 states x 10^7 symbols) are valid: the memory limit
  // (the wasm build's is 2 GB) makes the large ones an OutOfMemory error before allocating.
  fuzz::limitMemoryOnce();
  if (size == 0) return 0;
  if (data[0] % 2 == 0) {
    fuzz::fileCase<CategoricalHmm>(data + 1, size - 1, exercise);
    return 0;
  }
  FuzzedDataProvider in(data + 1, size - 1);
  fitCase(in);
  return 0;
}
