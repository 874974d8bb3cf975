#include "noise_edges.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace gmmhmm::recognizer::detail {

namespace {

constexpr double kImpossible = -std::numeric_limits<double>::infinity();

// The steady noise at each end of a recording, and the word between them.
class EdgeSegmenter {
 public:
  EdgeSegmenter(const RowMatrix& energies, const std::vector<double>& powerDb, double silenceDb, int estimateFrames,
                int straddleFrames, int loudNoiseFrames, const NoiseEdgeOptions& options)
      : E_(energies), power_(powerDb), silenceDb_(silenceDb), K_(estimateFrames), straddle_(straddleFrames),
        loudFrames_(loudNoiseFrames), options_(options), T_(static_cast<int>(energies.rows())),
        B_(static_cast<int>(energies.cols())) {
    peakDb_ = *std::max_element(power_.begin(), power_.end());
    logE_.resize(T_, B_);
    for (int t = 0; t < T_; ++t)
      for (int b = 0; b < B_; ++b) logE_(t, b) = 10.0 * std::log10(std::max(E_(t, b), 1e-300));
  }

  // Rounds: the noise at either end is cut, then the new ends are looked at afresh (digital
  // silence, then room noise, then the recording's own quieter hiss before the word).
  FrameRange sound() const {
    int lo = 0, hi = T_;
    // Where a split cut noise: how loud that noise was (dB), else NaN.
    double startNoiseDb = std::numeric_limits<double>::quiet_NaN(), endNoiseDb = startNoiseDb;
    // The frames whose windows reach across such an end into the noise hold some of it. If
    // the recording's own quiet lies just inside, they are louder than it, where in a tight
    // cut they would reach into the edge padding's silence and be as quiet: they would keep
    // that quiet in the word (the trim keeps everything up to its last loud frame). So when
    // the quietest frame within their reach is not the outermost and is clearly quieter than
    // the noise, the frames outside it go with the noise.
    const auto withoutStraddle = [&](int first, int last) {
      const auto quietest = [&](int from, int step, int limit) {
        int q = from;
        for (int k = 1; k <= straddle_ && from + step * k != limit; ++k)
          if (power_[from + step * k] < power_[q]) q = from + step * k;
        return q;
      };
      if (!std::isnan(startNoiseDb) && first < last) {
        const int q = quietest(first, +1, last);
        if (q != first && power_[q] < startNoiseDb - options_.belowPeakDb) first = q;
      }
      if (!std::isnan(endNoiseDb) && first < last) {
        const int q = quietest(last - 1, -1, first - 1);
        if (q != last - 1 && power_[q] < endNoiseDb - options_.belowPeakDb) last = q + 1;
      }
      return first < last ? FrameRange{first, last} : FrameRange{0, 0};
    };
    for (int round = 0; round < 8 && lo < hi; ++round) {
      Edge start = edge(lo, hi, +1, !std::isnan(startNoiseDb)), end = edge(lo, hi, -1, !std::isnan(endNoiseDb));
      // No noise at either end: the sound is what lies between the digital silence.
      if (!start.steady && !end.steady) {
        if (start.first > end.first) return {0, 0};
        if (start.first > lo) startNoiseDb = std::numeric_limits<double>::quiet_NaN();
        if (end.first + 1 < hi) endNoiseDb = std::numeric_limits<double>::quiet_NaN();
        return withoutStraddle(start.first, end.first + 1);
      }
      auto [a, b] = split(lo, hi, start, end);
      // A steady sound nearly as loud as the loudest frame at one end only is noise when it
      // lasts longer than a held vowel at a tight cut, holds no frame as loud as the loudest
      // (a word's vowel does) and then stops. The same steady sound at both ends, around
      // something else, is noise padding the recording even when as loud as the word.
      const bool twins = start.loud && end.loud && differenceDb(start.noise, end.noise) <= options_.twinNoiseDb;
      bool dropped = false;
      // (Durations from the first frame past digital silence: a word in any amount of it is cut alike.)
      if (twins && (b - a < minSound() || std::min(a - start.first, end.first + 1 - b) < loudFrames_)) {
        start.steady = end.steady = false;
        dropped = true;
      } else if (!twins) {
        if (start.loud && !loudNoiseEndsAt(start.first, a, +1, start)) start.steady = false, dropped = true;
        if (end.loud && !loudNoiseEndsAt(end.first, b - 1, -1, end)) end.steady = false, dropped = true;
      }
      if (dropped) std::tie(a, b) = split(lo, hi, start, end);
      // Fewer frames than a sound lasts between noises (a click and the windows that hold it) is no sound.
      if (b - a < minSound() && (start.steady || end.steady)) return {0, 0};
      if (a == lo && b == hi) break;
      if (a > lo) startNoiseDb = start.steady && a > start.first ? levelDb(start.noise) : std::numeric_limits<double>::quiet_NaN();
      if (b < hi) endNoiseDb = end.steady && b < end.first + 1 ? levelDb(end.noise) : std::numeric_limits<double>::quiet_NaN();
      lo = a;
      hi = b;
    }
    return withoutStraddle(lo, hi);
  }

