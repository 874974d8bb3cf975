// CategoricalHmm: options, parameters and model files; the training and inference are the
// shared Hmm's.
#include "gmmhmm/families/categorical_hmm.hpp"

#include <memory>

#include <nlohmann/json.hpp>

#include "../model/checks.hpp"
#include "categorical_emissions.hpp"
#include "chain_model_file.hpp"

namespace gmmhmm {

using json = nlohmann::json;
using detail::CategoricalEmissions;

namespace {

constexpr const char* kFormat = "gmmhmm-categorical-hmm";
constexpr int kFormatVersion = 1;

CategoricalEmissions& family(Hmm& hmm) { return static_cast<CategoricalEmissions&>(hmm.emissions()); }
const CategoricalEmissions& family(const Hmm& hmm) { return static_cast<const CategoricalEmissions&>(hmm.emissions()); }

void validate(const CategoricalOptions& o) {
  validateChainOptions(o, "e");
  checkRanges(o, "");  // emissionprobPrior (the chain's were checked above)
}

const CategoricalSizes& checkedSizes(const CategoricalSizes& sizes) {
  checkRanges(sizes, "");
  return sizes;
}

const detail::ChainModelReader kReader("CategoricalHMM JSON");

std::shared_ptr<const detail::JsonMembers> fileMembers();

}  // namespace

CategoricalHmm::CategoricalHmm(const CategoricalSizes& sizes, const CategoricalOptions& options)
    : ChainModel((validate(options), options),
                 Hmm(checkedSizes(sizes).nStates, std::make_unique<CategoricalEmissions>(sizes.nStates, sizes.nFeatures))) {
  checkChainPriors(options, sizes.nStates);
  family(hmm_).setPrior(options.emissionprobPrior);
}

int CategoricalHmm::nFeatures() const { return family(hmm_).nFeatures(); }

void CategoricalHmm::setOptions(const CategoricalOptions& options) {
  validate(options);
  checkChainPriors(options, nStates());
  family(hmm_).setPrior(options.emissionprobPrior);
  options_ = options;
}

std::vector<double> CategoricalHmm::emissionprob() const {
  const CategoricalEmissions& e = family(hmm_);
  if (!e.ready()) throw NotFitted("emissionprob: not set yet; call fit() or set it first");
  const RowMatrix& p = e.emissionprob();
  return std::vector<double>(p.data(), p.data() + p.size());
}

void CategoricalHmm::setEmissionprob(const std::vector<double>& values) { family(hmm_).setEmissionprob(values); }

std::string CategoricalHmm::toJson() const {
  json j = detail::chainModelJson(kFormat, kFormatVersion, hmm_, nFeatures());
  j["training"] = detail::trainingJson(options_);
  j["monitor"] = detail::monitorJson(monitor());
  return j.dump();
}

namespace {

std::shared_ptr<const detail::JsonMembers> fileMembers() {
  // What toJson writes (a fitted model writes every member), under gmmhmm's names and hmmlearn's.
  static const auto members = [] {
    CategoricalHmm example(CategoricalSizes{1, 1});
    example.setEmissionprob({1.0});
    return detail::hmmlearnMembers(example.toJson(), {"n_features", "n_components"});
  }();
  return members;
}

}  // namespace

CategoricalHmm CategoricalHmm::fromJson(std::string_view text, const FileLimits& limits) {
  const detail::ChainModelReader& r = kReader;
  const json j = r.parse(text, limits, *fileMembers(), kFormat, kFormatVersion);
  const bool fitted = r.fitted(j);
  const json* ep = r.find(j, "emissionprob");
  const int inferredSymbols = r.firstRowLength(ep);
  CategoricalSizes sizes;
  sizes.nStates = r.nStates(j, "emissionprob");
  sizes.nFeatures = r.size(j, "nFeatures", "n_features", inferredSymbols);
  CategoricalOptions options;
  r.training(j, options);
  try {
    const long N = sizes.nStates;
    std::vector<double> startprob, transmat, emissionprob;
    // Shapes against the arrays before the model (whose storage follows the claimed sizes) is
    // built; an unfitted model's file has the parameters that were set (empty: not read).
    if (r.wanted(j, fitted, "startprob")) startprob = r.required(j, "startprob", N, -1);
    if (r.wanted(j, fitted, "transmat")) transmat = r.required(j, "transmat", N, N);
    if (fitted || ep) {
      if (!ep) r.bad("missing 'emissionprob'");
      if (sizes.nFeatures < 1) r.bad("nFeatures must be >= 1");
      emissionprob = r.flat(*ep, "emissionprob", N, sizes.nFeatures);
    }
    CategoricalHmm model(sizes, options);
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
