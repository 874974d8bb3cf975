// MultinomialHmm: options, parameters and model files; the training and inference are the
// shared Hmm's.
#include "gmmhmm/families/multinomial_hmm.hpp"

#include <cmath>
#include <memory>

#include <nlohmann/json.hpp>

#include "../model/checks.hpp"
#include "chain_model_file.hpp"
#include "multinomial_emissions.hpp"

namespace gmmhmm {

using json = nlohmann::json;
using detail::MultinomialEmissions;

namespace {

constexpr const char* kFormat = "gmmhmm-multinomial-hmm";
constexpr int kFormatVersion = 1;

const MultinomialEmissions& family(const Hmm& hmm) { return static_cast<const MultinomialEmissions&>(hmm.emissions()); }
MultinomialEmissions& family(Hmm& hmm) { return static_cast<MultinomialEmissions&>(hmm.emissions()); }

void validate(const MultinomialOptions& o) { validateChainOptions(o, "e"); }

const MultinomialSizes& checkedSizes(const MultinomialSizes& sizes) {
  checkRanges(sizes, "");
  detail::require(sizes.nTrials == std::floor(sizes.nTrials), "nTrials must be an integer in [0, 1e6], got ",
                  sizes.nTrials);
  return sizes;
}

const detail::ChainModelReader kReader("MultinomialHMM JSON");

std::shared_ptr<const detail::JsonMembers> fileMembers() {
  // What toJson writes (a fitted model writes every member), under gmmhmm's names and hmmlearn's.
  static const auto members = [] {
    MultinomialHmm example(MultinomialSizes{1, 1, 1});
    example.setEmissionprob({1.0});
    return detail::hmmlearnMembers(example.toJson(), {"n_features", "n_components", "n_trials"});
  }();
  return members;
}

// nTrials of a file: "nTrials" or hmmlearn's n_trials, an integer or (hmmlearn's n_trials
// after a fit with None) every training frame's total: one value when all are equal, else 0.
double trialsIn(const json& j, const detail::ChainModelReader& r) {
  const json* v = r.find(j, "nTrials", "n_trials");
  if (!v) return 0;
  auto integer = [&](const json& x) {
    if (!x.is_number() || !std::isfinite(x.get<double>()) || x.get<double>() != std::floor(x.get<double>()) ||
        x.get<double>() < 0 || x.get<double>() > 1e6)
      r.bad("'nTrials' must be an integer in [0, 1e6] or an array of them");
    return x.get<double>();
  };
  if (!v->is_array()) return integer(*v);
  double common = -1;
  for (const json& x : *v) {
    const double n = integer(x);
    if (common >= 0 && n != common) return 0;
    common = n;
  }
  return common < 0 ? 0 : common;
}

}  // namespace

MultinomialHmm::MultinomialHmm(const MultinomialSizes& sizes, const MultinomialOptions& options)
    : ChainModel((validate(options), options),
                 Hmm(checkedSizes(sizes).nStates,
                     std::make_unique<MultinomialEmissions>(sizes.nStates, sizes.nFeatures, sizes.nTrials))) {
  checkChainPriors(options, sizes.nStates);
}

int MultinomialHmm::nFeatures() const { return family(hmm_).nFeatures(); }
double MultinomialHmm::nTrials() const { return family(hmm_).nTrials(); }

void MultinomialHmm::setOptions(const MultinomialOptions& options) {
  validate(options);
  checkChainPriors(options, nStates());
  options_ = options;
}

SampleResult MultinomialHmm::sample(Index n, std::uint64_t seed, int currstate) const {
  hmm_.requireReady("sample");
  if (!(nTrials() > 0))
    throw InvalidArgument("sample: nTrials is 0 (each frame's own total): give the model an nTrials to sample frames of");
  // One categorical draw per trial, each a walk over the nFeatures outcomes: bounded so that a
  // call cannot run for hours (1e9 steps: seconds).
  const double steps = double(n) * nTrials() * nFeatures();
  detail::require(steps <= 1e9, "sample: n x nTrials x nFeatures = ", steps, " steps of the draws; at most 1e9 per call");
  return hmm_.sample(n, seed, currstate);
}

std::vector<double> MultinomialHmm::emissionprob() const {
  const MultinomialEmissions& e = family(hmm_);
  if (!e.ready()) throw NotFitted("emissionprob: not set yet; call fit() or set it first");
  const RowMatrix& p = e.emissionprob();
  return std::vector<double>(p.data(), p.data() + p.size());
}

void MultinomialHmm::setEmissionprob(const std::vector<double>& values) { family(hmm_).setEmissionprob(values); }

std::string MultinomialHmm::toJson() const {
  json j = detail::chainModelJson(kFormat, kFormatVersion, hmm_, nFeatures());
  j["nTrials"] = nTrials();
  j["training"] = detail::trainingJson(options_);
  j["monitor"] = detail::monitorJson(monitor());
  return j.dump();
}

MultinomialHmm MultinomialHmm::fromJson(std::string_view text, const FileLimits& limits) {
  const detail::ChainModelReader& r = kReader;
  const json j = r.parse(text, limits, *fileMembers(), kFormat, kFormatVersion);
  const bool fitted = r.fitted(j);
  const json* ep = r.find(j, "emissionprob");
  const int inferred = r.firstRowLength(ep);
  MultinomialSizes sizes;
  sizes.nStates = r.nStates(j, "emissionprob");
  sizes.nFeatures = r.size(j, "nFeatures", "n_features", inferred);
  sizes.nTrials = trialsIn(j, r);
  MultinomialOptions options;
  r.training(j, options);
  try {
    const long N = sizes.nStates;
    std::vector<double> startprob, transmat, emissionprob;
    // Shapes against the arrays before the model (whose storage follows the claimed sizes) is
    // built; an unfitted model's file has the parameters that were set (empty: not read).
    if (r.wanted(j, fitted, "startprob")) startprob = r.required(j, "startprob", N, -1);
    if (r.wanted(j, fitted, "transmat")) transmat = r.required(j, "transmat", N, N);
    if (r.wanted(j, fitted, "emissionprob")) {
      if (sizes.nFeatures < 1) r.bad("nFeatures must be >= 1");
      emissionprob = r.required(j, "emissionprob", N, sizes.nFeatures);
    }
    MultinomialHmm model(sizes, options);
    if (!startprob.empty()) model.setStartprob(startprob);
    if (!transmat.empty()) model.setTransmat(transmat);
    if (!emissionprob.empty()) model.setEmissionprob(emissionprob);
    model.hmm_.setMonitor(r.monitor(j));
    return model;
  } catch (const InvalidArgument& e) {
    r.bad(e.what());
  }
}

}  // namespace gmmhmm
