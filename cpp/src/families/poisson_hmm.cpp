// PoissonHmm: options, parameters and model files; the training and inference are the
// shared Hmm's.
#include "gmmhmm/families/poisson_hmm.hpp"

#include <memory>

#include <nlohmann/json.hpp>

#include "../model/checks.hpp"
#include "chain_model_file.hpp"
#include "poisson_emissions.hpp"

namespace gmmhmm {

using json = nlohmann::json;
using detail::PoissonEmissions;

namespace {

constexpr const char* kFormat = "gmmhmm-poisson-hmm";
constexpr int kFormatVersion = 1;

PoissonEmissions& family(Hmm& hmm) { return static_cast<PoissonEmissions&>(hmm.emissions()); }
const PoissonEmissions& family(const Hmm& hmm) { return static_cast<const PoissonEmissions&>(hmm.emissions()); }

void validate(const PoissonOptions& o) {
  validateChainOptions(o, "l");
  checkRanges(o, "");  // lambdasPrior, lambdasWeight (the chain's were checked above)
}

const PoissonSizes& checkedSizes(const PoissonSizes& sizes) {
  checkRanges(sizes, "");
  return sizes;
}


const detail::ChainModelReader kReader("PoissonHMM JSON");

std::shared_ptr<const detail::JsonMembers> fileMembers() {
  // What toJson writes (a fitted model writes every member), under gmmhmm's names and hmmlearn's.
  static const auto members = [] {
    PoissonHmm example(PoissonSizes{1, 1});
    example.setLambdas({1.0});
    return detail::hmmlearnMembers(example.toJson(), {"n_features", "n_components"});
  }();
  return members;
}

}  // namespace

PoissonHmm::PoissonHmm(const PoissonSizes& sizes, const PoissonOptions& options)
    : ChainModel((validate(options), options),
                 Hmm(checkedSizes(sizes).nStates, std::make_unique<PoissonEmissions>(sizes.nStates, sizes.nFeatures))) {
  checkChainPriors(options, sizes.nStates);
  family(hmm_).setPrior(options.lambdasPrior, options.lambdasWeight);
}

int PoissonHmm::nFeatures() const { return family(hmm_).nFeatures(); }

void PoissonHmm::setOptions(const PoissonOptions& options) {
  validate(options);
  checkChainPriors(options, nStates());
  family(hmm_).setPrior(options.lambdasPrior, options.lambdasWeight);
  options_ = options;
}

std::vector<double> PoissonHmm::lambdas() const {
  const PoissonEmissions& e = family(hmm_);
  if (!e.ready()) throw NotFitted("lambdas: not set yet; call fit() or set them first");
  const RowMatrix& l = e.lambdas();
  return std::vector<double>(l.data(), l.data() + l.size());
}

void PoissonHmm::setLambdas(const std::vector<double>& values) { family(hmm_).setLambdas(values); }

std::string PoissonHmm::toJson() const {
  json j = detail::chainModelJson(kFormat, kFormatVersion, hmm_, nFeatures());
  j["training"] = detail::trainingJson(options_);
  j["monitor"] = detail::monitorJson(monitor());
  return j.dump();
}

PoissonHmm PoissonHmm::fromJson(std::string_view text, const FileLimits& limits) {
  const detail::ChainModelReader& r = kReader;
  const json j = r.parse(text, limits, *fileMembers(), kFormat, kFormatVersion);
  const bool fitted = r.fitted(j);
  const json* l = r.find(j, "lambdas");
  const int inferred = r.firstRowLength(l);
  PoissonSizes sizes;
  sizes.nStates = r.nStates(j, "lambdas");
  sizes.nFeatures = r.size(j, "nFeatures", "n_features", inferred);
  PoissonOptions options;
  r.training(j, options);
  try {
    const long N = sizes.nStates;
    std::vector<double> startprob, transmat, lambdas;
    // Shapes against the arrays before the model (whose storage follows the claimed sizes) is
    // built; an unfitted model's file has the parameters that were set (empty: not read).
    if (r.wanted(j, fitted, "startprob")) startprob = r.required(j, "startprob", N, -1);
    if (r.wanted(j, fitted, "transmat")) transmat = r.required(j, "transmat", N, N);
    if (r.wanted(j, fitted, "lambdas")) {
      if (sizes.nFeatures < 1) r.bad("nFeatures must be >= 1");
      lambdas = r.required(j, "lambdas", N, sizes.nFeatures);
    }
    PoissonHmm model(sizes, options);
    if (!startprob.empty()) model.setStartprob(startprob);
    if (!transmat.empty()) model.setTransmat(transmat);
    if (!lambdas.empty()) model.setLambdas(lambdas);
    model.hmm_.setMonitor(r.monitor(j));
    return model;
  } catch (const InvalidArgument& e) {
    r.bad(e.what());
  }
}

}  // namespace gmmhmm
