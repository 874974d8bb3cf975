#pragma once
// Hmm::fit() step by step (GMMHMM's FitSession, model/fit_session.hpp, for the families), so
// that the E-step can run elsewhere -- Web Workers, threads -- each on a share of the
// sequences. The sequences are cut into groups (consecutive sequences, a fixed plan for the
// data, whatever the number of shares); every group's statistics are computed from zero by
// the same code and summed in group order, so a fit's result is the same, bit for bit, in one
// thread or in any number of shares. Only vectors of doubles cross: the parameters out, the
// groups' statistics back.
//
//   ChainFitSession session(hmm, X, options);        // checks X, initialises (as fit())
//   // once per share (a run of consecutive groups): a model of the same family and sizes
//   ChainShareStatistics share(prototype, frames of its groups, their groupSizes());
//   while (!session.done()) {
//     const std::vector<double> p = session.parameters();
//     ... every share: share.compute(p) -> its groups' statistics
//     session.step(their concatenation, in group order);  // the M-step
//   }
//   session.finish();                                 // the model takes the result

#include <memory>
#include <vector>

#include "gmmhmm/families/hmm.hpp"
#include "gmmhmm/model/fit_session.hpp"

namespace gmmhmm {

class ChainFitSession {
 public:
  // Validates the options, X and the priors' shapes and initialises, exactly as Hmm::fit()
  // does (the same errors). X is not copied: it must outlive the session. The model is not
  // changed before finish().
  //
  // Initialisation::Elsewhere: the emissions' initialisation (GaussianHMM's k-means above all)
  // is left to another thread, which runs a session of its own on the model as it was (its
  // file: the options and the parameters set) and all the frames, and hands over that
  // session's parameters() to adoptInitialisation() (the same bits as here); or to
  // initialiseHere(). No step, parameters() or finish() before that.
  using Initialisation = FitSession::Initialisation;
  ChainFitSession(Hmm& model, const SequenceSet& X, const ChainOptions& options,
                  Initialisation where = Initialisation::Here);
  ~ChainFitSession();
  ChainFitSession(const ChainFitSession&) = delete;
  ChainFitSession& operator=(const ChainFitSession&) = delete;

  // No iteration is left (all ran, converged, or cancel() was called).
  bool done() const;

  // GMMHMM's: index from 0, the log-likelihood the E-step found, nIter planned, completed
  // false when tol stopped EM before the M-step (fit() then calls no callback).
  using Iteration = FitSession::Iteration;
  // One EM iteration, the E-step computed here over all of X.
  Iteration step();
  // One EM iteration from every group's statistics computed elsewhere at parameters()
  // (ChainShareStatistics::compute() of shares covering the groups in order, concatenated).
  // Throws InvalidArgument when they do not fit, or naming a sequence no path explains.
  Iteration step(const std::vector<double>& groupStatistics);
  // Stops after the last complete iteration (the monitor says cancelled).
  void cancel();
  // Installs the parameters of the last complete iteration and the monitor. Call once.
  const Monitor& finish();

  // False while an initialisation left elsewhere has not been adopted.
  bool initialised() const;
  // The parameters a session that initialised (the other thread's) gave as parameters():
  // startprob, transmat, the family's values. Checked for size and finiteness.
  void adoptInitialisation(const std::vector<double>& parameters);
  // The initialisation left elsewhere, on this thread after all (no other thread came).
  void initialiseHere();

  // Sequences per group, in order.
  std::vector<Index> groupSizes() const;
  // The parameters the next E-step uses: startprob, transmat, the family's values.
  std::vector<double> parameters() const;
  // The model being fitted (its sizes are final once the session exists): what a share's
  // prototype must match (family and sizes).
  const Hmm& work() const;

  struct Run;

 private:
  std::unique_ptr<Run> run_;
};

// The E-step of one share: consecutive groups of a ChainFitSession's sequences.
class ChainShareStatistics {
 public:
  // prototype: a model of the session's family and sizes (its parameters do not matter:
  // compute() sets them); frames: the share's sequences (not copied: must outlive this);
  // groupSizes: sequences per group. Throws InvalidArgument for frames the family cannot
  // read or groups that do not fit the sequences.
  ChainShareStatistics(const Hmm& prototype, const SequenceSet& frames, const std::vector<Index>& groupSizes);
  ~ChainShareStatistics();
  ChainShareStatistics(const ChainShareStatistics&) = delete;
  ChainShareStatistics& operator=(const ChainShareStatistics&) = delete;

  // Every group's statistics at `parameters` (ChainFitSession::parameters()), in group order.
  std::vector<double> compute(const std::vector<double>& parameters);

  struct Share;

 private:
  std::unique_ptr<Share> share_;
};

}  // namespace gmmhmm
