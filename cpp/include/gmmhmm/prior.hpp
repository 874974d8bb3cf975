#pragma once
// A prior as hmmlearn takes it: one number for every entry of the parameter, or an array
// broadcastable to the parameter's shape (numpy's rule: shapes aligned on the right, a
// dimension of 1 stretches). GMMHMM's priors (model/config.hpp) and the families' declared
// prior options (families/*_hmm.hpp) share it; each model says which shape each prior
// broadcasts to. Implicitly made from a number, so `options.transmatPrior = 2` keeps working.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace gmmhmm {

struct Prior {
  Prior(double value = 0) : values{value} {}  // NOLINT(google-explicit-constructor): a number
  Prior(std::vector<long> shape, std::vector<double> values) : shape(std::move(shape)), values(std::move(values)) {}
  bool isScalar() const { return shape.empty(); }
  double scalar() const { return values.empty() ? 0.0 : values.front(); }  // the number (isScalar())

  std::vector<long> shape;     // empty: one number; else row-major dimensions of `values`
  std::vector<double> values;
};

inline bool operator==(const Prior& a, const Prior& b) { return a.shape == b.shape && a.values == b.values; }
inline bool operator!=(const Prior& a, const Prior& b) { return !(a == b); }

// "[2, 3]".
std::string shapeText(const std::vector<long>& shape);
// "[1][0]": the entry of `prior` at flat position i ("" for a number), for messages.
std::string priorEntry(const Prior& prior, std::size_t i);

// Throws InvalidArgument "<name>: ..." for an array with an empty dimension or a number of
// values that is not its shape's.
void checkPriorLayout(const Prior& prior, const std::string& name);
// Throws InvalidArgument "<name>: an array of shape [..] does not broadcast to <shapeNames> =
// [..]<suffix>" unless numpy would broadcast it to `target` (a 0 in `target`: a size not known
// yet, which any dimension fits; checked again once it is known). A number always fits.
void checkPriorBroadcasts(const Prior& prior, const std::string& name, const std::vector<long>& target,
                          const std::string& shapeNames, const std::string& suffix = "");
// Every entry of `prior` in `shape` (row-major), broadcast; the shapes must be compatible
// (checkPriorBroadcasts).
std::vector<double> broadcastPrior(const Prior& prior, const std::vector<long>& shape);

}  // namespace gmmhmm
