#include "fit_messages.hpp"

#include <cmath>

#include "checks.hpp"

namespace gmmhmm::detail {

namespace {

// First value of every message: a tag that tells the two kinds (and their versions) apart.
constexpr double kSetupTag = 18001;
constexpr double kParametersTag = 18002;

// Reads a flat message front to back, checking that values remain and are what they claim.
class Reader {
 public:
  Reader(const std::vector<double>& values, const char* what) : values_(values), what_(what) {}

  double next() {
    require(at_ < values_.size(), what_, ": ends after ", values_.size(), " values, more were expected");
    return values_[at_++];
  }

  // An integer in [lo, hi].
  int integer(double lo, double hi, const char* name) {
    const double v = next();
    require(v >= lo && v <= hi && v == std::floor(v), what_, ": ", name, " is ", v, ", expected an integer in [", lo,
            ", ", hi, "]");
    return static_cast<int>(v);
  }

  // n finite values.
  void finite(double* out, Index n, const char* name) {
    for (Index i = 0; i < n; ++i) {
      out[i] = next();
      require(std::isfinite(out[i]), what_, ": ", name, "[", i, "] is ", out[i]);
    }
  }

  void end() const {
    require(at_ == values_.size(), what_, ": ", values_.size() - at_, " values too many");
  }

 private:
  const std::vector<double>& values_;
  const char* what_;
  size_t at_ = 0;
};

int typeCode(CovarianceType t) {
  switch (t) {
    case CovarianceType::Diag: return 0;
    case CovarianceType::Full: return 1;
    case CovarianceType::Spherical: return 2;
    case CovarianceType::Tied: return 3;
  }
  return 0;
}

const CovarianceType kTypes[] = {CovarianceType::Diag, CovarianceType::Full, CovarianceType::Spherical,
                                 CovarianceType::Tied};

}  // namespace

std::vector<double> encodeSetup(const ShareSetup& s) {
  std::vector<double> out = {kSetupTag, double(s.nStates), double(s.nFeatures), double(typeCode(s.type)),
                             double(s.endMask.size())};
  for (char e : s.endMask) out.push_back(e ? 1.0 : 0.0);
  out.push_back(double(s.scaling.shift.size()));
  out.insert(out.end(), s.scaling.shift.begin(), s.scaling.shift.end());
  out.insert(out.end(), s.scaling.inverseScale.begin(), s.scaling.inverseScale.end());
  return out;
}

ShareSetup decodeSetup(const std::vector<double>& values) {
  Reader r(values, "share set-up");
  require(r.next() == kSetupTag, "share set-up: not a set-up message of this version");
  ShareSetup s;
  s.nStates = r.integer(1, 10000, "nStates");
  s.nFeatures = r.integer(1, 100000, "nFeatures");
  s.type = kTypes[r.integer(0, 3, "covariance type")];
  const int ends = r.integer(0, s.nStates, "end mask size");
  require(ends == 0 || ends == s.nStates, "share set-up: the end mask has ", ends, " entries for ", s.nStates, " states");
  for (int i = 0; i < ends; ++i) s.endMask.push_back(static_cast<char>(r.integer(0, 1, "end mask")));
  const int scaled = r.integer(0, s.nFeatures, "scaling size");
  require(scaled == 0 || scaled == s.nFeatures, "share set-up: scaling of ", scaled, " features for ", s.nFeatures);
  s.scaling.shift.resize(scaled);
  s.scaling.inverseScale.resize(scaled);
  r.finite(s.scaling.shift.data(), scaled, "shift");
  r.finite(s.scaling.inverseScale.data(), scaled, "inverse scale");
  r.end();
  return s;
}

std::vector<double> encodeParameters(const Eigen::VectorXd& startprob, const RowMatrix& transmat,
                                     const MixtureParams& p) {
  std::vector<double> out = {kParametersTag, double(p.nMix)};
  const auto add = [&out](const auto& m) { out.insert(out.end(), m.data(), m.data() + m.size()); };
  add(startprob);
  add(transmat);
  add(p.weights);
  add(p.means);
  if (p.isFullType())
    for (const auto& c : p.fullCov) add(c);
  else
    add(p.var);
  return out;
}

IterationParameters decodeParameters(const std::vector<double>& values, const ShareSetup& s) {
  Reader r(values, "iteration parameters");
  require(r.next() == kParametersTag, "iteration parameters: not a parameters message of this version");
  IterationParameters out;
  const int N = s.nStates, D = s.nFeatures;
  MixtureParams& p = out.mixtures;
  p.nStates = N;
  p.nFeatures = D;
  p.type = s.type;
  p.nMix = r.integer(1, 4096, "nMix");
  const int K = p.nComponents();
  out.startprob.resize(N);
  r.finite(out.startprob.data(), N, "startprob");
  out.transmat.resize(N, N);
  r.finite(out.transmat.data(), Index(N) * N, "transmat");
  p.weights.resize(N, p.nMix);
  r.finite(p.weights.data(), K, "weights");
  p.means.resize(K, D);
  r.finite(p.means.data(), Index(K) * D, "means");
  if (p.isFullType()) {
    p.fullCov.assign(p.type == CovarianceType::Full ? K : N, Eigen::MatrixXd(D, D));
    for (auto& c : p.fullCov) r.finite(c.data(), Index(D) * D, "covariance");
  } else {
    p.var.resize(K, D);
    r.finite(p.var.data(), Index(K) * D, "variances");
  }
  r.end();
  return out;
}

}  // namespace gmmhmm::detail
