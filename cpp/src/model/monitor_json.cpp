#include "monitor_json.hpp"

#include <cstdint>
#include <limits>

#include "checks.hpp"

namespace gmmhmm::detail {

using json = nlohmann::json;

json monitorJson(const Monitor& m) {
  return {{"history", m.history}, {"iterations", m.iterations}, {"converged", m.converged}};
}

Monitor monitorFromJson(const json& file) {
  Monitor m;
  const auto mon = file.find("monitor");
  if (mon == file.end() || mon->is_null()) return m;
  require(mon->is_object(), "'monitor' must be an object {history, iterations, converged}");
  if (const auto h = mon->find("history"); h != mon->end() && !h->is_null()) {
    require(h->is_array(), "'monitor.history' must be an array of log-likelihoods");
    m.history.reserve(h->size());
    for (size_t i = 0; i < h->size(); ++i) {
      require((*h)[i].is_number(), "'monitor.history[", i, "]' must be a number (a log-likelihood)");
      m.history.push_back((*h)[i].get<double>());
    }
  }
  if (const auto it = mon->find("iterations"); it != mon->end() && !it->is_null()) {
    // Any count a Monitor holds (EM with mixture splitting may run more than nIter's 1e6);
    // unsigned values compared as such (2^64 - 1 read as int64 is -1).
    constexpr std::uint64_t kMost = std::numeric_limits<int>::max();
    const bool inRange = it->is_number_unsigned() ? it->get<std::uint64_t>() <= kMost
                         : it->is_number_integer() && it->get<std::int64_t>() >= 0 && it->get<std::int64_t>() <= std::int64_t(kMost);
    require(inRange, "'monitor.iterations' must be an integer in [0, ", kMost, "]");
    m.iterations = static_cast<int>(it->get<std::int64_t>());
  }
  if (const auto c = mon->find("converged"); c != mon->end() && !c->is_null()) {
    require(c->is_boolean(), "'monitor.converged' must be true or false");
    m.converged = c->get<bool>();
  }
  return m;
}

}  // namespace gmmhmm::detail
