#!/usr/bin/env bash
# Builds the project with CMake:
#   native  Release build with the GoogleTest suite and benchmarks   -> build/native
#   wasm    WebAssembly, SIMD and non-SIMD -> build/wasm-simd, build/wasm-nosimd, output in
#           web/dist/; then the package's generated JavaScript (js, below)
#   js      scripts/build-js.mjs: one glue for both builds, the embedded builds, and the
#           browser bundles web/dist/gmmhmm.js and train-worker.js (seconds; run it after
#           changing web/lib/ when a browser should see the change)
# Incremental: configures a directory only once (CMake re-configures by itself when a
# CMakeLists changes), so a second run with nothing changed takes a second or two.
#
#   bash scripts/build.sh [all|native|wasm|js]      (default: all)
# Environment: GMMHMM_BUILD_DIR (default: build), GMMHMM_JOBS (default: 2).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD="${GMMHMM_BUILD_DIR:-$ROOT/build}"
JOBS="${GMMHMM_JOBS:-2}"
WHAT="${1:-all}"
# Debian's emcc/emcmake find their JS dependencies (acorn...) only through NODE_PATH.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"

step() { echo "build: $*" >&2; }

build_native() {
  if [[ ! -f "$BUILD/native/CMakeCache.txt" ]]; then
    step "configuring $BUILD/native"
    cmake -S "$ROOT" -B "$BUILD/native" -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  step "native ($BUILD/native)"
  cmake --build "$BUILD/native" -j "$JOBS"
}

build_wasm() { # simd|nosimd
  local variant="$1" dir="$BUILD/wasm-$1" simd=ON
  [[ "$variant" == nosimd ]] && simd=OFF
  if [[ ! -f "$dir/CMakeCache.txt" ]]; then
    step "configuring $dir"
    emcmake cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DGMMHMM_WASM_SIMD="$simd" >/dev/null
  fi
  step "wasm $variant ($dir -> web/dist)"
  cmake --build "$dir" -j "$JOBS"
}

build_js() {
  step "js (scripts/build-js.mjs -> web/dist)"
  node scripts/build-js.mjs
}

case "$WHAT" in
  all) build_native; build_wasm simd; build_wasm nosimd; build_js ;;
  native) build_native ;;
  wasm) build_wasm simd; build_wasm nosimd; build_js ;;
  js) build_js ;;
  *) echo "usage: scripts/build.sh [all|native|wasm|js]" >&2; exit 2 ;;
esac
