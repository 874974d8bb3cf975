# WebAssembly build of the package (configured with emcmake; included by CMakeLists.txt).
#
#   GMMHMM_WASM_SIMD=ON   -> web/dist/gmmhmm-simd.{js,wasm}
#   GMMHMM_WASM_SIMD=OFF  -> web/dist/gmmhmm-nosimd.{js,wasm}
#
# scripts/build.sh configures one build directory per value, then scripts/build-js.mjs makes
# the package's files from them (one glue for both builds, the embedded copies, the browser
# bundles). The glue is built for browsers and workers only (no Node code, nothing for
# bundlers to resolve) and post-processed by cmake/patch-glue.cmake; it runs in Node as well,
# because web/lib/loader.js hands it the compiled module.
#
# What is in the .wasm and what each flag below costs or saves: docs/size.md.

option(GMMHMM_WASM_SIMD "WebAssembly build: Eigen's SSE path compiled to wasm SIMD (-msimd128 -msse2)" ON)
set(GMMHMM_WASM_OUTPUT_DIR "${CMAKE_SOURCE_DIR}/web/dist" CACHE PATH "Where the .js/.wasm files go")

if(GMMHMM_WASM_SIMD)
  set(GMMHMM_WASM_VARIANT simd)
  # Eigen only vectorises for wasm when it sees SSE; clang maps SSE intrinsics onto wasm SIMD.
  # Eigen 3.4's SSE path has two x86 inline-asm workarounds that cannot compile to wasm:
  # one for GCC < 6.3 (EIGEN_COMP_GNUC = __GNUC__*10 + __GNUC_MINOR__ < 63; clang says it is
  # GCC 4.2) and one for GCC >= 6.0 (EIGEN_GNUC_AT_LEAST(6,0), gebp kernel register hints).
  # "GCC 5.30" is in neither range (5*10+30 = 80 >= 63, and 5 < 6).
  set(GMMHMM_WASM_ARCH_FLAGS -msimd128 -msse2 -fgnuc-version=5.30)
else()
  set(GMMHMM_WASM_VARIANT nosimd)
  set(GMMHMM_WASM_ARCH_FLAGS)
endif()

# nlohmann/json.hpp lives in /usr/include, and `-isystem /usr/include` would put the host's
# libc headers in front of Emscripten's. Expose only the nlohmann folder, through a link.
if(NLOHMANN_JSON_INCLUDE_DIR STREQUAL "/usr/include")
  set(GMMHMM_WASM_JSON_DIR "${CMAKE_BINARY_DIR}/json-include")
  file(MAKE_DIRECTORY "${GMMHMM_WASM_JSON_DIR}")
  file(CREATE_LINK /usr/include/nlohmann "${GMMHMM_WASM_JSON_DIR}/nlohmann" SYMBOLIC)
  set(NLOHMANN_JSON_INCLUDE_DIR "${GMMHMM_WASM_JSON_DIR}")
endif()

# C++ exceptions on: the core reports bad input by throwing gmmhmm::Error, and the bindings
# catch it (guarded()) to turn it into a JS Error. 'wasm': WebAssembly's own exception handling
# (zero-cost until thrown); 'js': Emscripten's emulation, which routes every call that may
# throw through a JS invoke_* import (larger and slower; for engines without wasm exceptions).
set(GMMHMM_WASM_EXCEPTIONS "wasm" CACHE STRING "C++ exceptions in wasm: wasm (native) or js (emulated)")
if(GMMHMM_WASM_EXCEPTIONS STREQUAL "wasm")
  set(GMMHMM_WASM_EH_FLAGS -fwasm-exceptions)
else()
  set(GMMHMM_WASM_EH_FLAGS -fexceptions)
endif()
# Optimisation, per source (docs/size.md has the measurements): everything is compiled for
# speed (-O3, the Release flags) except the sources below, which only parse, check, convert or
# orchestrate (JSON models, options, the M-step and the recognizer's bookkeeping: once per
# iteration or per call, never per frame) and are compiled for size. Only these sources may
# see the size flag: emcc turns -Os/-Oz into -fno-inline-functions, which a later -O3 on the
# same command line does not undo (that made Eigen's kernels 3x slower in an experiment).
set(GMMHMM_WASM_SIZE_OPT "-Oz" CACHE STRING "optimisation of the size-compiled sources and the bindings")
set(GMMHMM_WASM_LINK_OPT "-O3" CACHE STRING "optimisation at link time (binaryen)")
set(GMMHMM_WASM_SIZE_SOURCES
  cpp/src/model/model_json.cpp cpp/src/model/config.cpp cpp/src/model/gmm_hmm.cpp
  cpp/src/model/parameters.cpp cpp/src/model/transitions.cpp cpp/src/features/presets.cpp
  cpp/src/model/memory_estimate.cpp cpp/src/features/options.cpp cpp/src/limits/json_file.cpp
  cpp/src/recognizer/recognizer.cpp cpp/src/recognizer/word_trainer.cpp cpp/src/recognizer/calibration.cpp
  cpp/src/recognizer/options.cpp
  cpp/src/model/stationary.cpp
  cpp/src/families/categorical_hmm.cpp cpp/src/families/chain_options.cpp cpp/src/families/hmm.cpp
  cpp/src/families/chain_model_file.cpp cpp/src/families/poisson_hmm.cpp cpp/src/families/multinomial_hmm.cpp
  cpp/src/families/random_rows.cpp cpp/src/families/gaussian_hmm.cpp)
