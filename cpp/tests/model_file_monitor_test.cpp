// The "monitor" member of model files: read the same way by GMMHMM and the four families
// (model/monitor_json.cpp). A malformed one is a ModelFormatError naming its part; before,
// the families' readers dropped what they could not read ({history: [1, 'a', null],
// iterations: -5, converged: 'yes'} loaded as {history: [1], iterations: 0, converged: false}).
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/families/categorical_hmm.hpp"
#include "gmmhmm/families/gaussian_hmm.hpp"
#include "gmmhmm/families/multinomial_hmm.hpp"
#include "gmmhmm/families/poisson_hmm.hpp"
#include "gmmhmm/model/gmm_hmm.hpp"

namespace gmmhmm {
namespace {

using json = nlohmann::json;

struct Case {
  std::string name;
  std::string file;                                       // a model's file, with a monitor
  std::function<std::string(const std::string&)> reload;  // fromJson, then toJson
};

std::vector<Case> cases() {
  std::vector<Case> out;
  {
    ModelConfig c;
    c.nStates = 2;
    c.nFeatures = 1;
    GmmHmm m(c);
    out.push_back({"GMMHMM", m.toJson(), [](const std::string& t) { return GmmHmm::fromJson(t).toJson(); }});
  }
  out.push_back({"CategoricalHMM", CategoricalHmm(CategoricalSizes{2, 3}).toJson(),
                 [](const std::string& t) { return CategoricalHmm::fromJson(t).toJson(); }});
  out.push_back({"PoissonHMM", PoissonHmm(PoissonSizes{2, 3}).toJson(),
                 [](const std::string& t) { return PoissonHmm::fromJson(t).toJson(); }});
  out.push_back({"MultinomialHMM", MultinomialHmm(MultinomialSizes{2, 3, 0}).toJson(),
                 [](const std::string& t) { return MultinomialHmm::fromJson(t).toJson(); }});
  out.push_back({"GaussianHMM", GaussianHmm(GaussianSizes{2, 2, CovarianceType::Diag}).toJson(),
                 [](const std::string& t) { return GaussianHmm::fromJson(t).toJson(); }});
  return out;
}

std::string withMonitor(const std::string& file, const json& monitor) {
  json j = json::parse(file);
  j["monitor"] = monitor;
  return j.dump();
}

TEST(ModelFileMonitor, AWellFormedMonitorIsKeptAndANullOneIsFresh) {
  // More iterations than nIter's 1e6: EM with mixture splitting runs more.
  const json monitor = {{"history", {-10.5, -3.25}}, {"iterations", 1500000}, {"converged", true}};
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const json back = json::parse(c.reload(withMonitor(c.file, monitor)));
    EXPECT_EQ(back["monitor"], monitor);
    const json fresh = json::parse(c.reload(withMonitor(c.file, nullptr)));
    EXPECT_EQ(fresh["monitor"], json({{"history", json::array()}, {"iterations", 0}, {"converged", false}}));
  }
}

TEST(ModelFileMonitor, AMalformedMonitorIsAModelFormatErrorNamingItsPart) {
  const std::vector<std::pair<json, std::string>> bad = {
      {json("yes"), "'monitor' must be an object"},
      {json({{"history", "x"}}), "'monitor.history' must be an array"},
      {json({{"history", {1, "a"}}}), "'monitor.history[1]' must be a number"},
      {json({{"history", {1, nullptr}}}), "'monitor.history[1]' must be a number"},
      {json({{"iterations", -5}}), "'monitor.iterations' must be an integer in [0, 2147483647]"},
      {json({{"iterations", 2.5}}), "'monitor.iterations' must be an integer in [0, 2147483647]"},
      {json({{"iterations", 1e12}}), "'monitor.iterations' must be an integer in [0, 2147483647]"},
      {json({{"iterations", std::numeric_limits<std::uint64_t>::max()}}), "'monitor.iterations' must be an integer in [0, 2147483647]"},
      {json({{"iterations", std::uint64_t(1) << 63}}), "'monitor.iterations' must be an integer in [0, 2147483647]"},
      {json({{"converged", "yes"}}), "'monitor.converged' must be true or false"},
  };
  for (const Case& c : cases()) {
    for (const auto& [monitor, message] : bad) {
      SCOPED_TRACE(c.name + " " + monitor.dump());
      try {
        c.reload(withMonitor(c.file, monitor));
        ADD_FAILURE() << "accepted";
      } catch (const ModelFormatError& e) {
        EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
      }
    }
  }
}

}  // namespace
}  // namespace gmmhmm

namespace gmmhmm {
namespace {

// Every integer of `j` written as a float (what Python's json writes for 1.0).
json withFractions(json j) {
  if (j.is_number_integer()) return json(j.get<double>());
  if (j.is_structured())
    for (auto& v : j) v = withFractions(v);
  return j;
}

// Whole numbers written with a fraction ("version": 1.0, "nIter": 20.0) read as the integers
// JavaScript reads them (fromJSON(text) agreed with fromJSON(JSON.parse(text)) only without them).
TEST(ModelFileNumbers, WholeNumbersWithAFractionReadAsIntegers) {
  for (const auto& c : cases()) {
    const std::string text = withFractions(json::parse(c.file)).dump();
    ASSERT_NE(text.find("1.0"), std::string::npos) << c.name << ": " << text.substr(0, 200);
    EXPECT_EQ(c.reload(text), c.reload(c.file)) << c.name;
  }
  // A fraction is still refused where an integer belongs.
  json j = json::parse(cases().front().file);
  j["version"] = 1.5;
  EXPECT_THROW(GmmHmm::fromJson(j.dump()), ModelFormatError);
}

}  // namespace
}  // namespace gmmhmm
