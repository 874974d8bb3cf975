// Baum-Welch training as a sequence of steps (gmmhmm/model/fit_session.hpp): initialisation,
// EM phases (mixture splitting, then the main phase with its convergence test), floors, and
// the hand-over of the result to the model. GmmHmm::fit() runs it with the E-step in place.
#include "gmmhmm/model/fit_session.hpp"

#include <cmath>
#include <limits>
#include <new>

#include "checks.hpp"
#include "data_pass.hpp"
#include "fit_messages.hpp"
#include "initialization.hpp"
#include "memory_estimate.hpp"
#include "model_state.hpp"
#include "param_letters.hpp"
#include "random.hpp"
#include "statistics.hpp"

namespace gmmhmm {

using detail::hasLetter;
using detail::require;

namespace {

detail::Floors floorsFor(const ModelConfig& c, const detail::GlobalStatistics& g) {
  detail::Floors f;
  // minCovar (absolute), the HTK-style fraction of the global variance, and the precision
  // floor (statistics.hpp) that holds even when a feature is constant and minCovar is 0.
  f.perFeature = (c.varianceFloorFraction * g.variance.array())
                     .max(c.minCovar)
                     .max(detail::precisionFloor(g.mean, g.variance).array())
                     .matrix();
  return f;
}

// Data far from the origin (statistics.hpp, centringOrigin) is fitted on a copy of its frames
// with the far features centred, the means (and their prior) moved by the same vector and moved
// back by finish(): uncentred, the M-step's Σx² − nμ² loses ε·(μ/σ)² of a variance to rounding,
// and the precision floor held the variance of data 10⁷ out with unit spread at 100, merging
// its states. Nothing else in a fit changes with a shift of the frames (the log-likelihoods
// neither); nearer the origin nothing is copied and every bit is as before.
double centredCopyBytes(const detail::SequenceData& data) { return double(sizeof(double)) * double(data.X.size()); }

// `data` made a view of `owned`, its frames minus `origin` (memory checked by the caller).
void centreFrames(detail::SequenceData& data, RowMatrix& owned, const Eigen::RowVectorXd& origin) {
  owned = data.X.rowwise() - origin;
  new (&data.X) Eigen::Map<const RowMatrix>(owned.data(), owned.rows(), owned.cols());
}

// A prior of `c` broadcast to its parameter's shape, as a rows × (the rest) matrix.
RowMatrix priorMatrix(const ModelConfig& c, const Prior ModelConfig::*field, Eigen::Index rows) {
  for (const PriorOption& option : priorOptions()) {
    if (option.field != field) continue;
    const std::vector<double> values = broadcastPrior(c.*field, priorShape(c, option));
    const Eigen::Index cols = static_cast<Eigen::Index>(values.size()) / rows;
    return Eigen::Map<const RowMatrix>(values.data(), rows, cols);
  }
  return RowMatrix();  // not reached: every prior is in priorOptions()
}

detail::PriorSettings priorsFor(const ModelConfig& c) {
  const Eigen::Index N = c.nStates, K = Eigen::Index(c.nStates) * c.nMix;
  const bool tied = c.covarianceType == CovarianceType::Tied;
  detail::PriorSettings p;
  p.nMix = c.nMix;
  p.startprob = priorMatrix(c, &ModelConfig::startprobPrior, 1).transpose();
  p.transmat = priorMatrix(c, &ModelConfig::transmatPrior, N);
  p.weights = priorMatrix(c, &ModelConfig::weightsPrior, N);
  p.meansPrior = priorMatrix(c, &ModelConfig::meansPrior, K);
  p.meansWeight = priorMatrix(c, &ModelConfig::meansWeight, K);
  p.covarsWeight = priorMatrix(c, &ModelConfig::covarsWeight, tied ? N : K);
  p.covarsPrior = priorMatrix(c, &ModelConfig::covarsPrior, tied ? N : K);
  // Spherical: one value per component, spread over the features (the variance is their mean).
  if (p.covarsPrior.cols() == 1) p.covarsPrior = p.covarsPrior.replicate(1, c.nFeatures).eval();
  if (!c.covarsPriorPerFeature.empty()) {
    const Eigen::Map<const Eigen::RowVectorXd> perFeature(c.covarsPriorPerFeature.data(),
                                                          static_cast<Eigen::Index>(c.covarsPriorPerFeature.size()));
    for (Eigen::Index r = 0; r < p.covarsPrior.rows(); ++r) p.covarsPrior.row(r) = perFeature + p.covarsPrior.row(r);
  }
  return p;
}

bool allFinite(const Eigen::VectorXd& s, const RowMatrix& t, const detail::MixtureParams& p) {
  bool ok = s.allFinite() && t.allFinite() && p.weights.allFinite() && p.means.allFinite();
  if (p.isFullType())
    for (const auto& c : p.fullCov) ok = ok && c.allFinite();
  else
    ok = ok && p.var.allFinite();
  return ok;
}

// The E-step's view of the frames: groups, and tiles for diag / spherical models (float
// tiles with Precision::Float32). `scaling` is empty for double tiles.
std::unique_ptr<detail::FeatureTiles> tilesFor(const detail::SequenceData& data,
                                               const std::vector<detail::SequenceGroup>& groups, CovarianceType type,
                                               const detail::FeatureScaling& scaling) {
  if (type == CovarianceType::Full || type == CovarianceType::Tied) return nullptr;
  detail::requireMemory(detail::FeatureTiles::bytes(data.X.rows(), data.X.cols(), detail::largestGroupRows(groups),
                                                    !scaling.empty()),
                        detail::concat("fit: building the [x, x^2] tiles of ", data.X.rows(), " frames"));
  return std::make_unique<detail::FeatureTiles>(data.X, groups, scaling);
}

}  // namespace

// One EM phase: the split that opens it (0: none), its iterations, whether it stops early.
struct Phase {
  int splitTo = 0;
  int iterations = 0;
  bool checkConvergence = false;
};

struct FitSession::Run {
  GmmHmm* model = nullptr;
  ModelConfig c;
  detail::SequenceData data;
  RowMatrix centred;  // the frames centred on their mean, when far from the origin (setup.origin)
  // With an origin: the means the model held and the same moved (finish() gives back a row of
  // the first, bit for bit, where the fit left the second unchanged: (μ − c) + c need not be μ).
  RowMatrix meansGiven, meansGivenCentred;
  std::vector<detail::SequenceGroup> groups;
  detail::ShareSetup setup;
  // Built by the first step() (a session whose E-steps run elsewhere never needs them).
  std::unique_ptr<detail::FeatureTiles> tiles;
  // Working copies: a failure leaves the model as it was.
  Eigen::VectorXd startprob;
  RowMatrix transmat;
  detail::MixtureParams mixtures;
  detail::Floors floors;
  detail::PriorSettings priors;
  bool splitting = false;
  int planned = 0;
  std::vector<Phase> phases;
  size_t phase = 0;      // the phase running (or about to)
  bool entered = false;  // its split is done
  int inPhase = 0;       // iterations run in it
  double previous = -std::numeric_limits<double>::infinity();
  bool stopped = false;  // converged or cancelled
  bool finished = false;
  Monitor monitor;
  detail::Statistics stats, part;
  detail::GroupScratch scratch;
  // The mixture initialisation left to another thread (empty: none pending).
  std::vector<double> pendingInitialisation;

