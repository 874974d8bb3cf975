#pragma once
// A Prior in model files: a number, or a nested array of its shape (hmmlearn's arrays as
// json.dumps(arr.tolist()) writes them). Shared by GMMHMM's files and the families'.

#include <string>

#include <nlohmann/json.hpp>

#include "gmmhmm/prior.hpp"

namespace gmmhmm::detail {

nlohmann::json priorToJson(const Prior& prior);
// The prior `name` from its value `v` (a number, or a rectangular nested array of finite
// numbers, its shape read from the first elements and every level checked). InvalidArgument
// naming the entry ("meansPrior[1][0] must be a number") for anything else; the caller checks
// that the shape broadcasts.
Prior priorFromJson(const nlohmann::json& v, const std::string& name);

}  // namespace gmmhmm::detail
