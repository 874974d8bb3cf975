#pragma once
// The members of a model file that GmmHmm::fromJson reads (internal header), for the
// readers of files that embed models (recognizer files).

#include <memory>

#include "../limits/json_file.hpp"

namespace gmmhmm::detail {

std::shared_ptr<const JsonMembers> modelFileMembers();

}  // namespace gmmhmm::detail
