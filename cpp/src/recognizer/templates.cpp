#include "gmmhmm/recognizer/templates.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "gmmhmm/errors.hpp"

namespace gmmhmm::recognizer {

double dtwDistance(const RowMatrix& a, const RowMatrix& b) {
  if (a.rows() < 1 || b.rows() < 1 || a.cols() != b.cols())
    throw InvalidArgument("dtwDistance: both sequences need at least one frame and the same width");
  const Eigen::Index n = a.rows();
  const Eigen::Index m = b.rows();
  // Frame distances from one product: |a_i - b_j|^2 = |a_i|^2 + |b_j|^2 - 2 a_i.b_j (a GEMM
  // instead of n * m short loops; clamped at 0 against rounding).
  const Eigen::VectorXd aa = a.rowwise().squaredNorm();
  const Eigen::RowVectorXd bb = b.rowwise().squaredNorm().transpose();
  Eigen::MatrixXd d = -2.0 * (a * b.transpose());
  d.colwise() += aa;
  d.rowwise() += bb;
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> previous(static_cast<std::size_t>(m) + 1, inf);
  std::vector<double> current(static_cast<std::size_t>(m) + 1, inf);
  previous[0] = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    current[0] = inf;
    for (Eigen::Index j = 0; j < m; ++j) {
      const double step = std::sqrt(std::max(0.0, d(i, j)));
      const auto J = static_cast<std::size_t>(j);
      current[J + 1] = std::min({previous[J + 1] + step, current[J] + step, previous[J] + 2 * step});
    }
    std::swap(previous, current);
  }
  return previous[static_cast<std::size_t>(m)] / static_cast<double>(n + m);
}

double nearestTemplateDistance(const RowMatrix& x, const std::vector<RowMatrix>& templates, std::ptrdiff_t skip) {
  double nearest = std::numeric_limits<double>::infinity();
  for (std::size_t t = 0; t < templates.size(); ++t)
    if (static_cast<std::ptrdiff_t>(t) != skip) nearest = std::min(nearest, dtwDistance(x, templates[t]));
  return nearest;
}

double templateSpread(const std::vector<RowMatrix>& templates) {
  if (templates.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (std::size_t t = 0; t < templates.size(); ++t)
    sum += nearestTemplateDistance(templates[t], templates, static_cast<std::ptrdiff_t>(t));
  return sum / static_cast<double>(templates.size());
}

TemplateEvidence templateEvidence(const std::vector<double>& distances, std::size_t best, double spread) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (best >= distances.size()) return {nan, nan};
  const double nearest = distances[best];
  if (!(nearest >= 0 && std::isfinite(nearest))) return {nan, nan};
  double other = std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < distances.size(); ++k)
    if (k != best && !std::isnan(distances[k])) other = std::min(other, distances[k]);
  // (0 / 0: NaN, never accepted)
  return {spread > 0 && std::isfinite(spread) ? nearest / spread : nan, other / nearest};
}

bool templatesAccept(const TemplateEvidence& evidence, double maxSpreads, double minMargin) {
  // NaN compares false: no evidence, no acceptance.
  return maxSpreads > 0 && evidence.spreads <= maxSpreads && evidence.margin >= minMargin;
}

double templateScore(double likelihoodRatio, const TemplateEvidence& evidence, double marginWeight, double spreadsWeight) {
  // Only with finite evidence: with one word (no other word: an infinite margin) or a
  // recording identical to a template (distance 0) the score would accept whatever it is.
  if (!(evidence.spreads > 0 && std::isfinite(evidence.spreads) && evidence.margin > 0 && std::isfinite(evidence.margin)) ||
      !std::isfinite(likelihoodRatio))
    return std::numeric_limits<double>::quiet_NaN();
  return likelihoodRatio + marginWeight * std::log(evidence.margin) - spreadsWeight * std::log(evidence.spreads);
}

namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string toBase64(const std::vector<std::uint8_t>& bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 16) |
                            (i + 1 < bytes.size() ? std::uint32_t{bytes[i + 1]} << 8 : 0) |
                            (i + 2 < bytes.size() ? std::uint32_t{bytes[i + 2]} : 0);
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kBase64[(v >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kBase64[v & 63] : '=';
  }
  return out;
}

[[noreturn]] void badTemplates(const std::string& why) {
  throw ModelFormatError("word model: \"templates\" " + why);
}

