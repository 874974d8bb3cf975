// Fuzz target: arbitrary bytes as a model file. GmmHmm::fromJson and Recognizer::fromJson
// must either throw a gmmhmm::Error or return a model that works: it scores, decodes and
// samples without NaN, and saving then loading it again gives the same file.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_checks.hpp"
#include "gmmhmm/errors.hpp"
#include "gmmhmm/model/gmm_hmm.hpp"
#include "gmmhmm/recognizer/recognizer.hpp"

namespace {

using gmmhmm::GmmHmm;
using gmmhmm::RowMatrix;

// A few frames of smooth, spread-out data (deterministic).
RowMatrix probeFrames(int rows, int cols) {
  RowMatrix X(rows, cols);
  for (int t = 0; t < rows; ++t)
    for (int d = 0; d < cols; ++d) X(t, d) = 3.0 * std::sin(0.7 * t + 1.3 * d) + 0.1 * d;
  return X;
}

void exerciseModel(const GmmHmm& model) {
  // Saved files load again, to the same file (unfitted models too: their files hold the
  // parameters set before fit()).
  const std::string saved = model.toJson();
  const GmmHmm reloaded = GmmHmm::fromJson(saved);
  FUZZ_CHECK(reloaded.toJson() == saved, "save -> load -> save changed the file");
  const int D = model.nFeatures();
  if (!model.isReady() || D < 1 || D > 512) return;
  const RowMatrix X = probeFrames(7, D);
  gmmhmm::SequenceSet set{X.data(), X.rows(), X.cols(), {4, 3}};

  const double logL = model.score(set);
  FUZZ_CHECK(!std::isnan(logL) && logL != INFINITY, "score %g", logL);
  const auto decoded = model.decode(set);
  FUZZ_CHECK(!std::isnan(decoded.logLikelihood), "decode log-likelihood NaN");
  FUZZ_CHECK(decoded.states.size() == 7u, "decode gave %zu states", decoded.states.size());
  if (std::isfinite(decoded.logLikelihood))
    for (int s : decoded.states) FUZZ_CHECK(s >= 0 && s < model.nStates(), "decoded state %d", s);
  const auto posteriors = model.scoreSamples(set);
  if (std::isfinite(posteriors.logLikelihood))
    FUZZ_CHECK(fuzz::allFinite(posteriors.posteriors.reshaped()), "posteriors not finite");
  const auto sampled = model.sample(5, 42);
  FUZZ_CHECK(fuzz::allFinite(sampled.X.reshaped()), "sample() gave a non-finite value");

}

void exerciseRecognizer(const gmmhmm::recognizer::Recognizer& recognizer) {
  if (!recognizer.isTrained()) return;
  const int width = gmmhmm::recognizer::featureWidth(recognizer.options().features);
  for (int frames : {1, 40}) {
    const auto result = recognizer.classifyFeatures(probeFrames(frames, width));
    FUZZ_CHECK(!std::isnan(result.confidence) && !std::isnan(result.likelihoodRatio) && !std::isnan(result.fit),
               "classification has NaN (confidence %g, ratio %g, fit %g)", result.confidence,
               result.likelihoodRatio, result.fit);
    for (const auto& s : result.scores) FUZZ_CHECK(!std::isnan(s.probability), "probability of '%s' NaN", s.label.c_str());
  }
  const std::string saved = recognizer.toJson();
  const auto reloaded = gmmhmm::recognizer::Recognizer::fromJson(saved);
  FUZZ_CHECK(reloaded.toJson() == saved, "recognizer save -> load -> save changed the file");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // Only loading may throw; once a file is accepted, using the model must not.
  std::optional<GmmHmm> model;
  try {
    model.emplace(GmmHmm::fromJson(text));
  } catch (const gmmhmm::Error&) {
  }
  if (model) exerciseModel(*model);
  // Recognizer files embed model files; the same bytes are tried as one (cheap to reject).
  std::optional<gmmhmm::recognizer::Recognizer> recognizer;
  try {
    recognizer.emplace(gmmhmm::recognizer::Recognizer::fromJson(text));
  } catch (const gmmhmm::Error&) {
  }
  if (recognizer) exerciseRecognizer(*recognizer);
  return 0;
}
