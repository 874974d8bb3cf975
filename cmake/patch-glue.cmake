# Makes Emscripten 3.1.6's ES6 glue importable as an ES module in Node, and its single-file
# variant usable under a strict Content-Security-Policy.
#   cmake -DGLUE=web/dist/gmmhmm-simd.js -P cmake/patch-glue.cmake
#
# First: with -sEXPORT_ES6 and ENVIRONMENT including node, the glue's Node branch sets
# `scriptDirectory = __dirname + "/"` while it starts up; `__dirname` does not exist in ES
# modules, so the import dies with a ReferenceError. Nothing else in that branch runs unless
# the glue has to read the .wasm itself, which it never does here: web/lib/loader.js hands it
# the compiled module (instantiateWasm), and the .single.js variant decodes its embedded copy.
if(NOT GLUE)
  message(FATAL_ERROR "patch-glue.cmake: pass -DGLUE=<glue .js file>")
endif()
file(READ "${GLUE}" code)

set(safe_dirname "(typeof __dirname!=\"undefined\"?__dirname:\".\")")
string(FIND "${code}" "${safe_dirname}" already)
if(already GREATER_EQUAL 0)
  return()
endif()

# Second: the single-file build's wasm is a data: URI, and in browsers the glue fetch()es it,
# which a Content-Security-Policy without `connect-src data:` blocks (the glue then decodes
# it itself, but the page has logged a CSP violation). Decode data: URIs directly.
set(binary_promise_old "function getBinaryPromise(){if(!wasmBinary&&(ENVIRONMENT_IS_WEB||ENVIRONMENT_IS_WORKER)){")
set(binary_promise_new "function getBinaryPromise(){if(!wasmBinary&&!isDataURI(wasmBinaryFile)&&(ENVIRONMENT_IS_WEB||ENVIRONMENT_IS_WORKER)){")

# Fail loudly if another Emscripten version generates different code: a silent no-op here
# would only show up as a crash in a user's Node process.
foreach(expected "scriptDirectory=__dirname+\"/\"" "export default createGmmHmmModule" "${binary_promise_old}")
  string(FIND "${code}" "${expected}" at)
  if(at LESS 0)
    message(FATAL_ERROR "patch-glue.cmake: '${expected}' not found in ${GLUE}; the Emscripten glue changed, update this script")
  endif()
endforeach()

string(REPLACE "__dirname" "${safe_dirname}" code "${code}")
string(REPLACE "${binary_promise_old}" "${binary_promise_new}" code "${code}")
file(WRITE "${GLUE}" "${code}")
