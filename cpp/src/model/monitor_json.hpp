#pragma once
// The "monitor" member of every model file (GMMHMM's and the families'): written and read
// here once, so that a malformed one is refused the same way by every fromJSON.

#include <nlohmann/json.hpp>

#include "gmmhmm/model/gmm_hmm.hpp"  // Monitor

namespace gmmhmm::detail {

nlohmann::json monitorJson(const Monitor& monitor);

// The "monitor" member of the object `file`: absent or null, a fresh monitor. Throws
// InvalidArgument naming the part of a malformed one (the readers turn it into their
// ModelFormatError): not an object, a history that is not an array of numbers, iterations
// not an integer in [0, 2^31 - 1], converged not a boolean.
Monitor monitorFromJson(const nlohmann::json& file);

}  // namespace gmmhmm::detail