 private:
  struct Edge {
    int first = 0;           // the first frame past digital silence (from this end)
    bool steady = false;     // steady noise there
    bool loud = false;       // ... nearly as loud as the loudest frame
    Eigen::RowVectorXd noise;  // its mean band energies
    double cost = 0;         // unlikeness a frame of it may have (see split())
  };

  int minSound() const { return straddle_ + options_.confirmFrames; }

  // The noise estimate at the end of [lo, hi) seen in direction `step`; afterCutNoise: that
  // end is where an earlier round cut noise.
  Edge edge(int lo, int hi, int step, bool afterCutNoise) const {
    Edge e;
    int t = step > 0 ? lo : hi - 1;
    while (t >= lo && t < hi && power_[t] < silenceDb_) t += step;
    e.first = t;
    // The first frames' windows may hold two sounds (after silence, after noise that stopped,
    // at the recording's own edge): the estimate starts past them. After digital silence and
    // at the recording's edge they are known (straddle_ frames); where an earlier round cut
    // noise, the split may fall a frame or two either side of the change, and the estimate
    // starts at the first offset that is steady, so that a word cut tight and the same word
    // after noise are looked at from the same frame. (Not after silence: a word's onset, the
    // /n/ of "no", is steady for 80 ms a frame into it.)
    const bool rightAfterNoise = afterCutNoise && t == (step > 0 ? lo : hi - 1);
    int start = t, steadiness = 0;
    for (int offset = rightAfterNoise ? 0 : straddle_; offset <= straddle_ && steadiness == 0; ++offset) {
      start = t + offset * step;
      const int last = start + step * (K_ - 1);
      if (start < lo || start >= hi || last < lo || last >= hi) return e;
      steadiness = steady(start, step);
    }
    if (steadiness == 0) return e;
    e.steady = true;
    e.loud = steadiness == 2;
    e.noise = Eigen::RowVectorXd::Zero(B_);
    for (int i = 0; i < K_; ++i) e.noise += E_.row(start + step * i);
    e.noise /= K_;
    // How unlike its own mean the noise's frames are sets how unlike a frame may be and still
    // be that noise: narrow bands and short windows make some noises look rougher than others.
    double own = 0;
    for (int i = 0; i < K_; ++i) own += unlikeness(start + step * i, e.noise);
    e.cost = std::max(options_.minCost, options_.costFactor * own / K_);
    return e;
  }

