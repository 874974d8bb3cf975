# libFuzzer targets (fuzz/*.cpp), included by CMakeLists.txt when GMMHMM_FUZZ=ON. Such a build
# directory holds only the fuzzers: a copy of the core built for coverage-guided fuzzing with
# ASan + UBSan, and one executable per target. Configure with clang (libclang-rt-14-dev
# provides the libFuzzer runtime):
#   CC=clang CXX=clang++ cmake -S . -B build/fuzz -DGMMHMM_FUZZ=ON
# scripts/fuzz.sh does this and runs the targets (short in `npm test`, long by hand).
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "GMMHMM_FUZZ=ON needs clang: CC=clang CXX=clang++ cmake -DGMMHMM_FUZZ=ON ...")
endif()

# -O2: Eigen needs inlining to run at a useful speed, and executions per second are what a
# fuzzer has; -g1 for line numbers in crash reports. NaN results are caught by the targets'
# own checks (a division by zero may be a deliberate -inf in log space).
set(GMMHMM_FUZZ_SANITIZERS -fsanitize=address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer)
set(GMMHMM_FUZZ_FLAGS -O2 -g1 -Wall -Wextra)
gmmhmm_add_core(gmmhmm_core_fuzz ${GMMHMM_FUZZ_FLAGS} -fsanitize=fuzzer-no-link ${GMMHMM_FUZZ_SANITIZERS})

file(GLOB GMMHMM_FUZZ_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/fuzz/*.cpp)
foreach(src ${GMMHMM_FUZZ_SOURCES})
  get_filename_component(target ${src} NAME_WE)
  add_executable(fuzz_${target} ${src})
  target_link_libraries(fuzz_${target} PRIVATE gmmhmm_core_fuzz)
  target_compile_options(fuzz_${target} PRIVATE ${GMMHMM_FUZZ_FLAGS} -fsanitize=fuzzer ${GMMHMM_FUZZ_SANITIZERS})
  target_link_options(fuzz_${target} PRIVATE -fsanitize=fuzzer ${GMMHMM_FUZZ_SANITIZERS})
endforeach()
