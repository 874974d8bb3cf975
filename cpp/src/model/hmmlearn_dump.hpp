#pragma once
// Dumps of hmmlearn's attributes (vars(model) as JSON): their settings under hmmlearn's names,
// for the model files' readers (GmmHmm's and the families').
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace gmmhmm::detail {

// hmmlearn's name of a declared option: n_iter, init_params, emissionprob_prior ...; seed is
// random_state.
std::string hmmlearnName(std::string_view option);

// A "training" section from a dump of hmmlearn's attributes: the members named as
// hmmlearnName() of `options` (absent or null ones left out; random_state only when it is an
// integer, as hmmlearn's may be a RandomState or None).
nlohmann::json hmmlearnTraining(const nlohmann::json& dump, const std::vector<std::string>& options);

}  // namespace gmmhmm::detail
