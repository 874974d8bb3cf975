// ChainFitSession and ChainShareStatistics: the families' Baum-Welch, its E-step on groups of
// sequences (here or in shares elsewhere) and its M-step (hmmlearn's updates of the chain,
// the family's own).
#include "gmmhmm/families/chain_fit_session.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "../model/checks.hpp"
#include "../model/memory_estimate.hpp"
#include "../model/param_letters.hpp"
#include "../model/random.hpp"
#include "../model/transitions.hpp"
#include "sequence_pass.hpp"

namespace gmmhmm {

using detail::fail;
using detail::hasLetter;
using detail::require;

namespace {

constexpr double kDouble = sizeof(double);
// A group closes once it holds this many frames or a 32nd of all of them, whichever is more:
// few enough groups that summing their statistics costs little next to the E-step, enough
// for several shares.
constexpr Index kGroupFrames = 8192;
constexpr Index kMaxGroups = 32;

// hmmlearn's Dirichlet M-step of one distribution: max(prior - 1 + counts, 0), structural zeros
// kept, normalised. A row left with no mass (a state never visited, prior <= 1) keeps its
// previous values (hmmlearn's normalize() would leave a row of zeros, not a distribution).
// `prior`: the concentration of each entry.
void dirichletUpdate(double* probs, const double* counts, Index n, const double* prior) {
  std::vector<double> next(n);
  double sum = 0;
  for (Index i = 0; i < n; ++i) {
    next[i] = probs[i] == 0 ? 0.0 : std::max(prior[i] - 1.0 + counts[i], 0.0);
    sum += next[i];
  }
  if (!(sum > 0) || !std::isfinite(sum)) return;
  for (Index i = 0; i < n; ++i) probs[i] = next[i] / sum;
}

// The statistics of one group: [log-likelihood, start counts (N), transition counts (N × N),
// the family's]. A sequence no path explains: log-likelihood -inf and, in place of the first
// start count, its index in the group.
Index blockSize(const Hmm& hmm) {
  const Index N = hmm.nStates();
  return 1 + N + N * N + hmm.emissions().statisticsSize();
}

// The sequences' (first frame, length) in the frames of X.
struct Spans {
  std::vector<Index> begin, length;
};

// Buffers of the E-step, kept between groups and iterations.
struct Buffers {
  RowMatrix logE, gamma, xi;
  detail::ScaledEmissions scaled;
  std::vector<double> block;  // one group's statistics
};

// The E-step of the groups of `spans` (groupSizes: sequences per group, in order) with the
// parameters `hmm` holds (its chain as `tr`, built by the caller from hmm's own members: a
// copy of transmat costs as much as the model): visit(block) with each group's statistics, in order (blockSize()
// values, valid during the call). A sequence no path explains: its group's block says so
// (above) and is the last one visited. (Not a template: one copy for fit() and the shares.)
void groupStatistics(Hmm& hmm, const detail::Transitions& tr, const double* data, Index width, const Spans& spans,
                     const std::vector<Index>& groupSizes, Buffers& b, const std::function<void(const double*)>& visit) {
  const Index N = hmm.nStates(), size = blockSize(hmm);
  EmissionFamily& family = hmm.emissions();
  b.block.assign(size_t(size), 0.0);
  double* block = b.block.data();
  size_t q = 0;
  for (const Index sequences : groupSizes) {
    std::fill(b.block.begin(), b.block.end(), 0.0);
    Eigen::Map<Eigen::VectorXd> startCounts(block + 1, N);
    family.clearStatistics();
    b.xi = RowMatrix::Zero(N, N);
    double ll = 0;
    for (Index i = 0; i < sequences; ++i, ++q) {
      const double* frames = data + spans.begin[q] * width;
      const Index len = spans.length[q];
      b.gamma.resize(len, N);
      const double llq = detail::sequenceForwardBackward(family, tr, frames, len, b.scaled, b.logE, b.gamma, &b.xi);
      if (!std::isfinite(llq)) {
        block[0] = -std::numeric_limits<double>::infinity();
        block[1] = double(i);
        visit(static_cast<const double*>(block));
        return;
      }
      ll += llq;
      startCounts += b.gamma.row(0).transpose();
      family.accumulate(frames, len, b.gamma);
    }
    block[0] = ll;
    Eigen::Map<RowMatrix>(block + 1 + N, N, N) = b.xi;
    family.writeStatistics(block + 1 + N + N * N);
    visit(static_cast<const double*>(block));
  }
}

// startprob, transmat and the family's values, in that order (ChainFitSession::parameters()).
std::vector<double> parameterVector(const Hmm& hmm) {
  std::vector<double> out = hmm.startprob();
  const std::vector<double> tm = hmm.transmat();
  out.insert(out.end(), tm.begin(), tm.end());
  const size_t at = out.size();
  out.resize(at + size_t(hmm.emissions().parameterValuesSize()));
  hmm.emissions().writeParameterValues(out.data() + at);
  return out;
}

}  // namespace

struct ChainFitSession::Run {
  using Iteration = ChainFitSession::Iteration;
  Run(Hmm& model, const ChainOptions& options) : model(model), work(model), options(options) {}
  Hmm& model;
  Hmm work;
  ChainOptions options;
  const double* data = nullptr;
  Index width = 0;
  Spans spans;
  std::vector<Index> groups;       // sequences per group
  std::vector<Index> firstOfGroup;  // index of each group's first sequence
  std::vector<double> startPrior, transPrior;
  Buffers buffers;
  int iteration = 0;
  double previous = 0;
  bool done = false, finished = false;
  bool initialised = true;  // false until an initialisation left elsewhere is adopted
  Index nFrames = 0;