  Run(GmmHmm& owner, GmmHmm::State& st, const SequenceSet& X, Initialisation where);

  // What an iteration needs first: an initialisation left elsewhere is back.
  bool ready() const { return pendingInitialisation.empty(); }

  // Opens phases (applying their splits) until one has an iteration left; false when none has.
  bool enterPhase() {
    while (!stopped && phase < phases.size()) {
      if (!entered) {
        if (phases[phase].splitTo > 0) detail::splitMixtures(phases[phase].splitTo, mixtures);
        entered = true;
        inPhase = 0;
        previous = -std::numeric_limits<double>::infinity();
      }
      if (inPhase < phases[phase].iterations) return true;
      ++phase;
      entered = false;
    }
    return false;
  }

  bool hasIterationLeft() const {
    if (stopped || phase >= phases.size()) return false;
    if (entered && inPhase < phases[phase].iterations) return true;
    for (size_t i = phase + (entered ? 1 : 0); i < phases.size(); ++i)
      if (phases[i].iterations > 0) return true;
    return false;
  }

  // The M-step from `stats` (the E-step at the current parameters).
  Iteration maximise() {
    const double ll = stats.logLikelihood;
    monitor.history.push_back(ll);
    Iteration it{static_cast<int>(monitor.history.size()) - 1, ll, planned, false};
    if (phases[phase].checkConvergence && inPhase > 0 && ll - previous < c.tol) {
      monitor.converged = true;
      stopped = true;
      return it;
    }
    previous = ll;
    const Eigen::VectorXd keepStart = startprob;
    const RowMatrix keepTrans = transmat;
    const detail::MixtureParams keepMix = mixtures;
    detail::maximize(stats, c.params, floors, priors, startprob, transmat, mixtures);
    if (!allFinite(startprob, transmat, mixtures)) {
      startprob = keepStart;
      transmat = keepTrans;
      mixtures = keepMix;
      throw Error("fit: the M-step produced non-finite parameters (please report this with the data)");
    }
    ++monitor.iterations;
    ++inPhase;
    it.index = monitor.iterations - 1;
    it.completed = true;
    return it;
  }
};

FitSession::Run::Run(GmmHmm& owner, GmmHmm::State& st, const SequenceSet& X, Initialisation where)
    : model(&owner), c(st.config), data(detail::SequenceData::from(X, c.nFeatures, false)) {
  // X is read once before the first iteration: its mean and variance (for the floors and the
  // initialisation), with the check of its values in the same pass.
  detail::GlobalStatistics global = detail::GlobalStatistics::of(data.X, false);
  if (!global.usable) detail::requireUsableValues(data.X);
  // The sizes with the data's width (the model may not know it yet) and the memory training
  // needs (tiles and E-step buffers included) are checked before anything is allocated.
  const bool sizing = c.nFeatures == 0;  // the mixtures get their size now
  c.nFeatures = static_cast<int>(X.nFeatures);
  validateConfig(c);
  setup.origin = detail::centringOrigin(global.mean, global.variance);
  const bool centring = setup.origin.size() > 0;
  detail::requireMemory(detail::fitBytes(c, data) + (centring ? centredCopyBytes(data) : 0.0),
                        centring ? "fit: training this model on these data (and a centred copy of them: they are far from the origin)"
                                 : "fit: training this model on these data");
  if (centring) {
    centreFrames(data, centred, setup.origin);
    global = detail::GlobalStatistics::of(data.X, false);
  }
  const std::string& init = c.initParams;
  const auto needs = [&](char letter, bool present, const char* name) {
    if (!hasLetter(init, letter) && !present)
      throw NotFitted(detail::concat("fit: initParams omits '", letter, "' but ", name,
                                     " was never set; set it or add '", letter, "' to initParams"));
  };
  needs('s', st.hasStartprob, "startprob");
  needs('t', st.hasTransmat, "transmat");
  needs('w', st.hasWeights, "weights");
  needs('m', st.hasMeans && !sizing, "means");
  needs('c', st.hasCovars && !sizing, "covars");

  // Work on copies: a failure (or an exhausted heap) leaves the model as it was, holding
  // nothing more than before (the model's state changes only in finish()).
  startprob = st.startprob;
  transmat = st.transmat;
  mixtures = sizing ? st.mixturesFor(c.nFeatures) : st.mixtures;
  if (setup.origin.size() > 0) {
    meansGiven = mixtures.means;
    mixtures.means.rowwise() -= setup.origin;
    meansGivenCentred = mixtures.means;
  }
  const bool initMixture = hasLetter(init, 'w') || hasLetter(init, 'm') || hasLetter(init, 'c');
  // The D x D covariance only where an initialisation of full / tied covariances uses it.
  if (initMixture && mixtures.isFullType()) global.addCovariance(data.X);
  floors = floorsFor(c, global);
  priors = priorsFor(c);
  if (setup.origin.size() > 0) priors.meansPrior.rowwise() -= setup.origin;
  detail::Random rng(c.seed);

  if (c.topology == Topology::Custom && (hasLetter(init, 's') || hasLetter(init, 't'))) {
    // Re-initialise uniformly over the user's allowed entries (structure kept).
    require(st.hasStartprob && st.hasTransmat,
            "fit: topology 'custom' needs startprob and transmat set before fit (their zeros define the structure)");
    if (hasLetter(init, 's')) startprob = (startprob.array() > 0).cast<double>() / (startprob.array() > 0).count();
    if (hasLetter(init, 't'))
      for (int r = 0; r < c.nStates; ++r)
        transmat.row(r) = (transmat.row(r).array() > 0).cast<double>() / (transmat.row(r).array() > 0).count();
  } else {
    Eigen::VectorXd s0;
    RowMatrix t0;
    detail::defaultChain(c, s0, t0);
    if (hasLetter(init, 's')) startprob = s0;
    if (hasLetter(init, 't')) transmat = t0;
  }

  splitting = c.mixtureSplitting && c.nMix > 1 && initMixture;
  if (splitting) {
    // Start from one component per state (HTK: HInit then HHEd MU).
    detail::MixtureParams single = mixtures;
    single.nMix = 1;
    single.weights = RowMatrix::Ones(c.nStates, 1);
    single.means = RowMatrix::Zero(c.nStates, mixtures.nFeatures);
    if (single.type == CovarianceType::Full) single.fullCov.assign(c.nStates, Eigen::MatrixXd());
    if (!single.isFullType()) single.var = RowMatrix::Ones(c.nStates, mixtures.nFeatures);
    mixtures = std::move(single);
  }
  const std::vector<char> endMask = st.endMask();
  if (initMixture) {
    const std::string letters = splitting ? std::string("wmc") : init;
    const InitMethod method =
        c.init != InitMethod::Auto ? c.init : (c.topology == Topology::LeftRight ? InitMethod::Segmental : InitMethod::KMeans);
    if (where == Initialisation::Elsewhere) {
      // Refused here as runInitialisation() would refuse it, with the same words.
      if (method == InitMethod::KMeans) detail::requireFramePerCluster(data.X.rows(), c.nStates);
      detail::InitialisationJob job;
      job.setup.nStates = c.nStates;
      job.setup.nFeatures = c.nFeatures;
      job.setup.type = c.covarianceType;
      job.setup.endMask = endMask;
      job.setup.origin = setup.origin;
      job.segmental = method == InitMethod::Segmental;
      job.letters = letters;
      job.seed = c.seed;
      job.nInit = c.nInit;
      job.floors = floors.perFeature;
      job.start = {startprob, transmat, mixtures};
      // A split's one-component start leaves full covariances unsized (the initialisation
      // sets them all); the message carries whole matrices.
      for (Eigen::MatrixXd& m : job.start.mixtures.fullCov)
        if (m.rows() != c.nFeatures || m.cols() != c.nFeatures) m = Eigen::MatrixXd::Identity(c.nFeatures, c.nFeatures);
      pendingInitialisation = detail::encodeInitialisation(job);
    } else if (method == InitMethod::Segmental) {
      detail::initializeSegmental(data, global, floors, letters, rng, c.nInit, startprob, transmat, endMask, mixtures);
    } else {
      detail::initializeKMeans(data, global, floors, letters, rng, c.nInit, mixtures);
    }
  }

  // Phases: with splitting, each doubling (the one that reaches nMix runs no iteration of its
  // own) and then the main phase of nIter iterations.
  planned = c.nIter;
  if (splitting)
    for (int m = 1; m < c.nMix;) {
      const int next = std::min(2 * m, c.nMix);
      phases.push_back({next, next < c.nMix ? c.splitIterations : 0, false});
      planned += phases.back().iterations;
      m = next;
    }
  phases.push_back({0, c.nIter, true});

  groups = detail::groupSequences(data);
  setup.nStates = c.nStates;
  setup.nFeatures = c.nFeatures;
  setup.type = c.covarianceType;
  setup.endMask = endMask;
  if (c.precision == Precision::Float32 && !mixtures.isFullType())
    setup.scaling = detail::standardisation(global.mean, global.variance);
}

FitSession::FitSession(GmmHmm& model, const SequenceSet& X) : FitSession(model, X, Initialisation::Here) {}

FitSession::FitSession(GmmHmm& model, const SequenceSet& X, Initialisation where)
    : run_(std::make_unique<Run>(model, *model.state_, X, where)) {}

std::vector<double> FitSession::initialisationJob() const { return run_->pendingInitialisation; }

void FitSession::adoptInitialisation(const std::vector<double>& initialised) {
  Run& r = *run_;
  require(!r.ready() && !r.finished, "fit: no initialisation is pending");
  detail::IterationParameters p = detail::decodeParameters(initialised, r.setup);
  require(p.mixtures.nMix == r.mixtures.nMix, "initialisation: ", p.mixtures.nMix, " components per state, expected ",
          r.mixtures.nMix);
  r.startprob = std::move(p.startprob);
  r.transmat = std::move(p.transmat);
  r.mixtures = std::move(p.mixtures);
  r.pendingInitialisation.clear();
}

std::vector<double> runInitialisation(const std::vector<double>& message, const SequenceSet& X) {
  detail::InitialisationJob job = detail::decodeInitialisation(message);
  detail::SequenceData data = detail::SequenceData::from(X, job.setup.nFeatures, false);
  // The session's own pass over X: the same statistics, bit for bit.
  detail::GlobalStatistics global = detail::GlobalStatistics::of(data.X, false);
  if (!global.usable) detail::requireUsableValues(data.X);
  RowMatrix centred;
  if (job.setup.origin.size() > 0) {
    detail::requireMemory(centredCopyBytes(data), "initialisation: a centred copy of the frames (far from the origin)");
    centreFrames(data, centred, job.setup.origin);
    global = detail::GlobalStatistics::of(data.X, false);
  }
  if (job.start.mixtures.isFullType()) global.addCovariance(data.X);
  const detail::Floors floors{job.floors};
  detail::Random rng(job.seed);
  detail::IterationParameters& p = job.start;
  if (job.segmental)
    detail::initializeSegmental(data, global, floors, job.letters, rng, job.nInit, p.startprob, p.transmat,
                                job.setup.endMask, p.mixtures);
  else
    detail::initializeKMeans(data, global, floors, job.letters, rng, job.nInit, p.mixtures);
  return detail::encodeParameters(p.startprob, p.transmat, p.mixtures);
}

FitSession::~FitSession() = default;

bool FitSession::done() const { return run_->finished || !run_->hasIterationLeft(); }

FitSession::Iteration FitSession::step() {
  Run& r = *run_;
  require(r.ready(), "fit: the initialisation left to another thread has not been adopted");
  require(!r.finished && r.enterPhase(), "fit: no iteration is left");
  if (!r.tiles) r.tiles = tilesFor(r.data, r.groups, r.c.covarianceType, r.setup.scaling);
  const detail::EmissionEvaluator evaluator = r.tiles ? detail::EmissionEvaluator(r.mixtures, *r.tiles)
                                                      : detail::EmissionEvaluator(r.mixtures);
  const detail::Transitions tr = detail::Transitions::build(r.startprob, r.transmat, r.setup.endMask);
  detail::expectationStep(r.data, r.groups, r.tiles.get(), evaluator, tr, r.mixtures, r.stats, r.scratch);
  return r.maximise();
}

FitSession::Iteration FitSession::step(const std::vector<double>& groupStatistics) {
  Run& r = *run_;
  require(r.ready(), "fit: the initialisation left to another thread has not been adopted");
  require(!r.finished && r.enterPhase(), "fit: no iteration is left");
  // The same sums in the same order as expectationStep().
  r.stats.reset(r.mixtures);
  const double* at = groupStatistics.data();
  const double* end = at + groupStatistics.size();
  for (size_t g = 0; g < r.groups.size(); ++g) {
    r.part.reset(r.mixtures);
    at = r.part.read(at, end);
    r.stats.add(r.part);
  }
  require(at == end, "statistics: ", end - at, " values more than the ", r.groups.size(), " groups hold");
  return r.maximise();
}

void FitSession::cancel() {
  if (run_->stopped) return;
  run_->stopped = true;
  run_->monitor.cancelled = true;
}

const Monitor& FitSession::finish() {
  Run& r = *run_;
  require(!r.finished, "fit: finish() was already called");
  require(r.ready(), "fit: the initialisation left to another thread has not been adopted");
  r.finished = true;
  if (r.splitting && r.mixtures.nMix != r.c.nMix) {
    // Stopped before the mixtures reached nMix: grow them so the model has its shape.
    detail::splitMixtures(r.c.nMix, r.mixtures);
  }
  GmmHmm::State& st = *r.model->state_;
  if (st.config.nFeatures == 0) st.config.nFeatures = r.c.nFeatures;
  st.startprob = std::move(r.startprob);
  st.transmat = std::move(r.transmat);
  st.mixtures = std::move(r.mixtures);
  if (r.setup.origin.size() > 0) {
    // Row by row: a component the fit left as it was (not updated, or without frames) gets
    // its exact mean back.
    RowMatrix& means = st.mixtures.means;
    const bool sameShape = means.rows() == r.meansGivenCentred.rows() && means.cols() == r.meansGivenCentred.cols();
    for (Index k = 0; k < means.rows(); ++k) {
      if (sameShape && means.row(k) == r.meansGivenCentred.row(k)) means.row(k) = r.meansGiven.row(k);
      else means.row(k) += r.setup.origin;
    }
  }
  st.hasStartprob = st.hasTransmat = st.hasWeights = st.hasMeans = st.hasCovars = true;
  st.monitor = std::move(r.monitor);
  return st.monitor;
}

std::vector<Index> FitSession::groupSizes() const {
  std::vector<Index> sizes;
  for (const auto& g : run_->groups) sizes.push_back(g.endSequence - g.firstSequence);
  return sizes;
}

std::vector<double> FitSession::shareSetup() const { return detail::encodeSetup(run_->setup); }

std::vector<double> FitSession::parameters() {
  Run& r = *run_;
  require(r.ready(), "fit: the initialisation left to another thread has not been adopted");
  require(!r.finished && r.enterPhase(), "fit: no iteration is left");
  return detail::encodeParameters(r.startprob, r.transmat, r.mixtures);
}

struct ShareStatistics::Share {
  detail::ShareSetup setup;
  detail::SequenceData data;
  RowMatrix centred;  // as the session's (setup.origin)
  std::vector<detail::SequenceGroup> groups;
  std::unique_ptr<detail::FeatureTiles> tiles;
  detail::Statistics part;
  detail::GroupScratch scratch;

