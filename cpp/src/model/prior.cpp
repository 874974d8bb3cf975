// Prior: the layout and broadcasting checks and numpy's broadcasting, shared by GMMHMM's
// priors and the families'.
#include "gmmhmm/prior.hpp"

#include "checks.hpp"

namespace gmmhmm {

using detail::require;

std::string shapeText(const std::vector<long>& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

std::string priorEntry(const Prior& prior, std::size_t i) {
  std::string out;
  for (std::size_t k = prior.shape.size(); k-- > 0;) {
    const auto d = static_cast<std::size_t>(prior.shape[k]);
    out = "[" + std::to_string(i % d) + "]" + out;
    i /= d;
  }
  return out;
}

void checkPriorLayout(const Prior& p, const std::string& name) {
  long count = 1;
  for (long d : p.shape) {
    require(d >= 1, name, ": an array with an empty dimension (shape ", shapeText(p.shape), ")");
    count = count > 100000000 / d ? 100000001 : count * d;
  }
  require(static_cast<std::size_t>(count) == p.values.size(), name, ": ", p.values.size(), " values for the shape ",
          shapeText(p.shape));
}

void checkPriorBroadcasts(const Prior& p, const std::string& name, const std::vector<long>& target,
                          const std::string& shapeNames, const std::string& suffix) {
  bool fits = p.shape.size() <= target.size();
  for (std::size_t i = 0; fits && i < p.shape.size(); ++i) {
    const long given = p.shape[p.shape.size() - 1 - i], wanted = target[target.size() - 1 - i];
    fits = given == wanted || given == 1 || wanted == 0;
  }
  require(fits, name, ": an array of shape ", shapeText(p.shape), " does not broadcast to ", shapeNames, " = ",
          shapeText(target), suffix);
}

std::vector<double> broadcastPrior(const Prior& prior, const std::vector<long>& shape) {
  long total = 1;
  for (long d : shape) total *= d;
  if (prior.isScalar()) return std::vector<double>(static_cast<std::size_t>(total), prior.scalar());
  // The stride of every target dimension in the prior's values (0 where it stretches).
  const std::size_t rank = shape.size(), given = prior.shape.size();
  std::vector<long> strides(rank, 0);
  long stride = 1;
  for (std::size_t i = 0; i < given; ++i) {
    const long d = prior.shape[given - 1 - i];
    if (d != 1) strides[rank - 1 - i] = stride;
    stride *= d;
  }
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(total));
  std::vector<long> index(rank, 0);
  long at = 0;  // position in prior.values of `index`
  for (long n = 0; n < total; ++n) {
    out.push_back(prior.values[static_cast<std::size_t>(at)]);
    for (std::size_t k = rank; k-- > 0;) {  // the next index, last dimension fastest
      at += strides[k];
      if (++index[k] < shape[k]) break;
      at -= strides[k] * shape[k];
      index[k] = 0;
    }
  }
  return out;
}

}  // namespace gmmhmm