  void requireInitialised(const char* what) const {
    require(initialised, "fit: ", what, " before the initialisation left to another thread was adopted");
  }

  // Adds group g's statistics to `total` (the first group's copied): in group order, so the
  // sums are the same whoever computed the groups. A group that marks a sequence no path
  // explains: fit()'s error, naming the sequence in the whole data.
  void add(std::vector<double>& total, const double* block, size_t g) const {
    if (!std::isfinite(block[0])) {
      const double local = block[1];
      require(std::isinf(block[0]) && block[0] < 0 && local >= 0 && local < double(groups[g]),
              "fit: the statistics of group ", g, " are not finite");
      const Index q = firstOfGroup[g] + Index(local);
      if (iteration > 0)
        // The start explained it; an M-step of this fit took a probability it needs to 0,
        // which only a Dirichlet prior below 1 does (max(prior - 1 + count, 0)).
        fail("fit: after ", iteration, iteration == 1 ? " iteration" : " iterations", ", sequence ", q, " (",
             spans.length[size_t(q)], " frames) cannot be produced by the model: an update set a probability it",
             " needs to 0, as a Dirichlet prior below 1 does (hmmlearn's max(prior - 1 + count, 0): startprobPrior,",
             " transmatPrior, CategoricalHMM's emissionprobPrior); use priors of at least 1");
      fail("fit: sequence ", q, " (", spans.length[size_t(q)], " frames) cannot be produced by the model (no path",
           " explains it: a frame no state can emit, such as a symbol or outcome of probability 0?); give initParams",
           " that include the emissions, or other parameters");
    }
    if (g == 0) total.assign(block, block + total.size());
    else
      for (size_t i = 0; i < total.size(); ++i) total[i] += block[i];
  }
  // The M-step from the groups' summed statistics (the iteration's end).
  Iteration mStep(const std::vector<double>& total);
};

ChainFitSession::ChainFitSession(Hmm& model, const SequenceSet& X, const ChainOptions& options, Initialisation where) {
  validateChainOptions(options, model.emissions_->letters());
  checkChainPriors(options, model.nStates_);
  // Everything happens on a copy, installed by finish(): a failed fit leaves the model as it was.
  const int N = model.nStates_;
  // Per transition: the model's transmat and its working copy, the transmat prior, the
  // statistics' total and one group's, the E-step's transition counts (per group and per
  // sequence): 7 values, 1.4 GB for 5,000 states; and the chain in sparse form (both
  // directions: index, probability, log-probability) 5 per allowed one (measured for an
  // ergodic chain: 11 values on top of the model's). The pass's buffers are added below, once
  // the lengths are known.
  // (A transmat the fit initialises is a full chain, whatever the model holds now.)
  const bool fullChain = hasLetter(options.initParams, 't') || !model.hasTransmat_;
  const double chain = fullChain ? kDouble * 6.0 * double(N) * N : detail::chainBytes(model.transmat_);
  const double transitions = kDouble * (6.0 * double(N) * N + 8.0 * N) + chain;
  detail::requireMemory(transitions + 2.0 * model.emissions_->bytes(),
                        "fit: the model's transitions, their working copy, statistics and sparse form");
  run_ = std::make_unique<Run>(model, options);
  Run& r = *run_;
  Hmm& work = r.work;
  const Hmm::Spans s = work.spans(X, "fit", true);
  work.emissions_->adoptSizes(X);
  work.emissions_->checkPriors();  // shapes that needed the data's sizes
  // All of it at once: the transitions' copies (the pass counts the chain), the emission
  // parameters and statistics, one sequence's buffers.
  work.requirePassMemory(X, s, 0, "fit", transitions - detail::chainBytes(model.transmat_) + 2.0 * work.emissions_->bytes());
  r.data = X.data;
  r.width = X.nFeatures;
  r.nFrames = X.nFrames;
  r.spans.begin = s.begin;
  r.spans.length = s.length;

  // Groups of consecutive sequences (the header says why), planned from the lengths alone.
  const Index target = std::max(kGroupFrames, (X.nFrames + kMaxGroups - 1) / kMaxGroups);
  Index frames = 0;
  for (size_t q = 0; q < s.length.size(); ++q) {
    if (frames == 0) {
      r.firstOfGroup.push_back(Index(q));
      r.groups.push_back(0);
    }
    ++r.groups.back();
    frames += s.length[q];
    if (frames >= target) frames = 0;
  }

  // Initialisation (hmmlearn's _init): a letter of initParams, or a parameter never set.
  if (hasLetter(options.initParams, 's') || !work.hasStartprob_) {
    work.startprob_.setConstant(1.0 / N);
    work.hasStartprob_ = true;
  }
  if (hasLetter(options.initParams, 't') || !work.hasTransmat_) {
    work.transmat_.setConstant(1.0 / N);
    work.hasTransmat_ = true;
  }
  if (where == Initialisation::Here) {
    detail::Random rng(options.seed);
    work.emissions_->initialize(X, options.initParams, rng);
  } else {
    work.emissions_->prepareFit(X);  // what the M-step needs of the data besides (floors)
    r.initialised = false;
  }
  r.startPrior = broadcastPrior(options.startprobPrior, {N});
  r.transPrior = broadcastPrior(options.transmatPrior, {N, N});
  work.monitor_ = Monitor();
  r.done = options.nIter <= 0;
}

ChainFitSession::~ChainFitSession() = default;

bool ChainFitSession::initialised() const { return run_->initialised; }

void ChainFitSession::adoptInitialisation(const std::vector<double>& parameters) {
  Run& r = *run_;
  require(!r.initialised, "fit: no initialisation is pending");
  Hmm& work = r.work;
  const Index N = work.nStates_;
  const size_t expected = size_t(N + N * N + work.emissions_->parameterValuesSize());
  require(parameters.size() == expected, "fit: an initialisation of ", parameters.size(), " values; expected ", expected);
  for (double v : parameters) require(std::isfinite(v), "fit: the initialisation holds a value that is not finite");
  const double* p = parameters.data();
  work.startprob_ = Eigen::Map<const Eigen::VectorXd>(p, N);
  work.transmat_ = Eigen::Map<const RowMatrix>(p + N, N, N);
  work.emissions_->readParameterValues(p + N + N * N);
  r.initialised = true;
}

void ChainFitSession::initialiseHere() {
  Run& r = *run_;
  require(!r.initialised, "fit: no initialisation is pending");
  detail::Random rng(r.options.seed);
  r.work.emissions_->initialize(SequenceSet{r.data, r.nFrames, r.width, {}}, r.options.initParams, rng);
  r.initialised = true;
}

bool ChainFitSession::done() const { return run_->done; }

ChainFitSession::Iteration ChainFitSession::step() {
  Run& r = *run_;
  r.requireInitialised("an iteration");
  require(!r.done, "fit: no iteration is left");
  // Each group's statistics added to the total as soon as they are computed: one group's
  // worth of memory, the same sums as from shares.
  std::vector<double> total(size_t(blockSize(r.work)));
  size_t g = 0;
  const detail::Transitions tr = detail::Transitions::build(r.work.startprob_, r.work.transmat_, {});
  groupStatistics(r.work, tr, r.data, r.width, r.spans, r.groups, r.buffers,
                  [&](const double* block) { r.add(total, block, g++); });
  return r.mStep(total);
}

ChainFitSession::Iteration ChainFitSession::step(const std::vector<double>& groupStatistics) {
  Run& r = *run_;
  r.requireInitialised("an iteration");
  require(!r.done, "fit: no iteration is left");
  const size_t size = size_t(blockSize(r.work));
  require(groupStatistics.size() == size * r.groups.size(), "fit: statistics of ", groupStatistics.size(),
          " values; expected ", r.groups.size(), " groups of ", size);
  std::vector<double> total(size);
  for (size_t g = 0; g < r.groups.size(); ++g) r.add(total, groupStatistics.data() + g * size, g);
  return r.mStep(total);
}

ChainFitSession::Iteration ChainFitSession::Run::mStep(const std::vector<double>& total) {
  const Index N = work.nStates_;
  Iteration it;
  it.index = iteration;
  it.planned = options.nIter;
  it.logLikelihood = total[0];
  Monitor& monitor = work.monitor_;
  monitor.history.push_back(it.logLikelihood);
  if (iteration > 0 && it.logLikelihood - previous < options.tol) {
    monitor.converged = true;
    done = true;
    return it;
  }
  previous = it.logLikelihood;
  const std::string& params = options.params;
  if (hasLetter(params, 's')) dirichletUpdate(work.startprob_.data(), total.data() + 1, N, startPrior.data());
  if (hasLetter(params, 't'))
    for (Index row = 0; row < N; ++row)
      dirichletUpdate(work.transmat_.row(row).data(), total.data() + 1 + N + row * N, N, transPrior.data() + row * N);
  work.emissions_->readStatistics(total.data() + 1 + N + N * N);
  work.emissions_->maximize(params);
  ++monitor.iterations;
  ++iteration;
  it.completed = true;
  done = iteration >= options.nIter;
  return it;
}

void ChainFitSession::cancel() {
  run_->work.monitor_.cancelled = true;
  run_->done = true;
}

const Monitor& ChainFitSession::finish() {
  Run& r = *run_;
  r.requireInitialised("finish()");
  require(!r.finished, "fit: the session was already finished");
  r.finished = true;
  r.done = true;
  r.model = std::move(r.work);
  return r.model.monitor_;
}

std::vector<Index> ChainFitSession::groupSizes() const { return run_->groups; }

std::vector<double> ChainFitSession::parameters() const {
  run_->requireInitialised("parameters()");
  return parameterVector(run_->work);
}

const Hmm& ChainFitSession::work() const { return run_->work; }

struct ChainShareStatistics::Share {
  explicit Share(const Hmm& prototype) : hmm(prototype) {}
  Hmm hmm;
  const double* data = nullptr;
  Index width = 0;
  Spans spans;
  std::vector<Index> groups;
  Buffers buffers;
};

ChainShareStatistics::ChainShareStatistics(const Hmm& prototype, const SequenceSet& frames,
                                           const std::vector<Index>& groupSizes) {
  share_ = std::make_unique<Share>(prototype);
  Share& s = *share_;
  require(frames.nFrames >= 1 && frames.data != nullptr, "share: no frames");
  require(frames.nFeatures == s.hmm.emissions().frameWidth(), "share: frames of ", frames.nFeatures,
          " values; the model's are ", s.hmm.emissions().frameWidth());
  s.hmm.emissions().checkFrames(frames, "share");
  const std::vector<Index> lengths = frames.lengths.empty() ? std::vector<Index>{frames.nFrames} : frames.lengths;
  Index total = 0;
  for (Index len : lengths) {
    require(len >= 1 && len <= frames.nFrames - total, "share: lengths do not fit the ", frames.nFrames, " frames");
    s.spans.begin.push_back(total);
    s.spans.length.push_back(len);
    total += len;
  }
  require(total == frames.nFrames, "share: lengths sum to ", total, " but there are ", frames.nFrames, " frames");
  Index sequences = 0;
  for (Index g : groupSizes) {
    require(g >= 1, "share: a group of ", g, " sequences");
    sequences += g;
  }
  require(sequences == Index(lengths.size()), "share: groups of ", sequences, " sequences for ", lengths.size());
  s.data = frames.data;
  s.width = frames.nFeatures;
  s.groups = groupSizes;
}

ChainShareStatistics::~ChainShareStatistics() = default;

std::vector<double> ChainShareStatistics::compute(const std::vector<double>& parameters) {
  Share& s = *share_;
  Hmm& hmm = s.hmm;
  const Index N = hmm.nStates();
  EmissionFamily& family = hmm.emissions();
  require(static_cast<Index>(parameters.size()) == N + N * N + family.parameterValuesSize(), "share: ",
          parameters.size(), " parameter values; expected ", N + N * N + family.parameterValuesSize());
  hmm.setStartprob(std::vector<double>(parameters.begin(), parameters.begin() + N));
  hmm.setTransmat(std::vector<double>(parameters.begin() + N, parameters.begin() + N + N * N));
  family.readParameterValues(parameters.data() + N + N * N);
  const size_t size = size_t(blockSize(hmm));
  detail::requireMemory(kDouble * double(size) * double(s.groups.size()), "share: the statistics of its groups");
  std::vector<double> out;
  out.reserve(size * s.groups.size());
  const detail::Transitions tr = detail::Transitions::build(hmm.startprob_, hmm.transmat_, {});
  groupStatistics(hmm, tr, s.data, s.width, s.spans, s.groups, s.buffers,
                  [&](const double* block) { out.insert(out.end(), block, block + size); });
  // After a sequence no path explains: zeros for the groups not computed (the session reports it).
  out.resize(size * s.groups.size(), 0.0);
  return out;
}

}  // namespace gmmhmm
