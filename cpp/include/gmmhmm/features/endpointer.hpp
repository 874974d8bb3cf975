#pragma once
// Endpointing: where a word starts and ends in a stream of audio.
//
// The signal is high-passed (one pole at highPassHz, so rumble and the low end of pink noise
// do not count as speech) and cut into non-overlapping hops of frameShift ms; each hop's
// energy in dB (full scale = samples of +-1) is compared with an adaptive noise floor:
//  - noise floor: follows the energy down at once and up slowly (time constant
//    floorRiseSeconds), and only while no word is open, so steady background noise of any
//    level becomes the floor within a second or two;
//  - start: startFrames consecutive hops above floor + startMarginDb (and above
//    minSpeechDb, so near-digital silence never triggers);
//  - onset: from the first of those hops, go back while hops stay above floor + endMarginDb
//    (quiet onsets such as /s/ or /f/), then a further preRoll ms;
//  - end: hangover ms of hops below floor + endMarginDb; the word ends postRoll ms after its
//    last loud hop;
//  - words whose loud part is shorter than minWord ms are dropped (clicks); a word longer
//    than maxWord ms is closed there (and a new one may start right after);
//  - a stream that begins inside a word (a file cut tight at the word) starts the floor at
//    the word's level, which hides the word; a stream shorter than maxWord ms that ends
//    without a word, but whose level moved by startMarginDb, holds words: its runs of hops
//    above the quietest + endMarginDb (split at hangover-long pauses, each minWord long and
//    started as a word starts); a word that starts after a dip shorter than the hangover in
//    a stream loud from its first hops begins at the stream's first sample.
// Positions are sample indices from the first sample pushed; segments are [start, end).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace gmmhmm::features {

struct EndpointerOptions {
  double frameShift = 10.0;       // ms per energy hop
  double highPassHz = 120.0;      // one-pole high-pass before the energy; 0 = off
  double startMarginDb = 8.0;     // above the noise floor to start a word
  double endMarginDb = 4.0;       // a word continues while above floor + this
  double minSpeechDb = -60.0;     // absolute level (dBFS) a word must exceed
  int startFrames = 3;            // consecutive hops above the start threshold
  double preRoll = 60.0;          // ms kept before the detected onset
  double postRoll = 60.0;         // ms kept after the last loud hop (<= hangover)
  double hangover = 250.0;        // ms of quiet that end a word
  double minWord = 100.0;         // ms; shorter bursts are ignored
  double maxWord = 2000.0;        // ms; longer words are cut
  double floorRiseSeconds = 1.5;  // time constant of the noise floor's upward drift
};

struct SpeechSegment {
  std::int64_t startSample = 0;  // first sample of the word (pre-roll included)
  std::int64_t endSample = 0;    // one past the last sample (post-roll included)
  // Samples heard when the word was closed (its end decided): a listener's decision delay is
  // decidedSample - endSample, whatever blocks the samples came in.
  std::int64_t decidedSample = 0;
};

class Endpointer {
 public:
  // Throws InvalidArgument for a bad sample rate or option (the message names it).
  explicit Endpointer(double sampleRate, const EndpointerOptions& options = EndpointerOptions());

  // Feeds samples (Web Audio scale); returns the words that ended within them.
  // Throws InvalidArgument on NaN/infinite samples (the state is left unchanged).
  std::vector<SpeechSegment> push(const float* samples, std::size_t numSamples);
  // End of the stream: closes an open word if it is long enough.
  std::vector<SpeechSegment> finish();
  void reset();

  // A word is being heard: open, and loud for minWord already, so that it will be reported
  // (a click, dropped when it ends, never is: a listener's speechstart always gets its
  // speechend).
  bool inSpeech() const { return state_ == State::Speech && lastLoudHop_ - wordStartHop_ + 1 >= minWordHops_; }
  // Start of the word being heard (valid while inSpeech()).
  std::int64_t currentStart() const { return onsetSample_; }
  double noiseFloorDb() const { return floorDb_; }
  std::int64_t samplesPushed() const { return total_; }
  int hopSize() const { return hop_; }
  // How far back from the latest sample pushed a segment reported later may still start
  // (longest word + onset search + pre-roll + hangover + the hop being filled): the audio a
  // caller must keep to cut the words out of a stream it does not store whole.
  std::int64_t lookbackSamples() const;
  const EndpointerOptions& options() const { return options_; }

 private:
  enum class State { Silence, Candidate, Speech };
  void processHop(double energyDb, std::vector<SpeechSegment>& out);
  void closeWord(std::int64_t endHop, std::vector<SpeechSegment>& out);
  void updateFloor(double energyDb);
  void recordOpening(std::int64_t hop, double energyDb);
  bool beganInsideThisWord(std::int64_t onsetHop, double startThreshold, double endThreshold) const;
  void closeOpeningAtTheEnd(std::vector<SpeechSegment>& out);

  EndpointerOptions options_;
  double sampleRate_;
  int hop_ = 0;
  int startFrames_ = 0, preRollHops_ = 0, postRollHops_ = 0, hangoverHops_ = 0;
  int minWordHops_ = 0, maxWordHops_ = 0, maxBacktrackHops_ = 0;
  double highPassCoeff_ = 0, floorRise_ = 0;

  State state_ = State::Silence;
  double floorDb_ = 0;
  bool floorInitialised_ = false;
  double hpPrevIn_ = 0, hpPrevOut_ = 0;
  double hopEnergy_ = 0;
  int hopFill_ = 0;
  std::int64_t hopIndex_ = 0;         // index of the hop being filled
  std::int64_t total_ = 0;
  std::int64_t candidateHop_ = 0;     // first hop above the start threshold
  int candidateCount_ = 0;
  std::int64_t onsetSample_ = 0;
  std::int64_t wordStartHop_ = 0;     // first loud hop of the open word
  std::int64_t lastLoudHop_ = 0;
  std::int64_t previousEndSample_ = 0;
  std::deque<double> history_;        // energies of the latest hops (for the onset search)
  std::vector<double> opening_;       // energies from the first hop, until a word starts or maxWord
  bool openingOpen_ = true;
};

// Every word in a whole buffer (a stream of one push + finish).
std::vector<SpeechSegment> findSpeechSegments(const float* samples, std::size_t numSamples,
                                              double sampleRate,
                                              const EndpointerOptions& options = EndpointerOptions());

}  // namespace gmmhmm::features
