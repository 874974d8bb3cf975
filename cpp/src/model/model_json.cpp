// Model files: GmmHmm::toJson / fromJson. Loading validates every shape, sum and sign before
// allocating anything, so a corrupt or hostile file gives a ModelFormatError, never a crash.
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "checks.hpp"
#include "hmmlearn_dump.hpp"
#include "prior_json.hpp"
#include "gmmhmm/model/option_list.hpp"
#include "model_members.hpp"
#include "model_state.hpp"
#include "monitor_json.hpp"

namespace gmmhmm {

using json = nlohmann::json;
using detail::JsonMembers;
using detail::kMaxJsonDepth;
using detail::parseJsonFile;

namespace {

constexpr int kFormatVersion = 1;
constexpr int kMaxDepth = kMaxJsonDepth;

[[noreturn]] void bad(const std::string& message) { throw ModelFormatError("model JSON: " + message); }

// Rejects nesting deeper than kMaxDepth in a parsed document (fromJson's parser refuses it
// while parsing): stops descending at the limit, so the walk itself is bounded.
void checkDepth(const json& value, int depth = 1) {
  if (!value.is_structured()) return;
  if (depth > kMaxDepth) bad("nesting deeper than 32 levels");
  for (const auto& child : value) checkDepth(child, depth + 1);
}

const json* find(const json& obj, const char* name) {
  auto it = obj.find(name);
  if (it != obj.end()) return &*it;
  it = obj.find(std::string(name) + "_");  // hmmlearn attribute names (startprob_ ...)
  if (it != obj.end()) return &*it;
  return nullptr;
}

const json& need(const json& obj, const char* name) {
  const json* v = find(obj, name);
  if (!v) bad(detail::concat("missing '", name, "'"));
  return *v;
}

// Flattens a nested numeric array of exactly `shape`, checking every level.
void flatten(const json& v, const std::vector<long>& shape, size_t level, const std::string& path,
             std::vector<double>& out) {
  if (level == shape.size()) {
    if (!v.is_number()) bad(detail::concat(path, " must be a number"));
    const double x = v.get<double>();
    if (!std::isfinite(x)) bad(detail::concat(path, " is not finite"));
    out.push_back(x);
    return;
  }
  if (!v.is_array()) bad(detail::concat(path, " must be an array of length ", shape[level]));
  if (static_cast<long>(v.size()) != shape[level])
    bad(detail::concat(path, " has length ", v.size(), ", expected ", shape[level]));
  for (size_t i = 0; i < v.size(); ++i) flatten(v[i], shape, level + 1, detail::concat(path, "[", i, "]"), out);
}

std::vector<double> flat(const json& obj, const char* name, const std::vector<long>& shape) {
  std::vector<double> out;
  flatten(need(obj, name), shape, 0, name, out);
  return out;
}

long lengthOf(const json& v, const char* what) {
  if (!v.is_array() || v.empty()) bad(detail::concat(what, " must be a non-empty array"));
  return static_cast<long>(v.size());
}

int depthOf(const json& v) {
  int d = 0;
  const json* cur = &v;
  while (cur->is_array() && !cur->empty()) {
    ++d;
    cur = &(*cur)[0];
  }
  return d;
}

json nested(const std::vector<double>& values, const std::vector<long>& shape, size_t level, size_t& pos) {
  json arr = json::array();
  for (long i = 0; i < shape[level]; ++i) {
    if (level + 1 == shape.size()) arr.push_back(values[pos++]);
    else arr.push_back(nested(values, shape, level + 1, pos));
  }
  return arr;
}

json nested(const std::vector<double>& values, const std::vector<long>& shape) {
  size_t pos = 0;
  return nested(values, shape, 0, pos);
}

template <typename T>
T field(const json& obj, const char* name, T fallback) {
  const json* v = find(obj, name);
  if (!v || v->is_null()) return fallback;
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    // get<int>() of a float truncates, and of 6.7e56 is undefined behaviour (found by fuzzing).
    bool inRange = false;
    if (v->is_number_unsigned())
      inRange = v->get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    else if (v->is_number_integer())
      inRange = v->get<std::int64_t>() >= static_cast<std::int64_t>(std::numeric_limits<T>::min()) &&
                (v->get<std::int64_t>() < 0 ||
                 static_cast<std::uint64_t>(v->get<std::int64_t>()) <= static_cast<std::uint64_t>(std::numeric_limits<T>::max()));
    if (!inRange)
      bad(detail::concat("'", name, "' must be an integer in [", +std::numeric_limits<T>::min(), ", ",
                         +std::numeric_limits<T>::max(), "]"));
  }
  try {
    return v->get<T>();
  } catch (const json::exception&) {
    bad(detail::concat("'", name, "' has the wrong type"));
  }
}

// A prior: a number, or a nested array (its shape from the first elements, then every level
// checked by flatten(); validateConfig checks that it broadcasts).
void readPrior(const json& obj, const char* name, Prior& out) {
  const json* v = find(obj, name);
  if (!v || v->is_null()) return;
  if (!v->is_array()) {
    out = field<double>(obj, name, out.scalar());
    return;
  }
  try {
    out = detail::priorFromJson(*v, name);
  } catch (const InvalidArgument& e) {
    bad(e.what());
  }
}

// A training control (model/option_list.hpp) into the "training" section: enums by name,
// -Infinity as the string "-Infinity" (JSON has no infinities).
template <typename T>
void writeTraining(json& t, const OptionInfo& info, const T& value) {
  if constexpr (std::is_enum_v<T>) {
    t[info.name] = toString(value);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (info.range.minusInfinity && std::isinf(value) && value < 0) t[info.name] = "-Infinity";
    else t[info.name] = value;
  } else {
    t[info.name] = value;
  }
}

// A training control from the "training" section (missing or null: `value` kept).
template <typename T>
void readTraining(const json& t, const OptionInfo& info, T& value) {
  if constexpr (std::is_enum_v<T>) {
    const std::string name = field<std::string>(t, info.name, toString(value));
    try {
      fromString(name, value);
    } catch (const InvalidArgument& e) {
      bad(e.what());
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    if (const json* v = find(t, info.name); info.range.minusInfinity && v && v->is_string()) {
      if (v->get<std::string>() != "-Infinity") bad(detail::concat("'", info.name, "' must be a number or \"-Infinity\""));
      value = -std::numeric_limits<double>::infinity();
    } else {
      value = field<T>(t, info.name, value);
    }
  } else {
    value = field<T>(t, info.name, value);
  }
}

// The settings read from a dump of hmmlearn's GMMHMM under its names (n_iter, tol,
// random_state, min_covar, init_params, the Dirichlet and mean priors ...). Not covars_prior and
// covars_weight: hmmlearn's GMMHMM defines its covariance prior otherwise (docs/hmmlearn.md).
std::vector<std::string> hmmlearnSettings() {
  std::vector<std::string> names;
  ModelConfig defaults;
  forEachOption(defaults, [&names](const OptionInfo& info, const auto&) { names.emplace_back(info.name); });
  for (const PriorOption& option : priorOptions()) {
    const std::string name = option.name;
    if (name != "covarsPrior" && name != "covarsWeight") names.push_back(name);
  }
  return names;
}

}  // namespace

std::string GmmHmm::toJson() const { return toJsonValue().dump(); }

nlohmann::json GmmHmm::toJsonValue() const {
  const State& st = *state_;
  const ModelConfig& c = st.config;
  const long N = c.nStates, M = c.nMix, D = c.nFeatures;
  json j;
  j["format"] = "gmmhmm-model";
  j["version"] = kFormatVersion;
  j["nStates"] = N;
  j["nMix"] = M;
  j["nFeatures"] = D;
  j["covarianceType"] = toString(c.covarianceType);
  j["topology"] = toString(c.topology);
  j["maxJump"] = c.maxJump;
  j["endInLastState"] = c.endInLastState;
  j["fitted"] = st.ready();
  // Every parameter that has a value: all of them once fitted, and before that those set, so
  // that a model saved before fit() keeps what was set by hand. What a model is made with (the
  // chain of an ergodic or left-right model, the weight 1 of a single component) is left out
  // of an unfitted model's file: loading rebuilds it, and N x N values of it would make a
  // large file of an untouched model.
  bool startIsDefault = false, transIsDefault = false;
  if (!st.ready() && c.topology != Topology::Custom) {
    Eigen::VectorXd defaultStart;
    RowMatrix defaultTrans;
    detail::defaultChain(c, defaultStart, defaultTrans);
    startIsDefault = st.startprob == defaultStart;
    transIsDefault = st.transmat == defaultTrans;
  }
  if (st.hasStartprob && !startIsDefault) j["startprob"] = startprob();
  if (st.hasTransmat && !transIsDefault) j["transmat"] = nested(transmat(), {N, N});
  if (st.hasWeights && (st.ready() || M > 1)) j["weights"] = nested(weights(), {N, M});  // one component: weight 1
  if (st.hasMeans) j["means"] = nested(means(), {N, M, D});
  if (st.hasCovars) {
    const auto shape = covarsShape();
    j["covars"] = nested(covars(), std::vector<long>(shape.begin(), shape.end()));
  }
  json t;
  forEachOption(c, [&t](const OptionInfo& info, const auto& value) { writeTraining(t, info, value); });
  for (const PriorOption& option : priorOptions()) {  // a number, or the array as given
    t[option.name] = detail::priorToJson(c.*option.field);
  }
  if (!c.covarsPriorPerFeature.empty()) t["covarsPriorPerFeature"] = c.covarsPriorPerFeature;  // files before it: none
  j["training"] = t;
  j["monitor"] = detail::monitorJson(st.monitor);
  return j;
}

std::shared_ptr<const JsonMembers> detail::modelFileMembers() {
  // What toJson writes (a fitted model writes every member), under gmmhmm's names and
  // hmmlearn's (startprob_ ..., covariance_type): find() reads exactly these.
  static const auto members = [] {
    ModelConfig c;
    c.nFeatures = 1;
    c.covarsPriorPerFeature = {0.0};  // written only when set: listed so that it is read
    GmmHmm example(c);
    example.setMeans({0.0});
    example.setCovars({1.0});
    const auto written = JsonMembers::of(example.toJsonValue());
    auto all = std::make_shared<JsonMembers>(*written);
    for (const auto& [name, value] : written->known) all->known.emplace(name + "_", value);
    all->known.emplace("covariance_type", nullptr);
    for (const std::string& name : hmmlearnSettings()) all->known.emplace(detail::hmmlearnName(name), nullptr);
    return std::shared_ptr<const JsonMembers>(all);
  }();
  return members;
}

GmmHmm GmmHmm::fromJson(std::string_view text, const FileLimits& limits) {
  json j;
  try {
    j = parseJsonFile(text, limits, *detail::modelFileMembers(), "model JSON");
  } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers like 1e99999
    bad(std::string("not valid JSON (") + e.what() + ")");
  }
  return fromJsonValue(j);
}

