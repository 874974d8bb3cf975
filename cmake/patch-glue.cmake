# Makes Emscripten 3.1.6's glue the same for both builds and free of file references.
#   cmake -DGLUE=web/dist/gmmhmm-simd.js -P cmake/patch-glue.cmake
#
# The glue names its own .wasm twice, once as new URL("gmmhmm-simd.wasm", import.meta.url):
# the pattern bundlers follow to emit a file. The package never lets the glue fetch anything
# (web/lib/loader.js hands it the compiled module through instantiateWasm), so the name is
# replaced by a neutral one that is never requested. Then the glues of the SIMD and non-SIMD
# builds are identical (scripts/build-js.mjs checks it and ships one), and a bundler sees only
# the package's own references to the .wasm files (web/lib/platform/browser.js).
if(NOT GLUE)
  message(FATAL_ERROR "patch-glue.cmake: pass -DGLUE=<glue .js file>")
endif()
file(READ "${GLUE}" code)

set(neutral "\"gmmhmm.wasm\"")
string(FIND "${code}" "wasmBinaryFile=${neutral}" already)
if(already GREATER_EQUAL 0)
  return()
endif()

# Fail loudly if another Emscripten version generates different code: a silent no-op here
# would show up only as a second, unused copy of the .wasm in users' bundles.
set(url_pattern "new URL\\(\"gmmhmm-[a-z-]+\\.wasm\",import\\.meta\\.url\\)\\.toString\\(\\)")
foreach(expected "${url_pattern}" "wasmBinaryFile=\"gmmhmm-[a-z-]+\\.wasm\"" "export default createGmmHmmModule")
  string(REGEX MATCH "${expected}" found "${code}")
  if(NOT found)
    message(FATAL_ERROR "patch-glue.cmake: '${expected}' not found in ${GLUE}; the Emscripten glue changed, update this script")
  endif()
endforeach()

string(REGEX REPLACE "${url_pattern}" "${neutral}" code "${code}")
string(REGEX REPLACE "wasmBinaryFile=\"gmmhmm-[a-z-]+\\.wasm\"" "wasmBinaryFile=${neutral}" code "${code}")
file(WRITE "${GLUE}" "${code}")
