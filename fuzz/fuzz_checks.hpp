#pragma once
// Shared by the fuzz targets: properties that must hold for every input. A violated check
// prints what failed and aborts, which libFuzzer reports as a crash (with the input saved).
// Exceptions: the core's contract is that bad input throws a gmmhmm::Error; the targets
// catch only that, so any other exception escapes and is reported too.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#define FUZZ_CHECK(cond, ...)                                                   \
  do {                                                                         \
    if (!(cond)) {                                                             \
      std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s: ", __FILE__, __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                                       \
      std::fprintf(stderr, "\n");                                              \
      std::abort();                                                            \
    }                                                                          \
  } while (0)

namespace fuzz {

// Any double, NaN and infinities included (raw bytes), or 0 when the input is used up.
inline double rawDouble(FuzzedDataProvider& in) {
  double x = 0;
  const auto bytes = in.ConsumeBytes<unsigned char>(sizeof x);
  if (!bytes.empty()) std::memcpy(&x, bytes.data(), bytes.size());
  return x;
}

// A number for an option: usually a plausible value in [lo, hi], sometimes an edge that
// validation must reject or handle (0, negative, NaN, infinite, huge, tiny, any bits).
inline double optionValue(FuzzedDataProvider& in, double lo, double hi) {
  switch (in.ConsumeIntegralInRange<int>(0, 15)) {
    case 0: return 0.0;
    case 1: return -1.0;
    case 2: return std::nan("");
    case 3: return INFINITY;
    case 4: return -INFINITY;
    case 5: return 1e300;
    case 6: return 1e-300;
    case 7: return rawDouble(in);
    default: return in.ConsumeFloatingPointInRange<double>(lo, hi);
  }
}

inline int optionInt(FuzzedDataProvider& in, int lo, int hi) {
  switch (in.ConsumeIntegralInRange<int>(0, 11)) {
    case 0: return 0;
    case 1: return -1;
    case 2: return in.ConsumeIntegral<int>();
    default: return in.ConsumeIntegralInRange<int>(lo, hi);
  }
}

template <class Container>
bool allFinite(const Container& values) {
  for (double v : values)
    if (!std::isfinite(v)) return false;
  return true;
}

}  // namespace fuzz
