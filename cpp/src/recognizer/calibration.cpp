#include "gmmhmm/recognizer/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gmmhmm::recognizer {

std::vector<double> softmaxProbabilities(const std::vector<double>& scores, double scale) {
  std::vector<double> p(scores.size(), 0.0);
  if (scores.empty()) return p;
  double top = -std::numeric_limits<double>::infinity();
  for (double s : scores) top = std::max(top, s);
  if (!std::isfinite(top)) {
    std::fill(p.begin(), p.end(), 1.0 / static_cast<double>(p.size()));
    return p;
  }
  double sum = 0;
  for (std::size_t k = 0; k < scores.size(); ++k) {
    p[k] = std::isfinite(scores[k]) ? std::exp(scale * (scores[k] - top)) : 0.0;
    sum += p[k];
  }
  for (double& v : p) v /= sum;
  return p;
}

namespace {

// Cross-entropy of softmax(scale · scores) against Platt's smoothed targets.
double plattLoss(const std::vector<CalibrationSample>& samples, double scale, double targetTrue) {
  double loss = 0;
  for (const auto& s : samples) {
    const std::vector<double> p = softmaxProbabilities(s.perFrameScores, scale);
    const double others = (1.0 - targetTrue) / static_cast<double>(p.size() - 1);
    for (std::size_t k = 0; k < p.size(); ++k) {
      const double target = static_cast<int>(k) == s.truth ? targetTrue : others;
      loss -= target * std::log(std::max(p[k], 1e-300));
    }
  }
  return loss / static_cast<double>(samples.size());
}

}  // namespace

CalibrationFit fitSoftmaxScale(const std::vector<CalibrationSample>& samples, double fallback) {
  CalibrationFit fit;
  fit.scale = fallback;
  if (samples.empty() || samples.front().perFrameScores.size() < 2) return fit;
  const double n = static_cast<double>(samples.size());
  const double targetTrue = (n + 1.0) / (n + 2.0);
  // The loss is smooth and (for these one-parameter families) unimodal in log(scale).
  double lo = std::log(1e-3), hi = std::log(1e3);
  const double golden = (std::sqrt(5.0) - 1.0) / 2.0;
  double a = hi - golden * (hi - lo), b = lo + golden * (hi - lo);
  double fa = plattLoss(samples, std::exp(a), targetTrue), fb = plattLoss(samples, std::exp(b), targetTrue);
  for (int it = 0; it < 60; ++it) {
    if (fa < fb) {
      hi = b; b = a; fb = fa;
      a = hi - golden * (hi - lo);
      fa = plattLoss(samples, std::exp(a), targetTrue);
    } else {
      lo = a; a = b; fa = fb;
      b = lo + golden * (hi - lo);
      fb = plattLoss(samples, std::exp(b), targetTrue);
    }
  }
  fit.scale = std::exp(0.5 * (lo + hi));
  fit.samples = static_cast<int>(samples.size());
  int correct = 0;
  double logLoss = 0;
  for (const auto& s : samples) {
    const auto p = softmaxProbabilities(s.perFrameScores, fit.scale);
    const auto best = std::max_element(s.perFrameScores.begin(), s.perFrameScores.end()) - s.perFrameScores.begin();
    correct += best == s.truth;
    logLoss -= std::log(std::max(p[static_cast<std::size_t>(s.truth)], 1e-300));
  }
  fit.heldOutAccuracy = correct / n;
  fit.heldOutLogLoss = logLoss / n;
  return fit;
}

}  // namespace gmmhmm::recognizer
