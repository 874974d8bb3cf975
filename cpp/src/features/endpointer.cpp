#include "gmmhmm/features/endpointer.hpp"

#include <algorithm>
#include <cmath>

#include "checks.hpp"
#include "gmmhmm/features/frame_extraction.hpp"

namespace gmmhmm::features {

using detail::fail;
using detail::requireFinite;

namespace {
constexpr double kPi = 3.14159265358979323846;
// How far (ms) the onset search may go back before the hops that triggered the word.
constexpr double kMaxBacktrackMs = 300.0;
// Energy of digital silence, so dB values stay finite.
constexpr double kSilenceDb = -120.0;

int hopsFor(double ms, double shiftMs) { return static_cast<int>(std::lround(ms / shiftMs)); }

// Durations are counted in hops (int): an hour is far beyond any word and keeps hopsFor()
// in range (1e15 ms used to wrap around: words lost, or starting after they ended).
constexpr double kMaxDurationMs = 3600e3;
void requireAtMostAnHour(double ms, double shiftMs, const char* name) {
  if (ms > kMaxDurationMs || ms / shiftMs > 1e9)
    fail(name, " must be at most ", kMaxDurationMs, " ms (one hour) and 1e9 frameShifts, got ", ms);
}

void requireNonNegative(double value, const char* name) {
  requireFinite(value, name);
  if (value < 0) fail(name, " must be >= 0, got ", value);
}
}  // namespace

Endpointer::Endpointer(double sampleRate, const EndpointerOptions& options)
    : options_(options), sampleRate_(sampleRate) {
  validateSampleRate(sampleRate);
  const EndpointerOptions& o = options;
  requireFinite(o.frameShift, "frameShift");
  if (o.frameShift <= 0 || o.frameShift > 100)
    fail("frameShift must be in (0, 100] ms, got ", o.frameShift);
  hop_ = static_cast<int>(std::lround(sampleRate * o.frameShift / 1000.0));
  if (hop_ < 1) fail("frameShift ", o.frameShift, " ms is shorter than one sample at ", sampleRate, " Hz");
  requireNonNegative(o.highPassHz, "highPassHz");
  if (o.highPassHz >= sampleRate / 2)
    fail("highPassHz ", o.highPassHz, " Hz must be below the Nyquist frequency ", sampleRate / 2, " Hz");
  requireNonNegative(o.endMarginDb, "endMarginDb");
  requireFinite(o.startMarginDb, "startMarginDb");
  if (o.startMarginDb < o.endMarginDb)
    fail("startMarginDb (", o.startMarginDb, ") must be >= endMarginDb (", o.endMarginDb, ")");
  requireFinite(o.minSpeechDb, "minSpeechDb");
  if (o.minSpeechDb > 0) fail("minSpeechDb is in dB full scale and must be <= 0, got ", o.minSpeechDb);
  if (o.startFrames < 1 || o.startFrames > 100)
    fail("startFrames must be between 1 and 100, got ", o.startFrames);
  requireNonNegative(o.preRoll, "preRoll");
  requireNonNegative(o.postRoll, "postRoll");
  requireFinite(o.hangover, "hangover");
  if (o.hangover < o.frameShift)
    fail("hangover must be at least one frameShift (", o.frameShift, " ms), got ", o.hangover);
  if (o.postRoll > o.hangover)
    fail("postRoll (", o.postRoll, " ms) must not exceed hangover (", o.hangover, " ms)");
  requireNonNegative(o.minWord, "minWord");
  requireFinite(o.maxWord, "maxWord");
  if (o.maxWord <= o.minWord)
    fail("maxWord (", o.maxWord, " ms) must be greater than minWord (", o.minWord, " ms)");
  requireAtMostAnHour(o.preRoll, o.frameShift, "preRoll");
  requireAtMostAnHour(o.postRoll, o.frameShift, "postRoll");
  requireAtMostAnHour(o.hangover, o.frameShift, "hangover");
  requireAtMostAnHour(o.minWord, o.frameShift, "minWord");
  requireAtMostAnHour(o.maxWord, o.frameShift, "maxWord");
  requireFinite(o.floorRiseSeconds, "floorRiseSeconds");
  if (o.floorRiseSeconds <= 0) fail("floorRiseSeconds must be positive, got ", o.floorRiseSeconds);

  startFrames_ = o.startFrames;
  preRollHops_ = hopsFor(o.preRoll, o.frameShift);
  postRollHops_ = hopsFor(o.postRoll, o.frameShift);
  hangoverHops_ = std::max(1, hopsFor(o.hangover, o.frameShift));
  minWordHops_ = hopsFor(o.minWord, o.frameShift);
  maxWordHops_ = std::max(1, hopsFor(o.maxWord, o.frameShift));
  maxBacktrackHops_ = hopsFor(kMaxBacktrackMs, o.frameShift);
  const double hopSeconds = hop_ / sampleRate;
  floorRise_ = 1.0 - std::exp(-hopSeconds / o.floorRiseSeconds);
  if (o.highPassHz > 0) {
    const double rc = 1.0 / (2 * kPi * o.highPassHz), dt = 1.0 / sampleRate;
    highPassCoeff_ = rc / (rc + dt);
  }
  reset();
}

std::int64_t Endpointer::lookbackSamples() const {
  const std::int64_t hops = std::int64_t(maxWordHops_) + maxBacktrackHops_ + startFrames_ + preRollHops_ +
                            hangoverHops_ + postRollHops_ + 2;
  return hops * hop_;
}

void Endpointer::reset() {
  state_ = State::Silence;
  floorDb_ = kSilenceDb;
  floorInitialised_ = false;
  hpPrevIn_ = hpPrevOut_ = 0;
  hopEnergy_ = 0;
  hopFill_ = 0;
  hopIndex_ = 0;
  total_ = 0;
  candidateHop_ = 0;
  candidateCount_ = 0;
  onsetSample_ = wordStartHop_ = lastLoudHop_ = 0;
  previousEndSample_ = 0;
  history_.clear();
  opening_.clear();
  openingOpen_ = true;
}

std::vector<SpeechSegment> Endpointer::push(const float* samples, std::size_t numSamples) {
  validateSamples(samples, numSamples);
  std::vector<SpeechSegment> out;
  const bool highPass = options_.highPassHz > 0;
  for (std::size_t i = 0; i < numSamples; ++i) {
    double x = samples[i];
    if (highPass) {
      const double y = highPassCoeff_ * (hpPrevOut_ + x - hpPrevIn_);
      hpPrevIn_ = x;
      hpPrevOut_ = y;
      x = y;
    }
    hopEnergy_ += x * x;
    ++total_;
    if (++hopFill_ == hop_) {
      processHop(10.0 * std::log10(hopEnergy_ / hop_ + 1e-12), out);
      hopEnergy_ = 0;
      hopFill_ = 0;
    }
  }
  return out;
}

std::vector<SpeechSegment> Endpointer::finish() {
  std::vector<SpeechSegment> out;
  if (hopFill_ > 0) {
    processHop(10.0 * std::log10(hopEnergy_ / hopFill_ + 1e-12), out);
    hopEnergy_ = 0;
    hopFill_ = 0;
  }
  if (state_ == State::Speech) {
    closeWord(lastLoudHop_, out);
  } else if (openingOpen_) {
    closeOpeningAtTheEnd(out);
  }
  state_ = State::Silence;
  candidateCount_ = 0;
  openingOpen_ = false;
  opening_.clear();
  return out;
}

// The floor starts at the first hop's level, so a stream that begins inside a word (a file
// cut tight at the word, as FSDD's are) hides that word: its hops never rise above the floor
// + startMarginDb. A stream shorter than maxWord that ends without a word, but whose level
// moved by startMarginDb (steady sound does not), holds words: its runs of hops above the
// quietest + endMarginDb, split where they pause for the hangover, each at least minWord
// long (a click or a key tap is not one). Only at the end: in a stream that goes on, a level
// that falls early (a microphone's first loud transient, its gain settling) is not a word.
void Endpointer::closeOpeningAtTheEnd(std::vector<SpeechSegment>& out) {
  if (opening_.size() < static_cast<std::size_t>(startFrames_)) return;
  const auto [quietest, loudest] = std::minmax_element(opening_.begin(), opening_.end());
  if (*loudest <= options_.minSpeechDb || *loudest - *quietest < options_.startMarginDb) return;
  const double endThreshold = std::max(*quietest + options_.endMarginDb,
                                       options_.minSpeechDb - (options_.startMarginDb - options_.endMarginDb));
  const double startThreshold = std::max(*quietest + options_.startMarginDb, options_.minSpeechDb);
  const auto hops = static_cast<std::int64_t>(opening_.size());
  std::int64_t runStart = -1, lastLoud = -1;
  int consecutive = 0;
  bool started = false;  // the run holds startFrames consecutive hops above the start threshold
  const auto closeRun = [&] {
    const bool word = runStart >= 0 && started;
    started = false;
    if (!word) {
      runStart = -1;
      return;
    }
    onsetSample_ = std::max<std::int64_t>({(runStart - preRollHops_) * hop_, previousEndSample_, std::int64_t(0)});
    wordStartHop_ = runStart;
    closeWord(lastLoud, out);  // drops a run shorter than minWord
    runStart = -1;
  };
  for (std::int64_t h = 0; h < hops; ++h) {
    const double e = opening_[static_cast<std::size_t>(h)];
    if (e > endThreshold) {
      if (runStart >= 0 && h - lastLoud > hangoverHops_) closeRun();
      if (runStart < 0) runStart = h;
      lastLoud = h;
    }
    consecutive = e > startThreshold ? consecutive + 1 : 0;
    if (runStart >= 0 && consecutive >= startFrames_) started = true;
  }
  closeRun();
}

void Endpointer::updateFloor(double energyDb) {
  if (!floorInitialised_ || energyDb < floorDb_) {
    floorDb_ = energyDb;
    floorInitialised_ = true;
  } else {
    floorDb_ += (energyDb - floorDb_) * floorRise_;
  }
}

// A word starts after a dip (the /v/ of "seven") in a stream that began inside a word, loud
// from its first hop: the floor, set by the first hop, hid the part before the dip. It is
// this word's when it lasted minWord, its first startFrames hops are above the start
// threshold now, and the dip is shorter than the hangover (else it was a sound of its own: a
// microphone's first loud transient is not joined to a word a second later).
bool Endpointer::beganInsideThisWord(std::int64_t onsetHop, double startThreshold, double endThreshold) const {
  if (opening_.size() < static_cast<std::size_t>(startFrames_) || onsetHop <= 0) return false;
  for (int h = 0; h < startFrames_; ++h)
    if (opening_[static_cast<std::size_t>(h)] <= startThreshold) return false;
  std::int64_t lastLoud = 0;
  for (std::int64_t h = 1; h < onsetHop && h < static_cast<std::int64_t>(opening_.size()); ++h)
    if (opening_[static_cast<std::size_t>(h)] > endThreshold) {
      if (h - lastLoud > hangoverHops_) break;
      lastLoud = h;
    }
  return lastLoud + 1 >= minWordHops_ && onsetHop - lastLoud - 1 < hangoverHops_;
}

// The opening: every hop's energy from the first, while no word has started, up to maxWord
// (a stream's end within it may find a word the floor hid: closeOpeningAtTheEnd).
void Endpointer::recordOpening(std::int64_t hop, double energyDb) {
  if (hop >= maxWordHops_) {
    openingOpen_ = false;
    opening_.clear();
    return;
  }
  opening_.push_back(energyDb);
}

void Endpointer::processHop(double energyDb, std::vector<SpeechSegment>& out) {
  energyDb = std::max(energyDb, kSilenceDb);
  const std::int64_t t = hopIndex_++;
  history_.push_back(energyDb);
  const std::size_t historyLimit = static_cast<std::size_t>(maxBacktrackHops_ + startFrames_ + 1);
  while (history_.size() > historyLimit) history_.pop_front();
  auto energyAt = [&](std::int64_t hop) {  // hop must be within the history
    return history_[history_.size() - 1 - static_cast<std::size_t>(t - hop)];
  };
  if (!floorInitialised_) updateFloor(energyDb);
  if (openingOpen_) recordOpening(t, energyDb);

  const double startThreshold = std::max(floorDb_ + options_.startMarginDb, options_.minSpeechDb);
  const double endThreshold =
      std::max(floorDb_ + options_.endMarginDb,
               options_.minSpeechDb - (options_.startMarginDb - options_.endMarginDb));

  switch (state_) {
    case State::Silence:
    case State::Candidate: {
      if (energyDb <= startThreshold) {
        state_ = State::Silence;
        candidateCount_ = 0;
        updateFloor(energyDb);
        break;
      }
      if (state_ == State::Silence) {
        state_ = State::Candidate;
        candidateHop_ = t;
        candidateCount_ = 0;
      }
      if (++candidateCount_ < startFrames_) break;
      // A word: look back for its quiet onset, then keep a pre-roll.
      std::int64_t onsetHop = candidateHop_;
      const std::int64_t oldest = std::max<std::int64_t>(
          {std::int64_t(0), candidateHop_ - maxBacktrackHops_, t - std::int64_t(history_.size()) + 1});
      while (onsetHop - 1 >= oldest && energyAt(onsetHop - 1) > endThreshold &&
             (onsetHop - 1) * hop_ >= previousEndSample_)
        --onsetHop;
      onsetSample_ = std::max<std::int64_t>(
          {(onsetHop - preRollHops_) * hop_, previousEndSample_, std::int64_t(0)});
      wordStartHop_ = candidateHop_;
      lastLoudHop_ = t;
      state_ = State::Speech;
      if (openingOpen_ && beganInsideThisWord(onsetHop, startThreshold, endThreshold)) {
        onsetSample_ = 0;
        wordStartHop_ = 0;
      }
      openingOpen_ = false;
      opening_.clear();
      break;
    }
    case State::Speech: {
      if (energyDb > endThreshold) lastLoudHop_ = t;
      if (t - lastLoudHop_ >= hangoverHops_) {
        closeWord(lastLoudHop_, out);
        state_ = State::Silence;
        candidateCount_ = 0;
      } else if (t - wordStartHop_ + 1 >= maxWordHops_) {
        closeWord(t, out);
        state_ = State::Silence;
        candidateCount_ = 0;
        // A "word" this long is more likely a step up in background noise: let the floor
        // jump to the quietest recent hop so the noise does not keep triggering.
        double quietest = energyDb;
        for (double e : history_) quietest = std::min(quietest, e);
        floorDb_ = std::max(floorDb_, quietest);
      }
      break;
    }
  }
}

void Endpointer::closeWord(std::int64_t lastLoudHop, std::vector<SpeechSegment>& out) {
  if (lastLoudHop - wordStartHop_ + 1 < minWordHops_) return;  // a click
  SpeechSegment segment;
  segment.startSample = onsetSample_;
  segment.endSample = std::min(total_, (lastLoudHop + 1 + postRollHops_) * hop_);
  segment.decidedSample = total_;
  previousEndSample_ = segment.endSample;
  out.push_back(segment);
}

std::vector<SpeechSegment> findSpeechSegments(const float* samples, std::size_t numSamples,
                                              double sampleRate,
                                              const EndpointerOptions& options) {
  Endpointer endpointer(sampleRate, options);
  std::vector<SpeechSegment> segments = endpointer.push(samples, numSamples);
  for (const SpeechSegment& s : endpointer.finish()) segments.push_back(s);
  return segments;
}

}  // namespace gmmhmm::features
