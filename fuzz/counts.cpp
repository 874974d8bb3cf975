// Fuzz target: PoissonHmm and MultinomialHmm (the count families on the shared EM loop). The
// first byte chooses the family and: arbitrary bytes as a model file (fromJson), or a fit on
// arbitrary counts (any doubles: negative, fractional, NaN, huge; totals off nTrials) with
// arbitrary sizes, options and lengths. Bad input must throw a gmmhmm::Error and leave the
// model as it was; an accepted model must score, decode and sample without NaN, give
// posteriors summing to 1, and save to a file that loads back identically.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <string>
#include <vector>

#include "family_cases.hpp"
#include "fuzz_checks.hpp"
#include "gmmhmm/errors.hpp"
#include "gmmhmm/families/multinomial_hmm.hpp"
#include "gmmhmm/families/poisson_hmm.hpp"
#include "gmmhmm/limits.hpp"

namespace {

using gmmhmm::Index;
using gmmhmm::MultinomialHmm;
using gmmhmm::PoissonHmm;

double trialsOf(const PoissonHmm&) { return 0; }
double trialsOf(const MultinomialHmm& m) { return m.nTrials(); }

template <typename Model>
void exercise(const Model& model) {
  const int M = model.nFeatures();
  // Unfitted models too: their files hold the parameters set before fit().
  fuzz::checkRoundTrip(model);
  if (!model.isReady() || M < 1 || M > 64) return;
  // 5 frames the model accepts: nTrials (or t + 1) draws spread over the outcomes.
  std::vector<double> x;
  for (int t = 0; t < 5; ++t) {
    const double total = trialsOf(model) > 0 ? trialsOf(model) : t + 1;
    for (int k = 0; k < M; ++k) x.push_back(k == t % M ? total : 0);
  }
  const gmmhmm::SequenceSet set{x.data(), 5, M, {2, 3}};
  fuzz::checkScoring(model, set, /*decodeFinite=*/false);
  if (trialsOf(model) <= 1000) {
    try {
      const auto sampled = model.sample(3, 42);
      for (Index i = 0; i < sampled.X.size(); ++i) {
        const double k = sampled.X.data()[i];
        FUZZ_CHECK(k >= 0 && k == std::floor(k), "sampled count %g", k);
      }
    } catch (const gmmhmm::InvalidArgument&) {
      constexpr bool kMultinomial = std::is_same_v<Model, MultinomialHmm>;
      FUZZ_CHECK(kMultinomial && trialsOf(model) == 0, "sample refused");
    }
  }
}

template <typename Model>
Model build(FuzzedDataProvider& in);

template <>
PoissonHmm build<PoissonHmm>(FuzzedDataProvider& in) {
  gmmhmm::PoissonSizes sizes;
  sizes.nStates = fuzz::optionInt(in, 1, 4);
  sizes.nFeatures = in.ConsumeBool() ? 0 : fuzz::optionInt(in, 1, 4);
  gmmhmm::PoissonOptions o;
  fuzz::emControls(in, o, 4);
  if (in.ConsumeBool()) o.lambdasPrior = fuzz::optionPrior(in, 0, 5);
  if (in.ConsumeBool()) o.lambdasWeight = fuzz::optionPrior(in, 0, 5);
  return PoissonHmm(sizes, o);
}

template <>
MultinomialHmm build<MultinomialHmm>(FuzzedDataProvider& in) {
  gmmhmm::MultinomialSizes sizes;
  sizes.nStates = fuzz::optionInt(in, 1, 4);
  sizes.nFeatures = in.ConsumeBool() ? 0 : fuzz::optionInt(in, 1, 4);
  sizes.nTrials = in.ConsumeBool() ? 0 : fuzz::optionValue(in, 0, 6);
  gmmhmm::MultinomialOptions o;
  fuzz::emControls(in, o, 4);
  return MultinomialHmm(sizes, o);
}

template <typename Model>
void fitCase(FuzzedDataProvider& in) {
  std::optional<Model> model;
  try {
    model.emplace(build<Model>(in));
  } catch (const gmmhmm::Error&) {
    return;
  }
  const int width = in.ConsumeIntegralInRange<int>(1, 4);
  const int T = in.ConsumeIntegralInRange<int>(0, 30);
  std::vector<double> x;
  for (int i = 0; i < T * width; ++i)
    x.push_back(in.ConsumeIntegralInRange<int>(0, 9) == 0 ? fuzz::rawDouble(in) : in.ConsumeIntegralInRange<int>(0, 6));
  const std::vector<Index> lengths = fuzz::arbitraryLengths(in, T);
  const gmmhmm::SequenceSet set{x.data(), static_cast<Index>(T), width, lengths};
  if (fuzz::fitOrUnchanged(*model, set)) exercise(*model);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::limitMemoryOnce();
  if (size == 0) return 0;
  FuzzedDataProvider in(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0: fuzz::fileCase<PoissonHmm>(data + 1, size - 1, exercise<PoissonHmm>); break;
    case 1: fuzz::fileCase<MultinomialHmm>(data + 1, size - 1, exercise<MultinomialHmm>); break;
    case 2: fitCase<PoissonHmm>(in); break;
    default: fitCase<MultinomialHmm>(in); break;
  }
  return 0;
}
