#pragma once
// The model files of the families' concrete models (CategoricalHmm, PoissonHmm,
// MultinomialHmm), internal header: what every such file shares -- format and version,
// sizes, whether fitted, the chain (startprob, transmat), the training controls and the
// monitor -- written and read once here; each model adds its emission parameters. Members are
// found under gmmhmm's names or hmmlearn's (startprob_, n_features, n_components ...), so a
// dump of hmmlearn's attributes loads too.

#include <cmath>
#include <initializer_list>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "../limits/json_file.hpp"
#include "../model/checks.hpp"
#include "../model/hmmlearn_dump.hpp"
#include "../model/monitor_json.hpp"
#include "../model/prior_json.hpp"
#include "../recognizer/json_fields.hpp"
#include "gmmhmm/families/hmm.hpp"
#include "gmmhmm/options.hpp"

namespace gmmhmm::detail {

// Writing. The head of a file: format, version, nStates, nFeatures, fitted, and the
// parameters that have a value: startprob, transmat, the family's (EmissionFamily::writeParameters).
nlohmann::json chainModelJson(const char* format, int version, const Hmm& hmm, long nFeatures);
nlohmann::json nestedRows(const std::vector<double>& values, long rows, long cols);

// The declared training controls; tol's -Infinity as the string "-Infinity" (JSON has none).
template <typename Options>
nlohmann::json trainingJson(const Options& options) {
  nlohmann::json t = nlohmann::json::object();
  forEachOption(options, [&t](const OptionInfo& info, const auto& value) {
    using T = std::decay_t<decltype(value)>;
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isinf(value) && value < 0) t[info.name] = "-Infinity";
      else t[info.name] = value;
    } else if constexpr (std::is_same_v<T, Prior>) {
      t[info.name] = priorToJson(value);  // a number, or the array as given
    } else {
      t[info.name] = value;
    }
  });
  return t;
}

// The members a reader keeps while parsing (JsonMembers): those of `exampleJson` (a fitted
// model's toJson()), the same with hmmlearn's trailing underscore, and `extra` (hmmlearn's
// n_features, n_components, n_trials ...).
std::shared_ptr<const JsonMembers> hmmlearnMembers(const std::string& exampleJson,
                                                   std::initializer_list<const char*> extra);

// Reading, every problem a ModelFormatError "<what>: ..." (what: "PoissonHMM JSON").
class ChainModelReader {
 public:
  explicit ChainModelReader(std::string what) : what_(std::move(what)) {}
  [[noreturn]] void bad(const std::string& message) const;

  // Parses within limits, refuses another format or version (when "format" is given).
  nlohmann::json parse(std::string_view text, const FileLimits& limits, const JsonMembers& members, const char* format,
                       int version) const;
  // A member by gmmhmm's name, with hmmlearn's underscore, or by hmmlearnName; null counts as absent.
  static const nlohmann::json* find(const nlohmann::json& obj, const char* name, const char* hmmlearnName = nullptr);
  // The length of the first row of `rows` (a member found by find()), 0 unless it is a
  // non-empty array of arrays: nFeatures when the file does not say.
  static int firstRowLength(const nlohmann::json* rows);
  // An integer size member in [0, 1e7]; `fallback` when absent.
  int size(const nlohmann::json& obj, const char* name, const char* hmmlearnName, int fallback) const;
  // A numeric array of exactly rows (cols < 0) or rows × cols values, flattened row-major.
  std::vector<double> flat(const nlohmann::json& v, const char* name, long rows, long cols) const;
  // Whether a parameter is read: always from a fitted model's file (required() then names it
  // when missing), from an unfitted one when present (what was set before it was saved).
  static bool wanted(const nlohmann::json& obj, bool fitted, const char* name, const char* hmmlearnName = nullptr) {
    return fitted || find(obj, name, hmmlearnName) != nullptr;
  }
  // The required member `name` as flat() reads it (shapes are checked against the arrays
  // before a model of the claimed sizes is built).
  std::vector<double> required(const nlohmann::json& obj, const char* name, long rows, long cols) const;
  bool fitted(const nlohmann::json& j) const;  // "fitted" (default true: hmmlearn dumps are)
  // nStates from "nStates"/"n_components", else the length of startprob or of `rowsMember`.
  int nStates(const nlohmann::json& j, const char* rowsMember) const;

  // The declared training controls of "training"; without it (a dump of hmmlearn's
  // attributes), those found under hmmlearn's names (n_iter, tol, params, init_params,
  // random_state, the priors ...); the defaults for the rest.
  template <typename Options>
  void training(const nlohmann::json& j, Options& options) const {
    nlohmann::json fromDump;
    const nlohmann::json* t = find(j, "training");
    if (!t) {
      std::vector<std::string> names;
      forEachOption(options, [&names](const OptionInfo& info, const auto&) { names.emplace_back(info.name); });
      fromDump = hmmlearnTraining(j, names);
      t = &fromDump;
    }
    if (!t->is_object()) bad("'training' must be an object");
    try {
      forEachOption(options, [this, t](const OptionInfo& info, auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, Prior>) {
          const auto it = t->find(info.name);
          if (it != t->end() && !it->is_null()) value = priorFromJson(*it, info.name);
        } else {
          if constexpr (std::is_floating_point_v<T>) {
            const auto it = t->find(info.name);
            if (info.range.minusInfinity && it != t->end() && it->is_string()) {
              if (it->get<std::string>() != "-Infinity") bad(concat("'", info.name, "' must be a number or \"-Infinity\""));
              value = -std::numeric_limits<double>::infinity();
              return;
            }
          }
          recognizer::detail::read(*t, info.name, value, "training");
        }
      });
    } catch (const InvalidArgument& e) {
      bad(e.what());
    }
  }

  // The "monitor" member (absent: a fresh monitor); a malformed one is bad().
  Monitor monitor(const nlohmann::json& j) const;

 private:
  std::string what_;
};

}  // namespace gmmhmm::detail