  Share(const std::vector<double>& setupValues, const SequenceSet& frames, const std::vector<Index>& groupSizes)
      : setup(detail::decodeSetup(setupValues)), data(detail::SequenceData::from(frames, setup.nFeatures)) {
    groups = detail::groupSequences(data, groupSizes);
    if (setup.origin.size() > 0) {
      // The copy and the tiles built from it (tilesFor checks the tiles alone again).
      const bool tiled = setup.type != CovarianceType::Full && setup.type != CovarianceType::Tied;
      detail::requireMemory(centredCopyBytes(data) + (tiled ? detail::FeatureTiles::bytes(data.X.rows(), data.X.cols(),
                                                                                           detail::largestGroupRows(groups),
                                                                                           !setup.scaling.empty())
                                                            : 0.0),
                            "share: a centred copy of its frames (far from the origin) and their tiles");
      centreFrames(data, centred, setup.origin);
    }
    tiles = tilesFor(data, groups, setup.type, setup.scaling);
  }
};

ShareStatistics::ShareStatistics(const std::vector<double>& setup, const SequenceSet& frames,
                                 const std::vector<Index>& groupSizes)
    : share_(std::make_unique<Share>(setup, frames, groupSizes)) {}

ShareStatistics::~ShareStatistics() = default;

std::vector<double> ShareStatistics::compute(const std::vector<double>& parameters) {
  Share& s = *share_;
  const detail::IterationParameters p = detail::decodeParameters(parameters, s.setup);
  // The E-step's per-frame buffers grow to the largest group (the components are known now).
  detail::requireMemory(detail::expectationPassBytes(detail::largestGroupRows(s.groups), s.setup.nStates,
                                                     p.mixtures.nComponents(), s.setup.nFeatures),
                        detail::concat("fit: an E-step over ", s.data.X.rows(), " frames"));
  const detail::EmissionEvaluator evaluator =
      s.tiles ? detail::EmissionEvaluator(p.mixtures, *s.tiles) : detail::EmissionEvaluator(p.mixtures);
  const detail::Transitions tr = detail::Transitions::build(p.startprob, p.transmat, s.setup.endMask);
  std::vector<double> out;
  for (Index g = 0; g < static_cast<Index>(s.groups.size()); ++g) {
    detail::groupStatistics(s.data, s.groups[g], s.tiles.get(), g, evaluator, tr, p.mixtures, s.part, s.scratch);
    s.part.appendTo(out);
  }
  return out;
}

}  // namespace gmmhmm