list(TRANSFORM GMMHMM_WASM_SIZE_SOURCES PREPEND "${CMAKE_SOURCE_DIR}/")
set(GMMHMM_WASM_COMPILE_FLAGS -O3 ${GMMHMM_WASM_EH_FLAGS} ${GMMHMM_WASM_ARCH_FLAGS})
gmmhmm_add_core(gmmhmm_core_wasm ${GMMHMM_WASM_COMPILE_FLAGS})
# The options' help texts (gmmhmm/options.hpp) are read by the native tests only.
target_compile_definitions(gmmhmm_core_wasm PUBLIC GMMHMM_OPTION_HELP=0)
# Source properties are per directory: only the wasm configuration sees these.
set_source_files_properties(${GMMHMM_WASM_SIZE_SOURCES} PROPERTIES COMPILE_OPTIONS "${GMMHMM_WASM_SIZE_OPT}")
if(GMMHMM_WASM_SIMD)
  # Eigen's SSE path includes <mmintrin.h>, which Emscripten 3.1.6 does not provide (its
  # compat folder has xmmintrin.h/emmintrin.h only), so clang would pick its x86-only copy.
  # Eigen uses no MMX type: an empty header is enough.
  set(GMMHMM_WASM_COMPAT_DIR "${CMAKE_BINARY_DIR}/wasm-compat")
  file(WRITE "${GMMHMM_WASM_COMPAT_DIR}/mmintrin.h"
    "#pragma once\n// Generated by cmake/wasm.cmake: Eigen includes <mmintrin.h> but uses no MMX type.\n")
  target_include_directories(gmmhmm_core_wasm SYSTEM BEFORE PUBLIC "${GMMHMM_WASM_COMPAT_DIR}")
endif()

add_library(gmmhmm_bindings OBJECT ${CMAKE_SOURCE_DIR}/cpp/bindings/bindings.cpp)
target_link_libraries(gmmhmm_bindings PRIVATE gmmhmm_core_wasm)
target_compile_options(gmmhmm_bindings PRIVATE ${GMMHMM_WASM_COMPILE_FLAGS} ${GMMHMM_WASM_SIZE_OPT})

set(GMMHMM_WASM_LINK_FLAGS
  ${GMMHMM_WASM_LINK_OPT} ${GMMHMM_WASM_EH_FLAGS} ${GMMHMM_WASM_ARCH_FLAGS}
  --bind
  -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createGmmHmmModule
  -sENVIRONMENT=web,worker
  # Bounded growth: a runaway allocation fails with an error instead of eating the machine.
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16MB -sMAXIMUM_MEMORY=2GB
  # stackSave/stackRestore: the JS layer restores the stack after a JS Error crossed wasm
  # frames (web/lib/errors.js, callWasm). lengthBytesUTF8/stringToUTF8: model files go into
  # the heap once, as UTF-8, after their size was checked (web/lib/files.js).
  "-sEXPORTED_FUNCTIONS=_malloc,_free"
  "-sEXPORTED_RUNTIME_METHODS=stackSave,stackRestore,lengthBytesUTF8,stringToUTF8"
  # No `new Function` in embind (pages with a strict CSP).
  -sDYNAMIC_EXECUTION=0
)

# The module: web/dist/gmmhmm-<variant>.js (glue) and .wasm. Link order matters for speed: a
# template instantiation (Eigen's kernels above all) compiled in several sources is kept once,
# from the first object that has it. The objects are linked directly, the speed-compiled ones
# first, so that theirs are kept; the size-compiled sources and the bindings keep only what is
# theirs alone (JSON, options, conversions).
get_target_property(GMMHMM_WASM_SPEED_SOURCES gmmhmm_core_wasm SOURCES)
list(REMOVE_ITEM GMMHMM_WASM_SPEED_SOURCES ${GMMHMM_WASM_SIZE_SOURCES})
set_property(TARGET gmmhmm_core_wasm PROPERTY SOURCES ${GMMHMM_WASM_SPEED_SOURCES} ${GMMHMM_WASM_SIZE_SOURCES})
add_executable(gmmhmm_wasm $<TARGET_OBJECTS:gmmhmm_core_wasm> $<TARGET_OBJECTS:gmmhmm_bindings>)
target_link_options(gmmhmm_wasm PRIVATE ${GMMHMM_WASM_LINK_FLAGS} ${GMMHMM_WASM_EXTRA_LINK_FLAGS})
set_target_properties(gmmhmm_wasm PROPERTIES
  OUTPUT_NAME gmmhmm-${GMMHMM_WASM_VARIANT}
  SUFFIX ".js"
  RUNTIME_OUTPUT_DIRECTORY ${GMMHMM_WASM_OUTPUT_DIR})
