// CategoricalHmm: options, parameters and model files; the training and inference are the
// shared Hmm's.
#include "gmmhmm/families/categorical_hmm.hpp"

#include <cmath>
#include <limits>
#include <memory>

#include <nlohmann/json.hpp>

#include "../limits/json_file.hpp"
#include "../model/checks.hpp"
#include "../recognizer/json_fields.hpp"
#include "categorical_emissions.hpp"

namespace gmmhmm {

using json = nlohmann::json;
using detail::CategoricalEmissions;

namespace {

constexpr const char* kFormat = "gmmhmm-categorical-hmm";
constexpr int kFormatVersion = 1;

CategoricalEmissions& family(Hmm& hmm) { return static_cast<CategoricalEmissions&>(hmm.emissions()); }
const CategoricalEmissions& family(const Hmm& hmm) { return static_cast<const CategoricalEmissions&>(hmm.emissions()); }

void validate(const CategoricalOptions& o) {
  validateChainOptions(o, "e");
  checkRanges(o, "");  // emissionprobPrior (the chain's were checked above)
}

const CategoricalSizes& checkedSizes(const CategoricalSizes& sizes) {
  checkRanges(sizes, "");
  return sizes;
}

[[noreturn]] void bad(const std::string& message) { throw ModelFormatError("CategoricalHMM JSON: " + message); }

// A member by gmmhmm's name or hmmlearn's (startprob_, n_features ...).
const json* find(const json& obj, const char* name, const char* hmmlearnName = nullptr) {
  auto it = obj.find(name);
  if (it != obj.end() && !it->is_null()) return &*it;
  it = obj.find(std::string(name) + "_");
  if (it != obj.end() && !it->is_null()) return &*it;
  if (hmmlearnName) {
    it = obj.find(hmmlearnName);
    if (it != obj.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

// A non-negative integer size member.
int sizeField(const json& obj, const char* name, const char* hmmlearnName, int fallback) {
  const json* v = find(obj, name, hmmlearnName);
  if (!v) return fallback;
  if (!v->is_number_integer() || v->get<std::int64_t>() < 0 || v->get<std::int64_t>() > 10000000)
    bad(detail::concat("'", name, "' must be an integer in [0, 10000000]"));
  return static_cast<int>(v->get<std::int64_t>());
}

// A numeric array of exactly `shape` (1 or 2 dimensions), flattened.
std::vector<double> flat(const json& v, const char* name, long rows, long cols) {
  std::vector<double> out;
  auto number = [&](const json& x, const std::string& path) {
    if (!x.is_number()) bad(path + " must be a number");
    const double d = x.get<double>();
    if (!std::isfinite(d)) bad(path + " is not finite");
    out.push_back(d);
  };
  if (!v.is_array() || static_cast<long>(v.size()) != rows) bad(detail::concat(name, " must be an array of length ", rows));
  for (long r = 0; r < rows; ++r) {
    const std::string path = detail::concat(name, "[", r, "]");
    if (cols < 0) {
      number(v[r], path);
      continue;
    }
    const json& row = v[r];
    if (!row.is_array() || static_cast<long>(row.size()) != cols) bad(detail::concat(path, " must be an array of length ", cols));
    for (long c = 0; c < cols; ++c) number(row[c], detail::concat(path, "[", c, "]"));
  }
  return out;
}

json nested(const std::vector<double>& v, long rows, long cols) {
  json out = json::array();
  for (long r = 0; r < rows; ++r) out.push_back(std::vector<double>(v.begin() + r * cols, v.begin() + (r + 1) * cols));
  return out;
}

std::shared_ptr<const detail::JsonMembers> fileMembers();

}  // namespace

CategoricalHmm::CategoricalHmm(const CategoricalSizes& sizes, const CategoricalOptions& options)
    : options_((validate(options), options)),
      hmm_(checkedSizes(sizes).nStates, std::make_unique<CategoricalEmissions>(sizes.nStates, sizes.nFeatures)) {
  family(hmm_).prior = options.emissionprobPrior;
}

int CategoricalHmm::nFeatures() const { return family(hmm_).nFeatures(); }

void CategoricalHmm::setOptions(const CategoricalOptions& options) {
  validate(options);
  options_ = options;
  family(hmm_).prior = options.emissionprobPrior;
}

const Monitor& CategoricalHmm::fit(const SequenceSet& X, const IterationCallback& onIteration) {
  family(hmm_).prior = options_.emissionprobPrior;
  return hmm_.fit(X, options_, onIteration);
}

std::vector<double> CategoricalHmm::emissionprob() const {
  const CategoricalEmissions& e = family(hmm_);
  if (!e.ready()) throw NotFitted("emissionprob: not set yet; call fit() or set it first");
  const RowMatrix& p = e.emissionprob();
  return std::vector<double>(p.data(), p.data() + p.size());
}

void CategoricalHmm::setEmissionprob(const std::vector<double>& values) { family(hmm_).setEmissionprob(values); }

std::string CategoricalHmm::toJson() const {
  const long N = nStates(), M = nFeatures();
  json j;
  j["format"] = kFormat;
  j["version"] = kFormatVersion;
  j["nStates"] = N;
  j["nFeatures"] = M;
  j["fitted"] = isReady();
  if (isReady()) {
    j["startprob"] = startprob();
    j["transmat"] = nested(transmat(), N, N);
    hmm_.emissions().writeParameters(j);
  }
  json t = json::object();
  forEachOption(options_, [&t](const OptionInfo& info, const auto& value) {
    using T = std::decay_t<decltype(value)>;
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isinf(value) && value < 0) t[info.name] = "-Infinity";  // tol: JSON has no infinities
      else t[info.name] = value;
    } else {
      t[info.name] = value;
    }
  });
  j["training"] = t;
  const Monitor& m = monitor();
  j["monitor"] = {{"history", m.history}, {"iterations", m.iterations}, {"converged", m.converged}};
  return j.dump();
}

namespace {

std::shared_ptr<const detail::JsonMembers> fileMembers() {
  // What toJson writes (a fitted model writes every member), under gmmhmm's names and
  // hmmlearn's (startprob_ ..., n_features, n_components).
  static const auto members = [] {
    CategoricalHmm example(CategoricalSizes{1, 1});
    example.setStartprob({1.0});
    example.setTransmat({1.0});
    example.setEmissionprob({1.0});
    const auto written = detail::JsonMembers::of(json::parse(example.toJson()));
    auto all = std::make_shared<detail::JsonMembers>(*written);
    for (const auto& [name, value] : written->known) all->known.emplace(name + "_", value);
    all->known.emplace("n_features", nullptr);
    all->known.emplace("n_components", nullptr);
    return std::shared_ptr<const detail::JsonMembers>(all);
  }();
  return members;
}

}  // namespace

CategoricalHmm CategoricalHmm::fromJson(std::string_view text, const FileLimits& limits) {
  json j;
  try {
    j = detail::parseJsonFile(text, limits, *fileMembers(), "CategoricalHMM JSON");
  } catch (const json::exception& e) {
    bad(std::string("not valid JSON (") + e.what() + ")");
  }
  if (!j.is_object()) bad("the top level must be an object");
  if (const json* f = find(j, "format")) {
    if (!f->is_string() || f->get<std::string>() != kFormat)
      bad(detail::concat("'format' must be \"", kFormat, "\" (a GMMHMM file? load it with GMMHMM.fromJSON)"));
    const json* v = find(j, "version");
    if (!v || !v->is_number_integer() || v->get<long>() != kFormatVersion)
      bad("'version' must be 1 (the version this library reads)");
  }
  bool fitted = true;
  if (const json* f = find(j, "fitted")) {
    if (!f->is_boolean()) bad("'fitted' must be true or false");
    fitted = f->get<bool>();
  }
  const json* sp = find(j, "startprob");
  const json* ep = find(j, "emissionprob");
  const int inferredStates = sp && sp->is_array() ? static_cast<int>(sp->size())
                             : ep && ep->is_array() ? static_cast<int>(ep->size()) : 0;
  const int inferredSymbols = ep && ep->is_array() && !ep->empty() && (*ep)[0].is_array() ? static_cast<int>((*ep)[0].size()) : 0;
  CategoricalSizes sizes;
  sizes.nStates = sizeField(j, "nStates", "n_components", inferredStates);
  sizes.nFeatures = sizeField(j, "nFeatures", "n_features", inferredSymbols);
  if (sizes.nStates < 1) bad("nStates is missing (give \"nStates\" or a \"startprob\" array to infer it from)");
  CategoricalOptions options;
  if (const json* t = find(j, "training")) {
    if (!t->is_object()) bad("'training' must be an object");
    try {
      forEachOption(options, [t](const OptionInfo& info, auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_floating_point_v<T>) {
          const auto it = t->find(info.name);
          if (info.range.minusInfinity && it != t->end() && it->is_string()) {
            if (it->get<std::string>() != "-Infinity") bad(detail::concat("'", info.name, "' must be a number or \"-Infinity\""));
            value = -std::numeric_limits<double>::infinity();
            return;
          }
        }
        recognizer::detail::read(*t, info.name, value, "training");
      });
    } catch (const InvalidArgument& e) {
      bad(e.what());
    }
  }
  try {
    const long N = sizes.nStates;
    std::vector<double> startprob, transmat, emissionprob;
    if (fitted) {
      // Shapes against the arrays before the model (whose storage follows the claimed sizes) is built.
      if (!sp) bad("missing 'startprob'");
      startprob = flat(*sp, "startprob", N, -1);
      const json* tm = find(j, "transmat");
      if (!tm) bad("missing 'transmat'");
      transmat = flat(*tm, "transmat", N, N);
      if (!ep) bad("missing 'emissionprob'");
      if (sizes.nFeatures < 1) bad("nFeatures must be >= 1");
      emissionprob = flat(*ep, "emissionprob", N, sizes.nFeatures);
    }
    CategoricalHmm model(sizes, options);
    if (fitted) {
      model.setStartprob(startprob);
      model.setTransmat(transmat);
      model.setEmissionprob(emissionprob);
    }
    if (const json* mon = find(j, "monitor"); mon && mon->is_object()) {
      Monitor m;
      if (const json* h = find(*mon, "history"); h && h->is_array())
        for (const auto& v : *h)
          if (v.is_number()) m.history.push_back(v.get<double>());
      if (const json* it = find(*mon, "iterations"); it && it->is_number_integer() && it->get<std::int64_t>() >= 0 &&
                                                       it->get<std::int64_t>() <= 1000000)
        m.iterations = static_cast<int>(it->get<std::int64_t>());
      if (const json* c = find(*mon, "converged"); c && c->is_boolean()) m.converged = c->get<bool>();
      model.hmm_.setMonitor(m);
    }
    return model;
  } catch (const InvalidArgument& e) {
    bad(e.what());
  }
}

}  // namespace gmmhmm
