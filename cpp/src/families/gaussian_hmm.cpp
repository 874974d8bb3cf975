// GaussianHmm: options and parameters; the training and inference are the shared Hmm's.
#include "gmmhmm/families/gaussian_hmm.hpp"

#include <memory>

#include "../model/checks.hpp"
#include "gmmhmm/errors.hpp"
#include "gaussian_emissions.hpp"

namespace gmmhmm {

using detail::GaussianEmissions;

namespace {

GaussianEmissions& family(Hmm& hmm) { return static_cast<GaussianEmissions&>(hmm.emissions()); }
const GaussianEmissions& family(const Hmm& hmm) { return static_cast<const GaussianEmissions&>(hmm.emissions()); }

void validate(const GaussianOptions& o) {
  validateChainOptions(o, "mc");
  checkRanges(o, "");  // the emissions' (the chain's were checked above)
}

const GaussianSizes& checkedSizes(const GaussianSizes& sizes) {
  checkRanges(sizes, "");
  return sizes;
}

detail::GaussianSettings settingsOf(const GaussianOptions& o) {
  detail::GaussianSettings s;
  s.minCovar = o.minCovar;
  s.meansPrior = o.meansPrior;
  s.meansWeight = o.meansWeight;
  s.covarsPrior = o.covarsPrior;
  s.covarsWeight = o.covarsWeight;
  s.nInit = o.nInit;
  return s;
}

}  // namespace

GaussianHmm::GaussianHmm(const GaussianSizes& sizes, const GaussianOptions& options)
    : options_((validate(options), options)),
      hmm_(checkedSizes(sizes).nStates,
           std::make_unique<GaussianEmissions>(sizes.nStates, sizes.nFeatures, sizes.covarianceType)) {
  family(hmm_).settings = settingsOf(options);
}

int GaussianHmm::nFeatures() const { return family(hmm_).nFeatures(); }
CovarianceType GaussianHmm::covarianceType() const { return family(hmm_).covarianceType(); }

void GaussianHmm::setOptions(const GaussianOptions& options) {
  validate(options);
  options_ = options;
  family(hmm_).settings = settingsOf(options);
}

const Monitor& GaussianHmm::fit(const SequenceSet& X, const IterationCallback& onIteration) {
  family(hmm_).settings = settingsOf(options_);
  return hmm_.fit(X, options_, onIteration);
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

}  // namespace gmmhmm
