// ChainFitSession and ChainShareStatistics: the families' Baum-Welch, its E-step on groups of
// sequences (here or in shares elsewhere) and its M-step (hmmlearn's updates of the chain,
// the family's own).
#include "gmmhmm/families/chain_fit_session.hpp"

#include <algorithm>
#include <cmath>
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
};

// The E-step of the groups of `spans` (groupSizes: sequences per group, in order) with the
// parameters `hmm` holds; each group's block appended to `out`.
void groupStatistics(Hmm& hmm, const double* data, Index width, const Spans& spans, const std::vector<Index>& groupSizes,
                     Buffers& b, std::vector<double>& out) {
  const Index N = hmm.nStates(), size = blockSize(hmm);
  EmissionFamily& family = hmm.emissions();
  const std::vector<double> sp = hmm.startprob(), tm = hmm.transmat();
  const Eigen::VectorXd startprob = Eigen::Map<const Eigen::VectorXd>(sp.data(), N);
  const RowMatrix transmat = Eigen::Map<const RowMatrix>(tm.data(), N, N);
  const detail::Transitions tr = detail::Transitions::build(startprob, transmat, {});
  out.reserve(out.size() + groupSizes.size() * size_t(size));
  size_t q = 0;
  for (size_t g = 0; g < groupSizes.size(); ++g) {
    const Index sequences = groupSizes[g];
    const size_t at = out.size();
    out.resize(at + size_t(size), 0.0);
    double* block = out.data() + at;
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
        // The session names the sequence and stops; the later groups' blocks stay zeros.
        block[0] = -std::numeric_limits<double>::infinity();
        block[1] = double(i);
        out.resize(out.size() + (groupSizes.size() - g - 1) * size_t(size), 0.0);
        return;
      }
      ll += llq;
      startCounts += b.gamma.row(0).transpose();
      family.accumulate(frames, len, b.gamma);
    }
    block[0] = ll;
    Eigen::Map<RowMatrix>(block + 1 + N, N, N) = b.xi;
    family.writeStatistics(block + 1 + N + N * N);
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
  std::vector<double> statistics;  // step()'s, kept between iterations
  int iteration = 0;
  double previous = 0;
  bool done = false, finished = false;
};

ChainFitSession::ChainFitSession(Hmm& model, const SequenceSet& X, const ChainOptions& options) {
  validateChainOptions(options, model.emissions_->letters());
  checkChainPriors(options, model.nStates_);
  // Everything happens on a copy, installed by finish(): a failed fit leaves the model as it was.
  const int N = model.nStates_;
  detail::requireMemory(2.0 * (kDouble * (double(N) * N * 3 + N) + model.emissions_->bytes()),
                        "fit: a working copy of the model");
  run_ = std::make_unique<Run>(model, options);
  Run& r = *run_;
  Hmm& work = r.work;
  const Hmm::Spans s = work.spans(X, "fit", true);
  work.emissions_->adoptSizes(X);
  work.emissions_->checkPriors();  // shapes that needed the data's sizes
  work.requirePassMemory(X, s, 0, "fit");
  detail::requireMemory(2.0 * work.emissions_->bytes(), "fit: the emission parameters and statistics");
  r.data = X.data;
  r.width = X.nFeatures;
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
  detail::requireMemory(2.0 * kDouble * double(r.groups.size()) * double(blockSize(work)),
                        "fit: the statistics of the groups of sequences");

  // Initialisation (hmmlearn's _init): a letter of initParams, or a parameter never set.
  if (hasLetter(options.initParams, 's') || !work.hasStartprob_) {
    work.startprob_.setConstant(1.0 / N);
    work.hasStartprob_ = true;
  }
  if (hasLetter(options.initParams, 't') || !work.hasTransmat_) {
    work.transmat_.setConstant(1.0 / N);
    work.hasTransmat_ = true;
  }
  detail::Random rng(options.seed);
  work.emissions_->initialize(X, options.initParams, rng);
  r.startPrior = broadcastPrior(options.startprobPrior, {N});
  r.transPrior = broadcastPrior(options.transmatPrior, {N, N});
  work.monitor_ = Monitor();
  r.done = options.nIter <= 0;
}