# Re-link (and so re-patch) when the patch script changes.
set_property(TARGET gmmhmm_wasm APPEND PROPERTY LINK_DEPENDS ${CMAKE_SOURCE_DIR}/cmake/patch-glue.cmake)
add_custom_command(TARGET gmmhmm_wasm POST_BUILD
  COMMAND ${CMAKE_COMMAND} -DGLUE=${GMMHMM_WASM_OUTPUT_DIR}/gmmhmm-${GMMHMM_WASM_VARIANT}.js
          -P ${CMAKE_SOURCE_DIR}/cmake/patch-glue.cmake
  VERBATIM)

# The words-only build of 'gmmhmm/words': the same core objects linked with the bindings of the
# front end and the Recognizer only (bindings.cpp compiled with GMMHMM_BIND_MODELS=0), so that
# the linker leaves out what only GMMHMM and the hmmlearn families reach. Its glue would differ
# from the whole build's only in the minified import names: scripts/align-wasm-imports.mjs
# renames the imports in its .wasm to the whole build's, so that one glue serves all four
# .wasm files (scripts/build-js.mjs checks that the glues are identical).
# Its recognizer trains diagonal models: the linear algebra of full and tied covariances
# (cpp/src/model/full_covariance.cpp, Eigen's Cholesky and eigen decompositions) is swapped for
# cpp/words/full_covariance_absent.cpp, which refuses such a model by name.
add_library(gmmhmm_bindings_words OBJECT ${CMAKE_SOURCE_DIR}/cpp/bindings/bindings.cpp
  ${CMAKE_SOURCE_DIR}/cpp/words/full_covariance_absent.cpp)
target_link_libraries(gmmhmm_bindings_words PRIVATE gmmhmm_core_wasm)
target_compile_definitions(gmmhmm_bindings_words PRIVATE GMMHMM_BIND_MODELS=0)
target_compile_options(gmmhmm_bindings_words PRIVATE ${GMMHMM_WASM_COMPILE_FLAGS} ${GMMHMM_WASM_SIZE_OPT})
add_executable(gmmhmm_words_wasm
  $<FILTER:$<TARGET_OBJECTS:gmmhmm_core_wasm>,EXCLUDE,/full_covariance\.cpp\.o$>
  $<TARGET_OBJECTS:gmmhmm_bindings_words>)
target_link_options(gmmhmm_words_wasm PRIVATE ${GMMHMM_WASM_LINK_FLAGS} ${GMMHMM_WASM_EXTRA_LINK_FLAGS})
set_target_properties(gmmhmm_words_wasm PROPERTIES
  OUTPUT_NAME gmmhmm-words-${GMMHMM_WASM_VARIANT}
  SUFFIX ".js"
  RUNTIME_OUTPUT_DIRECTORY ${GMMHMM_WASM_OUTPUT_DIR})
# Aligned to the whole build's glue: that must be linked (and patched) first, and a new one
# (the whole build relinked alone) relinks and realigns this one.
add_dependencies(gmmhmm_words_wasm gmmhmm_wasm)
set_property(TARGET gmmhmm_words_wasm APPEND PROPERTY LINK_DEPENDS
  ${CMAKE_SOURCE_DIR}/cmake/patch-glue.cmake ${CMAKE_SOURCE_DIR}/scripts/align-wasm-imports.mjs
  ${GMMHMM_WASM_OUTPUT_DIR}/gmmhmm-${GMMHMM_WASM_VARIANT}.js)
find_program(GMMHMM_NODE node REQUIRED)
add_custom_command(TARGET gmmhmm_words_wasm POST_BUILD
  COMMAND ${CMAKE_COMMAND} -DGLUE=${GMMHMM_WASM_OUTPUT_DIR}/gmmhmm-words-${GMMHMM_WASM_VARIANT}.js
          -P ${CMAKE_SOURCE_DIR}/cmake/patch-glue.cmake
  COMMAND ${GMMHMM_NODE} ${CMAKE_SOURCE_DIR}/scripts/align-wasm-imports.mjs
          ${GMMHMM_WASM_OUTPUT_DIR}/gmmhmm-${GMMHMM_WASM_VARIANT}.js
          ${GMMHMM_WASM_OUTPUT_DIR}/gmmhmm-words-${GMMHMM_WASM_VARIANT}.js
          ${GMMHMM_WASM_OUTPUT_DIR}/gmmhmm-words-${GMMHMM_WASM_VARIANT}.wasm
  VERBATIM)
