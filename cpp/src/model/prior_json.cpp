// Prior <-> JSON (prior_json.hpp).
#include "prior_json.hpp"

#include <cmath>
#include <vector>

#include "checks.hpp"

namespace gmmhmm::detail {

using json = nlohmann::json;

namespace {

json nested(const std::vector<double>& values, const std::vector<long>& shape, std::size_t level, std::size_t& pos) {
  json arr = json::array();
  for (long i = 0; i < shape[level]; ++i) {
    if (level + 1 == shape.size()) arr.push_back(values[pos++]);
    else arr.push_back(nested(values, shape, level + 1, pos));
  }
  return arr;
}

// Flattens a nested numeric array of exactly `shape`, checking every level.
void flatten(const json& v, const std::vector<long>& shape, std::size_t level, const std::string& path,
             std::vector<double>& out) {
  if (level == shape.size()) {
    require(v.is_number(), path, " must be a number");
    const double x = v.get<double>();
    require(std::isfinite(x), path, " is not finite");
    out.push_back(x);
    return;
  }
  require(v.is_array(), path, " must be an array of length ", shape[level]);
  require(static_cast<long>(v.size()) == shape[level], path, " has length ", v.size(), ", expected ", shape[level]);
  for (std::size_t i = 0; i < v.size(); ++i) flatten(v[i], shape, level + 1, concat(path, "[", i, "]"), out);
}

}  // namespace

json priorToJson(const Prior& prior) {
  if (prior.isScalar()) return prior.scalar();
  std::size_t pos = 0;
  return nested(prior.values, prior.shape, 0, pos);
}

Prior priorFromJson(const json& v, const std::string& name) {
  if (!v.is_array()) {
    require(v.is_number(), "'", name, "' must be a number or an array of numbers");
    const double x = v.get<double>();
    require(std::isfinite(x), "'", name, "' is not finite");
    return x;
  }
  std::vector<long> shape;
  for (const json* level = &v; level->is_array(); level = &(*level)[0]) {
    require(!level->empty(), "'", name, "' has an empty array");
    shape.push_back(static_cast<long>(level->size()));
  }
  std::vector<double> values;
  flatten(v, shape, 0, name, values);
  return Prior(shape, std::move(values));
}

}  // namespace gmmhmm::detail
