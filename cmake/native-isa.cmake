# Code generation of the native (non-wasm) build: sets GMMHMM_NATIVE_ISA_FLAGS.
#
# Not the build machine's own -march ("native"): GCC 12.2 (Debian 12) miscompiles with it on Intel AVX-512 CPUs. The
# fault is in the Intel tuning, not in AVX-512 itself: the native -march, -march=icelake-server
# or rocketlake, with or without -mno-avx512f, and even -march=x86-64-v3 -mtune=icelake-server,
# store the constant vector {0.5, 0.5, 0, 0} as a broadcast of 0.5 (it sums to 2), and any
# such constant in the library or its callers comes out wrong without a warning.
#
# So the build targets a portable ISA level with generic tuning, chosen by GMMHMM_NATIVE_ISA:
#   auto       x86-64-v3 (AVX2 + FMA) when the building CPU has it, else the compiler's
#              default (x86-64); other architectures: the compiler's default
#   x86-64-v3 / x86-64-v2 / x86-64   that level (the binary needs a CPU that has it)
#   default    no -march/-mtune flag at all
# Not AVX-512 (x86-64-v4): Eigen 3.4 has no vectorised double exp/log for it and falls back
# to scalar libm calls (EM 0.5 M vs 2.6 M frame-iterations/s measured with AVX2).
#
# Whatever the choice (and whatever CMAKE_CXX_FLAGS add), configuration then compiles and runs
# cmake/checks/constant_stores.cpp with the final flags and stops with an error if the
# compiler gets it wrong, rather than building a library that gives wrong numbers.
set(GMMHMM_NATIVE_ISA "auto" CACHE STRING "Native build's target: auto, x86-64-v3, x86-64-v2, x86-64 or default")
set_property(CACHE GMMHMM_NATIVE_ISA PROPERTY STRINGS auto x86-64-v3 x86-64-v2 x86-64 default)

set(GMMHMM_NATIVE_ISA_FLAGS)
set(_gmmhmm_isa "${GMMHMM_NATIVE_ISA}")
if(_gmmhmm_isa STREQUAL "auto")
  set(_gmmhmm_isa "default")
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$" AND NOT CMAKE_CROSSCOMPILING)
    unset(_gmmhmm_v3_run CACHE)  # probed again at every configure: the machine may change
    try_run(_gmmhmm_v3_run _gmmhmm_v3_compiled ${CMAKE_BINARY_DIR}/isa-probe
            ${CMAKE_CURRENT_LIST_DIR}/checks/has_x86_64_v3.cpp)
    if(_gmmhmm_v3_compiled AND _gmmhmm_v3_run EQUAL 0)
      set(_gmmhmm_isa "x86-64-v3")
    endif()
  endif()
endif()
if(_gmmhmm_isa MATCHES "^x86-64(-v[23])?$")
  set(GMMHMM_NATIVE_ISA_FLAGS -march=${_gmmhmm_isa} -mtune=generic)
elseif(NOT _gmmhmm_isa STREQUAL "default")
  message(FATAL_ERROR "GMMHMM_NATIVE_ISA must be auto, x86-64-v3, x86-64-v2, x86-64 or default, got '${GMMHMM_NATIVE_ISA}'")
endif()

# The miscompilation check, with the optimisation level and flags the library is built with.
if(NOT CMAKE_CROSSCOMPILING)
  # (try_run passes CMAKE_CXX_FLAGS on by itself; COMPILE_DEFINITIONS takes any flag.)
  unset(_gmmhmm_stores_run CACHE)
  try_run(_gmmhmm_stores_run _gmmhmm_stores_compiled ${CMAKE_BINARY_DIR}/isa-probe
          ${CMAKE_CURRENT_LIST_DIR}/checks/constant_stores.cpp
          COMPILE_DEFINITIONS -O3 ${GMMHMM_NATIVE_ISA_FLAGS}
          COMPILE_OUTPUT_VARIABLE _gmmhmm_stores_log)
  string(REPLACE ";" " " _gmmhmm_check_flags "-O3 ${GMMHMM_NATIVE_ISA_FLAGS}")
  if(NOT _gmmhmm_stores_compiled)
    message(FATAL_ERROR "gmmhmm: the compiler check cmake/checks/constant_stores.cpp did not compile:\n${_gmmhmm_stores_log}")
  endif()
  if(NOT _gmmhmm_stores_run EQUAL 0)
    message(FATAL_ERROR "gmmhmm: ${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION} with "
      "'${CMAKE_CXX_FLAGS} ${_gmmhmm_check_flags}' miscompiles constant vectors "
      "(cmake/checks/constant_stores.cpp, case ${_gmmhmm_stores_run}): {0.5, 0.5, 0, 0} does not sum to 1. "
      "Leave -march/-mtune out of CMAKE_CXX_FLAGS and let GMMHMM_NATIVE_ISA choose (auto: a portable level, generic tuning).")
  endif()
endif()
message(STATUS "gmmhmm native target: ${_gmmhmm_isa} (${GMMHMM_NATIVE_ISA_FLAGS}); constant-store check passed")
