#include "noise_edges.hpp"

#include <algorithm>
#include <cmath>

namespace gmmhmm::recognizer::detail {

namespace {

class EdgeScanner {
 public:
  EdgeScanner(const RowMatrix& energies, const std::vector<double>& powerDb, double silenceDb, int estimateFrames,
              int straddleFrames, int loudNoiseFrames, const NoiseEdgeOptions& options)
      : E_(energies), power_(powerDb), silenceDb_(silenceDb), K_(estimateFrames), straddle_(straddleFrames),
        loudFrames_(loudNoiseFrames),
        options_(options), T_(static_cast<int>(energies.rows())), B_(static_cast<int>(energies.cols())) {
    peakDb_ = *std::max_element(power_.begin(), power_.end());
    logE_.resize(T_, B_);
    for (int t = 0; t < T_; ++t)
      for (int b = 0; b < B_; ++b) logE_(t, b) = 10.0 * std::log10(std::max(E_(t, b), 1e-300));
  }

  // The first frame of sound seen from `edge` going in direction `step` (+1 or -1); T (or
  // -1) when noise and silence fill everything.
  int firstSound(int edge, int step) const {
    int pos = edge;
    bool noiseEnded = false;
    for (int round = 0; round < 8 && inside(pos); ++round) {
      int t = pos;
      while (inside(t) && power_[t] < silenceDb_) t += step;  // digital silence
      // After silence, after noise that stopped, and at the recording's own edge, the first
      // frames' windows hold two sounds: the estimate starts after them.
      const int start = t + (round == 0 || t != pos || noiseEnded ? straddle_ : 0) * step;
      if (!inside(start) || !inside(start + step * (K_ - 1))) return t;
      const Steady steady = steadyNoise(start, step);
      if (steady == Steady::No) return t;
      const Eigen::RowVectorXd noise = meanEnergy(start, step);
      int u = start;
      noiseEnded = false;
      while (inside(u) && !soundStartsAt(u, step, noise) && !(noiseEnded = noiseEndsAt(u, step, noise))) u += step;
      // A steady sound almost as loud as the loudest frame is noise only if it lasts longer
      // than a held vowel at a tight cut does, holds no frame as loud as the loudest (a
      // word's vowel does) and then stops (noise under the word goes on).
      if (steady == Steady::Loud && (std::abs(u - start) < loudFrames_ || holdsPeak(start, u) || !noiseEnded ||
                                     !quieterFrom(u, step, noise)))
        return t;
      if (u == pos) return u;
      pos = u;
    }
    return pos;
  }

  int frames() const { return T_; }

 private:
  bool inside(int t) const { return t >= 0 && t < T_; }

  enum class Steady { No, Yes, Loud };

  Steady steadyNoise(int start, int step) const {
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
    if (spread / B_ > options_.maxSpreadDb || std::abs(late - early) / third > options_.maxTrendDb) return Steady::No;
    return loudest <= peakDb_ - options_.belowPeakDb ? Steady::Yes : Steady::Loud;
  }

  Eigen::RowVectorXd meanEnergy(int start, int step) const {
    Eigen::RowVectorXd m = Eigen::RowVectorXd::Zero(B_);
    for (int i = 0; i < K_; ++i) m += E_.row(start + step * i);
    return m / K_;
  }

  // Mean over bands of g - ln g - 1 for the bands above the noise (g = energy / noise):
  // the log-likelihood ratio of "noise plus something" against "noise" for exponentially
  // distributed band energies, counting only increases.
  double departure(int t, const Eigen::RowVectorXd& noise) const {
    double s = 0;
    for (int b = 0; b < B_; ++b) {
      const double g = E_(t, b) / std::max(noise[b], 1e-300);
      if (g > 1) s += g - std::log(g) - 1;
    }
    return s / B_;
  }

  // Frames far quieter than the noise are not that noise with nothing added: the noise
  // stopped (a recording padded with noise, a fan switched off). What follows is searched
  // afresh, as after digital silence, rather than taken for more of the same noise (which
  // would let everything up to the first frame louder than the noise, the quiet onset or
  // decay of the word included, count as noise). The measure mirrors departure(): the same
  // likelihood ratio over the bands below the noise.
  double drop(int t, const Eigen::RowVectorXd& noise) const {
    double s = 0;
    for (int b = 0; b < B_; ++b) {
      const double g = E_(t, b) / std::max(noise[b], 1e-300);
      if (g < 1) s += g - std::log(g) - 1;
    }
    return s / B_;
  }

  bool holdsPeak(int from, int to) const {
    for (int t = std::min(from, to); t <= std::max(from, to); ++t)
      if (inside(t) && power_[t] > peakDb_ - options_.peakToleranceDb) return true;
    return false;
  }

  // Clearly quieter than the noise in power: the noise stopped, rather than changed into the
  // next part of a word (a long /f/ gives way to a vowel that is quieter in the high bands
  // but louder in all).
  bool quieterFrom(int t, int step, const Eigen::RowVectorXd& noise) const {
    const double noiseDb = 10.0 * std::log10(std::max(noise.mean(), 1e-300));
    for (int i = 0; i < options_.confirmFrames; ++i) {
      const int u = t + step * i;
      if (!inside(u) || power_[u] > noiseDb - options_.belowPeakDb) return false;
    }
    return true;
  }

  bool noiseEndsAt(int t, int step, const Eigen::RowVectorXd& noise) const {
    for (int i = 0; i < options_.confirmFrames; ++i) {
      const int u = t + step * i;
      if (!inside(u) || drop(u, noise) + departure(u, noise) < options_.ended) return false;
    }
    return true;
  }

  bool soundStartsAt(int t, int step, const Eigen::RowVectorXd& noise) const {
    for (int i = 0; i < options_.confirmFrames; ++i) {
      const int u = t + step * i;
      if (inside(u) && departure(u, noise) < options_.departure) return false;
    }
    return true;
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
  const EdgeScanner scan(bandEnergies, powerDb, silenceDb, estimateFrames, straddleFrames, loudNoiseFrames, options);
  const int first = scan.firstSound(0, +1);
  if (first >= scan.frames()) return {0, 0};
  const int last = scan.firstSound(scan.frames() - 1, -1);
  if (last < first) return {0, 0};
  return {first, last + 1};
}

}  // namespace gmmhmm::recognizer::detail