ChainFitSession::~ChainFitSession() = default;

bool ChainFitSession::done() const { return run_->done; }

ChainFitSession::Iteration ChainFitSession::step() {
  Run& r = *run_;
  r.statistics.clear();
  groupStatistics(r.work, r.data, r.width, r.spans, r.groups, r.buffers, r.statistics);
  return step(r.statistics);
}

ChainFitSession::Iteration ChainFitSession::step(const std::vector<double>& groupStatistics) {
  Run& r = *run_;
  require(!r.done, "fit: no iteration is left");
  Hmm& work = r.work;
  const Index N = work.nStates_, size = blockSize(work);
  require(static_cast<Index>(groupStatistics.size()) == size * Index(r.groups.size()),
          "fit: statistics of ", groupStatistics.size(), " values; expected ", r.groups.size(), " groups of ", size);
  // Every group's statistics summed in group order: the same sums whoever computed them.
  std::vector<double> total(groupStatistics.begin(), groupStatistics.begin() + size);
  for (size_t g = 0; g < r.groups.size(); ++g) {
    const double* block = groupStatistics.data() + g * size_t(size);
    if (!std::isfinite(block[0])) {
      const double local = block[1];
      require(std::isinf(block[0]) && block[0] < 0 && local >= 0 && local < double(r.groups[g]),
              "fit: the statistics of group ", g, " are not finite");
      fail("fit: sequence ", r.firstOfGroup[g] + Index(local), " (", r.spans.length[size_t(r.firstOfGroup[g] + Index(local))],
           " frames) cannot be produced by the model (no path explains it: a frame no state can emit, such as a symbol",
           " or outcome of probability 0?); give initParams that include the emissions, or other parameters");
    }
    if (g > 0)
      for (Index i = 0; i < size; ++i) total[size_t(i)] += block[i];
  }
  Iteration it;
  it.index = r.iteration;
  it.planned = r.options.nIter;
  it.logLikelihood = total[0];
  Monitor& monitor = work.monitor_;
  monitor.history.push_back(it.logLikelihood);
  if (r.iteration > 0 && it.logLikelihood - r.previous < r.options.tol) {
    monitor.converged = true;
    r.done = true;
    return it;
  }
  r.previous = it.logLikelihood;
  const std::string& params = r.options.params;
  if (hasLetter(params, 's')) dirichletUpdate(work.startprob_.data(), total.data() + 1, N, r.startPrior.data());
  if (hasLetter(params, 't'))
    for (Index row = 0; row < N; ++row)
      dirichletUpdate(work.transmat_.row(row).data(), total.data() + 1 + N + row * N, N, r.transPrior.data() + row * N);
  work.emissions_->readStatistics(total.data() + 1 + N + N * N);
  work.emissions_->maximize(params);
  ++monitor.iterations;
  ++r.iteration;
  it.completed = true;
  r.done = r.iteration >= r.options.nIter;
  return it;
}

void ChainFitSession::cancel() {
  run_->work.monitor_.cancelled = true;
  run_->done = true;
}

const Monitor& ChainFitSession::finish() {
  Run& r = *run_;
  require(!r.finished, "fit: the session was already finished");
  r.finished = true;
  r.done = true;
  r.model = std::move(r.work);
  return r.model.monitor_;
}

std::vector<Index> ChainFitSession::groupSizes() const { return run_->groups; }

std::vector<double> ChainFitSession::parameters() const { return parameterVector(run_->work); }

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
  std::vector<double> out;
  groupStatistics(hmm, s.data, s.width, s.spans, s.groups, s.buffers, out);
  return out;
}

}  // namespace gmmhmm
