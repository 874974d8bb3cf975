// Model files: toJson/fromJson round trip for every covariance type (identical scores),
// bare hmmlearn-style dumps, and hostile input (ModelFormatError, never a crash or a huge
// allocation).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "helpers/model_testing.hpp"

namespace gmmhmm {
namespace {

using namespace gmmhmm::testing;
using json = nlohmann::json;

TEST(ModelJson, RoundTripEveryCovarianceTypeGivesIdenticalScores) {
  for (CovarianceType type : allCovarianceTypes())
    for (Topology topology : {Topology::Ergodic, Topology::LeftRight, Topology::Custom}) {
      const std::string what = std::string(toString(type)) + " " + toString(topology);
      ModelConfig config = makeConfig(3, 2, 3, type, topology, 2, topology == Topology::LeftRight);
      config.nIter = 4;
      config.minCovar = 0.01;
      config.params = "mct";
      config.seed = 99;
      GmmHmm model = randomModel(config, 5);
      const Frames data = sampledFrames(model, {40, 30}, 1);
      model.fit(data.all());
      const GmmHmm loaded = GmmHmm::fromJson(model.toJson());
      // The parsed-value API (models embedded in recognizer files) is the same file.
      EXPECT_EQ(model.toJsonValue().dump(), model.toJson()) << what;
      EXPECT_EQ(GmmHmm::fromJsonValue(model.toJsonValue()).toJson(), model.toJson()) << what;
      EXPECT_EQ(loaded.startprob(), model.startprob()) << what;
      EXPECT_EQ(loaded.transmat(), model.transmat()) << what;
      EXPECT_EQ(loaded.weights(), model.weights()) << what;
      EXPECT_EQ(loaded.means(), model.means()) << what;
      EXPECT_EQ(loaded.covars(), model.covars()) << what;
      EXPECT_EQ(loaded.score(data.all()), model.score(data.all())) << what;
      EXPECT_EQ(loaded.decode(data.all()).states, model.decode(data.all()).states) << what;
      EXPECT_EQ(loaded.covarianceType(), type);
      EXPECT_EQ(loaded.config().topology, topology);
      EXPECT_EQ(loaded.config().maxJump, 2);
      EXPECT_EQ(loaded.config().endInLastState, topology == Topology::LeftRight);
      EXPECT_EQ(loaded.config().minCovar, 0.01);
      EXPECT_EQ(loaded.config().params, "mct");
      EXPECT_EQ(loaded.config().seed, 99u);
      EXPECT_EQ(loaded.monitor().history, model.monitor().history) << what;
      EXPECT_EQ(loaded.toJson(), model.toJson()) << what;
    }
  // An unfitted model round-trips as unfitted.
  const GmmHmm empty = GmmHmm::fromJson(GmmHmm(makeConfig(2, 2, 0, CovarianceType::Full)).toJson());
  EXPECT_FALSE(empty.isReady());
  EXPECT_EQ(empty.nStates(), 2);
}

json hmmlearnDump(const GmmHmm& m, bool underscores, bool withType) {
  const int N = m.nStates(), M = m.nMix(), D = m.nFeatures();
  const auto nest = [](const std::vector<double>& v, std::vector<int> shape) {
    std::function<json(size_t&, size_t)> build = [&](size_t& pos, size_t level) {
      json a = json::array();
      for (int i = 0; i < shape[level]; ++i) a.push_back(level + 1 == shape.size() ? json(v[pos++]) : build(pos, level + 1));
      return a;
    };
    size_t pos = 0;
    return build(pos, 0);
  };
  const std::string u = underscores ? "_" : "";
  json j;
  j["startprob" + u] = m.startprob();
  j["transmat" + u] = nest(m.transmat(), {N, N});
  j["weights" + u] = nest(m.weights(), {N, M});
  j["means" + u] = nest(m.means(), {N, M, D});
  std::vector<int> shape;
  for (Index s : m.covarsShape()) shape.push_back(static_cast<int>(s));
  j["covars" + u] = nest(m.covars(), shape);
  if (withType) j["covariance_type"] = toString(m.covarianceType());
  return j;
}

TEST(ModelJson, BareHmmlearnStyleDumps) {
  for (CovarianceType type : allCovarianceTypes()) {
    const GmmHmm model = randomModel(makeConfig(3, 2, 4, type), 6);
    const Frames data = sampledFrames(model, {50}, 2);
    for (bool underscores : {true, false}) {
      const GmmHmm loaded = GmmHmm::fromJson(hmmlearnDump(model, underscores, true).dump());
      EXPECT_EQ(loaded.covarianceType(), type);
      EXPECT_EQ(loaded.nFeatures(), 4);
      EXPECT_EQ(loaded.score(data.all()), model.score(data.all())) << toString(type);
    }
    // Without covariance_type the shape of covars decides (unambiguous here: M != D).
    const GmmHmm inferred = GmmHmm::fromJson(hmmlearnDump(model, true, false).dump());
    EXPECT_EQ(inferred.covarianceType(), type);
    EXPECT_EQ(inferred.score(data.all()), model.score(data.all())) << toString(type);
  }
}

TEST(ModelJson, AHmmlearnDumpKeepsItsSettings) {
  const GmmHmm model = randomModel(makeConfig(2, 2, 3, CovarianceType::Diag), 4);
  json j = hmmlearnDump(model, true, true);
  j["n_components"] = 2;
  j["n_mix"] = 2;
  j["n_iter"] = 77;
  j["tol"] = 0.25;
  j["params"] = "stm";
  j["init_params"] = "st";
  j["random_state"] = 5;
  j["min_covar"] = 0.01;
  j["startprob_prior"] = json::array({2.0, 1.0});
  j["transmat_prior"] = 3.0;
  j["weights_prior"] = 2.0;
  j["means_prior"] = 0.5;
  j["means_weight"] = json::array({json::array({1.0, 2.0}), json::array({3.0, 4.0})});
  j["covars_prior"] = -1.5;  // hmmlearn's GMMHMM's own meaning: not read
  j["covars_weight"] = 0.0;
  j["algorithm"] = "viterbi";
  const GmmHmm loaded = GmmHmm::fromJson(j.dump());
  const ModelConfig& c = loaded.config();
  EXPECT_EQ(c.nIter, 77);
  EXPECT_EQ(c.tol, 0.25);
  EXPECT_EQ(c.params, "stm");
  EXPECT_EQ(c.initParams, "st");
  EXPECT_EQ(c.seed, 5u);
  EXPECT_EQ(c.minCovar, 0.01);
  EXPECT_EQ(c.startprobPrior.values, (std::vector<double>{2.0, 1.0}));
  EXPECT_EQ(c.transmatPrior.scalar(), 3.0);
  EXPECT_EQ(c.weightsPrior.scalar(), 2.0);
  EXPECT_EQ(c.meansPrior.scalar(), 0.5);
  EXPECT_EQ(c.meansWeight.values, (std::vector<double>{1.0, 2.0, 3.0, 4.0}));
  EXPECT_EQ(c.covarsPrior.scalar(), ModelConfig{}.covarsPrior.scalar());
  EXPECT_EQ(c.covarsWeight.scalar(), ModelConfig{}.covarsWeight.scalar());
  // A random_state that is not an integer (hmmlearn's RandomState, None) leaves the seed alone;
  // a setting out of range is the file's error.
  j["random_state"] = nullptr;
  EXPECT_EQ(GmmHmm::fromJson(j.dump()).config().seed, ModelConfig{}.seed);
  // Written as Python writes a float, as JavaScript reads it: 5.
  j["random_state"] = 5.0;
  j["n_iter"] = 77.0;
  EXPECT_EQ(GmmHmm::fromJson(j.dump()).config().seed, 5u);
  EXPECT_EQ(GmmHmm::fromJson(j.dump()).config().nIter, 77);
  j["n_iter"] = -3;
  EXPECT_THROW(GmmHmm::fromJson(j.dump()), ModelFormatError);
}

std::string validText() {
  static const std::string text = randomModel(makeConfig(2, 2, 2, CovarianceType::Diag), 7).toJson();
  return text;
}

// A valid model file with one field replaced.
std::string withField(const std::string& path, const json& value) {
  json j = json::parse(validText());
  j[json::json_pointer(path)] = value;
  return j.dump();
}

TEST(ModelJson, HostileInputIsAModelFormatError) {
  const std::string valid = validText();
  EXPECT_NO_THROW(GmmHmm::fromJson(valid));
  EXPECT_THROW_WITH(GmmHmm::fromJson(""), ModelFormatError, "not valid JSON");
  EXPECT_THROW_WITH(GmmHmm::fromJson(valid.substr(0, valid.size() / 2)), ModelFormatError, "not valid JSON");
  EXPECT_THROW_WITH(GmmHmm::fromJson(std::string(100000, '[')), ModelFormatError, "nesting");
  EXPECT_THROW_WITH(GmmHmm::fromJson(std::string(5000, '[') + std::string(5000, ']')), ModelFormatError, "nesting");
  // A parsed value gets the same depth limit (its walk stops at the limit).
  json deep = json::array();
  for (int i = 0; i < 40; ++i) deep = json::array({deep});
  json withDeepMeans = json::parse(valid);
  withDeepMeans["means"] = deep;
  EXPECT_THROW_WITH(GmmHmm::fromJsonValue(withDeepMeans), ModelFormatError, "nesting");
  EXPECT_THROW_WITH(GmmHmm::fromJsonValue(json::array({1, 2})), ModelFormatError, "top level");
  EXPECT_THROW_WITH(GmmHmm::fromJson("[1, 2]"), ModelFormatError, "top level");
  EXPECT_THROW_WITH(GmmHmm::fromJson("null"), ModelFormatError, "top level");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/format", "other")), ModelFormatError, "format");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/version", 2)), ModelFormatError, "version 2");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/version", "1")), ModelFormatError, "version");
  // Wrong types.
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/nStates", "two")), ModelFormatError, "nStates");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/covarianceType", 3)), ModelFormatError, "covarianceType");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/covarianceType", "banana")), ModelFormatError, "covarianceType");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/means", "zero")), ModelFormatError, "means");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/means/0/1", json::array({1, "x"}))), ModelFormatError,
                    "means[0][1][1] must be a number");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/training/tol", "small")), ModelFormatError, "tol");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/training/tol", "Infinity")), ModelFormatError, "tol");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/training/tol", 1e101)), ModelFormatError, "tol");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/training/params", "xyz")), ModelFormatError, "params");
  // A null (or a section of another type) in the file's own settings is damage, not a default,
  // as in the families' files (hmmlearn's None comes under hmmlearn's names: above).
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/training/nIter", nullptr)), ModelFormatError,
                    "'training.nIter' is null: give a value, or leave it out for the default");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/training", 5)), ModelFormatError, "'training' must be an object");
  EXPECT_EQ(GmmHmm::fromJson(withField("/training", nullptr)).config().nIter, ModelConfig{}.nIter);
  EXPECT_EQ(GmmHmm::fromJson(withField("/training/transmatPrior", nullptr)).config().transmatPrior.scalar(),
            ModelConfig{}.transmatPrior.scalar());
  // NaN strings and non-finite numbers.
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/means/0/0/0", "NaN")), ModelFormatError, "means[0][0][0]");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/covars/1/1/0", "Infinity")), ModelFormatError, "covars[1][1][0]");
  {
    std::string text = valid;
    const size_t at = text.find("\"means\":[[[") + 11;
    text.insert(at, "NaN,");
    EXPECT_THROW_WITH(GmmHmm::fromJson(text), ModelFormatError, "");
  }
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/means/0/0/0", 1e999)), ModelFormatError, "");
  // Negative variances, rows not summing to 1, wrong shapes.
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/covars/0/1/1", -0.5)), ModelFormatError, "covars");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/transmat/1", json::array({0.5, 0.6}))), ModelFormatError,
                    "transmat row 1 sums to");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/startprob", json::array({0.2, 0.2}))), ModelFormatError,
                    "startprob sums to");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/weights/0", json::array({0.9, 0.2}))), ModelFormatError,
                    "weights of state 0");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/means/1", json::array({json::array({1, 2})}))), ModelFormatError,
                    "means[1] has length 1, expected 2");
  EXPECT_THROW_WITH(GmmHmm::fromJson(withField("/startprob", json::array({1.0}))), ModelFormatError,
                    "startprob has length 1");
  {
    json j = json::parse(valid);
    j.erase("covars");
    EXPECT_THROW_WITH(GmmHmm::fromJson(j.dump()), ModelFormatError, "missing 'covars'");
  }
  // Full covariance that is not positive definite.
  {
    json j = json::parse(GmmHmm(randomModel(makeConfig(1, 1, 2, CovarianceType::Full), 8)).toJson());
    j["covars"] = json::array({json::array({json::array({json::array({1, 2}), json::array({2, 1})})})});
    EXPECT_THROW_WITH(GmmHmm::fromJson(j.dump()), ModelFormatError, "positive definite");
  }
}

// Sizes claimed by a file must not be trusted before the arrays confirm them: a few bytes
// must not make the loader allocate gigabytes (the browser heap would abort). (Before the fix
// these cases threw too, but only after allocating ~1 GB for 3.5 s; watch the run time.)
TEST(ModelJson, HugeClaimedSizesAreRejected) {
  const std::vector<std::pair<std::string, json>> claims = {
      {"/nStates", 10000},                       // 10^8-entry transition matrix
      {"/nMix", 4096},                           // weights and means of 10^4 components
      {"/nFeatures", 100000},                    // 2 x 2 x 10^5 means
      {"/nStates", 2147483647},                  // beyond every limit
      {"/nFeatures", -3},
  };
  for (const auto& [path, value] : claims) {
    SCOPED_TRACE(path + " = " + value.dump());
    EXPECT_THROW_WITH(GmmHmm::fromJson(withField(path, value)), ModelFormatError, "");
  }
}

}  // namespace
}  // namespace gmmhmm