  // 0: not steady; 1: steady noise clearly below the loudest frame; 2: steady, nearly as loud.
  int steady(int start, int step) const {
    double spread = 0, loudest = -1e300;
    for (int b = 0; b < B_; ++b) {
      double lo = 1e300, hi = -1e300;
      for (int i = 0; i < K_; ++i) {
        const double x = logE_(start + step * i, b);
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
      spread += hi - lo;
    }
    for (int i = 0; i < K_; ++i) loudest = std::max(loudest, power_[start + step * i]);
    const int third = std::max(1, K_ / 3);
    double early = 0, late = 0;
    for (int i = 0; i < third; ++i) {
      early += power_[start + step * i];
      late += power_[start + step * (K_ - 1 - i)];
    }
    if (spread / B_ > options_.maxSpreadDb || std::abs(late - early) / third > options_.maxTrendDb) return 0;
    return loudest <= peakDb_ - options_.belowPeakDb ? 1 : 2;
  }

  // Mean over bands of g - ln g - 1, g = energy / noise: the log-likelihood ratio of "a sound
  // of its own" against "that noise" for exponentially distributed band energies, counting
  // bands louder and quieter than the noise alike (a word's decay is quieter than pink noise
  // in most bands, and is not that noise).
  double unlikeness(int t, const Eigen::RowVectorXd& noise) const {
    double s = 0;
    for (int b = 0; b < B_; ++b) {
      const double g = std::max(E_(t, b), 1e-300) / std::max(noise[b], 1e-300);
      s += g - std::log(g) - 1;
    }
    return s / B_;
  }

  // The word [a, b) inside [lo, hi): the split that maximises, over the frames given to each
  // end's noise, the sum of (cost - unlikeness). Noise-like frames add, unlike frames take
  // away, so a steady stretch inside the word (a nasal, a held fricative) is not taken for
  // noise as long as it is unlike the noise, and one rough noise frame does not end it.
  // Digital silence and the frames whose windows straddle the edge count as noise.
  std::pair<int, int> split(int lo, int hi, const Edge& start, const Edge& end) const {
    const int n = hi - lo;
    std::vector<double> before(n + 1, kImpossible), after(n + 1, kImpossible);
    if (!start.steady) {
      before[start.first - lo] = 0;
    } else {
      before[0] = 0;
      for (int p = 1; p <= n; ++p) {
        const int t = lo + p - 1;
        const bool edgeFrame = t < start.first + straddle_ || power_[t] < silenceDb_;
        before[p] = before[p - 1] + (edgeFrame ? 0.0 : start.cost - unlikeness(t, start.noise));
      }
    }
    if (!end.steady) {
      after[end.first + 1 - lo] = 0;
    } else {
      after[n] = 0;
      for (int q = n - 1; q >= 0; --q) {
        const int t = lo + q;
        const bool edgeFrame = t > end.first - straddle_ || power_[t] < silenceDb_;
        after[q] = after[q + 1] + (edgeFrame ? 0.0 : end.cost - unlikeness(t, end.noise));
      }
    }
    double best = kImpossible, bestBefore = kImpossible;
    int a = n, b = n, bestA = 0;  // nothing but silence: no word
    for (int q = 0; q <= n; ++q) {
      if (before[q] > bestBefore) {
        bestBefore = before[q];
        bestA = q;
      }
      if (bestBefore > kImpossible && after[q] > kImpossible && bestBefore + after[q] > best) {
        best = bestBefore + after[q];
        a = bestA;
        b = q;
      }
    }
    return {lo + a, lo + b};
  }

  static double levelDb(const Eigen::RowVectorXd& noise) { return 10.0 * std::log10(std::max(noise.mean(), 1e-300)); }

  // Mean absolute difference of two noises' band energies, in dB.
  double differenceDb(const Eigen::RowVectorXd& x, const Eigen::RowVectorXd& y) const {
    double d = 0;
    for (int b = 0; b < B_; ++b) d += std::abs(10.0 * std::log10(std::max(x[b], 1e-300) / std::max(y[b], 1e-300)));
    return d / B_;
  }

  // A loud steady sound from `from` to `boundary` (exclusive, in direction `step`) is noise
  // if it lasts, holds no frame within peakToleranceDb of the loudest, and is followed
  // within confirmFrames by a frame clearly quieter than it (the noise stopped; a long /f/
  // gives way to a vowel louder than it).
  bool loudNoiseEndsAt(int from, int boundary, int step, const Edge& e) const {
    if (std::abs(boundary - from) < loudFrames_) return false;
    for (int t = std::min(from, boundary - step); t <= std::max(from, boundary - step); ++t)
      if (t >= 0 && t < T_ && power_[t] > peakDb_ - options_.peakToleranceDb) return false;
    const double noiseDb = levelDb(e.noise);
    for (int i = 0; i < options_.confirmFrames; ++i) {
      const int u = boundary + step * i;
      if (u >= 0 && u < T_ && power_[u] <= noiseDb - options_.belowPeakDb) return true;
    }
    return false;
  }

  const RowMatrix& E_;
  const std::vector<double>& power_;
  double silenceDb_;
  int K_, straddle_, loudFrames_;
  NoiseEdgeOptions options_;
  int T_, B_;
  double peakDb_ = 0;
  RowMatrix logE_;
};

}  // namespace

FrameRange soundBetweenNoise(const RowMatrix& bandEnergies, const std::vector<double>& powerDb, double silenceDb,
                             double frameShiftMs, int straddleFrames, const NoiseEdgeOptions& options) {
  const auto T = static_cast<std::ptrdiff_t>(bandEnergies.rows());
  if (T == 0 || bandEnergies.cols() == 0) return {0, T};
  const int estimateFrames = std::max(3, static_cast<int>(std::lround(options.estimateMs / frameShiftMs)));
  const int loudNoiseFrames = static_cast<int>(std::lround(options.loudNoiseMs / frameShiftMs));
  const EdgeSegmenter segmenter(bandEnergies, powerDb, silenceDb, estimateFrames, straddleFrames, loudNoiseFrames,
                                options);
  return segmenter.sound();
}

}  // namespace gmmhmm::recognizer::detail
