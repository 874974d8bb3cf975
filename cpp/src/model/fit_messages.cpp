#include "fit_messages.hpp"

#include <cmath>

#include "checks.hpp"

namespace gmmhmm::detail {

namespace {

// First value of every message: a tag that tells the two kinds (and their versions) apart.
constexpr double kSetupTag = 18001;
constexpr double kParametersTag = 18002;
constexpr double kInitialisationTag = 18003;
// The letters an initialisation may hold, one bit each in its message.
constexpr char kLetters[] = "stwmc";

// Reads a flat message front to back, checking that values remain and are what they claim.
class Reader {
 public:
  Reader(const std::vector<double>& values, const char* what) : values_(values), what_(what) {}

  double next() {
    require(at_ < values_.size(), what_, ": ends after ", values_.size(), " values, more were expected");
    return values_[at_++];
  }

  // An integer in [lo, hi].
  int integer(double lo, double hi, const char* name) { return static_cast<int>(whole(lo, hi, name)); }

  // A whole number in [lo, hi], as a double (beyond an int's range).
  double whole(double lo, double hi, const char* name) {
    const double v = next();
    require(v >= lo && v <= hi && v == std::floor(v), what_, ": ", name, " is ", v, ", expected an integer in [", lo,
            ", ", hi, "]");
    return v;
  }

  // n finite values.
  void finite(double* out, Index n, const char* name) {
    for (Index i = 0; i < n; ++i) {
      out[i] = next();
      require(std::isfinite(out[i]), what_, ": ", name, "[", i, "] is ", out[i]);
    }
  }

  // The next n values as a vector of their own (a message within this one).
  std::vector<double> block(size_t n) {
    require(n <= values_.size() - at_, what_, ": ends after ", values_.size(), " values, more were expected");
    std::vector<double> out(values_.begin() + static_cast<std::ptrdiff_t>(at_),
                            values_.begin() + static_cast<std::ptrdiff_t>(at_ + n));
    at_ += n;
    return out;
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
  out.push_back(double(s.origin.size()));
  out.insert(out.end(), s.origin.data(), s.origin.data() + s.origin.size());
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
  const int centred = r.integer(0, s.nFeatures, "origin size");
  require(centred == 0 || centred == s.nFeatures, "share set-up: an origin of ", centred, " features for ", s.nFeatures);
  s.origin.resize(centred);
  r.finite(s.origin.data(), centred, "origin");
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

std::vector<double> encodeInitialisation(const InitialisationJob& job) {
  double letters = 0;
  for (int i = 0; kLetters[i] != 0; ++i)
    if (job.letters.find(kLetters[i]) != std::string::npos) letters += double(1 << i);
  std::vector<double> out = {kInitialisationTag, job.segmental ? 1.0 : 0.0, letters,
                             double(job.seed >> 32), double(job.seed & 0xffffffffu), double(job.nInit)};
  const std::vector<double> setup = encodeSetup(job.setup);
  const std::vector<double> start = encodeParameters(job.start.startprob, job.start.transmat, job.start.mixtures);
  out.push_back(double(setup.size()));
  out.insert(out.end(), setup.begin(), setup.end());
  out.insert(out.end(), job.floors.data(), job.floors.data() + job.floors.size());
  out.push_back(double(start.size()));
  out.insert(out.end(), start.begin(), start.end());
  return out;
}

InitialisationJob decodeInitialisation(const std::vector<double>& values) {
  Reader r(values, "initialisation");
  require(r.next() == kInitialisationTag, "initialisation: not an initialisation message of this version");
  InitialisationJob job;
  job.segmental = r.integer(0, 1, "method") == 1;
  const int letters = r.integer(0, 31, "letters");
  for (int i = 0; kLetters[i] != 0; ++i)
    if (letters & (1 << i)) job.letters += kLetters[i];
  const double high = r.whole(0, 4294967295.0, "seed (high)");
  const double low = r.whole(0, 4294967295.0, "seed (low)");
  job.seed = (std::uint64_t(high) << 32) | std::uint64_t(low);
  job.nInit = r.integer(1, 1000, "nInit");
  job.setup = decodeSetup(r.block(size_t(r.whole(0, 4294967295.0, "set-up size"))));
  job.floors.resize(job.setup.nFeatures);
  r.finite(job.floors.data(), job.setup.nFeatures, "floors");
  job.start = decodeParameters(r.block(size_t(r.whole(0, 4294967295.0, "parameters size"))), job.setup);
  r.end();
  return job;
}

}  // namespace gmmhmm::detail
