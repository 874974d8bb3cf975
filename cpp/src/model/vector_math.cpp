// exp's and log's constants (vector_math.hpp says why they live here).
#include "vector_math.hpp"

namespace gmmhmm::detail::simd {

const double kExpConstants[20] = {
    -746.0, 710.0,                     // clamp
    kLog2e, kRoundingShift,            // k = round(x / ln 2)
    kLn2High, kLn2Low,                 // r = x - k ln 2
    1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0,  // p(r), Horner
    1.0 / 362880.0, 1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 720.0,
    1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5,  // (0.5 is also k / 2)
    1.0,                                // 1 + r + r^2 p
    kRoundingShift + 1023.0,            // 2^k
};

const double kLogConstants[10] = {2.0 / 21.0, 2.0 / 19.0, 2.0 / 17.0, 2.0 / 15.0, 2.0 / 13.0,
                                  2.0 / 11.0, 2.0 / 9.0,  2.0 / 7.0,  2.0 / 5.0,  2.0 / 3.0};

}  // namespace gmmhmm::detail::simd
