// The option declarations (gmmhmm/options.hpp) drive the recognizer's JSON and validation:
// every declared option must reach the JSON written, come back from it, and have its range
// checked; an option declared but left out of one of them fails here.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/recognizer/option_list.hpp"
#include "gmmhmm/recognizer/recognizer.hpp"

using namespace gmmhmm;
using namespace gmmhmm::recognizer;

namespace {

// A valid value other than `value` for the option (the struct's other rules permitting).
template <typename T>
T otherValue(const OptionInfo& info, const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    return !value;
  } else if constexpr (std::is_same_v<T, std::string>) {
    const std::string name = info.name;
    if (name == "windowType") return value == "hamming" ? "povey" : "hamming";
    if (name == "trimOn") return value == "c0" ? "power" : "c0";
    ADD_FAILURE() << "no other value known for the text option " << name;
    return value;
  } else if constexpr (std::is_integral_v<T>) {
    return info.range.byHand || info.range.contains(static_cast<double>(value) + 1) ? value + 1 : value - 1;
  } else {
    const double candidate = value * 1.25 + 0.5;
    if (info.range.byHand || info.range.contains(candidate)) return candidate;
    return info.range.contains(value / 2) && value != 0 ? value / 2 : (info.range.lowest + info.range.highest) / 2;
  }
}

template <typename O>
std::set<std::string> declaredNames(bool writtenWhenDefault) {
  std::set<std::string> names;
  const O defaults{};
  forEachOption(defaults, [&](const OptionInfo& info, const auto&) {
    EXPECT_TRUE(names.insert(info.name).second) << OptionList<O>::kSection << "." << info.name << " is declared twice";
    EXPECT_NE(std::string(info.help), "") << info.name << " has no help";
    if (!writtenWhenDefault && info.inFiles == InFiles::WhenSet) names.erase(info.name);
  });
  return names;
}

std::set<std::string> keys(const nlohmann::json& object) {
  std::set<std::string> out;
  for (auto it = object.begin(); it != object.end(); ++it) out.insert(it.key());
  return out;
}

// Each option in turn set to another valid value: the recognizer options' JSON holds it and
// reading that JSON gives it back, every other option unchanged.
template <typename O>
void expectEveryOptionRoundTrips(O RecognizerOptions::*section, const char* sectionName) {
  const RecognizerOptions defaults;
  std::size_t index = 0, count = 0;
  forEachOption(defaults.*section, [&](const OptionInfo&, const auto&) { ++count; });
  for (std::size_t which = 0; which < count; ++which) {
    RecognizerOptions changed = defaults;
    std::string name;
    index = 0;
    forEachOption(changed.*section, [&](const OptionInfo& info, auto& value) {
      if (index++ == which) {
        name = info.name;
        value = otherValue(info, value);
      }
    });
    if (name == "useEnergy") continue;  // must be false in the recognizer (column 0 is C0)
    SCOPED_TRACE(std::string(sectionName) + "." + name);
    nlohmann::json json;
    ASSERT_NO_THROW(validate(changed));
    json = toJson(changed);
    ASSERT_TRUE(json[sectionName].contains(name)) << json[sectionName].dump();
    const RecognizerOptions back = recognizerOptionsFromJson(json);
    EXPECT_EQ(toJson(back).dump(), json.dump());
    EXPECT_NE(toJson(back).dump(), toJson(defaults).dump());
  }
}

}  // namespace

TEST(OptionDeclarations, FilesHoldEveryDeclaredOptionAndOnlyThose) {
  const nlohmann::json json = toJson(RecognizerOptions());
  EXPECT_EQ(keys(json["features"]), declaredNames<WordFeatureOptions>(false));
  EXPECT_EQ(keys(json["word"]), declaredNames<WordModelOptions>(false));
  EXPECT_EQ(keys(json["background"]), declaredNames<BackgroundOptions>(false));
  EXPECT_EQ(keys(json["rejection"]), declaredNames<RejectionOptions>(false));
  // The front end's options that files of earlier versions did not hold are written only
  // when set, so that files which leave them alone stay readable by those versions.
  for (const char* newer : {"dither", "seed", "blackmanCoeff", "rawEnergy", "htkCompat"})
    EXPECT_FALSE(json["features"].contains(newer)) << newer;
  EXPECT_EQ(declaredNames<WordFeatureOptions>(true).size(), keys(json["features"]).size() + 5);
}

