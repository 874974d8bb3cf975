// The model-file parts every family's concrete model shares (chain_model_file.hpp).
#include "chain_model_file.hpp"

#include "../model/checks.hpp"

namespace gmmhmm::detail {

using json = nlohmann::json;

json nestedRows(const std::vector<double>& v, long rows, long cols) {
  json out = json::array();
  for (long r = 0; r < rows; ++r) out.push_back(std::vector<double>(v.begin() + r * cols, v.begin() + (r + 1) * cols));
  return out;
}

json chainModelJson(const char* format, int version, const Hmm& hmm, long nFeatures) {
  const long N = hmm.nStates();
  json j;
  j["format"] = format;
  j["version"] = version;
  j["nStates"] = N;
  j["nFeatures"] = nFeatures;
  j["fitted"] = hmm.ready();
  // Every parameter that has a value (all once fitted; before, those set), so that a model
  // saved before fit() keeps what was set by hand. The uniform chain a model is made with is
  // left out of an unfitted model's file: loading rebuilds it, and an N x N matrix of it
  // would make a large file of an untouched model.
  const auto isUniform = [N](const std::vector<double>& v) {
    for (double x : v)
      if (x != 1.0 / double(N)) return false;
    return true;
  };
  const std::vector<double> startprob = hmm.startprob(), transmat = hmm.transmat();
  if (hmm.hasStartprob() && (hmm.ready() || !isUniform(startprob))) j["startprob"] = startprob;
  if (hmm.hasTransmat() && (hmm.ready() || !isUniform(transmat))) j["transmat"] = nestedRows(transmat, N, N);
  hmm.emissions().writeParameters(j);
  return j;
}

std::shared_ptr<const JsonMembers> hmmlearnMembers(const std::string& exampleJson, std::initializer_list<const char*> extra) {
  const auto written = JsonMembers::of(json::parse(exampleJson));
  auto all = std::make_shared<JsonMembers>(*written);
  for (const auto& [name, value] : written->known) all->known.emplace(name + "_", value);
  for (const char* name : extra) all->known.emplace(name, nullptr);
  // A dump's settings under hmmlearn's names (n_iter, emissionprob_prior ...): a prior may
  // be nested arrays (kept whole, as the "training" section's).
  if (const auto t = written->known.find("training"); t != written->known.end() && t->second)
    for (const auto& [name, value] : t->second->known) all->known.emplace(hmmlearnName(name), value);
  return all;
}

void ChainModelReader::bad(const std::string& message) const { throw ModelFormatError(what_ + ": " + message); }

json ChainModelReader::parse(std::string_view text, const FileLimits& limits, const JsonMembers& members,
                             const char* format, int version) const {
  json j;
  try {
    j = parseJsonFile(text, limits, members, what_);
  } catch (const json::exception& e) {
    bad(std::string("not valid JSON (") + e.what() + ")");
  }
  if (!j.is_object()) bad("the top level must be an object");
  if (const json* f = find(j, "format")) {
    if (!f->is_string() || f->get<std::string>() != format)
      bad(concat("'format' must be \"", format, "\" (a file of another model? load it with that model's fromJSON)"));
    const json* v = find(j, "version");
    if (!v || !v->is_number_integer() || v->get<long>() != version)
      bad(concat("'version' must be ", version, " (the version this library reads)"));
  }
  return j;
}

const json* ChainModelReader::find(const json& obj, const char* name, const char* hmmlearnName) {
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

int ChainModelReader::firstRowLength(const json* rows) {
  return rows && rows->is_array() && !rows->empty() && (*rows)[0].is_array() ? static_cast<int>((*rows)[0].size()) : 0;
}

int ChainModelReader::size(const json& obj, const char* name, const char* hmmlearnName, int fallback) const {
  const json* v = find(obj, name, hmmlearnName);
  if (!v) return fallback;
  if (!v->is_number_integer() || v->get<std::int64_t>() < 0 || v->get<std::int64_t>() > 10000000)
    bad(concat("'", name, "' must be an integer in [0, 10000000]"));
  return static_cast<int>(v->get<std::int64_t>());
}

std::vector<double> ChainModelReader::flat(const json& v, const char* name, long rows, long cols) const {
  std::vector<double> out;
  auto number = [&](const json& x, const std::string& path) {
    if (!x.is_number()) bad(path + " must be a number");
    const double d = x.get<double>();
    if (!std::isfinite(d)) bad(path + " is not finite");
    out.push_back(d);
  };
  if (!v.is_array() || static_cast<long>(v.size()) != rows) bad(concat(name, " must be an array of length ", rows));
  for (long r = 0; r < rows; ++r) {
    const std::string path = concat(name, "[", r, "]");
    if (cols < 0) {
      number(v[r], path);
      continue;
    }
    const json& row = v[r];
    if (!row.is_array() || static_cast<long>(row.size()) != cols) bad(concat(path, " must be an array of length ", cols));
    for (long c = 0; c < cols; ++c) number(row[c], concat(path, "[", c, "]"));
  }
  return out;
}

std::vector<double> ChainModelReader::required(const json& obj, const char* name, long rows, long cols) const {
  const json* v = find(obj, name);
  if (!v) bad(concat("missing '", name, "'"));
  return flat(*v, name, rows, cols);
}

bool ChainModelReader::fitted(const json& j) const {
  const json* f = find(j, "fitted");
  if (!f) return true;
  if (!f->is_boolean()) bad("'fitted' must be true or false");
  return f->get<bool>();
}

int ChainModelReader::nStates(const json& j, const char* rowsMember) const {
  const json* sp = find(j, "startprob");
  const json* rows = find(j, rowsMember);
  const int inferred = sp && sp->is_array() ? static_cast<int>(sp->size())
                       : rows && rows->is_array() ? static_cast<int>(rows->size()) : 0;
  const int n = size(j, "nStates", "n_components", inferred);
  if (n < 1) bad("nStates is missing (give \"nStates\" or a \"startprob\" array to infer it from)");
  return n;
}

Monitor ChainModelReader::monitor(const json& j) const {
  try {
    return monitorFromJson(j);
  } catch (const InvalidArgument& e) {
    bad(e.what());
  }
}

}  // namespace gmmhmm::detail
