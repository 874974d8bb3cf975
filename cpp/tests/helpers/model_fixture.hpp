#pragma once
// Reads ../shared/fixtures/hmm-reference.json (reference GMM-HMM numbers) for the tests.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gmmhmm/model/gmm_hmm.hpp"

namespace gmmhmm::testing {

inline std::string sharedPath(const std::string& relative) {
  return std::string(GMMHMM_SOURCE_DIR) + "/../shared/" + relative;
}

// Empty json when the file is absent (tests then skip with a message).
inline nlohmann::json loadJsonFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return {};
  std::stringstream buffer;
  buffer << in.rdbuf();
  return nlohmann::json::parse(buffer.str());
}

inline void flattenInto(const nlohmann::json& v, std::vector<double>& out) {
  if (v.is_array())
    for (const auto& x : v) flattenInto(x, out);
  else
    out.push_back(v.get<double>());
}

inline std::vector<double> flatten(const nlohmann::json& v) {
  std::vector<double> out;
  flattenInto(v, out);
  return out;
}

// A model with the fixture's parameters (custom topology: the zeros are the structure).
inline GmmHmm modelFromCase(const nlohmann::json& c, ModelConfig config = {}) {
  config.nStates = c["nStates"];
  config.nMix = c["nMix"];
  config.nFeatures = c["nFeatures"];
  config.covarianceType = parseCovarianceType(c["covarianceType"]);
  config.topology = Topology::Custom;
  GmmHmm model(config);
  const auto& m = c["model"];
  model.setStartprob(flatten(m["startprob"]));
  model.setTransmat(flatten(m["transmat"]));
  model.setWeights(flatten(m["weights"]));
  model.setMeans(flatten(m["means"]));
  model.setCovars(flatten(m["covars"]));
  return model;
}

struct FixtureData {
  std::vector<double> X;
  std::vector<Index> lengths;
  Index nFeatures = 0;
  SequenceSet all() const { return {X.data(), static_cast<Index>(X.size()) / nFeatures, nFeatures, lengths}; }
  SequenceSet sequence(size_t i) const {
    Index begin = 0;
    for (size_t q = 0; q < i; ++q) begin += lengths[q];
    return {X.data() + begin * nFeatures, lengths[i], nFeatures, {}};
  }
};

inline FixtureData dataFromCase(const nlohmann::json& c) {
  FixtureData d;
  d.X = flatten(c["X"]);
  d.nFeatures = c["nFeatures"];
  for (const auto& l : c["lengths"]) d.lengths.push_back(l.get<Index>());
  return d;
}

}  // namespace gmmhmm::testing