TEST(OptionDeclarations, EveryOptionRoundTripsThroughJson) {
  expectEveryOptionRoundTrips(&RecognizerOptions::features, "features");
  expectEveryOptionRoundTrips(&RecognizerOptions::word, "word");
  expectEveryOptionRoundTrips(&RecognizerOptions::background, "background");
  expectEveryOptionRoundTrips(&RecognizerOptions::rejection, "rejection");
}

TEST(OptionDeclarations, TheFrontEndOptionsOnceLeftOutReachTheRecognizer) {
  const RecognizerOptions o = recognizerOptionsFromJson(
      {{"features", {{"dither", 0.5}, {"seed", 7}, {"blackmanCoeff", 0.4}, {"rawEnergy", false}, {"htkCompat", true}}}});
  EXPECT_EQ(o.features.mfcc.dither, 0.5);
  EXPECT_EQ(o.features.mfcc.seed, 7u);
  EXPECT_EQ(o.features.mfcc.blackmanCoeff, 0.4);
  EXPECT_FALSE(o.features.mfcc.rawEnergy);
  EXPECT_TRUE(o.features.mfcc.htkCompat);
  const nlohmann::json written = toJson(o)["features"];
  EXPECT_EQ(written["dither"], 0.5);
  EXPECT_EQ(written["seed"], 7);
  EXPECT_THROW(recognizerOptionsFromJson({{"features", {{"dither", -1}}}}), InvalidArgument);
  EXPECT_THROW(recognizerOptionsFromJson({{"features", {{"seed", -1}}}}), InvalidArgument);
}

// Every declared range is checked, with the message naming the section, option and range.
template <typename O>
void expectRangesChecked(O RecognizerOptions::*section, const char* sectionName) {
  std::size_t count = 0;
  const RecognizerOptions defaults;
  forEachOption(defaults.*section, [&](const OptionInfo&, const auto&) { ++count; });
  for (std::size_t which = 0; which < count; ++which) {
    RecognizerOptions bad;
    std::string name;
    bool outside = false;
    std::size_t index = 0;
    forEachOption(bad.*section, [&](const OptionInfo& info, auto& value) {
      using T = std::decay_t<decltype(value)>;
      if (index++ != which || info.range.byHand) return;
      name = info.name;
      if constexpr (std::is_floating_point_v<T>) {
        value = std::isfinite(info.range.highest) ? info.range.highest + 1 : std::numeric_limits<double>::quiet_NaN();
        outside = true;
      } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool> && std::is_signed_v<T>) {
        value = static_cast<T>(info.range.highest) + 1;
        outside = std::isfinite(info.range.highest);
      }
    });
    if (!outside) continue;
    SCOPED_TRACE(std::string(sectionName) + "." + name);
    try {
      validate(bad);
      ADD_FAILURE() << "accepted";
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(std::string(sectionName) + "." + name + " must be"), std::string::npos)
          << e.what();
    }
  }
}

TEST(OptionDeclarations, EveryDeclaredRangeIsChecked) {
  expectRangesChecked(&RecognizerOptions::features, "features");
  expectRangesChecked(&RecognizerOptions::word, "word");
  expectRangesChecked(&RecognizerOptions::background, "background");
  expectRangesChecked(&RecognizerOptions::rejection, "rejection");
}

TEST(OptionDeclarations, MessagesNameTheRange) {
  const auto message = [](const nlohmann::json& options) {
    try {
      (void)recognizerOptionsFromJson(options);
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message({{"word", {{"nIter", -1}}}}), "word.nIter must be an integer in [0, 1000], got -1");
  EXPECT_EQ(message({{"word", {{"minCovar", 0}}}}), "word.minCovar must be in (0, 1000000), got 0");
  EXPECT_EQ(message({{"word", {{"minStates", 5}, {"maxStates", 4}}}}), "word.maxStates must be >= minStates (5), got 4");
  EXPECT_EQ(message({{"features", {{"trimDb", 300}}}}), "features.trimDb must be a number <= 200, got 300");
  EXPECT_EQ(message({{"rejection", {{"minLevelDb", 1}}}}), "rejection.minLevelDb must be in [-200, 0], got 1");
  EXPECT_EQ(message({{"rejection", {{"threshold", "x"}}}}), "rejection.threshold must be a finite number");
  EXPECT_EQ(message({{"background", {{"nmix", 3}}}}).rfind("background: unknown option 'nmix' (expected one of nMix, ", 0), 0u);
}
