// GaussianHmm: options, parameters and model files; the training and inference are the
// shared Hmm's.
#include "gmmhmm/families/gaussian_hmm.hpp"

#include <memory>

#include <nlohmann/json.hpp>

#include "../model/checks.hpp"
#include "chain_model_file.hpp"
#include "gaussian_emissions.hpp"
#include "gmmhmm/errors.hpp"

namespace gmmhmm {

using json = nlohmann::json;
using detail::GaussianEmissions;

namespace {

constexpr const char* kFormat = "gmmhmm-gaussian-hmm";
constexpr int kFormatVersion = 1;

GaussianEmissions& family(Hmm& hmm) { return static_cast<GaussianEmissions&>(hmm.emissions()); }
const GaussianEmissions& family(const Hmm& hmm) { return static_cast<const GaussianEmissions&>(hmm.emissions()); }

void validate(const GaussianOptions& o) {
  validateChainOptions(o, "mc");
  checkRanges(o, "");  // the emissions' (the chain's were checked above)
}

// The sizes checked BEFORE the family allocates anything (the order in which a constructor's
// arguments are evaluated is unspecified: a negative nStates once reached an allocation).
Hmm hmmOf(const GaussianSizes& sizes) {
  checkRanges(sizes, "");
  return Hmm(sizes.nStates, std::make_unique<GaussianEmissions>(sizes.nStates, sizes.nFeatures, sizes.covarianceType));
}

// The family's settings from the options; their shapes checked against the sizes known.
void giveSettings(GaussianEmissions& e, const GaussianOptions& o) {
  detail::GaussianSettings g;
  g.minCovar = o.minCovar;
  g.meansPrior = o.meansPrior;
  g.meansWeight = o.meansWeight;
  g.covarsPrior = o.covarsPrior;
  g.covarsWeight = o.covarsWeight;
  g.nInit = o.nInit;
  e.setSettings(g);
}

const detail::ChainModelReader kReader("GaussianHMM JSON");

std::shared_ptr<const detail::JsonMembers> fileMembers() {
  // What toJson writes (a fitted model writes every member), under gmmhmm's names and hmmlearn's.
  static const auto members = [] {
    GaussianHmm example(GaussianSizes{1, 1});
    example.setStartprob({1.0});
    example.setTransmat({1.0});
    example.setMeans({0.0});
    example.setCovars({1.0});
    return detail::hmmlearnMembers(example.toJson(), {"n_features", "n_components", "covariance_type", "_covars_"});
  }();
  return members;
}

// covars as written (covars()'s shape for `type`) or as hmmlearn's covars_ property gives it (a
// D × D matrix per state), flattened; shapes checked against the arrays before a model is built.
std::vector<double> readCovars(const detail::ChainModelReader& r, const json& v, CovarianceType type, long N, long D) {
  const bool matrices = v.is_array() && !v.empty() && v[0].is_array() && !v[0].empty() && v[0][0].is_array();
  if (matrices || type == CovarianceType::Full) {
    std::vector<double> out;
    if (!v.is_array() || static_cast<long>(v.size()) != N) r.bad(detail::concat("covars must be an array of ", N, " matrices"));
    for (long s = 0; s < N; ++s) {
      const std::vector<double> m = r.flat(v[s], detail::concat("covars[", s, "]").c_str(), D, D);
      out.insert(out.end(), m.begin(), m.end());
    }
    return out;
  }
  switch (type) {
    case CovarianceType::Spherical: return r.flat(v, "covars", N, -1);
    case CovarianceType::Diag: return r.flat(v, "covars", N, D);
    default: return r.flat(v, "covars", D, D);  // tied
  }
}

}  // namespace

GaussianHmm::GaussianHmm(const GaussianSizes& sizes, const GaussianOptions& options)
    : ChainModel((validate(options), options), hmmOf(sizes)) {
  checkChainPriors(options, sizes.nStates);
  giveSettings(family(hmm_), options);
}

int GaussianHmm::nFeatures() const { return family(hmm_).nFeatures(); }
CovarianceType GaussianHmm::covarianceType() const { return family(hmm_).covarianceType(); }

void GaussianHmm::setOptions(const GaussianOptions& options) {
  validate(options);
  checkChainPriors(options, nStates());
  giveSettings(family(hmm_), options);
  options_ = options;
}

std::vector<double> GaussianHmm::means() const {
  if (!family(hmm_).hasMeans()) throw NotFitted("means: not set yet; call fit() or set them first");
  return family(hmm_).means();
}

std::vector<double> GaussianHmm::covars() const {
  if (!family(hmm_).hasCovars()) throw NotFitted("covars: not set yet; call fit() or set them first");
  return family(hmm_).covars();
}

std::vector<double> GaussianHmm::fullCovars() const {
  if (!family(hmm_).hasCovars()) throw NotFitted("covars: not set yet; call fit() or set them first");
  return family(hmm_).fullCovars();
}

void GaussianHmm::setMeans(const std::vector<double>& values) { family(hmm_).setMeans(values); }
void GaussianHmm::setCovars(const std::vector<double>& values) { family(hmm_).setCovars(values); }

std::string GaussianHmm::toJson() const {
  json j = detail::chainModelJson(kFormat, kFormatVersion, hmm_, nFeatures());
  j["covarianceType"] = toString(covarianceType());
  j["training"] = detail::trainingJson(options_);
  j["monitor"] = detail::monitorJson(monitor());
  return j.dump();
}

GaussianHmm GaussianHmm::fromJson(std::string_view text, const FileLimits& limits) {
  const detail::ChainModelReader& r = kReader;
  const json j = r.parse(text, limits, *fileMembers(), kFormat, kFormatVersion);
  const bool fitted = r.fitted(j);
  GaussianSizes sizes;
  if (const json* t = r.find(j, "covarianceType", "covariance_type")) {
    if (!t->is_string()) r.bad("'covarianceType' must be \"spherical\", \"diag\", \"full\" or \"tied\"");
    try {
      sizes.covarianceType = parseCovarianceType(t->get<std::string>());
    } catch (const InvalidArgument& e) {
      r.bad(e.what());
    }
  }
  const json* m = r.find(j, "means");
  const int inferred = r.firstRowLength(m);
  sizes.nStates = r.nStates(j, "means");
  sizes.nFeatures = r.size(j, "nFeatures", "n_features", inferred);
  GaussianOptions options;
  r.training(j, options);
  try {
    const long N = sizes.nStates, D = sizes.nFeatures;
    std::vector<double> startprob, transmat, means, covars;
    // An unfitted model's file has the parameters that were set (empty: not read).
    if (r.wanted(j, fitted, "startprob")) startprob = r.required(j, "startprob", N, -1);
    if (r.wanted(j, fitted, "transmat")) transmat = r.required(j, "transmat", N, N);
    const json* c = r.find(j, "covars", "_covars_");
    if ((fitted || m || c) && D < 1) r.bad("nFeatures must be >= 1");
    if (r.wanted(j, fitted, "means")) means = r.required(j, "means", N, D);
    if (fitted || c) {
      if (!c) r.bad("missing 'covars'");
      covars = readCovars(r, *c, sizes.covarianceType, N, D);
    }
    GaussianHmm model(sizes, options);
    if (!startprob.empty()) model.setStartprob(startprob);
    if (!transmat.empty()) model.setTransmat(transmat);
    if (!means.empty()) model.setMeans(means);
    if (!covars.empty()) model.setCovars(covars);
    model.hmm_.setMonitor(r.monitor(j));
    return model;
  } catch (const InvalidArgument& e) {
    r.bad(e.what());
  }
}

}  // namespace gmmhmm
