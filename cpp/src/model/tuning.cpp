#include "tuning.hpp"

namespace gmmhmm::detail {

Tuning& tuning() {
  static Tuning settings;
  return settings;
}

}  // namespace gmmhmm::detail
