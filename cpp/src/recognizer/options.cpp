// The recognizer's options: validation and JSON, walking their declarations
// (gmmhmm/recognizer/option_list.hpp). One file for all four sections, compiled for size in
// the WebAssembly build (cmake/wasm.cmake): nothing here is on a hot path.
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/recognizer/option_list.hpp"
#include "gmmhmm/recognizer/recognizer.hpp"
#include "json_fields.hpp"

namespace gmmhmm::recognizer {

using detail::failArgument;

// The ranges of the recognizer's own options are declared with them; the front end's are
// checked by features::validate (its messages give units and the rules between options).
void validate(const WordFeatureOptions& o) {
  checkRanges(o, "features.");
  if (o.mfcc.useEnergy) failArgument("features.useEnergy must be false: the silence trim reads C0 from column 0");
  if (o.trimOn != "power" && o.trimOn != "c0") failArgument("features.trimOn must be 'power' or 'c0', got '", o.trimOn, "'");
  // The front end's own rules, the same as for mfcc() (options.cpp), named as options here.
  try {
    features::validate(o.mfcc);
  } catch (const InvalidArgument& e) {
    failArgument("features.", e.what());
  }
}

void validate(const WordModelOptions& o) {
  checkRanges(o, "word.");
  if (o.maxStates < o.minStates) failArgument("word.maxStates must be >= minStates (", o.minStates, "), got ", o.maxStates);
}

void validate(const BackgroundOptions& o) { checkRanges(o, "background."); }

void validate(const RejectionOptions& o) { checkRanges(o, "rejection."); }

void validate(const RecognizerOptions& o) {
  validate(o.features);
  requireServableRate(o.features);
  validate(o.word);
  validate(o.background);
  validate(o.rejection);
}

nlohmann::json toJson(const WordFeatureOptions& o) { return detail::optionsToJson(o); }
nlohmann::json toJson(const WordModelOptions& o) { return detail::optionsToJson(o); }
nlohmann::json toJson(const BackgroundOptions& o) { return detail::optionsToJson(o); }

nlohmann::json toJson(const RecognizerOptions& o) {
  return {{"features", toJson(o.features)},
          {"word", toJson(o.word)},
          {"background", toJson(o.background)},
          {"rejection", detail::optionsToJson(o.rejection)}};
}

WordFeatureOptions wordFeatureOptionsFromJson(const nlohmann::json& j, const WordFeatureOptions& base) {
  WordFeatureOptions o = base;
  detail::readOptions(j, o, "features");
  validate(o);
  return o;
}

WordModelOptions wordModelOptionsFromJson(const nlohmann::json& j, const WordModelOptions& base) {
  WordModelOptions o = base;
  detail::readOptions(j, o, "word");
  validate(o);
  return o;
}

BackgroundOptions backgroundOptionsFromJson(const nlohmann::json& j) {
  BackgroundOptions o;
  detail::readOptions(j, o, "background");
  validate(o);
  return o;
}

RecognizerOptions recognizerOptionsFromJson(const nlohmann::json& j, const RecognizerOptions& base) {
  if (!j.is_object()) failArgument("options must be an object");
  static const std::set<std::string> known = {"features", "word", "background", "rejection"};
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!known.count(it.key()))
      failArgument("options: unknown key \"", it.key(), "\" (expected features, word, background, rejection)");
  RecognizerOptions o = base;
  if (j.contains("features")) o.features = wordFeatureOptionsFromJson(j["features"], base.features);
  if (j.contains("word")) o.word = wordModelOptionsFromJson(j["word"], base.word);
  if (j.contains("background")) o.background = backgroundOptionsFromJson(j["background"]);
  if (j.contains("rejection")) detail::readOptions(j["rejection"], o.rejection, "rejection");
  validate(o);
  return o;
}

}  // namespace gmmhmm::recognizer
