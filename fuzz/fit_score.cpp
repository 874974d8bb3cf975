// Fuzz target: fit and score on arbitrary small data with arbitrary configurations and
// user-set parameters. Bad input must throw a gmmhmm::Error; when fit() accepts the input, the
// model must be usable: finite parameters, no NaN in the monitor or any score, a valid Viterbi
// path, posteriors that sum to 1, finite samples, and a model file that loads back identically.
#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_checks.hpp"
#include "gmmhmm/errors.hpp"
#include "gmmhmm/model/gmm_hmm.hpp"

namespace {

using gmmhmm::GmmHmm;
using gmmhmm::Index;
using gmmhmm::ModelConfig;
using gmmhmm::RowMatrix;

// Mostly a small valid size, sometimes one that validation must reject.
int size(FuzzedDataProvider& in, int lo, int hi) {
  static const int invalid[] = {0, -1, INT_MIN, INT_MAX, 100001};
  if (in.ConsumeIntegralInRange<int>(0, 15) == 0) return invalid[in.ConsumeIntegralInRange<int>(0, 4)];
  return in.ConsumeIntegralInRange<int>(lo, hi);
}

std::string letters(FuzzedDataProvider& in) {
  const auto mask = in.ConsumeIntegral<std::uint8_t>();
  if (mask == 0xff) return in.ConsumeRandomLengthString(6);  // any characters
  std::string out;
  for (int i = 0; i < 5; ++i)
    if (!(mask & (1 << i))) out += "stmcw"[i];
  return out;
}

ModelConfig config(FuzzedDataProvider& in) {
  ModelConfig c;
  c.nStates = size(in, 1, 5);
  c.nMix = size(in, 1, 3);
  c.nFeatures = in.ConsumeBool() ? 0 : size(in, 1, 4);
  c.covarianceType = static_cast<gmmhmm::CovarianceType>(in.ConsumeIntegralInRange<int>(0, 3));
  c.topology = static_cast<gmmhmm::Topology>(in.ConsumeIntegralInRange<int>(0, 2));
  c.maxJump = size(in, 1, 3);
  c.endInLastState = in.ConsumeBool();
  // Not size(): 100001 iterations are valid, and only slow.
  c.nIter = in.ConsumeIntegralInRange<int>(0, 15) == 0 ? (in.ConsumeBool() ? -1 : 1000001) : in.ConsumeIntegralInRange<int>(0, 6);
  c.init = static_cast<gmmhmm::InitMethod>(in.ConsumeIntegralInRange<int>(0, 2));
  c.seed = in.ConsumeIntegral<std::uint64_t>();
  c.mixtureSplitting = in.ConsumeBool();
  c.splitIterations = size(in, 0, 3);
  const auto mask = in.ConsumeIntegral<std::uint16_t>();
  if (mask & 1) c.params = letters(in);
  if (mask & 2) c.initParams = letters(in);
  if (mask & 4) c.tol = fuzz::optionValue(in, 0, 1);
  if (mask & 8) c.minCovar = fuzz::optionValue(in, 0, 1);
  if (mask & 16) c.varianceFloorFraction = fuzz::optionValue(in, 0, 0.5);
  if (mask & 32) c.startprobPrior = fuzz::optionValue(in, 0.5, 3);
  if (mask & 64) c.transmatPrior = fuzz::optionValue(in, 0.5, 3);
  if (mask & 128) c.weightsPrior = fuzz::optionValue(in, 0.5, 3);
  if (mask & 256) {
    c.meansPrior = fuzz::optionValue(in, -5, 5);
    c.meansWeight = fuzz::optionValue(in, 0, 5);
  }
  if (mask & 512) {
    c.covarsPrior = fuzz::optionValue(in, 0, 5);
    c.covarsWeight = fuzz::optionValue(in, 0, 5);
  }
  if (mask & 1024) {
    // Every prior per entry (hmmlearn's arrays) around its value, sometimes broadcast over the
    // states; nFeatures not known yet: broadcast over the features. Sizes that validation
    // refuses anyway (nStates INT_MAX...) are clamped so that the arrays stay small.
    for (const gmmhmm::PriorOption& o : gmmhmm::priorOptions()) {
      std::vector<long> shape = gmmhmm::priorShape(c, o);
      if (in.ConsumeBool()) shape[0] = 1;
      std::size_t n = 1;
      for (long& d : shape) n *= static_cast<std::size_t>(d = std::clamp(d, 1L, 64L));
      std::vector<double> v(n);
      // Mostly plausible (so that fits run with them), sometimes an edge value.
      for (double& x : v)
        x = (c.*o.field).scalar() + (in.ConsumeIntegralInRange<int>(0, 31) == 0 ? fuzz::optionValue(in, 0, 1)
                                                                                : in.ConsumeFloatingPointInRange<double>(0, 1));
      c.*o.field = gmmhmm::Prior(shape, v);
    }
  }
  return c;
}

std::size_t covarsSize(const ModelConfig& c, int D) {
  const std::size_t N = c.nStates, M = c.nMix;
  switch (c.covarianceType) {
    case gmmhmm::CovarianceType::Diag: return N * M * D;
    case gmmhmm::CovarianceType::Full: return N * M * D * D;
    case gmmhmm::CovarianceType::Spherical: return N * M;
    case gmmhmm::CovarianceType::Tied: return N * D * D;
  }
  return 0;
}

// n values: mostly probabilities or plausible numbers, sometimes any double; the size is
// sometimes one off.
std::vector<double> values(FuzzedDataProvider& in, std::size_t n, bool probabilities) {
  if (in.ConsumeIntegralInRange<int>(0, 15) == 0) n = n > 0 && in.ConsumeBool() ? n - 1 : n + 1;
  std::vector<double> v(n);
  const bool raw = in.ConsumeIntegralInRange<int>(0, 7) == 0;
  for (auto& x : v) x = raw ? fuzz::rawDouble(in) : in.ConsumeIntegralInRange<int>(0, 8) * (probabilities ? 1.0 : 0.5);
  if (probabilities && !raw && in.ConsumeBool()) {
    // Rows that sum to 1 (the setters' contract), row width = last dimension.
    const double total = std::accumulate(v.begin(), v.end(), 0.0);
    if (total > 0)
      for (auto& x : v) x /= total;
  }
  return v;
}

// The user sets some parameters before fitting (what initParams leaves out).
void setParameters(FuzzedDataProvider& in, GmmHmm& model, int D) {
  const ModelConfig& c = model.config();
  const std::size_t N = c.nStates, M = c.nMix;
  const auto mask = in.ConsumeIntegral<std::uint8_t>();
  auto attempt = [](auto&& set) {
    try {
      set();
    } catch (const gmmhmm::InvalidArgument&) {
    }
  };
  if (mask & 1) attempt([&] { model.setStartprob(values(in, N, true)); });
  if (mask & 2) {
    auto t = values(in, N * N, true);
    // Per-row normalisation, so that valid matrices are reachable.
    if (t.size() == N * N && in.ConsumeBool())
      for (std::size_t i = 0; i < N; ++i) {
        double s = 0;
        for (std::size_t j = 0; j < N; ++j) s += t[i * N + j];
        for (std::size_t j = 0; j < N; ++j) t[i * N + j] = s > 0 ? t[i * N + j] / s : 1.0 / N;
      }
    attempt([&] { model.setTransmat(t); });
  }
  if (mask & 4) attempt([&] { model.setWeights(values(in, N * M, true)); });
  if (mask & 8) attempt([&] { model.setMeans(values(in, N * M * D, false)); });
  if (mask & 16) attempt([&] { model.setCovars(values(in, covarsSize(c, D), false)); });
}

// What a failing input asked for: the model file (configuration and parameters) and the data.
void printCase(const GmmHmm& model, const gmmhmm::SequenceSet& X) {
  std::fprintf(stderr, "model: %s\nX (%ld x %ld), lengths", model.toJson().c_str(), (long)X.nFrames, (long)X.nFeatures);
  for (Index n : X.lengths) std::fprintf(stderr, " %ld", (long)n);
  std::fprintf(stderr, "\n");
  for (Index i = 0; i < X.nFrames * X.nFeatures && i < 200; ++i) std::fprintf(stderr, "%.17g ", X.data[i]);
  std::fprintf(stderr, "\n");
}

void checkModel(const GmmHmm& model, const gmmhmm::SequenceSet& X) {
  FUZZ_CHECK(fuzz::allFinite(model.startprob()) && fuzz::allFinite(model.transmat()) &&
                 fuzz::allFinite(model.weights()) && fuzz::allFinite(model.means()) && fuzz::allFinite(model.covars()),
             "fit() left a non-finite parameter");
  for (double h : model.monitor().history) FUZZ_CHECK(!std::isnan(h), "monitor history has NaN");

  const double logL = model.score(X);
  FUZZ_CHECK(!std::isnan(logL) && logL != INFINITY, "score %g", logL);
  const auto perSequence = model.scorePerSequence(X);
  FUZZ_CHECK(perSequence.size() == std::max<std::size_t>(1, X.lengths.size()), "scorePerSequence size");
  // fit() with nIter 0 only initialises and does not check that the topology can produce every
  // sequence; score() is then -inf and decode()/scoreSamples() refuse, as documented.
  const bool producible = logL != -INFINITY;
  std::optional<gmmhmm::DecodeResult> decodedOrNot;
  try {
    decodedOrNot.emplace(model.decode(X));
  } catch (const gmmhmm::InvalidArgument& e) {
    FUZZ_CHECK(!producible && std::strstr(e.what(), "has no valid state path"), "decode: %s", e.what());
  }
  if (decodedOrNot) {
    const auto& decoded = *decodedOrNot;
    FUZZ_CHECK(!std::isnan(decoded.logLikelihood), "Viterbi log-likelihood NaN");
    // The best path cannot be more likely than all paths together.
    if (std::isfinite(logL))
      FUZZ_CHECK(decoded.logLikelihood <= logL + 1e-6 * (1 + std::abs(logL)), "Viterbi %.17g above the total %.17g",
                 decoded.logLikelihood, logL);
    FUZZ_CHECK(static_cast<Index>(decoded.states.size()) == X.nFrames, "decode length");
    if (std::isfinite(decoded.logLikelihood))
      for (int s : decoded.states) FUZZ_CHECK(s >= 0 && s < model.nStates(), "state %d", s);
  }
  // Documented refusals: a sequence the topology cannot produce, likelihoods beyond double
  // precision (extreme means or variances).
  std::optional<gmmhmm::PosteriorResult> scored;
  try {
    scored.emplace(model.scoreSamples(X));
  } catch (const gmmhmm::InvalidArgument& e) {
    FUZZ_CHECK(std::strstr(e.what(), "cannot be computed in double precision") ||
                   (!producible && std::strstr(e.what(), "cannot be produced by the model")),
               "scoreSamples: %s", e.what());
  }
  if (scored) {
    const auto& posteriors = *scored;
    for (Index t = 0; t < posteriors.posteriors.rows(); ++t) {
      const double sum = posteriors.posteriors.row(t).sum();
      if (!(std::abs(sum - 1) < 1e-6)) printCase(model, X);
      FUZZ_CHECK(std::abs(sum - 1) < 1e-6, "posteriors of frame %ld sum to %.17g", (long)t, sum);
    }
  }
  const double aic = model.aic(X), bic = model.bic(X);
  FUZZ_CHECK(!std::isnan(aic) && !std::isnan(bic), "aic %g bic %g", aic, bic);
  const auto sampled = model.sample(6, 7);
  FUZZ_CHECK(fuzz::allFinite(sampled.X.reshaped()), "sample() gave a non-finite value");

  const std::string saved = model.toJson();
  std::optional<GmmHmm> loaded;
  try {
    loaded.emplace(GmmHmm::fromJson(saved));
  } catch (const gmmhmm::Error& e) {
    printCase(model, X);
    FUZZ_CHECK(false, "the saved model does not load: %s", e.what());
  }
  const GmmHmm& reloaded = *loaded;
  FUZZ_CHECK(reloaded.toJson() == saved, "save -> load -> save changed the file");
  const double reloadedL = reloaded.score(X);
  FUZZ_CHECK(reloadedL == logL || (std::isnan(reloadedL) && std::isnan(logL)), "reloaded model scores %.17g, not %.17g",
             reloadedL, logL);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const ModelConfig c = config(in);
  std::optional<GmmHmm> model;
  try {
    model.emplace(c);
  } catch (const gmmhmm::InvalidArgument&) {
    return 0;
  }
  const int D = c.nFeatures > 0 ? c.nFeatures : in.ConsumeIntegralInRange<int>(1, 4);
  if (in.ConsumeBool()) setParameters(in, *model, D);

  // The frames: small integers (ties, constant columns), sometimes scaled outliers or any bits.
  const int style = in.ConsumeIntegralInRange<int>(0, 7);
  const int T = in.ConsumeIntegralInRange<int>(0, 48);
  RowMatrix X(T, D);
  for (Index i = 0; i < X.size(); ++i) {
    double x = in.ConsumeIntegral<std::int8_t>() * 0.25;
    if (style == 0) x = fuzz::rawDouble(in);
    if (style == 1 && in.ConsumeIntegralInRange<int>(0, 15) == 0) x *= 1e4;
    X.data()[i] = x;
  }
  std::vector<Index> lengths;
  for (int remaining = T, parts = in.ConsumeIntegralInRange<int>(0, 4); parts > 0 && remaining > 0; --parts) {
    const int len = parts == 1 ? remaining : in.ConsumeIntegralInRange<int>(1, remaining);
    lengths.push_back(len);
    remaining -= len;
  }
  if (!lengths.empty() && in.ConsumeIntegralInRange<int>(0, 15) == 0) lengths.back() += in.ConsumeIntegralInRange<int>(-3, 3);
  const gmmhmm::SequenceSet set{X.data(), X.rows(), X.cols(), lengths};
  if (std::getenv("FUZZ_PRINT")) {  // FUZZ_PRINT=1 ./fuzz_fit_score input: what the input asks for
    std::fprintf(stderr, "N %d M %d D %d cov %d topo %d jump %d end %d nIter %d init %d split %d/%d params '%s' init '%s' "
                 "tol %g minCovar %g vff %g priors %g %g %g means %g/%g covars %g/%g\n",
                 c.nStates, c.nMix, D, (int)c.covarianceType, (int)c.topology, c.maxJump, c.endInLastState, c.nIter,
                 (int)c.init, c.mixtureSplitting, c.splitIterations, c.params.c_str(), c.initParams.c_str(), c.tol,
                 c.minCovar, c.varianceFloorFraction, c.startprobPrior.scalar(), c.transmatPrior.scalar(), c.weightsPrior.scalar(),
                 c.meansPrior.scalar(), c.meansWeight.scalar(), c.covarsPrior.scalar(), c.covarsWeight.scalar());
    printCase(*model, set);
  }

  bool fitted = false;
  try {
    model->fit(set);
    fitted = true;
  } catch (const gmmhmm::InvalidArgument&) {
  } catch (const gmmhmm::NotFitted&) {  // initParams left out a parameter nobody set
  }
  if (fitted && model->isReady()) {
    try {
      checkModel(*model, set);
    } catch (const gmmhmm::Error& e) {  // a model fit() accepted must be usable on its data
      printCase(*model, set);
      FUZZ_CHECK(false, "the fitted model fails: %s", e.what());
    }
  }
  return 0;
}
