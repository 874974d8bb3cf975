#pragma once
// GmmHmm::fit() step by step, so that the E-step (nearly all of the work) can run elsewhere:
// in other threads, Web Workers or processes, each on a share of the sequences. Only the
// parameters go out and the statistics come back (a few thousand numbers per group of
// sequences), and the results are bit-identical to fit() however the groups are shared out:
// every group's statistics are computed by the same code and summed in group order.
//
//   FitSession session(model, X);                  // checks X, initialises, as fit() does
//   // once per share (a run of consecutive groups; groupSizes() lists the groups):
//   ShareStatistics share(session.shareSetup(), frames of its groups, their groupSizes());
//   while (!session.done()) {
//     const std::vector<double> p = session.parameters();
//     ... every share: share.compute(p) -> its groups' statistics
//     session.step(their concatenation, in group order);  // the M-step
//   }
//   session.finish();                               // the model takes the new parameters
//
// fit() itself is FitSession with step() (the E-step computed in place). Everything that
// crosses between the two classes is an opaque vector of doubles, checked on arrival.

#include <memory>
#include <vector>

#include "gmmhmm/model/gmm_hmm.hpp"

namespace gmmhmm {

class FitSession {
 public:
  // Validates X and the initParams letters and initialises, exactly as fit() does (throws
  // the same errors). X is not copied (unless it is far from the origin: then the session
  // holds a centred copy), and must outlive the session. The model is not changed before finish().
  FitSession(GmmHmm& model, const SequenceSet& X);
  // The same, but the mixture initialisation (k-means or segmental, seconds on large data)
  // is left to another thread: initialisationJob() is what it needs, runInitialisation()
  // there computes it, adoptInitialisation() takes its result (the same bits as here). No
  // step or parameters() before that. Without a mixture initialisation the job is empty.
  enum class Initialisation { Here, Elsewhere };
  FitSession(GmmHmm& model, const SequenceSet& X, Initialisation where);
  ~FitSession();
  FitSession(const FitSession&) = delete;
  FitSession& operator=(const FitSession&) = delete;

  // No iteration is left (all ran, converged, or cancel() was called).
  bool done() const;

  struct Iteration {
    int index = 0;             // from 0, counted over the whole fit (splitting phases too)
    double logLikelihood = 0;  // of the data under the parameters the E-step used
    int planned = 0;           // iterations planned in all (fit()'s callback receives it)
    bool completed = false;    // false: converged, no M-step ran (fit() calls no callback)
  };
  // One EM iteration, the E-step computed here over all of X.
  Iteration step();
  // One EM iteration from the statistics of every group computed elsewhere at parameters():
  // the ShareStatistics::compute() results of shares that cover the groups in order,
  // concatenated. Throws InvalidArgument when they do not fit the model and the groups.
  Iteration step(const std::vector<double>& groupStatistics);

  // Stops after the last complete iteration (the monitor says cancelled).
  void cancel();
  // Installs the parameters of the last complete iteration (grown to nMix when mixture
  // splitting was cancelled early) and the monitor into the model. Call once, at the end.
  const Monitor& finish();

  // The initialisation left to another thread (Initialisation::Elsewhere), or empty: none
  // is pending.
  std::vector<double> initialisationJob() const;
  // Takes runInitialisation()'s result for initialisationJob(). Throws InvalidArgument when
  // it does not fit the session or none is pending.
  void adoptInitialisation(const std::vector<double>& initialised);

  // Sequences per group, in order (groups hold consecutive sequences).
  std::vector<Index> groupSizes() const;
  // What a share needs besides its frames; the same for the whole fit.
  std::vector<double> shareSetup() const;
  // The parameters the next iteration's E-step uses.
  std::vector<double> parameters();

  struct Run;

 private:
  std::unique_ptr<Run> run_;
};

// FitSession::initialisationJob() run on all of the session's sequences X (another copy of
// them, in another thread): the initialised parameters, for adoptInitialisation(). Throws
// InvalidArgument for a job or frames that do not fit together.
std::vector<double> runInitialisation(const std::vector<double>& job, const SequenceSet& X);

// The E-step of one share: consecutive groups of a FitSession's sequences.
class ShareStatistics {
 public:
  // setup: FitSession::shareSetup(); frames: the share's sequences (not copied, unless the
  // set-up says they are far from the origin: then centred in a copy; must outlive this), groupSizes: how many of them each of its groups holds. Throws InvalidArgument for
  // a setup, frames or groups that do not fit together.
  ShareStatistics(const std::vector<double>& setup, const SequenceSet& frames, const std::vector<Index>& groupSizes);
  ~ShareStatistics();
  ShareStatistics(const ShareStatistics&) = delete;
  ShareStatistics& operator=(const ShareStatistics&) = delete;

  // The statistics of every group of the share at `parameters` (FitSession::parameters()),
  // concatenated in group order.
  std::vector<double> compute(const std::vector<double>& parameters);

  struct Share;

 private:
  std::unique_ptr<Share> share_;
};

}  // namespace gmmhmm
