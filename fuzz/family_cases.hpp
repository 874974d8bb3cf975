#pragma once
// Shared by the emission-family fuzz targets (categorical, counts, gaussian): the parts of a
// case that do not depend on the family — arbitrary lengths, a fit that must either succeed
// or leave the model as it was, a model file loaded from arbitrary bytes, and the checks on
// score / decode / posteriors. Each target keeps what is its own (its sizes and options, the
// frames it feeds, what its samples must look like).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_checks.hpp"
#include "gmmhmm/errors.hpp"
#include "gmmhmm/limits.hpp"
#include "gmmhmm/model/gmm_hmm.hpp"

namespace fuzz {

// Called first by every target: sizes up to the declared limits are valid, and the memory
// limit makes the large ones an OutOfMemory error before allocating.
inline void limitMemoryOnce() {
  static const bool limited = (gmmhmm::setMemoryLimit(std::size_t(256) << 20), true);
  (void)limited;
}

// The EM controls every family's options have: nIter, tol, seed, params and initParams (at
// most `letters` characters of any bytes).
template <typename Options>
void emControls(FuzzedDataProvider& in, Options& o, std::size_t letters) {
  o.nIter = in.ConsumeIntegralInRange<int>(0, 5);
  if (in.ConsumeBool()) o.tol = optionValue(in, -1, 1);
  o.seed = in.ConsumeIntegral<std::uint64_t>();
  if (in.ConsumeBool()) o.params = in.ConsumeRandomLengthString(letters);
  if (in.ConsumeBool()) o.initParams = in.ConsumeRandomLengthString(letters);
}

// A prior: usually a number (optionValue), else an array of 1-3 dimensions of 1-4 entries
// each, whose shape may or may not broadcast to its parameter's, of such numbers.
inline gmmhmm::Prior optionPrior(FuzzedDataProvider& in, double lo, double hi) {
  if (in.ConsumeIntegralInRange<int>(0, 3) != 0) return optionValue(in, lo, hi);
  std::vector<long> shape(static_cast<std::size_t>(in.ConsumeIntegralInRange<int>(1, 3)));
  std::size_t count = 1;
  for (long& d : shape) count *= static_cast<std::size_t>(d = in.ConsumeIntegralInRange<int>(1, 4));
  std::vector<double> values(count);
  for (double& v : values) v = optionValue(in, lo, hi);
  return gmmhmm::Prior(shape, values);
}

// Arbitrary sequence lengths for T frames: may be negative, zero, overrun T or not add up to
// it (the model must reject those with a gmmhmm::Error); often none at all (one sequence).
inline std::vector<gmmhmm::Index> arbitraryLengths(FuzzedDataProvider& in, int T) {
  std::vector<gmmhmm::Index> lengths;
  for (int remaining = T; remaining > 0 && in.ConsumeBool();) {
    const int len = in.ConsumeIntegralInRange<int>(-1, remaining + 1);
    lengths.push_back(len);
    remaining -= len;
  }
  return lengths;
}

// Fits; true when the fit was accepted (its history without NaN). A gmmhmm::Error must leave
// the model's file unchanged (false then).
template <typename Model>
bool fitOrUnchanged(Model& model, const gmmhmm::SequenceSet& set) {
  const std::string before = model.toJson();
  try {
    const auto& monitor = model.fit(set);
    for (double ll : monitor.history) FUZZ_CHECK(!std::isnan(ll), "monitor history has NaN");
  } catch (const gmmhmm::Error&) {
    FUZZ_CHECK(model.toJson() == before, "a failed fit changed the model");
    return false;
  }
  return true;
}

// Arbitrary bytes as a model file: either a gmmhmm::Error or a model that passes `exercise`.
template <typename Model, typename Exercise>
void fileCase(const std::uint8_t* data, std::size_t size, Exercise exercise) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::optional<Model> model;
  try {
    model.emplace(Model::fromJson(text));
  } catch (const gmmhmm::Error&) {
  }
  if (model) exercise(*model);
}

// On frames the model accepts: score is not NaN nor +inf; when finite, decode gives a
// log-likelihood (finite when decodeFinite, else not NaN) and states in range, and every
// frame's posteriors sum to 1.
template <typename Model>
void checkScoring(const Model& model, const gmmhmm::SequenceSet& set, bool decodeFinite) {
  const double logL = model.score(set);
  FUZZ_CHECK(!std::isnan(logL) && logL != INFINITY, "score %g", logL);
  if (!std::isfinite(logL)) return;
  const auto decoded = model.decode(set);
  FUZZ_CHECK(decodeFinite ? std::isfinite(decoded.logLikelihood) : !std::isnan(decoded.logLikelihood), "decode %g",
             decoded.logLikelihood);
  for (int s : decoded.states) FUZZ_CHECK(s >= 0 && s < model.nStates(), "decoded state %d", s);
  const auto post = model.scoreSamples(set);
  for (gmmhmm::Index t = 0; t < post.posteriors.rows(); ++t)
    FUZZ_CHECK(std::abs(post.posteriors.row(t).sum() - 1) < 1e-6, "posteriors of frame %d sum to %g", int(t),
               post.posteriors.row(t).sum());
}

// The save -> load -> save round trip gives the same file.
template <typename Model>
void checkRoundTrip(const Model& model) {
  const std::string saved = model.toJson();
  FUZZ_CHECK(Model::fromJson(saved).toJson() == saved, "save -> load -> save changed the file");
}

}  // namespace fuzz
