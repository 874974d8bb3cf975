#pragma once
// hmmlearn's parameter letters (internal header): "s" startprob, "t" transmat, "m" means,
// "c" covars, "w" weights, as in ModelConfig::params and ModelConfig::initParams.

#include <string>

namespace gmmhmm::detail {

// True when `letters` (e.g. "stmcw") contains `letter`.
inline bool hasLetter(const std::string& letters, char letter) { return letters.find(letter) != std::string::npos; }

}  // namespace gmmhmm::detail