GmmHmm GmmHmm::fromJsonValue(const nlohmann::json& j) {
  checkDepth(j);
  if (!j.is_object()) bad("the top level must be an object");
  if (const json* f = find(j, "format")) {
    if (!f->is_string() || f->get<std::string>() != "gmmhmm-model")
      bad("'format' must be \"gmmhmm-model\"");
    const json* v = find(j, "version");
    if (!v || !v->is_number_integer()) bad("'version' must be an integer");
    if (v->get<long>() != kFormatVersion)
      bad(detail::concat("version ", v->get<long>(), " is not supported (this library reads version 1)"));
  }
  const bool fitted = field<bool>(j, "fitted", true);
  ModelConfig c;
  // Sizes: explicit fields, else inferred from the arrays (bare hmmlearn dumps).
  const json* sp = find(j, "startprob");
  const json* w = find(j, "weights");
  const json* mu = find(j, "means");
  c.nStates = field<int>(j, "nStates", sp ? static_cast<int>(lengthOf(*sp, "startprob")) : 0);
  c.nMix = field<int>(j, "nMix", w && w->is_array() && !w->empty() ? static_cast<int>(lengthOf((*w)[0], "weights[0]")) : 1);
  c.nFeatures = field<int>(j, "nFeatures", mu && mu->is_array() && !mu->empty() && (*mu)[0].is_array() && !(*mu)[0].empty()
                                               ? static_cast<int>(lengthOf((*mu)[0][0], "means[0][0]"))
                                               : 0);
  if (!find(j, "nStates") && !sp)
    bad("nStates is missing (give \"nStates\" or a \"startprob\" array to infer it from)");
  if (c.nStates < 1) bad("nStates must be >= 1");
  if (c.nMix < 1) bad("nMix must be >= 1");
  if (fitted && c.nFeatures < 1) bad("nFeatures must be >= 1");
  std::string type = field<std::string>(j, "covarianceType", field<std::string>(j, "covariance_type", ""));
  if (type.empty()) {
    // Infer from the depth/shape of covars when unambiguous.
    const json* cv = find(j, "covars");
    const int depth = cv ? depthOf(*cv) : 0;
    if (depth == 2) type = "spherical";
    else if (depth == 4) type = "full";
    else if (depth == 3 && c.nMix != c.nFeatures) type = lengthOf((*cv)[0], "covars[0]") == c.nMix ? "diag" : "tied";
    else bad("'covarianceType' is missing and cannot be inferred from the shape of covars");
  }
  try {
    c.covarianceType = parseCovarianceType(type);
    c.topology = parseTopology(field<std::string>(j, "topology", "custom"));
  } catch (const InvalidArgument& e) {
    bad(e.what());
  }
  c.maxJump = field<int>(j, "maxJump", 1);
  c.endInLastState = field<bool>(j, "endInLastState", false);
  // A model file's settings; a dump of hmmlearn's attributes has them under hmmlearn's names.
  const json* t = find(j, "training");
  json dumped;
  if (!t || t->is_null()) {  // null: missing, as in the families' files
    dumped = detail::hmmlearnTraining(j, hmmlearnSettings());
    t = &dumped;
  }
  if (!t->is_object()) bad("'training' must be an object");
  {
    // The file's own section holds what toJSON() wrote: a null there is damage, not a default
    // (as the families' files; hmmlearn's None, e.g. random_state, comes through `dumped`).
    if (t != &dumped)
      forEachOption(c, [t](const OptionInfo& info, const auto&) {
        if (const auto it = t->find(info.name); it != t->end() && it->is_null())
          bad(detail::concat("'training.", info.name, "' is null: give a value, or leave it out for the default"));
      });
    forEachOption(c, [t](const OptionInfo& info, auto& value) { readTraining(*t, info, value); });
    for (const PriorOption& option : priorOptions()) readPrior(*t, option.name, c.*option.field);
    if (const json* v = find(*t, "covarsPriorPerFeature"); v && v->is_array())
      c.covarsPriorPerFeature = flat(*t, "covarsPriorPerFeature", {static_cast<long>(v->size())});
  }
  try {
    validateConfig(c);
  } catch (const InvalidArgument& e) {
    bad(e.what());
  }
  const long N = c.nStates, M = c.nMix, D = c.nFeatures;
  // Shapes are checked against the arrays before the model (whose storage follows the claimed
  // sizes: an N x N transition matrix...) is constructed, so a few bytes claiming nStates 10000
  // cannot make the loader allocate gigabytes. flat() only stores values the file contains.
  // A fitted model has every parameter; an unfitted one those it had (toJsonValue), each read
  // when present. (Empty: not read; every parameter has at least one value.)
  const auto present = [&](const char* name) {
    const json* v = find(j, name);
    return v != nullptr && !v->is_null();
  };
  const auto wanted = [&](const char* name) { return fitted || present(name); };
  std::vector<double> startprobValues, transmatValues, weightsValues, meansValues, covarsValues;
  if (wanted("startprob")) startprobValues = flat(j, "startprob", {N});
  if (wanted("transmat")) transmatValues = flat(j, "transmat", {N, N});
  if (fitted && M == 1 && !find(j, "weights")) weightsValues.assign(N, 1.0);
  else if (wanted("weights")) weightsValues = flat(j, "weights", {N, M});
  if (!fitted && D < 1 && (present("means") || present("covars")))
    bad("nFeatures must be >= 1 for the means and covars given");
  if (wanted("means")) meansValues = flat(j, "means", {N, M, D});
  if (wanted("covars")) {
    std::vector<long> shape;
    switch (c.covarianceType) {
      case CovarianceType::Diag: shape = {N, M, D}; break;
      case CovarianceType::Spherical: shape = {N, M}; break;
      case CovarianceType::Full: shape = {N, M, D, D}; break;
      case CovarianceType::Tied: shape = {N, D, D}; break;
    }
    covarsValues = flat(j, "covars", shape);
  }
  GmmHmm model(c);
  try {
    if (!startprobValues.empty()) model.setStartprob(startprobValues);
    if (!transmatValues.empty()) model.setTransmat(transmatValues);
    if (!weightsValues.empty()) model.setWeights(weightsValues);
    if (!meansValues.empty()) model.setMeans(meansValues);
    if (!covarsValues.empty()) model.setCovars(covarsValues);
  } catch (const InvalidArgument& e) {
    bad(e.what());
  }
  try {
    model.state_->monitor = detail::monitorFromJson(j);
  } catch (const InvalidArgument& e) {
    bad(e.what());
  }
  return model;
}

}  // namespace gmmhmm