std::vector<std::uint8_t> fromBase64(const std::string& text) {
  if (text.size() % 4 != 0) badTemplates("data is not base64 (its length is not a multiple of 4)");
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    const int pad = last ? (text[i + 3] == '=') + (text[i + 2] == '=' && text[i + 3] == '=') : 0;
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const int c = k >= 4 - pad ? 0 : value(text[i + static_cast<std::size_t>(k)]);
      if (c < 0) badTemplates("data is not base64 (character " + std::to_string(i + static_cast<std::size_t>(k)) + ")");
      v = (v << 6) | static_cast<std::uint32_t>(c);
    }
    out.push_back(static_cast<std::uint8_t>(v >> 16));
    if (pad < 2) out.push_back(static_cast<std::uint8_t>(v >> 8));
    if (pad < 1) out.push_back(static_cast<std::uint8_t>(v));
  }
  return out;
}

}  // namespace

nlohmann::json templatesToJson(const std::vector<RowMatrix>& templates) {
  const Eigen::Index columns = templates.empty() ? 0 : templates.front().cols();
  std::vector<double> scale(static_cast<std::size_t>(columns), 0.0);
  std::vector<Eigen::Index> frames;
  for (const auto& t : templates) {
    frames.push_back(t.rows());
    for (Eigen::Index c = 0; c < columns; ++c)
      scale[static_cast<std::size_t>(c)] = std::max(scale[static_cast<std::size_t>(c)], t.col(c).cwiseAbs().maxCoeff() / 32767.0);
  }
  std::vector<std::uint8_t> bytes;
  for (const auto& t : templates)
    for (Eigen::Index r = 0; r < t.rows(); ++r)
      for (Eigen::Index c = 0; c < columns; ++c) {
        const double s = scale[static_cast<std::size_t>(c)];
        const auto q = static_cast<std::int16_t>(s > 0 ? std::lround(t(r, c) / s) : 0);
        const auto u = static_cast<std::uint16_t>(q);
        bytes.push_back(static_cast<std::uint8_t>(u & 0xff));
        bytes.push_back(static_cast<std::uint8_t>(u >> 8));
      }
  return {{"frames", frames}, {"scale", scale}, {"data", toBase64(bytes)}};
}

std::vector<RowMatrix> templatesFromJson(const nlohmann::json& j, std::ptrdiff_t columns) {
  if (!j.is_object()) badTemplates("must be an object {frames, scale, data}");
  const auto frames = j.find("frames");
  const auto scale = j.find("scale");
  const auto data = j.find("data");
  if (frames == j.end() || !frames->is_array() || scale == j.end() || !scale->is_array() || data == j.end() ||
      !data->is_string())
    badTemplates("must have \"frames\" (array), \"scale\" (array) and \"data\" (string)");
  if (static_cast<std::ptrdiff_t>(scale->size()) != columns)
    badTemplates("\"scale\" has " + std::to_string(scale->size()) + " numbers; the model has " +
                 std::to_string(columns) + " features");
  std::vector<double> s;
  for (const auto& v : *scale) {
    // Features are cepstra of order 10-100; 1e100 / 32767 keeps every square finite.
    if (!v.is_number() || !(v.get<double>() >= 0 && v.get<double>() <= 1e100 / 32767))
      badTemplates("\"scale\" must hold numbers in [0, 1e100 / 32767]");
    s.push_back(v.get<double>());
  }
  if (columns < 1) badTemplates("need a model with at least one feature");
  const std::vector<std::uint8_t> bytes = fromBase64(data->get<std::string>());
  // In 64 bits and against the data's own size as it goes: a frame count must never wrap
  // round (size_t is 32 bits in wasm) nor ask for memory the data does not fill.
  const std::uint64_t bytesPerFrame = 2 * static_cast<std::uint64_t>(columns);
  std::uint64_t total = 0;
  for (const auto& v : *frames) {
    if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 1000000)
      badTemplates("\"frames\" must hold integers in [1, 1e6]");
    total += static_cast<std::uint64_t>(v.get<long long>());
    if (total * bytesPerFrame > bytes.size()) break;
  }
  if (total * bytesPerFrame != bytes.size())
    badTemplates("data holds " + std::to_string(bytes.size()) + " bytes; frames x features x 2 is " +
                 (total * bytesPerFrame > bytes.size() ? std::string("more") : std::to_string(total * bytesPerFrame)));
  std::vector<RowMatrix> out;
  std::size_t at = 0;
  for (const auto& v : *frames) {
    RowMatrix t(v.get<long long>(), columns);
    for (Eigen::Index r = 0; r < t.rows(); ++r)
      for (Eigen::Index c = 0; c < columns; ++c, at += 2) {
        const auto u = static_cast<std::uint16_t>(bytes[at] | (bytes[at + 1] << 8));
        t(r, c) = static_cast<std::int16_t>(u) * s[static_cast<std::size_t>(c)];
      }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace gmmhmm::recognizer
