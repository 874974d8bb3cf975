// exp's and log's constants in wasm builds (vector_math.hpp says why they live here).
#include "vector_math.hpp"

namespace gmmhmm::detail::simd {

#if defined(__wasm__)
const double kExpConstants[20] = {GMMHMM_EXP_CONSTANTS};
const double kLogConstants[10] = {GMMHMM_LOG_CONSTANTS};
#endif

}  // namespace gmmhmm::detail::simd
