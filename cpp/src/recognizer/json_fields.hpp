#pragma once
// Reading option objects from JSON (internal): missing keys keep their defaults, present
// keys must have the right type, and the error (InvalidArgument: options usually come from
// the caller; model loading turns it into ModelFormatError) names the key.

#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "gmmhmm/detail/message.hpp"
#include "gmmhmm/errors.hpp"
#include "gmmhmm/options.hpp"

namespace gmmhmm::recognizer::detail {

template <typename... Parts>
std::string concat(const Parts&... parts) {
  return gmmhmm::detail::message(parts...);
}

template <typename... Parts>
[[noreturn]] void failArgument(const Parts&... parts) {
  throw InvalidArgument(concat(parts...));
}

template <typename... Parts>
[[noreturn]] void failFormat(const Parts&... parts) {
  throw ModelFormatError(concat(parts...));
}

inline const nlohmann::json* field(const nlohmann::json& object, const char* key, const std::string& where) {
  if (!object.is_object()) failArgument(where, " must be a JSON object");
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

inline void read(const nlohmann::json& object, const char* key, double& out, const std::string& where) {
  if (const auto* v = field(object, key, where)) {
    if (!v->is_number() || !std::isfinite(v->get<double>())) failArgument(where, ".", key, " must be a finite number");
    out = v->get<double>();
  }
}

inline void read(const nlohmann::json& object, const char* key, int& out, const std::string& where) {
  if (const auto* v = field(object, key, where)) {
    if (!v->is_number_integer()) failArgument(where, ".", key, " must be an integer");
    const auto value = v->get<std::int64_t>();
    if (value < -1000000000 || value > 1000000000) failArgument(where, ".", key, " is out of range");
    out = static_cast<int>(value);
  }
}

inline void read(const nlohmann::json& object, const char* key, std::uint64_t& out, const std::string& where) {
  if (const auto* v = field(object, key, where)) {
    if (!v->is_number_integer() || (v->is_number_integer() && !v->is_number_unsigned() && v->get<std::int64_t>() < 0))
      failArgument(where, ".", key, " must be a non-negative integer");
    out = v->get<std::uint64_t>();
  }
}

inline void read(const nlohmann::json& object, const char* key, std::uint32_t& out, const std::string& where) {
  std::uint64_t wide = out;
  read(object, key, wide, where);
  if (wide > 0xffffffffull) failArgument(where, ".", key, " is out of range");
  out = static_cast<std::uint32_t>(wide);
}

inline void read(const nlohmann::json& object, const char* key, bool& out, const std::string& where) {
  if (const auto* v = field(object, key, where)) {
    if (!v->is_boolean()) failArgument(where, ".", key, " must be true or false");
    out = v->get<bool>();
  }
}

inline void read(const nlohmann::json& object, const char* key, std::string& out, const std::string& where) {
  if (const auto* v = field(object, key, where)) {
    if (!v->is_string()) failArgument(where, ".", key, " must be a string");
    out = v->get<std::string>();
  }
}

// The names of the options declared for O (gmmhmm/options.hpp), in their order.
template <typename O>
std::vector<const char*> optionNames() {
  std::vector<const char*> names;
  const O defaults{};
  forEachOption(defaults, [&](const OptionInfo& info, const auto&) { names.push_back(info.name); });
  return names;
}

// Every key of `object` must be one of O's options: a misspelt option is an error naming it,
// not a silently ignored setting.
template <typename O>
void rejectUnknownKeys(const nlohmann::json& object, const std::string& where) {
  if (!object.is_object()) failArgument(where, " must be a JSON object");
  const std::vector<const char*> known = optionNames<O>();
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool found = false;
    for (const char* name : known) found = found || it.key() == name;
    if (found) continue;
    std::string names;
    for (const char* name : known) names += (names.empty() ? "" : ", ") + std::string(name);
    failArgument(where, ": unknown option '", it.key(), "' (expected one of ", names, ")");
  }
}

// Every declared option of `o` as a JSON object (its name -> its value). Options declared
// InFiles::WhenSet are left out while they have their default (O{}'s value).
template <typename O>
nlohmann::json optionsToJson(const O& o) {
  nlohmann::json out = nlohmann::json::object();
  forEachOption(o, [&](const OptionInfo& info, const auto& value) { out[info.name] = value; });
  const O defaults{};
  forEachOption(defaults, [&](const OptionInfo& info, const auto& value) {
    if (info.inFiles == InFiles::WhenSet && out[info.name] == nlohmann::json(value)) out.erase(info.name);
  });
  return out;
}

// Reads the options `object` holds into `o` (missing keys keep o's values); unknown keys and
// values of the wrong type throw InvalidArgument naming "where.key". No range checks: see
// checkRanges().
template <typename O>
void readOptions(const nlohmann::json& object, O& o, const std::string& where) {
  rejectUnknownKeys<O>(object, where);
  forEachOption(o, [&](const OptionInfo& info, auto& value) { read(object, info.name, value, where); });
}

}  // namespace gmmhmm::recognizer::detail
