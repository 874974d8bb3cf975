// GaussianEmissions: sizes, parameters and their checks, initialisation, the M-step, sampling and
// files (the E-step side: gaussian_estep.cpp).
#include "gaussian_emissions.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "../model/checks.hpp"
#include "../model/full_covariance.hpp"
#include "../model/initialization.hpp"  // kmeans, GlobalStatistics
#include "../model/memory_estimate.hpp"
#include "../model/model_state.hpp"  // checkCovariance
#include "../model/param_letters.hpp"
#include "../model/random.hpp"
#include "../model/sequence_data.hpp"  // kMaxFrameMagnitude
#include "../model/statistics.hpp"     // applyFloors, kEmptyOccupancy

namespace gmmhmm::detail {

namespace {

constexpr Index kMaxFeatures = 100000;  // as GMMHMM's nFeatures

bool fullType(CovarianceType t) { return t == CovarianceType::Full || t == CovarianceType::Tied; }

// Covariance matrices the model stores: full N, tied 1, others 0.
Index matrixCount(CovarianceType t, Index N) {
  return t == CovarianceType::Full ? N : t == CovarianceType::Tied ? 1 : 0;
}

// Bytes of the parameters, the statistics and the evaluator's constants (a generous count,
// checked before anything of that size is allocated).
double modelBytes(CovarianceType t, double N, double D) {
  const double matrices = static_cast<double>(matrixCount(t, static_cast<Index>(N)));
  return sizeof(double) * (8.0 * N * D + 4.0 * matrices * D * D + (t == CovarianceType::Tied ? D * D : 0.0));
}

}  // namespace

GaussianEmissions::GaussianEmissions(int nStates, int nFeatures, CovarianceType type) : nStates_(nStates) {
  require(nStates >= 1 && nStates <= 10000, "nStates must be an integer in [1, 10000], got ", nStates);
  params_.type = type;
  // See the header: tied is one "state" of N components in GMMHMM's layout.
  params_.nStates = type == CovarianceType::Tied ? 1 : nStates;
  params_.nMix = type == CovarianceType::Tied ? nStates : 1;
  params_.weights = RowMatrix::Ones(params_.nStates, params_.nMix);
  if (nFeatures > 0) requireFeatures(nFeatures, "nFeatures");
  params_.nFeatures = 0;
  if (nFeatures > 0) {
    params_.nFeatures = nFeatures;
    params_.means = RowMatrix::Zero(nStates, nFeatures);
  }
}

void GaussianEmissions::requireFeatures(Index D, const char* what) const {
  require(D >= 1 && D <= kMaxFeatures, what, ": nFeatures must be in [1, ", kMaxFeatures, "], got ", D);
  requireMemory(modelBytes(params_.type, nStates_, static_cast<double>(D)),
                concat(what, ": a Gaussian model of ", nStates_, " states x ", D, " features (", toString(params_.type), ")"));
}

std::string GaussianEmissions::missing() const {
  if (!hasMeans_ && !hasCovars_) return "means, covars";
  return hasMeans_ ? "covars" : "means";
}

void GaussianEmissions::adoptSizes(const SequenceSet& X) {
  if (params_.nFeatures > 0) return;
  requireFeatures(X.nFeatures, "fit");
  params_.nFeatures = static_cast<int>(X.nFeatures);
  params_.means = RowMatrix::Zero(nStates_, X.nFeatures);
}

void GaussianEmissions::installCovars(MixtureParams next) {
  // The evaluator refuses (InvalidArgument) a covariance that is not positive definite.
  EmissionEvaluator evaluator(next);
  std::vector<Eigen::MatrixXd> factors;
  factors.resize(next.fullCov.size());
  for (size_t i = 0; i < factors.size(); ++i) lowerCholesky(next.fullCov[i], factors[i]);  // the evaluator checked them
  params_ = std::move(next);
  evaluator_ = std::move(evaluator);
  choleskyL_ = std::move(factors);
}

GlobalStatistics GaussianEmissions::globalStatistics(const SequenceSet& X) const {
  const Eigen::Map<const RowMatrix> frames(X.data, X.nFrames, params_.nFeatures);
  return GlobalStatistics::of(frames, fullType(params_.type));
}

void GaussianEmissions::setFloors(const GlobalStatistics& global) {
  // Only the precision floor (statistics.hpp), relative to the data's scale, so that a state
  // on a repeated value does not score infinitely: minCovar is hmmlearn's, added to the
  // data's covariance at initialisation and nowhere else (as an absolute floor after every
  // M-step, 1e-3 merged the states of data whose variances are below it: daily returns).
  // A feature far from the origin has its statistics centred (chooseStatisticsOrigin): the
  // floor of centred data (its mean less the origin, 0).
  Eigen::VectorXd mean = global.mean;
  const Eigen::RowVectorXd origin = centringOrigin(global.mean, global.variance);
  if (origin.size() > 0) mean -= origin.transpose();
  floors_.perFeature = precisionFloor(mean, global.variance);
}

void GaussianEmissions::chooseStatisticsOrigin() {
  const Index N = nStates_, D = params_.nFeatures;
  statsOrigin_.resize(0);
  if (D == 0 || params_.means.rows() != N || params_.means.cols() != D) return;
  Eigen::VectorXd smallest(D);
  if (fullType(params_.type)) {
    smallest.setConstant(std::numeric_limits<double>::infinity());
    for (const Eigen::MatrixXd& c : params_.fullCov) smallest = smallest.cwiseMin(c.diagonal());
  } else {
    smallest = params_.var.colwise().minCoeff().transpose();
  }
  statsOrigin_ = centringOrigin(params_.means.colwise().mean().transpose(), smallest);
}

void GaussianEmissions::prepareFit(const SequenceSet& X) { setFloors(globalStatistics(X)); }

void GaussianEmissions::initialize(const SequenceSet& X, const std::string& initParams, Random& rng) {
  const Index D = params_.nFeatures, N = nStates_, T = X.nFrames;
  const Eigen::Map<const RowMatrix> frames(X.data, T, D);
  const GlobalStatistics global = globalStatistics(X);
  setFloors(global);
  const bool initMeans = hasLetter(initParams, 'm') || !hasMeans_, initCovars = hasLetter(initParams, 'c') || !hasCovars_;
  if (!initMeans && !initCovars) return;  // the values set are kept as they are (no floor)
  MixtureParams next = params_;
  if (initMeans) {
    // hmmlearn: sklearn's KMeans(n_clusters=n_components, n_init=10) on every frame.
    requireFramePerCluster(T, static_cast<int>(N));
    const Eigen::RowVectorXd origin = centringOrigin(global.mean, global.variance);
    if (origin.size() > 0) {
      // k-means' distances ‖x‖² − 2x·c + ‖c‖² cancel far from the origin: on centred frames.
      requireMemory(double(sizeof(double)) * double(T) * double(D),
                    concat("fit: a copy of the ", T, " frames centred on their mean (they are far from the origin)"));
      const RowMatrix centred = frames.rowwise() - origin;
      next.means = kmeans(centred, static_cast<int>(N), rng, settings_.nInit).centers;
      next.means.rowwise() += origin;
    } else {
      next.means = kmeans(frames, static_cast<int>(N), rng, settings_.nInit).centers;
    }
  }
  if (initCovars) {
    // hmmlearn: np.cov(X.T) (denominator T - 1) + min_covar on the diagonal, given to
    // every state (spherical: the mean of its diagonal).
    const double unbiased = T > 1 ? double(T) / double(T - 1) : 1.0;
    if (fullType(params_.type)) {
      Eigen::MatrixXd cv = global.covariance * unbiased;
      cv.diagonal().array() += settings_.minCovar;
      next.fullCov.assign(matrixCount(params_.type, N), cv);
    } else {
      Eigen::RowVectorXd v = (global.variance.array() * unbiased + settings_.minCovar).matrix().transpose();
      if (params_.type == CovarianceType::Spherical) v.setConstant(v.mean());
      next.var = v.replicate(N, 1);
    }
    applyFloors(floors_, next);  // a constant feature with minCovar 0 would give a zero variance
  }
  installCovars(std::move(next));
  hasMeans_ = hasCovars_ = true;
}

namespace {

// The shapes the priors broadcast to (checkPriors' comment in the header), with their names.
struct PriorShapes {
  std::vector<long> covars, covarsWeight;
  const char *covarsNames, *covarsWeightNames;
};

PriorShapes priorShapes(CovarianceType type, long N, long D) {
  switch (type) {
    case CovarianceType::Spherical: return {{N}, {N}, "[nStates]", "[nStates]"};
    case CovarianceType::Diag: return {{N, D}, {N, D}, "[nStates, nFeatures]", "[nStates, nFeatures]"};
    case CovarianceType::Full: return {{N, D, D}, {N}, "[nStates, nFeatures, nFeatures]", "[nStates]"};
    case CovarianceType::Tied: break;
  }
  return {{D, D}, {}, "[nFeatures, nFeatures]", "[] (a number)"};
}

// covarsPrior is a pseudo scatter: variances (spherical, diag) and the diagonals of full and
// tied matrices must be >= 0; off the diagonal any number of the declared range (hmmlearn's
// covars_prior matrices may have negative entries there). A number is added to every entry,
// the diagonal included.
void checkCovarsPriorValues(const Prior& p, CovarianceType type, const std::vector<long>& target, long D) {
  auto refuse = [&](std::size_t i) {
    fail("covarsPrior", priorEntry(p, i), " must be in [0, 1e+100]", fullType(type) && !p.isScalar() ? " (a diagonal entry)" : "",
         ", got ", p.values[i]);
  };
  if (!fullType(type) || p.isScalar()) {
    for (std::size_t i = 0; i < p.values.size(); ++i)
      if (p.values[i] < 0) refuse(i);
    return;
  }
  if (D == 0) return;  // which entries are diagonal is known once nFeatures is
  // The entries of the given array that land on a diagonal: its positions, broadcast.
  std::vector<double> positions(p.values.size());
  for (std::size_t i = 0; i < positions.size(); ++i) positions[i] = double(i);
  const std::vector<double> at = broadcastPrior(Prior(p.shape, positions), target);
  for (std::size_t m = 0; m * std::size_t(D * D) < at.size(); ++m)
    for (long d = 0; d < D; ++d) {
      const auto i = static_cast<std::size_t>(at[m * std::size_t(D * D) + std::size_t(d * D + d)]);
      if (p.values[i] < 0) refuse(i);
    }
}

void checkPriorShapes(const GaussianSettings& g, CovarianceType type, long N, long D) {
  const PriorShapes shapes = priorShapes(type, N, D);
  const std::string suffix = concat(" (covarianceType '", toString(type), "')");
  checkPriorBroadcasts(g.meansPrior, "meansPrior", {N, D}, "[nStates, nFeatures]");
  checkPriorBroadcasts(g.meansWeight, "meansWeight", {N}, "[nStates]");
  checkPriorBroadcasts(g.covarsPrior, "covarsPrior", shapes.covars, shapes.covarsNames, suffix);
  checkPriorBroadcasts(g.covarsWeight, "covarsWeight", shapes.covarsWeight, shapes.covarsWeightNames, suffix);
  checkCovarsPriorValues(g.covarsPrior, type, shapes.covars, D);
}

}  // namespace

void GaussianEmissions::setSettings(const GaussianSettings& settings) {
  checkPriorShapes(settings, params_.type, nStates_, params_.nFeatures);
  settings_ = settings;
}

void GaussianEmissions::checkPriors() const { checkPriorShapes(settings_, params_.type, nStates_, params_.nFeatures); }

void GaussianEmissions::maximize(const std::string& params) {
  const bool updateMeans = hasLetter(params, 'm'), updateCovars = hasLetter(params, 'c');
  if (!updateMeans && !updateCovars) return;
  const Index N = nStates_, D = params_.nFeatures;
  const GaussianSettings& g = settings_;
  // The priors' entries in their shapes (priorShapes), row-major.
  const PriorShapes shapes = priorShapes(params_.type, N, D);
  const std::vector<double> meansPrior = broadcastPrior(g.meansPrior, {N, D});
  const std::vector<double> meansWeight = broadcastPrior(g.meansWeight, {N});
  const std::vector<double> covarsPrior = broadcastPrior(g.covarsPrior, shapes.covars);
  const std::vector<double> covarsWeight = broadcastPrior(g.covarsWeight, shapes.covarsWeight);
  // The statistics' origin (empty: 0): the means and their prior are moved by it here, and
  // the new means moved back. Subtracting a zero origin changes no bit.
  const bool centred = statsOrigin_.size() == D;
  const Eigen::ArrayXd origin = centred ? Eigen::ArrayXd(statsOrigin_.transpose().array()) : Eigen::ArrayXd::Zero(D);
  auto priorMean = [&](Index s) -> Eigen::ArrayXd {
    return Eigen::Map<const Eigen::ArrayXd>(meansPrior.data() + s * D, D) - origin;
  };
  // A state with no expected frames keeps its parameters (hmmlearn's would become NaN).
  auto visited = [&](Index s) { return post_[s] > kEmptyOccupancy; };
  MixtureParams next = params_;
  RowMatrix mu = params_.means;  // relative to the origin
  if (centred) mu.rowwise() -= statsOrigin_;
  if (updateMeans)
    for (Index s = 0; s < N; ++s)
      if (visited(s)) {
        mu.row(s) =
            ((meansWeight[s] * priorMean(s) + obs_.row(s).transpose().array()) / (meansWeight[s] + post_[s])).matrix().transpose();
        next.means.row(s) = centred ? Eigen::RowVectorXd(mu.row(s) + statsOrigin_) : Eigen::RowVectorXd(mu.row(s));
      }
  if (updateCovars) {
    // Around the new means when 'm' is updated, as hmmlearn (Huang, Acero, Hon pp. 443-445).
    if (!fullType(params_.type)) {
      const bool spherical = params_.type == CovarianceType::Spherical;
      for (Index s = 0; s < N; ++s) {
        if (!visited(s)) continue;
        // Diag: one prior and weight per (state, feature); spherical: one per state.
        auto perFeature = [&](const std::vector<double>& values) -> Eigen::ArrayXd {
          if (spherical) return Eigen::ArrayXd::Constant(D, values[s]);
          return Eigen::Map<const Eigen::ArrayXd>(values.data() + s * D, D);
        };
        const Eigen::ArrayXd denominatorWeight = (perFeature(covarsWeight) - 1.0).max(0.0);
        const Eigen::ArrayXd m = mu.row(s).transpose().array();
        const Eigen::ArrayXd scatter = meansWeight[s] * (m - priorMean(s)).square() + obs2_.row(s).transpose().array() -
                                       2.0 * m * obs_.row(s).transpose().array() + m.square() * post_[s];
        Eigen::ArrayXd v = (perFeature(covarsPrior) + scatter).max(0.0) / (denominatorWeight + post_[s]).max(1e-5);
        if (spherical) v.setConstant(v.mean());
        next.var.row(s) = v.matrix().transpose();
      }
    } else {
      // Σ_s of the per-state scatter terms beyond Σγxxᵀ (tied sums them over states).
      auto stateTerms = [&](Index s) {
        const Eigen::VectorXd m = mu.row(s).transpose(), o = obs_.row(s).transpose();
        const Eigen::VectorXd fromPrior = m.array() - priorMean(s);
        return Eigen::MatrixXd(meansWeight[s] * fromPrior * fromPrior.transpose() - o * m.transpose() -
                               m * o.transpose() + post_[s] * m * m.transpose());
      };
      // The covariance prior of matrix i (full: state i; tied: the one), added to every entry as hmmlearn.
      auto priorMatrix = [&](Index i) { return Eigen::Map<const RowMatrix>(covarsPrior.data() + i * D * D, D, D); };
      if (params_.type == CovarianceType::Full) {
        for (Index s = 0; s < N; ++s) {
          if (!visited(s)) continue;
          const double denominatorWeight = std::max(covarsWeight[s] - double(D), 0.0);
          Eigen::MatrixXd cov = (outer_[s] + stateTerms(s) + priorMatrix(s)) / (denominatorWeight + post_[s]);
          next.fullCov[s] = 0.5 * (cov + cov.transpose());
        }
      } else {
        Eigen::MatrixXd scatter = outer_[0];
        for (Index s = 0; s < N; ++s) scatter += stateTerms(s);
        const double total = post_.sum();
        if (total > kEmptyOccupancy) {
          const double denominatorWeight = std::max(covarsWeight[0] - double(D), 0.0);
          Eigen::MatrixXd cov = (scatter + priorMatrix(0)) / (denominatorWeight + total);
          next.fullCov[0] = 0.5 * (cov + cov.transpose());
        }
      }
    }
    applyFloors(floors_, next);
  }
  installCovars(std::move(next));
}

Index GaussianEmissions::nFreeParameters() const {
  const Index N = nStates_, D = params_.nFeatures;
  return N * D + covarsFreeParameters(params_.type, N, D);
}

Index GaussianEmissions::covarsFreeParameters(CovarianceType type, Index N, Index D) {
  switch (type) {
    case CovarianceType::Spherical: return N;
    case CovarianceType::Diag: return N * D;
    case CovarianceType::Full: return N * D * (D + 1) / 2;
    case CovarianceType::Tied: return D * (D + 1) / 2;
  }
  return 0;
}

Index GaussianEmissions::covarsValues(CovarianceType type, Index N, Index D) {
  switch (type) {
    case CovarianceType::Spherical: return N;
    case CovarianceType::Diag: return N * D;
    case CovarianceType::Full: return N * D * D;
    case CovarianceType::Tied: return D * D;
  }
  return 0;
}

void GaussianEmissions::sampleFrame(int state, Random& rng, double* out) const {
  const Index D = params_.nFeatures;
  Eigen::VectorXd z(D);
  for (Index d = 0; d < D; ++d) z[d] = rng.normal();
  Eigen::Map<Eigen::VectorXd> x(out, D);
  if (fullType(params_.type)) {
    x = params_.means.row(state).transpose() + choleskyL_[params_.type == CovarianceType::Tied ? 0 : state] * z;
  } else {
    x = params_.means.row(state).transpose().array() + params_.var.row(state).transpose().array().sqrt() * z.array();
  }
}

double GaussianEmissions::bytes() const {
  return modelBytes(params_.type, nStates_, std::max(1, params_.nFeatures));
}

std::vector<double> GaussianEmissions::means() const {
  return std::vector<double>(params_.means.data(), params_.means.data() + params_.means.size());
}

std::vector<double> GaussianEmissions::covars() const {
  std::vector<double> out;
  switch (params_.type) {
    case CovarianceType::Spherical:
      for (Index s = 0; s < nStates_; ++s) out.push_back(params_.var(s, 0));
      break;
    case CovarianceType::Diag: out.assign(params_.var.data(), params_.var.data() + params_.var.size()); break;
    case CovarianceType::Full:
    case CovarianceType::Tied:
      for (const Eigen::MatrixXd& m : params_.fullCov) out.insert(out.end(), m.data(), m.data() + m.size());  // symmetric
      break;
  }
  return out;
}

std::vector<double> GaussianEmissions::fullCovars() const {
  std::vector<double> out;
  for (Index s = 0; s < nStates_; ++s) {
    const Eigen::MatrixXd m = params_.covarianceOf(static_cast<int>(s));
    out.insert(out.end(), m.data(), m.data() + m.size());
  }
  return out;
}

void GaussianEmissions::setMeans(const std::vector<double>& values) {
  const Index N = nStates_, known = params_.nFeatures;
  if (known > 0)
    require(static_cast<Index>(values.size()) == N * known, "means: expected ", N, " x ", known, " = ", N * known,
            " values (nStates x nFeatures), got ", values.size());
  require(!values.empty() && values.size() % N == 0, "means: expected nStates x nFeatures = ", N,
          " x nFeatures values, got ", values.size());
  const Index D = static_cast<Index>(values.size()) / N;
  if (known == 0) {
    requireFeatures(D, "means");
    checkPriorShapes(settings_, params_.type, N, D);  // a file must load back
  }
  for (size_t i = 0; i < values.size(); ++i)
    require(std::abs(values[i]) <= kMaxFrameMagnitude, "means[", i / D, "][", i % D, "] is ", values[i],
            ": means must be finite and within +-1e100");
  MixtureParams next = params_;
  next.nFeatures = static_cast<int>(D);
  next.means = Eigen::Map<const RowMatrix>(values.data(), N, D);
  if (hasCovars_) {
    installCovars(std::move(next));
  } else {
    params_ = std::move(next);
  }
  hasMeans_ = true;
}

void GaussianEmissions::setCovars(const std::vector<double>& values) {
  const Index N = nStates_, size = static_cast<Index>(values.size());
  const CovarianceType type = params_.type;
  Index D = params_.nFeatures;
  if (D == 0) {
    // Inferred from the natural shape where it tells (spherical's does not).
    const double root = type == CovarianceType::Diag   ? double(size) / double(N)
                        : type == CovarianceType::Tied ? std::sqrt(double(size))
                        : type == CovarianceType::Full ? std::sqrt(double(size) / double(N))
                                                       : 0.0;
    require(root >= 1 && root == std::floor(root) && covarsValues(type, N, Index(root)) == size, "covars: ", size,
            " values do not fit a ", toString(type), " model of ", N, " states",
            type == CovarianceType::Spherical ? " (set means first: nFeatures is not known yet)" : "");
    D = static_cast<Index>(root);
    requireFeatures(D, "covars");
    checkPriorShapes(settings_, type, N, D);  // a file must load back
  }
  const Index natural = covarsValues(type, N, D), asMatrices = N * D * D;
  require(size == natural || size == asMatrices, "covars: expected ", natural, " values for a ", toString(type),
          " model of ", N, " states x ", D, " features", natural != asMatrices ? concat(" (or ", asMatrices, ": a D x D matrix per state)") : "",
          ", got ", size);
  for (Index i = 0; i < size; ++i)
    require(std::isfinite(values[i]), "covars[", i, "] is ", values[i], ": covariances must be finite");
  MixtureParams next = params_;
  if (next.nFeatures == 0) {
    next.nFeatures = static_cast<int>(D);
    next.means = RowMatrix::Zero(N, D);
  }
  auto matrix = [&](Index s) { return Eigen::Map<const Eigen::MatrixXd>(values.data() + s * D * D, D, D); };
  if (!fullType(type)) {
    next.var.resize(N, D);
    for (Index s = 0; s < N; ++s) {
      for (Index d = 0; d < D; ++d) {
        double v;
        if (size == natural) v = type == CovarianceType::Spherical ? values[s] : values[s * D + d];
        else v = matrix(s)(d, d);
        require(v >= std::numeric_limits<double>::min(), "covars: state ", s, " feature ", d, " has variance ", v,
                v > 0 ? ": variances must be at least 2.2250738585e-308 (below it 1/variance overflows)"
                      : ": variances must be > 0");
        next.var(s, d) = v;
      }
      if (size != natural) {
        Eigen::MatrixXd offDiagonal = matrix(s);
        offDiagonal.diagonal().setZero();
        require(offDiagonal.cwiseAbs().maxCoeff() == 0, "covars: state ", s, "'s matrix is not diagonal (a ",
                toString(type), " model)");
      }
      if (type == CovarianceType::Spherical)
        require((next.var.row(s).array() == next.var(s, 0)).all(), "covars: state ", s,
                "'s variances differ across features (a spherical model has one per state)");
    }
  } else if (type == CovarianceType::Full) {
    next.fullCov.assign(N, Eigen::MatrixXd());
    for (Index s = 0; s < N; ++s) {
      next.fullCov[s] = matrix(s);
      checkCovariance(next.fullCov[s], concat("covars[", s, "]"));
    }
  } else {
    next.fullCov.assign(1, matrix(0));
    checkCovariance(next.fullCov[0], "covars");
    if (size != natural)
      for (Index s = 1; s < N; ++s)
        require(matrix(s) == next.fullCov[0], "covars: state ", s,
                "'s matrix differs from state 0's (a tied model shares one matrix)");
  }
  installCovars(std::move(next));
  hasCovars_ = true;
}

void GaussianEmissions::writeParameters(nlohmann::json& out) const {
  const Index N = nStates_, D = params_.nFeatures;
  auto rows = [](const double* v, Index n, Index width) {
    nlohmann::json a = nlohmann::json::array();
    for (Index r = 0; r < n; ++r) a.push_back(std::vector<double>(v + r * width, v + (r + 1) * width));
    return a;
  };
  if (hasMeans_) {
    const std::vector<double> m = means();
    out["means"] = rows(m.data(), N, D);
  }
  if (!hasCovars_) return;
  const std::vector<double> c = covars();
  switch (params_.type) {
    case CovarianceType::Spherical: out["covars"] = c; break;
    case CovarianceType::Diag: out["covars"] = rows(c.data(), N, D); break;
    case CovarianceType::Tied: out["covars"] = rows(c.data(), D, D); break;
    case CovarianceType::Full: {
      nlohmann::json a = nlohmann::json::array();
      for (Index s = 0; s < N; ++s) a.push_back(rows(c.data() + s * D * D, D, D));
      out["covars"] = std::move(a);
      break;
    }
  }
}

// Vectors for fits whose E-steps run elsewhere. Statistics: Σγ (nStates), Σγx (nStates ×
// nFeatures), then Σγx² (diag, spherical: nStates × nFeatures) or the Σγxxᵀ matrices (full:
// one per state; tied: one). Parameters: the means, then the variances (diag, spherical:
// nStates × nFeatures) or the covariance matrices (full: one per state; tied: one).
Index GaussianEmissions::statisticsSize() const {
  const Index N = nStates_, D = params_.nFeatures;
  return N + N * D + (fullType(params_.type) ? matrixCount(params_.type, N) * D * D : N * D);
}
void GaussianEmissions::writeStatistics(double* out) const {
  out = std::copy_n(post_.data(), post_.size(), out);
  out = std::copy_n(obs_.data(), obs_.size(), out);
  if (!fullType(params_.type)) {
    std::copy_n(obs2_.data(), obs2_.size(), out);
    return;
  }
  for (const Eigen::MatrixXd& m : outer_) out = std::copy_n(m.data(), m.size(), out);
}
void GaussianEmissions::readStatistics(const double* in) {
  chooseStatisticsOrigin();  // the origin the E-step's statistics were taken from
  const Index N = nStates_, D = params_.nFeatures;
  post_.resize(N);
  obs_.resize(N, D);
  std::copy_n(in, N, post_.data());
  std::copy_n(in + N, N * D, obs_.data());
  in += N + N * D;
  if (!fullType(params_.type)) {
    obs2_.resize(N, D);
    std::copy_n(in, N * D, obs2_.data());
    outer_.clear();
    return;
  }
  obs2_.resize(0, 0);
  outer_.assign(matrixCount(params_.type, N), Eigen::MatrixXd(D, D));
  for (Eigen::MatrixXd& m : outer_) {
    std::copy_n(in, D * D, m.data());
    in += D * D;
  }
}
Index GaussianEmissions::parameterValuesSize() const {
  const Index N = nStates_, D = params_.nFeatures;
  return N * D + (fullType(params_.type) ? matrixCount(params_.type, N) * D * D : N * D);
}
void GaussianEmissions::writeParameterValues(double* out) const {
  out = std::copy_n(params_.means.data(), params_.means.size(), out);
  if (!fullType(params_.type)) {
    std::copy_n(params_.var.data(), params_.var.size(), out);
    return;
  }
  for (const Eigen::MatrixXd& m : params_.fullCov) out = std::copy_n(m.data(), m.size(), out);
}
void GaussianEmissions::readParameterValues(const double* in) {
  const Index N = nStates_, D = params_.nFeatures;
  MixtureParams next = params_;
  next.means.resize(N, D);
  std::copy_n(in, N * D, next.means.data());
  in += N * D;
  if (!fullType(params_.type)) {
    next.var.resize(N, D);
    std::copy_n(in, N * D, next.var.data());
  } else {
    next.fullCov.assign(matrixCount(params_.type, N), Eigen::MatrixXd(D, D));
    for (Eigen::MatrixXd& m : next.fullCov) {
      std::copy_n(in, D * D, m.data());
      in += D * D;
    }
  }
  installCovars(std::move(next));
  hasMeans_ = hasCovars_ = true;
}

}  // namespace gmmhmm::detail
