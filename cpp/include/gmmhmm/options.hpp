#pragma once
// Options declared once (Kaldi's `Register` idea): every option struct has one list of its
// options -- name, the range its validation checks, one line of help -- and the code that
// validates, writes and reads JSON, reads JS objects (the binding), writes them back (info(),
// presets) and lists the names (tests, the JS layer) walks that list instead of naming each
// field again. The defaults are the struct's own initialisers.
//
// A declaration is a specialisation of OptionList<Struct> with
//   static constexpr const char* kSection;        // names the options in messages ("word")
//   GMMHMM_OPTION(field, range, help);             // one per option
//   template <class O, class Visit> static void each(O& options, Visit& visit);
// where `each` calls visit(field, options.field) once per option, in the order the options
// are documented. Fields are double, int, bool, std::string, std::uint32_t,
// std::uint64_t, Prior (a number or an array, gmmhmm/prior.hpp: the range applies to every
// entry; the model checks the shape) or an enum with toString(E) and fromString(text, E&)
// overloads (model config); `O` is the struct or the const struct (readers and writers share
// `each`).
// The declarations: gmmhmm/features/option_list.hpp (front end, endpointer),
// gmmhmm/recognizer/option_list.hpp (recognizer), gmmhmm/model/option_list.hpp (the model's
// training controls). docs/design.md, "Options", lists where each
// struct's options are still written out by hand and why.

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

#include "gmmhmm/detail/message.hpp"
#include "gmmhmm/errors.hpp"
#include "gmmhmm/prior.hpp"

namespace gmmhmm {

// The values an option may take: [lowest, highest] (either end open, or unbounded); always
// finite. `byHand`: the struct's validate() checks it (front-end options, whose messages give
// units and the rules between options) and the range is not used.
struct Range {
  double lowest = -std::numeric_limits<double>::infinity();
  double highest = std::numeric_limits<double>::infinity();
  bool lowestOpen = false;
  bool highestOpen = false;
  bool byHand = false;
  // -Infinity is a value too (hmmlearn's tol); JSON files write it as the string "-Infinity".
  bool minusInfinity = false;

  static constexpr Range any() { return Range{}; }
  static constexpr Range closed(double lo, double hi) { return Range{lo, hi, false, false, false}; }
  static constexpr Range open(double lo, double hi) { return Range{lo, hi, true, true, false}; }
  static constexpr Range openLow(double lo, double hi) { return Range{lo, hi, true, false, false}; }
  static constexpr Range openHigh(double lo, double hi) { return Range{lo, hi, false, true, false}; }
  static constexpr Range atLeast(double lo) { return Range{lo, std::numeric_limits<double>::infinity(), false, false, false}; }
  static constexpr Range atMost(double hi) { return Range{-std::numeric_limits<double>::infinity(), hi, false, false, false}; }
  static constexpr Range checkedByValidate() { return Range{-std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(), false, false, true}; }

  constexpr Range orMinusInfinity() const {
    Range r = *this;
    r.minusInfinity = true;
    return r;
  }

  constexpr bool contains(double v) const {
    return v == v && v > -std::numeric_limits<double>::infinity() && v < std::numeric_limits<double>::infinity() &&
           (lowestOpen ? v > lowest : v >= lowest) && (highestOpen ? v < highest : v <= highest);
  }
};

// How a file treats an option: Always written, or (an option added after files were written
// without it) WhenSet: written only when it differs from the default, so that files which do
// not use it stay what earlier versions wrote and read.
enum class InFiles { Always, WhenSet };

struct OptionInfo {
  const char* name;
  Range range;
  const char* help;
  InFiles inFiles = InFiles::Always;
};

// The range of the options whose rules the struct's validate() checks by hand.
inline constexpr Range kByHand = Range::checkedByValidate();

// The help texts are compiled where something reads them (tests, tools); builds that only
// validate and convert options (the WebAssembly build: -DGMMHMM_OPTION_HELP=0) leave them out.
#ifndef GMMHMM_OPTION_HELP
#define GMMHMM_OPTION_HELP 1
#endif
#if GMMHMM_OPTION_HELP
#define GMMHMM_HELP_TEXT(text) text
#else
#define GMMHMM_HELP_TEXT(text) ""
#endif

// Declares option `name` of an OptionList: a static constexpr OptionInfo of that name (one
// object in the program, so that visiting passes its address, not a copy built per call).
#define GMMHMM_OPTION(name, range, help) \
  static constexpr ::gmmhmm::OptionInfo name { #name, range, GMMHMM_HELP_TEXT(help), ::gmmhmm::InFiles::Always }
#define GMMHMM_OPTION_WHEN_SET(name, range, help) \
  static constexpr ::gmmhmm::OptionInfo name { #name, range, GMMHMM_HELP_TEXT(help), ::gmmhmm::InFiles::WhenSet }

template <typename Struct>
struct OptionList;  // specialised by each option struct's declaration

// Calls visit(info, field) for every option of `options` (a struct or a const struct).
template <typename O, typename Visit>
void forEachOption(O& options, Visit&& visit) {
  OptionList<std::remove_const_t<O>>::each(options, visit);
}

// The options of a base struct of `options` (MfccOptions has FrameOptions' ...), const kept.
template <typename Base, typename O, typename Visit>
void forEachBaseOption(O& options, Visit&& visit) {
  using B = std::conditional_t<std::is_const_v<O>, const Base, Base>;
  OptionList<Base>::each(static_cast<B&>(options), visit);
}

namespace detail {

// "must be an integer in [0, 1000]", "must be a number <= 200", "must be a finite number".
inline std::string rangeText(const Range& r, bool integer) {
  const bool low = std::isfinite(r.lowest), high = std::isfinite(r.highest);
  if (low && high)
    return message("must be ", integer ? "an integer in " : "in ", r.lowestOpen ? "(" : "[", r.lowest, ", ", r.highest,
                   r.highestOpen ? ")" : "]");
  const char* what = integer ? "must be an integer " : "must be a number ";
  if (high) return message(what, r.highestOpen ? "< " : "<= ", r.highest);
  if (low) return message(what, r.lowestOpen ? "> " : ">= ", r.lowest);
  return "must be a finite number";
}

// Throws InvalidArgument "<prefix><name> must be in [lo, hi], got v" when `value` is outside
// the option's declared range (a range checkedByValidate() is the struct's validate()'s).
inline void checkRange(const OptionInfo& info, double value, bool integer, const char* prefix) {
  if (!info.range.byHand && !info.range.contains(value))
    throw InvalidArgument(message(prefix, info.name, " ", rangeText(info.range, integer), ", got ", value));
}

}  // namespace detail

// Checks every numeric option of `o` (every entry of a Prior) against its declared range; `prefix` starts the option's
// name in the message ("word.", or "" for the model).
template <typename O>
void checkRanges(const O& o, const char* prefix) {
  forEachOption(o, [prefix](const OptionInfo& info, const auto& value) {
    using T = std::decay_t<decltype(value)>;
    if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
      detail::checkRange(info, static_cast<double>(value), std::is_integral_v<T>, prefix);
    } else if constexpr (std::is_same_v<T, Prior>) {
      const std::string name = std::string(prefix) + info.name;
      checkPriorLayout(value, name);
      for (std::size_t i = 0; i < value.values.size(); ++i) {
        const double v = value.values[i];
        if (!info.range.byHand && !info.range.contains(v))
          throw InvalidArgument(detail::message(name, priorEntry(value, i), " ", detail::rangeText(info.range, false), ", got ", v));
      }
    }
  });
}

}  // namespace gmmhmm
