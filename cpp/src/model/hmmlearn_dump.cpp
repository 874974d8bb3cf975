#include "hmmlearn_dump.hpp"

namespace gmmhmm::detail {

using json = nlohmann::json;

std::string hmmlearnName(std::string_view option) {
  if (option == "seed") return "random_state";
  std::string out;
  for (char c : option) {
    if (c >= 'A' && c <= 'Z') {
      out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

json hmmlearnTraining(const json& dump, const std::vector<std::string>& options) {
  json t = json::object();
  for (const std::string& name : options) {
    const auto it = dump.find(hmmlearnName(name));
    if (it == dump.end() || it->is_null()) continue;
    if (name == "seed" && !it->is_number_unsigned()) continue;
    t[name] = *it;
  }
  return t;
}

}  // namespace gmmhmm::detail
